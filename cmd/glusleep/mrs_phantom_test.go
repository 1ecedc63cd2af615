package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/fit"
)

// tsvValue returns column col of metabolite name's row in a _fit.tsv.
func tsvValue(t *testing.T, path, name, col string) float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	head := strings.Split(lines[0], "\t")
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if f[0] != name {
			continue
		}
		for i, h := range head {
			if h == col {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil {
					return 0
				}
				return v
			}
		}
	}
	t.Fatalf("%s: no %s %s", path, name, col)
	return 0
}

func readQC(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var q map[string]any
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return q
}

func qcFlagNames(q map[string]any) []string {
	var out []string
	fl, _ := q["flags"].([]any)
	for _, f := range fl {
		out = append(out, f.(map[string]any)["name"].(string))
	}
	return out
}

// The twenty GE 1.5 T P-files of a localisation phantom (creatine and
// lactate in the small voxels, acetate outside; mrs/fit TestGEPhantom)
// fitted by `mrs fit --phantom --phantom-singlet 1.904:acetate`: tCr is
// found in at least 18 (LCModel finds no creatine in the two acetate
// voxels P1904 and P1907: Cr+PCr CRLB 101–145 %), the phantom referencing
// is reported on stdout and in _qc.json, and every file with tCr = 0 has
// the tcr_zero flag in _qc.json and a warning line on stderr.
func TestMRSFitGEPhantom(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a basis and fits 20 spectra")
	}
	t.Parallel()
	dir := shareddata.Path(t, "mrs/ge-1.5T-press-te30")
	files, _ := filepath.Glob(filepath.Join(dir, "*.7"))
	if len(files) != 20 {
		t.Fatalf("%d P-files in %s, want 20", len(files), dir)
	}
	out := t.TempDir()
	var so, se bytes.Buffer
	args := append([]string{"mrs", "fit", "--simulate", "--phantom", "--phantom-singlet", "1.904:acetate", "--n-cpus", "2", "--out", out}, files...)
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	found := 0
	for _, f := range files {
		stem := strings.TrimSuffix(filepath.Base(f), ".7")
		tcr := tsvValue(t, filepath.Join(out, stem+"_fit.tsv"), "tCr", "amplitude")
		q := readQC(t, filepath.Join(out, stem+"_qc.json"))
		ref, _ := q["referencing"].(map[string]any)
		if q["phantom"] != true || ref == nil || ref["phantom"] != true || ref["phantom_reason"] != "declared" {
			t.Errorf("%s: phantom %v, referencing %v", stem, q["phantom"], ref)
		}
		if !strings.Contains(so.String(), filepath.Base(f)+": referenced by metabolites") || !strings.Contains(so.String(), "fitted as a phantom") {
			t.Errorf("%s: referencing not reported on stdout", stem)
		}
		if snr, _ := q["snr"].(float64); !(snr > 0) {
			t.Errorf("%s: snr %v", stem, q["snr"])
		}
		flags := qcFlagNames(q)
		hasFlag := len(flags) > 0 && flags[0] == fit.FlagTCrZero
		warned := strings.Contains(se.String(), "warning: "+filepath.Base(f)+": "+fit.FlagTCrZero+": ")
		t.Logf("%s tCr %.4g flags %v", stem, tcr, flags)
		if tcr > 0 {
			found++
			if hasFlag || warned {
				t.Errorf("%s: tCr %g with the %s flag (%v) or warning", stem, tcr, fit.FlagTCrZero, flags)
			}
		} else if !hasFlag || !warned {
			t.Errorf("%s: tCr 0, flags %v, warned %v; want the %s flag and a warning", stem, flags, warned, fit.FlagTCrZero)
		}
	}
	if found < 18 {
		t.Errorf("tCr found in %d of 20, want at least 18", found)
	}
	// Undeclared, a creatine voxel is detected as a phantom; an acetate
	// voxel, where no reference metabolite peak is found, is referenced to
	// water with the referencing_fallback flag and a warning.
	out2 := t.TempDir()
	so.Reset()
	se.Reset()
	small, acetate := filepath.Join(dir, "P1837_1.5T_030_2000.7"), filepath.Join(dir, "P1904_1.5T_030_2000.7")
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "fit", "--simulate", "--out", out2, small, acetate}); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	if q := readQC(t, filepath.Join(out2, "P1837_1.5T_030_2000_qc.json")); q["phantom"] != true {
		t.Errorf("P1837 undeclared: phantom %v, notes %v", q["phantom"], q["notes"])
	}
	q := readQC(t, filepath.Join(out2, "P1904_1.5T_030_2000_qc.json"))
	if fl := qcFlagNames(q); !strings.Contains(strings.Join(fl, " "), fit.FlagReferencing) ||
		!strings.Contains(se.String(), "warning: P1904_1.5T_030_2000.7: "+fit.FlagReferencing) {
		t.Errorf("P1904 undeclared: flags %v, stderr %q", fl, se.String())
	}
}

// Bad --phantom and --phantom-singlet values are refused with exit 2,
// naming the flag, before anything is read.
func TestMRSPhantomFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"mrs", "fit", "--simulate", "--phantom=hot", "--out", "x", "in.RAW"}, "--phantom="},
		{[]string{"mrs", "fit", "--simulate", "--phantom=80", "--out", "x", "in.RAW"}, "°C, 1 to 50"},
		{[]string{"mrs", "fit", "--simulate", "--phantom-singlet", "abc", "--out", "x", "in.RAW"}, "--phantom-singlet"},
		{[]string{"mrs", "preproc", "in.RAW", "--phantom-singlet", "12:x", "--out", "x"}, "--phantom-singlet"},
		{[]string{"run", "bids", "out", "participant", "--phantom=0.5"}, "--phantom="},
	} {
		var so, se bytes.Buffer
		code := runMain(&cmdEnv{stdout: &so, stderr: &se}, c.args)
		if code != 2 || !strings.Contains(se.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, se.String(), c.want)
		}
	}
}

// `mrs basis --names`: an FSL-MRS folder is written with FSL-MRS's names
// by default (PCh.json, Scyllo.json), with glusleep's on request, and an
// LCModel .BASIS refuses glusleep's names.
func TestMRSBasisNames(t *testing.T) {
	base := []string{"mrs", "basis", "--sequence", "press", "--te", "30", "--field", "3", "--dwell", "0.0005", "--points", "256", "--metabolites", "PCho,sIns,Cr"}
	for _, c := range []struct {
		names string
		want  []string
	}{{"", []string{"PCh.json", "Scyllo.json", "Cr.json"}}, {"glusleep", []string{"PCho.json", "sIns.json"}}, {"fsl", []string{"PCh.json", "Scyllo.json"}}, {"lcmodel", []string{"PCh.json"}}} {
		t.Run("names="+c.names, func(t *testing.T) {
			if testing.Short() && (c.names == "fsl" || c.names == "lcmodel") {
				t.Skip("-short simulates the default and glusleep names only")
			}
			t.Parallel()
			out := filepath.Join(t.TempDir(), "fsl")
			args := append(append([]string(nil), base...), "--out", out)
			if c.names != "" {
				args = append(args, "--names", c.names)
			}
			var so, se bytes.Buffer
			if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 0 {
				t.Fatalf("--names %q: exit %d: %s", c.names, code, se.String())
			}
			for _, f := range c.want {
				if _, err := os.Stat(filepath.Join(out, f)); err != nil {
					t.Errorf("--names %q: %v", c.names, err)
				}
			}
		})
	}
	var so, se bytes.Buffer
	args := append(append([]string(nil), base...), "--out", filepath.Join(t.TempDir(), "x.BASIS"), "--names", "glusleep")
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 2 || !strings.Contains(se.String(), "--names glusleep") {
		t.Errorf(".BASIS --names glusleep: exit %d, %q", code, se.String())
	}
	args = append(append([]string(nil), base...), "--out", filepath.Join(t.TempDir(), "y"), "--names", "osprey")
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 2 || !strings.Contains(se.String(), "--names \"osprey\"") {
		t.Errorf("--names osprey: exit %d, %q", code, se.String())
	}
}

// `run … participant --mrs-results DIR`: LCModel's table of Osprey's
// sub-01 (mrs/results/testdata/sub01.table, title "Osprey sub-01 …")
// becomes sub-01's summary with the values the table states (Glu+Gln
// 1.393 /Cr+PCr, 6 %SD; NAA+NAAG 1.355; S/N 40; FWHM 0.046 ppm); a
// changed results folder re-runs the participant; a missing folder is a
// usage error.
func TestRunMRSResults(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "participants.tsv"), []byte("participant_id\tgroup\nsub-01\trls\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "sub-01", "eeg"), 0o755); err != nil {
		t.Fatal(err)
	}
	res := t.TempDir()
	b, err := os.ReadFile("../../mrs/results/testdata/sub01.table")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(res, "thalamus.table"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var so, se bytes.Buffer
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"run", root, out, "participant", "--mrs-results", res}); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	var sum map[string]any
	js, _ := os.ReadFile(filepath.Join(out, "sub-01", "sub-01_summary.json"))
	if err := json.Unmarshal(js, &sum); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]float64{"glx_tcr": 1.393, "glx_crlb_percent": 6, "tnaa_tcr": 1.355, "snr": 40, "fwhm_ppm": 0.046} {
		if sum[k] != v {
			t.Errorf("%s = %v, want %v", k, sum[k], v)
		}
	}
	if sum["mrs_source"] != "LCModel result thalamus.table" {
		t.Errorf("mrs_source %v", sum["mrs_source"])
	}
	if err := os.WriteFile(filepath.Join(res, "thalamus.table"), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	so.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"run", root, out, "participant", "--mrs-results", res}); code != 0 || !strings.Contains(so.String(), "1 done") {
		t.Errorf("changed results: exit %d, %q", code, so.String())
	}
	se.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"run", root, out, "participant", "--mrs-results", filepath.Join(res, "none")}); code != 2 || !strings.Contains(se.String(), "--mrs-results") {
		t.Errorf("missing folder: exit %d, %q", code, se.String())
	}
}

// `mrs preproc --phantom=21 --phantom-singlet 1.904:acetate` on the
// acetate voxel P1904 (no creatine): the referencing uses the declared
// singlet and reports it on stdout and in _preproc_qc.json; referenced to
// acetate, the water peak then lies where room temperature puts it
// (4.65 − 0.01·(21 − 37) = 4.81 ppm, ± 0.03).
func TestMRSPreprocPhantom(t *testing.T) {
	f := filepath.Join(shareddata.Path(t, "mrs/ge-1.5T-press-te30"), "P1904_1.5T_030_2000.7")
	out := t.TempDir()
	var so, se bytes.Buffer
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "preproc", f, "--phantom=21", "--phantom-singlet", "1.904:acetate", "--out", out}); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	if !strings.Contains(so.String(), "referenced by metabolites (acetate 1.904 ppm)") || !strings.Contains(so.String(), "a phantom (declared)") {
		t.Errorf("stdout %q", so.String())
	}
	b, err := os.ReadFile(filepath.Join(out, "P1904_1.5T_030_2000_preproc_qc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var q struct {
		QC struct {
			Referencing struct {
				Phantom  bool    `json:"phantom"`
				WaterPPM float64 `json:"water_ppm"`
			} `json:"referencing"`
		} `json:"qc"`
	}
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if r := q.QC.Referencing; !r.Phantom || r.WaterPPM < 4.78 || r.WaterPPM > 4.84 {
		t.Errorf("referencing %+v", r)
	}
}
