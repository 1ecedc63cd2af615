package mrsio

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"glusleep/internal/tsv"
	"glusleep/mrs"
)

// Info describes an MRS file as `glusleep mrs info` prints it: format,
// dimensions, acquisition parameters in the field's units and metadata
// (identifying fields hidden unless asked for). Its JSON keys are in
// sorted order.
type Info struct {
	// Dims are the dimensions beyond the points of one FID.
	Dims []mrs.Dim `json:"dims"`
	// DwellS is the dwell time in s.
	DwellS float64 `json:"dwell_s"`
	// FIDs is the number of FIDs.
	FIDs int `json:"fids"`
	// FieldStrengthT is B0 in T (0: not given).
	FieldStrengthT float64 `json:"field_strength_t"`
	// File is the file's name (no folder) and Format its reader.
	File   string `json:"file"`
	Format string `json:"format"`
	// IdentifyingFieldsHidden counts the metadata fields left out.
	IdentifyingFieldsHidden int `json:"identifying_fields_hidden"`
	// Metadata are the file's metadata (acquisition fields only unless
	// identifiers were asked for).
	Metadata map[string]any `json:"metadata"`
	Nucleus  string         `json:"nucleus"`
	// Points is the length of one FID.
	Points   int    `json:"points"`
	Sequence string `json:"sequence"`
	// Sources says where the values the file's header lacks came from
	// (Acquisition.Sources); absent when the header gave every value.
	Sources map[string]string `json:"sources,omitempty"`
	// SpectralWidthHz is the bandwidth in Hz, SpectrometerFrequencyMHz
	// the frequency in MHz.
	SpectralWidthHz          float64 `json:"spectral_width_hz"`
	SpectrometerFrequencyMHz float64 `json:"spectrometer_frequency_mhz"`
	// TEms, TMms and TRms are the echo, mixing and repetition times in ms
	// (0: not given).
	TEms   float64 `json:"te_ms"`
	TMms   float64 `json:"tm_ms"`
	TRms   float64 `json:"tr_ms"`
	Vendor string  `json:"vendor"`
	// VoxelCentreMM is the voxel centre in mm in VoxelFrame; VoxelMM its
	// edge lengths in mm.
	VoxelCentreMM [3]float64 `json:"voxel_centre_mm"`
	VoxelFrame    string     `json:"voxel_frame"`
	VoxelMM       [3]float64 `json:"voxel_mm"`
	// WaterReference says where the water reference was found ("": none)
	// and WaterFIDs how many FIDs it has.
	WaterReference string `json:"water_reference"`
	WaterFIDs      int    `json:"-"`
	voxel          mrs.Voxel
}

// Describe returns the Info of the dataset ds read from path, with
// identifying metadata fields (mrs.Deidentify) only when identifiers.
func Describe(path string, ds *Dataset, identifiers bool) Info {
	d := ds.Data
	meta, hidden := d.Meta, 0
	if !identifiers {
		var dropped []string
		meta, dropped = mrs.Deidentify(d.Meta)
		hidden = len(dropped)
	}
	a := ds.Acquisition()
	i := Info{Dims: d.Dims, DwellS: a.DwellS, FIDs: a.FIDs, FieldStrengthT: a.FieldStrengthT, File: filepath.Base(path),
		Format: ds.Format, IdentifyingFieldsHidden: hidden, Metadata: meta, Nucleus: a.Nucleus, Points: a.Points,
		Sequence: a.Sequence, Sources: a.Sources, SpectralWidthHz: d.Bandwidth(), SpectrometerFrequencyMHz: a.SpectrometerFrequencyMHz,
		TEms: a.TEms, TMms: a.TMms, TRms: a.TRms, Vendor: a.Vendor,
		VoxelCentreMM: a.VoxelCentreMM, VoxelFrame: a.VoxelFrame, VoxelMM: a.VoxelSizeMM, WaterReference: ds.WaterFrom, voxel: d.Voxel}
	if ds.Water != nil {
		i.WaterFIDs = len(ds.Water.FIDs)
	}
	return i
}

// WriteText writes the Info as aligned text lines, metadata in sorted key
// order (values cut at 70 characters); hidden fields are counted, naming
// flag as what shows them.
func (i *Info) WriteText(w io.Writer, flag string) error {
	dims := []string{fmt.Sprintf("%d points", i.Points)}
	for _, dm := range i.Dims {
		dims = append(dims, fmt.Sprintf("%s %d", dm.Tag, dm.Size))
	}
	unknownIfZero := func(v float64) string {
		if v == 0 {
			v = math.NaN() // written n/a
		}
		return tsv.Num(v)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "file        %s (%s)\n", i.File, i.Format)
	fmt.Fprintf(&b, "data        %s; %d FID(s)\n", strings.Join(dims, " × "), i.FIDs)
	fmt.Fprintf(&b, "frequency   %.6f MHz (%s), dwell %.6g s (spectral width %.1f Hz)\n", i.SpectrometerFrequencyMHz, i.Nucleus, i.DwellS, i.SpectralWidthHz)
	fmt.Fprintf(&b, "timing      TE %s ms, TR %s ms\n", unknownIfZero(i.TEms), unknownIfZero(i.TRms))
	if len(i.Sources) > 0 {
		keys := make([]string, 0, len(i.Sources))
		for k := range i.Sources {
			keys = append(keys, k+" ("+i.Sources[k]+")")
		}
		sort.Strings(keys)
		fmt.Fprintf(&b, "sources     not in the file: %s\n", strings.Join(keys, ", "))
	}
	if i.Vendor != "" || i.Sequence != "" {
		fmt.Fprintf(&b, "scanner     %s\n", strings.TrimSpace(i.Vendor+" "+i.Sequence))
	}
	if v := i.voxel; v.Volume() > 0 {
		fmt.Fprintf(&b, "voxel       %g × %g × %g mm (%.2f mL) at %v %s\n", v.Size[0], v.Size[1], v.Size[2], v.Volume(), v.Centre, v.Frame)
	}
	if i.WaterReference != "" {
		fmt.Fprintf(&b, "water ref.  %s (%d FID(s))\n", i.WaterReference, i.WaterFIDs)
	}
	keys := make([]string, 0, len(i.Metadata))
	for k := range i.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(&b, "metadata    %d fields", len(keys))
	if i.IdentifyingFieldsHidden > 0 {
		fmt.Fprintf(&b, " (%d identifying or unknown fields hidden; %s shows them)", i.IdentifyingFieldsHidden, flag)
	}
	b.WriteString("\n")
	for _, k := range keys {
		v := fmt.Sprint(i.Metadata[k])
		if len(v) > 70 {
			v = v[:67] + "..."
		}
		fmt.Fprintf(&b, "  %-28s %s\n", k, v)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
