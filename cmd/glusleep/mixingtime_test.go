package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/study"
)

// --tm (ms) is one setting of mrs fit and run … participant: for a STEAM
// spectrum whose header says TM 10 ms, both given --tm 12 simulate a TM
// 12 ms basis, write byte-identical _fit.tsv and _qc.json recording TM 12
// ms as a flag in place of the header's 10 ms (and TR from the header, in
// ms), and warn that the given value was used; run keeps it in its
// settings. A TM outside 1–1000 ms is a usage error naming the range.
func TestMixingTimeFlagFitEqualsParticipant(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "participants.tsv"), []byte("participant_id\tgroup\nsub-09\trls\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mrsDir := filepath.Join(root, "sub-09", "mrs")
	if err := os.MkdirAll(mrsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeSteamSpectrum(t, mrsDir, "sub-09") // STEAM TE 20 ms, TM 10 ms, TR 3 s
	in := filepath.Join(mrsDir, "sub-09_svs.nii.gz")

	cmdOut := t.TempDir()
	var so, se bytes.Buffer
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "fit", "--simulate", "--tm", "12", "--out", cmdOut, in}); code != 0 {
		t.Fatalf("mrs fit: exit %d: %s", code, se.String())
	}
	const warn = "sub-09_svs.nii.gz: the simulated basis uses TM 12 ms, given with --tm, in place of the header's TM 10 ms"
	if !strings.Contains(se.String(), "glusleep mrs fit: warning: "+warn) {
		t.Errorf("mrs fit stderr %q lacks %q", se.String(), warn)
	}
	studyOut := t.TempDir()
	so.Reset()
	se.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"run", root, studyOut, "participant", "--tm", "12", "--n-cpus", "1"}); code != 0 {
		t.Fatalf("run participant: exit %d: %s", code, se.String())
	}
	if !strings.Contains(se.String(), warn) {
		t.Errorf("run stderr %q lacks %q", se.String(), warn)
	}
	for _, suffix := range []string{"_fit.tsv", "_qc.json"} {
		a, errA := os.ReadFile(filepath.Join(cmdOut, "sub-09_svs"+suffix))
		b, errB := os.ReadFile(filepath.Join(studyOut, study.DerivativePath("09", in, "mrs", suffix[1:])))
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v, %v", suffix, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between mrs fit --tm 12 and run participant --tm 12:\n%s\n---\n%s", suffix, a, b)
		}
	}
	var qc struct {
		Basis       string `json:"basis"`
		Acquisition struct {
			TMms     float64                   `json:"tm_ms"`
			TRms     float64                   `json:"tr_ms"`
			Sources  map[string]string         `json:"sources"`
			Replaced map[string]map[string]any `json:"replaced"`
		} `json:"acquisition"`
		Quantification *struct {
			TRms    float64           `json:"tr_ms"`
			Sources map[string]string `json:"sources"`
		} `json:"quantification"`
	}
	b, _ := os.ReadFile(filepath.Join(cmdOut, "sub-09_svs_qc.json"))
	if err := json.Unmarshal(b, &qc); err != nil {
		t.Fatal(err)
	}
	ac := qc.Acquisition
	if !strings.Contains(qc.Basis, "STEAM TE 20 ms, TM 12 ms") || ac.TMms != 12 || ac.Sources["tm_ms"] != "flag" ||
		ac.Replaced["tm_ms"]["value"] != 10.0 || ac.Replaced["tm_ms"]["source"] != "header" {
		t.Errorf("_qc.json basis %q, acquisition %+v; want a TM 12 ms basis and tm_ms 12 from the flag, replacing the header's 10", qc.Basis, ac)
	}
	if q := qc.Quantification; q == nil || q.TRms != 3000 || ac.TRms != 3000 || q.Sources["tr_ms"] != "" {
		t.Errorf("quantification %+v: want TR 3000 ms from the header", q)
	}
	prov, err := os.ReadFile(filepath.Join(studyOut, "sub-09", "provenance.json"))
	if err != nil || !strings.Contains(string(prov), `"tm_ms": 12`) {
		t.Errorf("provenance.json does not keep --tm in the settings (%v):\n%s", err, prov)
	}
	for _, cmd := range [][]string{{"mrs", "fit", "--simulate", "--out", cmdOut, "--tm", "0.012", in}, {"run", root, studyOut, "participant", "--tm", "5000"}} {
		so.Reset()
		se.Reset()
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, cmd); code != 2 || !strings.Contains(se.String(), "--tm") || !strings.Contains(se.String(), "1–1000 ms") {
			t.Errorf("%v: exit %d, %q; want a usage error with the range", cmd, code, se.String())
		}
	}
}
