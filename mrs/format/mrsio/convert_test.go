package mrsio

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs/format/nifti"
)

// writeWithWater writes corpusData with identifying metadata as
// dir/sub-01_svs.nii.gz and a water reference beside it.
func writeWithWater(t *testing.T, dir string) string {
	t.Helper()
	d := corpusData()
	d.Meta = map[string]any{"PatientName": "Doe^Jane", "EchoTime": 0.03}
	in := filepath.Join(dir, "sub-01_svs.nii.gz")
	if err := nifti.WriteData(in, d); err != nil {
		t.Fatal(err)
	}
	if err := nifti.WriteData(filepath.Join(dir, "sub-01_mrsref.nii.gz"), corpusData()); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestWaterPath(t *testing.T) {
	for out, want := range map[string]string{
		"d/sub-01_svs.nii.gz": "d/sub-01_mrsref.nii.gz", "x.nii": "x_mrsref.nii", "a.RAW": "a.H2O", "a.raw": "a.H2O",
		"s.txt": "s_ref.txt", "w.H2O": "", "x.csv": "",
	} {
		if got := WaterPath(out); got != want {
			t.Errorf("WaterPath(%q) = %q, want %q", out, got, want)
		}
	}
}

// Convert writes every format that Read reads back with the same samples
// and parameters, the water reference where Read finds it, identifiers
// dropped unless kept; it refuses an unknown format and an output that is
// an input.
func TestConvert(t *testing.T) {
	dir := t.TempDir()
	in := writeWithWater(t, dir)
	p := Provenance{Converter: "glusleep test"}
	for _, name := range []string{"o/x_svs.nii.gz", "o/x.RAW", "o/x.txt"} {
		out := filepath.Join(dir, name)
		c, err := Convert(in, out, Options{}, p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.WaterOut != WaterPath(out) || c.Format != "nifti" {
			t.Errorf("%s: water to %q", name, c.WaterOut)
		}
		back, err := Read(out, Options{Dwell: 0.00025, SpectrometerFrequency: 123.2})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := os.Stat(c.WaterOut); err != nil || back.Data.Points() != 64 {
			t.Errorf("%s: water %v, %d points", name, err, back.Data.Points())
		}
		if !strings.HasSuffix(name, ".txt") && (back.Water == nil || back.Data.EchoTime != 0.03) { // jMRUI text keeps neither
			t.Errorf("%s: water found %v, TE %g s", name, back.Water != nil, back.Data.EchoTime)
		}
		if got, want := back.Data.FIDs[0][10], corpusData().FIDs[0][10]; cmplxDiff(got, want) > 1e-3 {
			t.Errorf("%s: sample 10 %v, want %v", name, got, want)
		}
	}
	got, err := nifti.ReadData(filepath.Join(dir, "o/x_svs.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Meta["PatientName"]; ok || got.Meta["ConversionMethod"] != "glusleep test" {
		t.Errorf("metadata %v", got.Meta)
	}
	p.KeepPHI = true
	if _, err := Convert(in, filepath.Join(dir, "k.nii.gz"), Options{}, p); err != nil {
		t.Fatal(err)
	}
	if kept, _ := nifti.ReadData(filepath.Join(dir, "k.nii.gz")); kept == nil || kept.Meta["PatientName"] != "Doe^Jane" {
		t.Errorf("--keep-phi: %v", kept)
	}
	if _, err := Convert(in, filepath.Join(dir, "x.csv"), Options{}, p); !errors.Is(err, ErrOutputFormat) {
		t.Errorf("csv: %v", err)
	}
	before, _ := os.ReadFile(in)
	for _, out := range []string{in, filepath.Join(dir, ".", "sub-01_svs.nii.gz"), filepath.Join(dir, "sub-01.nii.gz")} {
		if _, err := Convert(in, out, Options{}, p); err == nil || !strings.Contains(err.Error(), "would overwrite the input") {
			t.Errorf("%s: %v", out, err)
		}
	}
	if after, _ := os.ReadFile(in); !bytes.Equal(before, after) {
		t.Error("the input was changed")
	}
}

// A converted water reference names its own file as OriginalFile, not
// the spectrum's; a spectrum with a water reference is not written to a
// .H2O (LCModel's water file), where its reference would be lost, but one
// without is.
func TestConvertWater(t *testing.T) {
	dir := t.TempDir()
	in := writeWithWater(t, dir)
	p := Provenance{Converter: "glusleep test", Original: in}
	c, err := Convert(in, filepath.Join(dir, "o", "x_svs.nii.gz"), Options{}, p)
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{c.Out: "sub-01_svs.nii.gz", c.WaterOut: "sub-01_mrsref.nii.gz"} {
		d, err := nifti.ReadData(file)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := d.Meta["OriginalFile"].([]any); !ok || len(got) != 1 || got[0] != want {
			t.Errorf("%s: OriginalFile %v, want [%s]", filepath.Base(file), d.Meta["OriginalFile"], want)
		}
	}
	h2o := filepath.Join(dir, "o", "y.H2O")
	if _, err := Convert(in, h2o, Options{}, p); !errors.Is(err, ErrWaterDropped) || !strings.Contains(err.Error(), "y.RAW") {
		t.Errorf("spectrum with water to .H2O: %v", err)
	}
	if _, err := os.Stat(h2o); !os.IsNotExist(err) {
		t.Errorf(".H2O written despite the error: %v", err)
	}
	c, err = Convert(filepath.Join(dir, "sub-01_mrsref.nii.gz"), h2o, Options{}, p)
	if err != nil || c.WaterOut != "" {
		t.Errorf("water file to .H2O: %v, water to %q", err, c.WaterOut)
	}
}

func cmplxDiff(a, b complex128) float64 {
	d := a - b
	return real(d)*real(d) + imag(d)*imag(d)
}

// Describe hides identifying fields unless asked for, in text and JSON
// (keys in sorted order, times in ms).
func TestDescribe(t *testing.T) {
	dir := t.TempDir()
	in := writeWithWater(t, dir)
	ds, err := Read(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	info := Describe(in, ds, false)
	var text bytes.Buffer
	if err := info.WriteText(&text, "--keep-phi"); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(info)
	for _, s := range []string{text.String(), string(b)} {
		if strings.Contains(s, "Doe^Jane") {
			t.Errorf("identifier printed:\n%s", s)
		}
	}
	if !strings.Contains(text.String(), "TE 30 ms, TR 2000 ms") || !strings.Contains(text.String(), "--keep-phi shows them") ||
		!strings.Contains(text.String(), "water ref.  sub-01_mrsref.nii.gz (1 FID(s))") {
		t.Errorf("text:\n%s", text.String())
	}
	var keys []string
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	for i := 1; i < len(keys); i++ {
		if keys[i-1] >= keys[i] {
			t.Errorf("JSON keys out of order: %v", keys)
		}
	}
	if all := Describe(in, ds, true); all.Metadata["PatientName"] != "Doe^Jane" || all.IdentifyingFieldsHidden != 0 {
		t.Errorf("identifiers asked for: %+v", all.Metadata)
	}
}
