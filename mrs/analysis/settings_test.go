package analysis_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/preproc"
	"glusleep/mrs/tissue"
	"glusleep/synth"
)

func TestParseFractions(t *testing.T) {
	for _, c := range []struct {
		in       string
		want     [3]float64
		settings bool
		msg      string
	}{
		{"0.6,0.4,0", [3]float64{0.6, 0.4, 0}, false, ""},
		{" 0.5 , 0.3 , 0.2 ", [3]float64{0.5, 0.3, 0.2}, false, ""},
		{"0.6,0.4", [3]float64{}, true, "three numbers GM,WM,CSF"},
		{"0.6,x,0", [3]float64{}, true, `"x" is not a number`},
		{"0.5,0.4,0.3", [3]float64{}, true, "sum to 1.2"},
		{"60,40,0", [3]float64{}, true, "want 0 to 1"},
	} {
		got, err := analysis.ParseFractions(c.in)
		if c.msg == "" {
			if err != nil || got != c.want {
				t.Errorf("%q: %v, %v", c.in, got, err)
			}
			continue
		}
		if !errors.Is(err, analysis.ErrSettings) || !strings.Contains(err.Error(), c.msg) || strings.Contains(err.Error(), "invalid settings") {
			t.Errorf("%q: %v; want a settings error %q", c.in, err, c.msg)
		}
	}
}

func TestParsePhantomSettings(t *testing.T) {
	if ph, err := analysis.ParsePhantom(false, "", nil); ph != nil || err != nil {
		t.Errorf("not declared: %v, %v", ph, err)
	}
	ph, err := analysis.ParsePhantom(false, "", []string{"1.904:acetate"})
	if err != nil || ph == nil || ph.TemperatureC != 0 || len(ph.Singlets) != 1 || ph.Singlets[0].Name != "acetate" {
		t.Errorf("a singlet declares a phantom: %+v, %v", ph, err)
	}
	if ph, err := analysis.ParsePhantom(true, "37", nil); err != nil || ph.TemperatureC != 37 {
		t.Errorf("37 °C: %+v, %v", ph, err)
	}
	for _, c := range []struct {
		temp, singlet, want string
	}{{"warm", "", `phantom="warm"`}, {"", "11:x", `phantom-singlet "11:x"`}} {
		var s []string
		if c.singlet != "" {
			s = []string{c.singlet}
		}
		if _, err := analysis.ParsePhantom(true, c.temp, s); !errors.Is(err, analysis.ErrSettings) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v: %v", c, err)
		}
	}
}

// A segmentation's type and lookup that cannot apply are settings errors;
// a missing file is not.
func TestSegmentationSource(t *testing.T) {
	dir := t.TempDir()
	fast := writeFAST(t, dir)
	ts, err := analysis.SegmentationSource(fast, "", "")
	if err != nil || ts.Segmentation.Type != tissue.TypeFAST || ts.Name != analysis.DisplayPath(fast) {
		t.Fatalf("FAST: %+v, %v", ts, err)
	}
	for _, c := range []struct {
		path, typ, lookup string
		settings          bool
		want              string
	}{
		{fast, "freesurfer", "", true, "want fast, spm, probseg or labels"},
		{fast, "fast", "lut.tsv", true, "applies to a labelled volume"},
		{fast, "", "lut.tsv", true, "applies to a labelled volume"},
		{filepath.Join(dir, "none_pve_1.nii.gz"), "", "", false, "none_pve_1"},
	} {
		_, err := analysis.SegmentationSource(c.path, c.typ, c.lookup)
		if err == nil || errors.Is(err, analysis.ErrSettings) != c.settings || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v", c, err)
		}
	}
}

// A user's path is written as its base name whatever it holds and
// wherever the command runs: the same segmentation's name from two working
// folders (the one holding it, and another), given absolute or relative,
// is the same.
func TestDisplayPath(t *testing.T) {
	for in, want := range map[string]string{
		"seg/./t1.nii.gz":        "t1.nii.gz",
		"alice/seg/t1.nii.gz":    "t1.nii.gz",
		"/home/alice/study/seg/": "seg",
		"../../home/alice/fast":  "fast",
		"..dir/t1.nii":           "t1.nii",
	} {
		if got := analysis.DisplayPath(in); got != want {
			t.Errorf("DisplayPath(%q) = %q, want %q", in, got, want)
		}
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "alice"), 0o755)
	fast := writeFAST(t, filepath.Join(dir, "alice"))
	other := t.TempDir()
	var names []string
	for _, c := range []struct{ wd, path string }{
		{dir, fast}, {dir, filepath.Join("alice", filepath.Base(fast))}, {other, fast},
	} {
		t.Chdir(c.wd)
		ts, err := analysis.SegmentationSource(c.path, "", "")
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, ts.Name)
	}
	if want := filepath.Base(fast); names[0] != want || names[1] != want || names[2] != want {
		t.Errorf("segmentation names from two working folders %q, want %s each", names, want)
	}
}

// writeTransients writes the synthetic spectrum as 4 transients with
// different noise (dir/sub-01_svs.nii.gz).
func writeTransients(t *testing.T, a *analysis.Analyzer, dir string) string {
	t.Helper()
	set, err := a.Basis(params, 1024)
	if err != nil {
		t.Fatal(err)
	}
	d := &mrs.Data{Params: params, Dims: []mrs.Dim{{Tag: mrs.DimDyn, Size: 4}}}
	for k := range 4 {
		fid, _, err := synth.Spectrum(synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: params.Dwell, Amplitudes: amplitudes,
			LorentzHz: 4, GaussHz: 3, NoiseSD: 1}, rand.New(rand.NewPCG(1, uint64(k))))
		if err != nil {
			t.Fatal(err)
		}
		d.FIDs = append(d.FIDs, fid)
	}
	in := filepath.Join(dir, "sub-01_svs.nii.gz")
	if err := nifti.WriteData(in, d); err != nil {
		t.Fatal(err)
	}
	return in
}

// There is one preprocessing QC: `mrs preproc` (Preprocess) and the
// pipeline preprocessing a spectrum write the same _preproc_qc.json and
// _preproc.svg bytes; Preprocess also writes the NIfTI-MRS marked with
// the steps applied.
func TestOnePreprocQC(t *testing.T) {
	dir := t.TempDir()
	a, err := analysis.New(analysis.Settings{Lipids: true})
	if err != nil {
		t.Fatal(err)
	}
	in := writeTransients(t, a, dir)
	fitDir, preDir := filepath.Join(dir, "fit"), filepath.Join(dir, "pre")
	failed, err := a.RunAll(context.Background(), []string{in}, fitDir, 1, nil)
	if err != nil || failed != 0 {
		t.Fatalf("fit: %d failed, %v", failed, err)
	}
	p, err := analysis.Preprocess(in, preDir, analysis.PreprocSettings{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sub-01_svs_preproc_qc.json", "sub-01_svs_preproc.svg"} {
		x, err1 := os.ReadFile(filepath.Join(fitDir, name))
		y, err2 := os.ReadFile(filepath.Join(preDir, name))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s: the pipeline's and Preprocess's differ (%v, %v)", name, err1, err2)
		}
	}
	out, err := nifti.ReadData(p.SVS)
	if err != nil {
		t.Fatal(err)
	}
	if steps, _ := out.Meta["ProcessingApplied"].(string); steps == "" || len(out.FIDs) != 1 || p.Water != "" || p.QC.Input != "sub-01_svs.nii.gz" {
		t.Errorf("preprocessed output: %d FIDs, steps %q, water %q, input %q", len(out.FIDs), steps, p.Water, p.QC.Input)
	}
}

// A water reference given for every input (Settings.Water, `mrs fit
// --ref`; PreprocSettings.Water, `mrs preproc --ref`) is taken the same
// way by both: the same _preproc_qc.json naming it, and the preprocessed
// reference's OriginalFile names the water file, not the spectrum.
func TestGivenWater(t *testing.T) {
	dir := t.TempDir()
	in := writeTransients(t, lipidsAnalyzer(t), dir)
	w := make([]complex128, 1024)
	for k := range w {
		w[k] = complex(5000*math.Exp(-math.Pi*5*float64(k)*params.Dwell), 0)
	}
	ref := filepath.Join(dir, "ref", "water_te30.nii.gz")
	if err := os.MkdirAll(filepath.Dir(ref), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := nifti.WriteData(ref, &mrs.Data{Params: params, FIDs: [][]complex128{w}}); err != nil {
		t.Fatal(err)
	}
	a, err := analysis.New(analysis.Settings{Lipids: true, Water: ref, Preprocess: preproc.ModeAlways})
	if err != nil {
		t.Fatal(err)
	}
	fitDir, preDir := filepath.Join(dir, "fit"), filepath.Join(dir, "pre")
	if err := os.Mkdir(fitDir, 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := a.Run(in, fitDir, analysis.Stem(in))
	if err != nil {
		t.Fatal(err)
	}
	p, err := analysis.Preprocess(in, preDir, analysis.PreprocSettings{Water: ref, Provenance: mrsio.Provenance{Converter: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.QC.WaterReference != "water_te30.nii.gz" || p.QC.WaterReference != "water_te30.nii.gz" || !r.Concentrations {
		t.Errorf("water reference: fit %q (concentrations %v), preproc %q", r.QC.WaterReference, r.Concentrations, p.QC.WaterReference)
	}
	name := "sub-01_svs_preproc_qc.json"
	x, err1 := os.ReadFile(filepath.Join(fitDir, name))
	y, err2 := os.ReadFile(filepath.Join(preDir, name))
	if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
		t.Errorf("%s: the pipeline's and Preprocess's differ (%v, %v)", name, err1, err2)
	}
	for file, want := range map[string]string{p.SVS: "sub-01_svs.nii.gz", p.Water: "water_te30.nii.gz"} {
		d, err := nifti.ReadData(file)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := d.Meta["OriginalFile"].([]any); len(got) != 1 || got[0] != want {
			t.Errorf("%s: OriginalFile %v, want [%s]", filepath.Base(file), d.Meta["OriginalFile"], want)
		}
	}
}

// Inputs whose outputs would have the same names (same stem from
// different folders, or the same input twice) are refused before any fit,
// naming both.
func TestRunAllDuplicateStems(t *testing.T) {
	a, err := analysis.New(analysis.Settings{Lipids: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		inputs []string
		dup    bool
	}{
		{[]string{"a/x.RAW", "b/x.RAW"}, true},
		{[]string{"a/x.RAW", "c/y.RAW", "a/x.RAW"}, true},
		{[]string{"a/x.nii.gz", "b/X.nii"}, true},
		{[]string{"a/x.RAW", "b/x2.RAW"}, false},
	} {
		err := analysis.CheckStems(c.inputs)
		if got := errors.Is(err, analysis.ErrDuplicateStem); got != c.dup {
			t.Errorf("%v: %v, want duplicate %v", c.inputs, err, c.dup)
		}
		if c.dup && (!strings.Contains(err.Error(), c.inputs[0]) || !strings.Contains(err.Error(), c.inputs[len(c.inputs)-1])) {
			t.Errorf("%v: %v does not name both inputs", c.inputs, err)
		}
	}
	dir := t.TempDir()
	calls := 0
	failed, err := a.RunAll(context.Background(), []string{"a/x.RAW", "b/x.RAW"}, filepath.Join(dir, "out"), 2, func(int, *analysis.Result, error) { calls++ })
	if !errors.Is(err, analysis.ErrDuplicateStem) || failed != 0 || calls != 0 {
		t.Errorf("RunAll with duplicate stems: %d failed, %d done, %v", failed, calls, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("RunAll with duplicate stems made its output folder")
	}
}

// RunAll reports each input as it finishes and counts the failures.
func TestRunAll(t *testing.T) {
	dir := t.TempDir()
	a, err := analysis.New(analysis.Settings{Lipids: true})
	if err != nil {
		t.Fatal(err)
	}
	in, err := writeSpectrum(a, dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	inputs := []string{in, filepath.Join(dir, "none.nii.gz")}
	seen := map[int]error{}
	failed, err := a.RunAll(context.Background(), inputs, filepath.Join(dir, "out"), 2, func(i int, r *analysis.Result, err error) {
		seen[i] = err
		if (err == nil) != (r != nil) {
			t.Errorf("input %d: result %v with error %v", i, r, err)
		}
	})
	if err != nil || failed != 1 || len(seen) != 2 || seen[0] != nil || seen[1] == nil {
		t.Errorf("%d failed, %v; seen %v", failed, err, seen)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "sub-01_svs_fit.tsv")); err != nil {
		t.Error(err)
	}
}

// The assumed values a simulated basis follows: the sequence and a STEAM
// TM the reader assumed, not the nucleus nor values from elsewhere.
func TestAssumedForBasis(t *testing.T) {
	acq := analysis.Acquisition{Sequence: "STEAM", TMms: 12, Sources: map[string]string{"tm_ms": "assumed", "nucleus": "assumed", "te_ms": "flag"}}
	got := analysis.AssumedForBasis(acq)
	if len(got) != 1 || got[0].Key != "tm_ms" || got[0].Text != "TM 12 ms" {
		t.Errorf("assumed %+v, want TM 12 ms alone", got)
	}
	if w := analysis.AssumedBasisWarning("P1.7", "run", got[0]); !strings.Contains(w, "P1.7: the simulated basis uses TM 12 ms, assumed") || !strings.Contains(w, "give run the mixing time with --tm MS (ms)") {
		t.Errorf("warning %q", w)
	}
	// --tm given: the value used, and what it replaced.
	for _, c := range []struct {
		was  mrsio.Replaced
		want string
	}{
		{mrsio.Replaced{Value: 12, Source: "assumed"}, "P1.7: the simulated basis uses TM 20 ms, given with --tm, in place of TM 12 ms, assumed (the header does not state it)"},
		{mrsio.Replaced{Value: 10, Source: "header"}, "P1.7: the simulated basis uses TM 20 ms, given with --tm, in place of the header's TM 10 ms"},
	} {
		given := analysis.Acquisition{Sequence: "STEAM", TMms: 20, Sources: map[string]string{"tm_ms": "flag"}, Replaced: map[string]mrsio.Replaced{"tm_ms": c.was}}
		got := analysis.AssumedForBasis(given)
		if len(got) != 1 || !got[0].Given {
			t.Fatalf("given TM: %+v", got)
		}
		if w := analysis.AssumedBasisWarning("P1.7", "mrs fit", got[0]); w != c.want {
			t.Errorf("given TM: warning %q, want %q", w, c.want)
		}
	}
	acq.Sources = map[string]string{"sequence": "assumed"}
	acq.Sequence = "PRESS"
	if got := analysis.AssumedForBasis(acq); len(got) != 1 || got[0].Text != "sequence PRESS" {
		t.Errorf("assumed %+v, want sequence PRESS", got)
	}
	if got := analysis.AssumedForBasis(analysis.Acquisition{Sequence: "STEAM", TMms: 10}); got != nil {
		t.Errorf("header values: assumed %+v", got)
	}
}
