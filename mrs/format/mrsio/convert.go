package mrsio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/internal/samefile"
	"glusleep/mrs"
	"glusleep/mrs/format/jmrui"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/nifti"
)

// ErrOutputFormat reports an output file name whose extension names no
// format Write writes.
var ErrOutputFormat = errors.New("mrsio: unknown output format")

// Provenance says how written data were made: Converter names the
// program and version ("glusleep 0.1.0"), written as ConversionMethod;
// Original the input file, written (base name) as OriginalFile. KeepPHI
// keeps the identifying metadata fields, which mrs.Deidentify drops
// otherwise.
type Provenance struct {
	Converter, Original string
	KeepPHI             bool
}

// ForOutput returns a shallow copy of d whose metadata are ready to write
// as p says; with dimsChanged (the data were combined or averaged) the
// dim_N tags are left out (the writer sets them from d.Dims).
func ForOutput(d *mrs.Data, p Provenance, dimsChanged bool) *mrs.Data {
	c := *d
	c.Meta = map[string]any{}
	for k, v := range d.Meta {
		if dimsChanged && strings.HasPrefix(k, "dim_") {
			continue
		}
		c.Meta[k] = v
	}
	if !p.KeepPHI {
		c.Meta, _ = mrs.Deidentify(c.Meta)
	}
	c.Meta["ConversionMethod"] = p.Converter
	c.Meta["OriginalFile"] = []any{filepath.Base(p.Original)}
	return &c
}

// outputKind returns the format of an output path by its extension (any
// case): "nifti" (.nii, .nii.gz), "lcmodel" (.RAW, .H2O) or "jmrui"
// (.txt), else an error wrapping ErrOutputFormat.
func outputKind(path string) (string, error) {
	lo := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lo, ".nii"), strings.HasSuffix(lo, ".nii.gz"):
		return "nifti", nil
	case strings.HasSuffix(lo, ".raw"), strings.HasSuffix(lo, ".h2o"):
		return "lcmodel", nil
	case strings.HasSuffix(lo, ".txt"):
		return "jmrui", nil
	}
	return "", fmt.Errorf("%w: %s: output must end in .nii.gz, .nii, .RAW or .txt", ErrOutputFormat, path)
}

// Write writes d to path in the format its extension names: NIfTI-MRS
// (.nii, .nii.gz), LCModel (.RAW, .H2O; several FIDs are averaged) or
// jMRUI text (.txt); each is written atomically.
func Write(path string, d *mrs.Data) error {
	kind, err := outputKind(path)
	if err != nil {
		return err
	}
	switch kind {
	case "nifti":
		return nifti.WriteData(path, d)
	case "jmrui":
		return jmrui.WriteFile(path, d)
	}
	if len(d.FIDs) > 1 {
		d = &mrs.Data{Params: d.Params, FIDs: [][]complex128{mrs.Average(d.FIDs)}}
	}
	return atomicfile.Write(path, 0o644, func(w io.Writer) error {
		return lcmodel.Write(w, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), d.Params, d.FIDs[0])
	})
}

// WaterPath returns where the water reference of a spectrum written to
// out goes: <stem>_mrsref.nii[.gz] (a _svs suffix dropped) for NIfTI-MRS
// and .H2O beside a .RAW, where Read finds them; <stem>_ref.txt beside
// jMRUI text; "" for other names.
func WaterPath(out string) string {
	lo := strings.ToLower(out)
	switch {
	case strings.HasSuffix(lo, ".nii.gz"), strings.HasSuffix(lo, ".nii"):
		ext := ".nii.gz"
		if !strings.HasSuffix(lo, ".gz") {
			ext = ".nii"
		}
		return strings.TrimSuffix(out[:len(out)-len(ext)], "_svs") + "_mrsref" + ext
	case strings.HasSuffix(lo, ".raw"):
		return out[:len(out)-4] + ".H2O"
	case strings.HasSuffix(lo, ".txt"):
		return out[:len(out)-4] + "_ref.txt"
	}
	return ""
}

// Converted is what Convert read and wrote.
type Converted struct {
	// Dataset is the input as read.
	*Dataset
	// Out is the spectrum's output; WaterOut the water reference's ("":
	// the input has none).
	Out, WaterOut string
}

// ErrWaterDropped reports a conversion whose output name has no place for
// the input's water reference (WaterPath gives none): an LCModel .H2O is
// itself the water file of a .RAW beside it.
var ErrWaterDropped = errors.New("mrsio: the output has no place for the water reference")

// WaterFile returns the path of the file ds's water reference was read
// from, ds having been read from in: the file named WaterFrom beside in,
// or in itself when the reference is inside it ("same file…"); "" without
// a water reference.
func (ds *Dataset) WaterFile(in string) string {
	switch {
	case ds.Water == nil || ds.WaterFrom == "":
		return ""
	case strings.HasPrefix(ds.WaterFrom, "same file"):
		return in
	}
	return filepath.Join(filepath.Dir(in), ds.WaterFrom)
}

// Convert reads the MRS file in (any format Read reads, with opt) and
// writes it to out (Write; its folder made) and its water reference, if
// any, to WaterPath(out), their metadata prepared by ForOutput with p
// (the water reference's OriginalFile naming the file it was read from,
// Dataset.WaterFile). It refuses, before writing, an output that would
// replace an input, and an output named .H2O when the input has a water
// reference (ErrWaterDropped): LCModel's convention is the spectrum in
// a .RAW and its water reference in the .H2O beside it, so such a
// spectrum is written to a .RAW. A spectrum without a water reference
// (e.g. a water file) may be written to a .H2O.
func Convert(in, out string, opt Options, p Provenance) (*Converted, error) {
	if _, err := outputKind(out); err != nil {
		return nil, err
	}
	ds, err := Read(in, opt)
	if err != nil {
		return nil, err
	}
	c := &Converted{Dataset: ds, Out: out}
	if ds.Water != nil {
		if c.WaterOut = WaterPath(out); c.WaterOut == "" {
			return nil, fmt.Errorf("%w: %s: an LCModel .H2O is the water file of the .RAW beside it, and %s has a water reference (%s); write to %s (its water reference goes to the .H2O)",
				ErrWaterDropped, out, in, ds.WaterFrom, strings.TrimSuffix(out, filepath.Ext(out))+".RAW")
		}
	}
	if err := checkOverwrite(in, ds.WaterFile(in), c.Out, c.WaterOut); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return nil, err
	}
	if err := Write(out, ForOutput(ds.Data, p, false)); err != nil {
		return nil, err
	}
	if c.WaterOut != "" {
		wp := p
		wp.Original = ds.WaterFile(in)
		if err := Write(c.WaterOut, ForOutput(ds.Water, wp, false)); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// checkOverwrite refuses a conversion whose outputs (out, and refOut when
// not "") would replace one of its inputs: the spectrum in or its water
// reference's file (waterFile, Dataset.WaterFile; "" without one). Paths
// are compared as files (os.SameFile: links, "./x" and "x") when they
// exist, else by their absolute names.
func checkOverwrite(in, waterFile, out, refOut string) error {
	inputs := []string{in}
	if waterFile != "" && waterFile != in {
		inputs = append(inputs, waterFile)
	}
	for _, o := range []string{out, refOut} {
		for _, i := range inputs {
			if o != "" && samefile.Is(o, i) {
				return fmt.Errorf("%s: the output would overwrite the input %s; choose another output name", o, i)
			}
		}
	}
	return nil
}
