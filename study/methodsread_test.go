package study

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A participant's _qc.json that cannot be decoded is an error naming the
// file: skipping it would have the methods section count one spectrum
// fewer without saying so. A missing _preproc_qc.json is not an error.
func TestGatherSpectraRefusesDamagedQC(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, "sub-01", "mrs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	qc := filepath.Join(dir, "sub-01_desc-qc_svs.json")
	d := &Dataset{Participants: []*Participant{{Label: "01"}}}
	if err := os.WriteFile(qc, []byte(`{"input": "sub-01_svs.nii.gz"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := gatherSpectra(d, out)
	if err != nil || len(got) != 1 {
		t.Fatalf("intact QC without preprocessing: %d spectra, error %v; want 1, none", len(got), err)
	}
	if err := os.WriteFile(qc, []byte(`{"input": "sub-01_svs.nii.gz", "snr": 4`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := gatherSpectra(d, out); err == nil || !strings.Contains(err.Error(), qc) {
		t.Errorf("truncated QC: error %v, want one naming %s", err, qc)
	}
}
