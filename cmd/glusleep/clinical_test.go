package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func clinicalRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(&cmdEnv{stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

const clinicalTD = "../../clinical/testdata"

func TestClinicalScoreBIDSAndREDCap(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	code, out, errs := clinicalRun(t, "clinical", "score", filepath.Join(clinicalTD, "bids/phenotype"), "--out", a)
	if code != 0 || !strings.Contains(out, "psqi") {
		t.Fatalf("score BIDS: %d %s %s", code, out, errs)
	}
	if !strings.Contains(errs, "sub-02, column irls_05, value \"5\"") {
		t.Errorf("issues not reported: %s", errs)
	}
	code, out, errs = clinicalRun(t, "clinical", "score", filepath.Join(clinicalTD, "redcap/export_labels.csv"), filepath.Join(clinicalTD, "bids/phenotype/medications.tsv"),
		"--redcap-dictionary", filepath.Join(clinicalTD, "redcap/dictionary.csv"), "--redcap-labels", "--out", b)
	if code != 0 {
		t.Fatalf("score REDCap: %d %s %s", code, out, errs)
	}
	for _, f := range []string{"irls.tsv", "psqi.tsv", "ess.tsv", "jhrlss.tsv", "rls6.tsv", "rlsdx.tsv", "augmentation.tsv", "scores.tsv"} {
		x, err1 := os.ReadFile(filepath.Join(a, f))
		y, err2 := os.ReadFile(filepath.Join(b, f))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between BIDS and REDCap (%v %v)", f, err1, err2)
		}
	}
	if _, err := os.Stat(filepath.Join(a, "psqi.json")); err != nil {
		t.Error(err)
	}
}

func TestClinicalUsageErrors(t *testing.T) {
	cases := [][]string{
		{"clinical", "score", "--out", t.TempDir()},
		{"clinical", "score", filepath.Join(clinicalTD, "bids/phenotype")},
		{"clinical", "score", filepath.Join(clinicalTD, "redcap/export_raw.csv"), "--out", t.TempDir()},
		{"clinical", "screen", filepath.Join(clinicalTD, "bids/participants.tsv"), "--out", t.TempDir()},
	}
	for _, c := range cases {
		if code, _, errs := clinicalRun(t, c...); code != 2 || !strings.Contains(errs, "usage") {
			t.Errorf("%v: exit %d %s", c, code, errs)
		}
	}
	if code, _, errs := clinicalRun(t, "clinical", "score", "/nonexistent/phenotype", "--out", t.TempDir()); code != 1 || !strings.Contains(errs, "/nonexistent") {
		t.Errorf("missing input: %d %s", code, errs)
	}
}

func TestClinicalScreen(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := clinicalRun(t, "clinical", "screen", "--protocol", "../../clinical/protocols/allen2013.json",
		filepath.Join(clinicalTD, "bids/participants.tsv"), "--derivatives", filepath.Join(clinicalTD, "bids/derivatives/legs"), "--out", dir)
	if code != 0 {
		t.Fatalf("screen: %d %s %s", code, out, errs)
	}
	// 6 patients + 2 built screen failures, 4 controls
	if !strings.Contains(out, "group rls          6 of   8 eligible") || !strings.Contains(out, "group control      4 of   4 eligible") {
		t.Fatalf("summary:\n%s", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "eligibility.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "sub-11\trls\tfalse\tnot satisfied: I2 fail") || !strings.Contains(string(b), "sub-12\trls\tfalse\tnot satisfied: I4 fail") {
		t.Errorf("eligibility.tsv:\n%s", b)
	}
	// without derivatives the PLM rule is unknown: no patient is eligible
	code, out, _ = clinicalRun(t, "clinical", "screen", "--protocol", "../../clinical/protocols/allen2013.json",
		filepath.Join(clinicalTD, "bids/participants.tsv"), "--out", t.TempDir())
	if code != 0 || !strings.Contains(out, "group rls          0 of   8 eligible") {
		t.Fatalf("no derivatives: %d\n%s", code, out)
	}
}

// A form with its own variable names is read through a column map.
func TestClinicalColumnMap(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(clinicalTD, "bids/phenotype/ess.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.Replace(string(src), "ess_01\tess_02", "epworth_a\tepworth_b", 1)
	os.MkdirAll(filepath.Join(dir, "ph"), 0o755)
	os.WriteFile(filepath.Join(dir, "ph", "epworth.tsv"), []byte(renamed), 0o644)
	os.WriteFile(filepath.Join(dir, "map.json"), []byte(`{"epworth_a": "ess_01", "epworth_b": "ess_02"}`), 0o644)
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if code, _, errs := clinicalRun(t, "clinical", "score", filepath.Join(dir, "ph"), "--columns", filepath.Join(dir, "map.json"), "--out", a); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := clinicalRun(t, "clinical", "score", filepath.Join(clinicalTD, "bids/phenotype/ess.tsv"), "--out", b); code != 0 {
		t.Fatal(errs)
	}
	x, _ := os.ReadFile(filepath.Join(a, "ess.tsv"))
	y, _ := os.ReadFile(filepath.Join(b, "ess.tsv"))
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Fatalf("mapped:\n%s\noriginal:\n%s", x, y)
	}
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"a": "ess_01", "b": "ess_01"}`), 0o644)
	if code, _, errs := clinicalRun(t, "clinical", "score", filepath.Join(dir, "ph"), "--columns", filepath.Join(dir, "bad.json"), "--out", a); code != 1 || !strings.Contains(errs, "both map to") {
		t.Fatalf("bad map: %d %s", code, errs)
	}
}
