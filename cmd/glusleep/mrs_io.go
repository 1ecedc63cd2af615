package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/internal/cli"
	"glusleep/internal/tsv"
	"glusleep/mrs"
	"glusleep/mrs/format/jmrui"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
)

func init() {
	register(&command{path: "mrs info", usage: "mrs info FILE [--json] [--keep-phi] [--dwell S --spectrometer-frequency MHZ --te MS]",
		summary: "an MRS file's format, dimensions and acquisition parameters (identifying fields hidden unless --keep-phi)", run: runMRSInfo})
	register(&command{path: "mrs convert", usage: "mrs convert IN OUT.nii.gz|OUT.nii|OUT.RAW|OUT.txt [--keep-phi] [--dwell S --spectrometer-frequency MHZ --te MS]",
		summary: "convert an MRS file (any format read) to NIfTI-MRS, LCModel .RAW or jMRUI text; the water reference goes beside it", run: runMRSConvert})
}

// forOutput returns a shallow copy of d whose metadata are ready to write:
// identifying fields dropped unless keepPHI, glusleep named as the
// converter, in named as the original file, and with dimsChanged the
// dim_N tags left out (the writer sets them from d.Dims).
func forOutput(d *mrs.Data, in string, keepPHI, dimsChanged bool) *mrs.Data {
	c := *d
	c.Meta = map[string]any{}
	for k, v := range d.Meta {
		if dimsChanged && strings.HasPrefix(k, "dim_") {
			continue
		}
		c.Meta[k] = v
	}
	if !keepPHI {
		c.Meta, _ = mrs.Deidentify(c.Meta)
	}
	c.Meta["ConversionMethod"] = "glusleep " + version
	c.Meta["OriginalFile"] = []any{filepath.Base(in)}
	return &c
}

func runMRSInfo(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs info")
	rd := addMRSReadFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	phi := fs.Bool("keep-phi", false, "also print identifying fields (everything but the acquisition fields: names, IDs, dates, institution, serial numbers, free text)")
	cli.Alias(fs, "phi", "keep-phi")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if err := checkMRSRanges(fs); err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: need one FILE", errUsage)
	}
	ds, err := mrsio.Read(pos[0], rd.options())
	if err != nil {
		return err
	}
	d := ds.Data
	meta, hidden := d.Meta, 0
	if !*phi {
		var dropped []string
		meta, dropped = mrs.Deidentify(d.Meta)
		hidden = len(dropped)
	}
	dims := []string{fmt.Sprintf("%d points", d.Points())}
	for _, dm := range d.Dims {
		dims = append(dims, fmt.Sprintf("%s %d", dm.Tag, dm.Size))
	}
	if *asJSON {
		out := map[string]any{"file": filepath.Base(pos[0]), "format": ds.Format, "points": d.Points(), "dims": d.Dims, "fids": len(d.FIDs),
			"spectrometer_frequency_mhz": d.SpectrometerFrequency, "dwell_s": d.Dwell, "spectral_width_hz": d.Bandwidth(),
			"nucleus": d.Nucleus, "te_ms": 1000 * d.EchoTime, "tr_ms": 1000 * d.RepetitionTime, "tm_ms": 1000 * d.MixingTime,
			"vendor": d.Vendor, "sequence": d.Sequence, "field_strength_t": d.FieldStrength, "voxel_mm": d.Voxel.Size,
			"voxel_centre_mm": d.Voxel.Centre, "voxel_frame": d.Voxel.Frame, "water_reference": ds.WaterFrom,
			"metadata": meta, "identifying_fields_hidden": hidden}
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(env.stdout, "%s\n", b)
		return err
	}
	w := env.stdout
	fmt.Fprintf(w, "file        %s (%s)\n", filepath.Base(pos[0]), ds.Format)
	fmt.Fprintf(w, "data        %s; %d FID(s)\n", strings.Join(dims, " × "), len(d.FIDs))
	fmt.Fprintf(w, "frequency   %.6f MHz (%s), dwell %.6g s (spectral width %.1f Hz)\n", d.SpectrometerFrequency, d.Nucleus, d.Dwell, d.Bandwidth())
	fmt.Fprintf(w, "timing      TE %s ms, TR %s ms\n", tsv.Num(unknownIfZero(1000*d.EchoTime)), tsv.Num(unknownIfZero(1000*d.RepetitionTime)))
	if d.Vendor != "" || d.Sequence != "" {
		fmt.Fprintf(w, "scanner     %s %s\n", d.Vendor, d.Sequence)
	}
	if d.Voxel.Volume() > 0 {
		fmt.Fprintf(w, "voxel       %g × %g × %g mm (%.2f mL) at %v %s\n", d.Voxel.Size[0], d.Voxel.Size[1], d.Voxel.Size[2], d.Voxel.Volume(), d.Voxel.Centre, d.Voxel.Frame)
	}
	if ds.WaterFrom != "" {
		fmt.Fprintf(w, "water ref.  %s (%d FID(s))\n", ds.WaterFrom, len(ds.Water.FIDs))
	}
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "metadata    %d fields", len(keys))
	if hidden > 0 {
		fmt.Fprintf(w, " (%d identifying or unknown fields hidden; --keep-phi shows them)", hidden)
	}
	fmt.Fprintln(w)
	for _, k := range keys {
		v := fmt.Sprint(meta[k])
		if len(v) > 70 {
			v = v[:67] + "..."
		}
		fmt.Fprintf(w, "  %-28s %s\n", k, v)
	}
	return nil
}

// unknownIfZero returns v, or NaN (written "n/a" by tsv.Num) for 0, which
// mrs.Params uses for a value the file does not give.
func unknownIfZero(v float64) float64 {
	if v == 0 {
		return math.NaN()
	}
	return v
}

func runMRSConvert(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs convert")
	rd := addMRSReadFlags(fs)
	keep := fs.Bool("keep-phi", false, "keep identifying fields (everything but the acquisition fields) in the output")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if err := checkMRSRanges(fs); err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("%w: need IN and OUT", errUsage)
	}
	in, out := pos[0], pos[1]
	ds, err := mrsio.Read(in, rd.options())
	if err != nil {
		return err
	}
	prep := func(d *mrs.Data) *mrs.Data { return forOutput(d, in, *keep, false) }
	lo := strings.ToLower(out)
	var refOut string
	write := func(path string, d *mrs.Data) error {
		switch {
		case strings.HasSuffix(lo, ".nii") || strings.HasSuffix(lo, ".nii.gz"):
			return nifti.WriteData(path, d)
		case strings.HasSuffix(lo, ".raw") || strings.HasSuffix(lo, ".h2o"):
			if len(d.FIDs) > 1 {
				d = &mrs.Data{Params: d.Params, FIDs: [][]complex128{mrs.Average(d.FIDs)}}
			}
			return atomicfile.Write(path, 0o644, func(w io.Writer) error {
				return lcmodel.Write(w, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), d.Params, d.FIDs[0])
			})
		case strings.HasSuffix(lo, ".txt"):
			return jmrui.WriteFile(path, d)
		}
		return fmt.Errorf("%w: %s: output must end in .nii.gz, .nii, .RAW or .txt", errUsage, out)
	}
	switch {
	case strings.HasSuffix(lo, ".nii.gz"), strings.HasSuffix(lo, ".nii"):
		ext := ".nii.gz"
		if !strings.HasSuffix(lo, ".gz") {
			ext = ".nii"
		}
		stemOut := strings.TrimSuffix(out[:len(out)-len(ext)], "_svs")
		refOut = stemOut + "_mrsref" + ext
	case strings.HasSuffix(lo, ".raw"):
		refOut = out[:len(out)-4] + ".H2O"
	case strings.HasSuffix(lo, ".txt"):
		refOut = out[:len(out)-4] + "_ref.txt"
	}
	if err := convertOverwritesInput(in, ds.WaterFrom, out, refOut, ds.Water != nil); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := write(out, prep(ds.Data)); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s → %s (%s, %d FID(s) of %d points)\n", filepath.Base(in), out, ds.Format, len(ds.Data.FIDs), ds.Data.Points())
	if ds.Water != nil && refOut != "" {
		if err := write(refOut, prep(ds.Water)); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "water reference (%s) → %s\n", ds.WaterFrom, refOut)
	}
	return nil
}
