package study

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A participant with two spectra whose first (by name) has no creatine:
// its tCr is not detected, so its ratios are n/a, and the summary's MRS
// measures stay those of that first spectrum (its input, SNR and QC
// flags), with one "the first of 2" note; the second spectrum does not
// overwrite them.
func TestSummaryFirstSpectrumWithoutTCr(t *testing.T) {
	if testing.Short() {
		t.Skip("full run only: simulates a basis and fits two spectra")
	}
	t.Parallel()
	root := t.TempDir()
	write(t, filepath.Join(root, "participants.tsv"), "participant_id\tgroup\nsub-01\trls\n")
	set, bpath := writeBasis(t, t.TempDir())
	dir := filepath.Join(root, "sub-01/mrs")
	writeMRSWith(t, set, dir, "sub-01_acq-a", map[string]float64{"NAA": 9, "Glu": 6, "Gln": 2, "Ins": 5, "GPC": 1.2})
	writeMRS(t, set, dir, "sub-01_acq-b")
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	s.Basis, s.Lipids = bpath, false
	out := t.TempDir()
	if _, err := (&Pipeline{Settings: s}).Process(context.Background(), d.Participant("01"), out); err != nil {
		t.Fatal(err)
	}
	var sum Summary
	js, _ := os.ReadFile(filepath.Join(out, "sub-01_summary.json"))
	if err := json.Unmarshal(js, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.MRSInput != "sub-01_acq-a_svs.nii.gz" {
		t.Errorf("MRS input %q, want the first spectrum sub-01_acq-a_svs.nii.gz", sum.MRSInput)
	}
	if sum.GlxTCr != nil || sum.NAATCr != nil {
		t.Errorf("Glx/tCr %v, tNAA/tCr %v from the first spectrum without tCr; want n/a", deref(sum.GlxTCr), deref(sum.NAATCr))
	}
	if n := strings.Count(strings.Join(sum.Notes, "\n"), "the first of 2"); n != 1 {
		t.Errorf("%d \"the first of 2\" notes, want 1: %q", n, sum.Notes)
	}
}
