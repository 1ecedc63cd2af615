package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs/analysis"
	"glusleep/study"
)

// --no-phase1 reaches the fit from both entry points: mrs fit writes a
// first-order phase of 0°/ppm into _qc.json with it and a fitted one
// without it, and run … participant with Settings.Phase1 held writes the same
// _qc.json as mrs fit --no-phase1.
func TestNoPhase1Flag(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a basis and fits one spectrum three times")
	}
	t.Parallel()
	src := t.TempDir()
	writeSteamSpectrum(t, src, "sub-09")
	in := filepath.Join(src, "sub-09_svs.nii.gz")
	readQC := func(dir string) (analysis.QC, []byte) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, "sub-09_svs_qc.json"))
		if err != nil {
			t.Fatal(err)
		}
		var qc analysis.QC
		if err := json.Unmarshal(b, &qc); err != nil {
			t.Fatal(err)
		}
		return qc, b
	}
	fitted, held := t.TempDir(), t.TempDir()
	for _, c := range []struct {
		out  string
		args []string
	}{{fitted, nil}, {held, []string{"--no-phase1"}}} {
		var so, se bytes.Buffer
		args := append([]string{"mrs", "fit", "--simulate", "--out", c.out}, c.args...)
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, append(args, in)); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, se.String())
		}
	}
	qf, _ := readQC(fitted)
	qh, heldJSON := readQC(held)
	if qf.Phase1DegPerPPM == 0 {
		t.Errorf("default fit: phase1_deg_per_ppm is exactly 0; want the fitted value")
	}
	if qh.Phase1DegPerPPM != 0 {
		t.Errorf("--no-phase1: phase1_deg_per_ppm %g, want 0", qh.Phase1DegPerPPM)
	}
	set := study.DefaultSettings()
	set.Phase1 = study.Phase1Held
	pl := &study.Pipeline{Settings: set}
	studyOut := t.TempDir()
	p := &study.Participant{Label: "09", MRS: []study.MRSFiles{{SVS: in}}}
	if _, err := pl.Process(context.Background(), p, studyOut); err != nil {
		t.Fatal(err)
	}
	// studyOut is the participant's folder: the derivative path without
	// its sub-<label>/.
	rel := study.DerivativePath("09", in, "mrs", "qc.json")
	b, err := os.ReadFile(filepath.Join(studyOut, strings.SplitN(rel, string(filepath.Separator), 2)[1]))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, heldJSON) {
		t.Errorf("run participant with Phase1 held and mrs fit --no-phase1 wrote different _qc.json:\n%s\n---\n%s", b, heldJSON)
	}
}
