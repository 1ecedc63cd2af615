package mrsio

import (
	"encoding/json"
	"maps"

	"glusleep/mrs"
	"glusleep/mrs/format/gepfile"
)

// Where a value of Acquisition came from when not from the file's own
// header (Acquisition.Sources).
const (
	// SourceFlag is a value the user gave (Options).
	SourceFlag = "flag"
	// SourceBasis is a value taken from the basis set, for a file that
	// lacks it (Options.Sources).
	SourceBasis = "basis"
	// SourceSidecar is a value from the JSON file beside an LCModel file
	// (<stem>.json).
	SourceSidecar = "sidecar"
	// SourceAssumed is a value the reader assumes, the file not stating
	// it (LCModel and jMRUI files, a SPAR without nucleus: 1H; GE
	// P-files: 1H, PRESS when the header names no known sequence, and a
	// STEAM file's mixing time).
	SourceAssumed = "assumed"
	// SourceDerived is a value computed from another header value (a GE
	// P-file's field strength, from its frequency).
	SourceDerived = "derived"
	// SourceHeader is a value the file's header states: Sources leaves
	// such values out; Replaced names it for a header value replaced.
	SourceHeader = "header"
)

// Replaced is a value of the file that a value the user gave replaced
// (Dataset.Replaced, Acquisition.Replaced).
type Replaced struct {
	// Value is the file's value in the unit of its key (tm_ms: ms); 0
	// when the file had none.
	Value float64 `json:"value"`
	// Source says where it came from: SourceHeader, or the reader's
	// source for it (SourceAssumed: the file does not state it).
	Source string `json:"source"`
}

// readerSources returns the values the reader of format sets in d
// without the file stating them (SourceAssumed, SourceDerived), keyed as
// Acquisition's JSON keys; nil when none.
func readerSources(format string, d *mrs.Data) map[string]string {
	switch format {
	case "ge":
		// gepfile assumes 1H and rounds the field strength from the
		// frequency (the sequence and mixing time: geSources).
		return map[string]string{"nucleus": SourceAssumed, "field_strength_t": SourceDerived}
	case "jmrui", "lcmodel":
		return map[string]string{"nucleus": SourceAssumed}
	case "philips":
		if v, _ := d.Meta["nucleus"].(string); v == "" {
			return map[string]string{"nucleus": SourceAssumed}
		}
	}
	return nil
}

// geSources returns the values gepfile assumed for f (nil when none): the
// sequence when the header's pulse-sequence name is not one it knows, a
// STEAM file's mixing time.
func geSources(f *gepfile.File) map[string]string {
	var s map[string]string
	set := func(assumed bool, key string) {
		if assumed {
			if s == nil {
				s = map[string]string{}
			}
			s[key] = SourceAssumed
		}
	}
	set(f.SequenceAssumed, "sequence")
	set(f.MixingTimeAssumed, "tm_ms")
	return s
}

// Acquisition is what a spectrum's file says of its acquisition, in the
// field's units: the facts a methods section and the MRSinMRS checklist
// report. It is glusleep's one mapping of mrs.Params to those units,
// printed by mrs info (Info) and written in mrs/analysis's _qc.json. Zero
// values are unknown.
type Acquisition struct {
	// FieldStrengthT is B0 in tesla; SpectrometerFrequencyMHz the
	// transmitter frequency in MHz; Nucleus the nucleus (e.g. "1H").
	FieldStrengthT           float64 `json:"field_strength_t"`
	SpectrometerFrequencyMHz float64 `json:"spectrometer_frequency_mhz"`
	Nucleus                  string  `json:"nucleus"`
	// Sequence names the localisation (e.g. "PRESS"), Vendor the
	// scanner's manufacturer.
	Sequence string `json:"sequence"`
	Vendor   string `json:"vendor"`
	// TEms, TRms and TMms are the echo, repetition and (STEAM) mixing
	// times in ms.
	TEms float64 `json:"te_ms"`
	TRms float64 `json:"tr_ms"`
	TMms float64 `json:"tm_ms"`
	// DwellS is the sampling interval in s; Points the samples per FID.
	DwellS float64 `json:"dwell_s"`
	Points int     `json:"points"`
	// FIDs is the number of FIDs stored, Coils and Transients the sizes
	// of the coil and dynamic dimensions (1 when absent).
	FIDs       int `json:"fids"`
	Coils      int `json:"coils"`
	Transients int `json:"transients"`
	// VoxelSizeMM are the voxel's edges in mm, VoxelCentreMM its centre
	// in mm in the frame VoxelFrame ("RAS", "LPS").
	VoxelSizeMM   [3]float64 `json:"voxel_size_mm"`
	VoxelCentreMM [3]float64 `json:"voxel_centre_mm"`
	VoxelFrame    string     `json:"voxel_frame"`
	// Sources says where each value that the file's header does not
	// state came from, keyed by the value's JSON key (e.g. "te_ms":
	// SourceFlag): SourceFlag, SourceBasis, SourceSidecar, SourceAssumed
	// or SourceDerived. A value not listed is the header's; absent when
	// every value is.
	Sources map[string]string `json:"sources,omitempty"`
	// Replaced holds, keyed as Sources, the file's values that a value
	// the user gave replaced (a STEAM mixing time given as --tm: tm_ms
	// in Sources is then SourceFlag): what the header said, or what its
	// reader assumed; absent when none was replaced.
	Replaced map[string]Replaced `json:"replaced,omitempty"`
	// Header holds the header fields of mrs.ChecklistFields that the file
	// gives (NIfTI-MRS/BIDS names and units), nothing else: a header may
	// hold identifying fields.
	Header map[string]any `json:"header"`
}

// Acquisition returns the acquisition facts of the spectrum ds.Data as
// read, with the sources of the values its header lacked.
func (ds *Dataset) Acquisition() Acquisition {
	d := ds.Data
	p := d.Params
	a := Acquisition{FieldStrengthT: p.FieldStrength, SpectrometerFrequencyMHz: p.SpectrometerFrequency,
		Nucleus: p.Nucleus, Sequence: p.Sequence, Vendor: p.Vendor,
		TEms: p.EchoTime * 1000, TRms: p.RepetitionTime * 1000, TMms: p.MixingTime * 1000,
		DwellS: p.Dwell, Points: d.Points(), FIDs: len(d.FIDs), Coils: 1, Transients: 1,
		VoxelSizeMM: p.Voxel.Size, VoxelCentreMM: p.Voxel.Centre, VoxelFrame: p.Voxel.Frame,
		Header: map[string]any{}}
	if len(ds.Sources) > 0 {
		a.Sources = maps.Clone(ds.Sources)
	}
	if len(ds.Replaced) > 0 {
		a.Replaced = maps.Clone(ds.Replaced)
	}
	for _, dm := range d.Dims {
		switch dm.Tag {
		case mrs.DimCoil:
			a.Coils = dm.Size
		case mrs.DimDyn:
			a.Transients = dm.Size
		}
	}
	for _, k := range mrs.ChecklistFields() {
		// As JSON gives it back (numbers float64); a value JSON cannot
		// hold (NaN) is left out.
		if b, err := json.Marshal(d.Meta[k]); err == nil && d.Meta[k] != nil {
			var v any
			if json.Unmarshal(b, &v) == nil {
				a.Header[k] = v
			}
		}
	}
	return a
}
