package study

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"glusleep/mrs/fit"
	"glusleep/mrs/results"
)

func TestMatchesParticipant(t *testing.T) {
	for _, c := range []struct {
		id, path, label string
		want            bool
	}{
		{"Osprey sub-01 PRESS TE 35", "x.table", "01", true},
		{"", "sub-01/ses-1/fit.table", "01", true},
		{"P1837", "sub-01_PRESS.table", "01", true},
		{"", "sub-010.table", "01", false},
		{"sub-01a", "a/b.table", "01", false},
		{"xsub-01", "", "01", false},
		{"sub-1", "", "01", false},
		{"sub-02 and sub-01", "", "01", true},
		{"", "", "01", false},
	} {
		r := &results.Result{ID: c.id, Path: c.path}
		if got := MatchesParticipant(r, c.label); got != c.want {
			t.Errorf("ID %q path %q label %q: %v, want %v", c.id, c.path, c.label, got, c.want)
		}
	}
}

// copyFile copies a test file into dst (folders made).
func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	write(t, dst, string(b))
}

// `run … participant --mrs-results DIR` on LCModel tables: the cohort
// table carries the values the .table files state. sub-01's is LCModel's
// fit of Osprey's sub-01 (mrs/results/testdata/sub01.table: Glu+Gln 6%
// /Cr+PCr 1.393, NAA+NAAG 1.355, "FWHM = 0.046 ppm    S/N =  40"), matched
// by its title; sub-02's the GE phantom P1837
// (ge_phantom_P1837_nsimul0.table: Glu+Gln 212% 2.0E-02, NAA+NAAG
// 1.9E-03, FWHM 0.048 ppm, S/N 30), matched by its path, whose brain
// ratios are flagged; sub-03 has none.
func TestMRSResultsCohort(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "participants.tsv"), "participant_id\tgroup\nsub-01\trls\nsub-02\tcontrol\nsub-03\tcontrol\n")
	for _, l := range []string{"01", "02", "03"} {
		write(t, filepath.Join(root, "sub-"+l, "anat", "x"), "")
	}
	res := t.TempDir()
	copyFile(t, "../mrs/results/testdata/sub01.table", filepath.Join(res, "lcmodel", "thalamus.table"))
	copyFile(t, "../mrs/results/testdata/ge_phantom_P1837_nsimul0.table", filepath.Join(res, "sub-02", "P1837.table"))
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	set := DefaultSettings()
	set.MRSResults = res
	if set.MRSResultsSHA256, err = MRSResultsDigest(res); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	pl := &Pipeline{Settings: set}
	r := &Runner{Dataset: d, Out: out, Settings: set, Version: "test", Process: pl.Process}
	if _, err := r.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	header, rows, err := Cohort(d, out, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"sub-01": {"glx_tcr": "1.393", "glx_crlb_percent": "6", "tnaa_tcr": "1.355", "snr": "40", "fwhm_ppm": "0.046"},
		"sub-02": {"glx_tcr": "0.02", "glx_crlb_percent": "212", "tnaa_tcr": "0.0019", "snr": "30", "fwhm_ppm": "0.048"},
		"sub-03": {"glx_tcr": "n/a", "glx_crlb_percent": "n/a", "tnaa_tcr": "n/a", "snr": "n/a", "fwhm_ppm": "n/a"},
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, row := range rows {
		for c, v := range want[row[0]] {
			if got := row[col[c]]; got != v {
				t.Errorf("%s %s = %s, want %s (as the LCModel table states)", row[0], c, got, v)
			}
		}
	}
	var s2 Summary
	b, _ := os.ReadFile(filepath.Join(out, "sub-02", "sub-02_summary.json"))
	if err := json.Unmarshal(b, &s2); err != nil {
		t.Fatal(err)
	}
	if len(s2.QCFlags) != 1 || s2.QCFlags[0] != fit.FlagRatioImplausible || !strings.Contains(s2.MRSSource, "sub-02/P1837.table") ||
		!strings.HasPrefix(s2.SNRDefinition, "LCModel S/N") {
		t.Errorf("sub-02 summary: flags %v, source %q, SNR definition %q", s2.QCFlags, s2.MRSSource, s2.SNRDefinition)
	}
	prov, err := ReadProvenance(filepath.Join(out, "sub-03"))
	if err != nil || !strings.Contains(strings.Join(prov.Warnings, "\n"), "no MRS result for sub-03") {
		t.Errorf("sub-03 warnings: %v (%v)", prov, err)
	}
}

func TestResultFlags(t *testing.T) {
	for _, c := range []struct {
		name    string
		res     *results.Result
		phantom bool
		want    []string
	}{
		{"no creatine", &results.Result{Tool: "LCModel", Metabolites: []results.Metabolite{{Name: "NAA", Canonical: "NAA", Value: 1}}}, false, []string{fit.FlagTCrZero}},
		{"tCr 0", &results.Result{Tool: "LCModel", Metabolites: []results.Metabolite{{Name: "Cr+PCr", Canonical: "tCr", Value: 0}}}, false, []string{fit.FlagTCrZero}},
		// LCModel writes /Cr+PCr ratios even for a tCr it cannot
		// determine or fitted as 0: they are n/a, as in glusleep's fits.
		{"tCr 999%", &results.Result{Tool: "LCModel", Metabolites: []results.Metabolite{
			{Name: "Cr+PCr", Canonical: "tCr", Value: 5, SDPercent: 999, RatioTCr: 1},
			{Name: "Glu+Gln", Canonical: "Glx", Value: 6, SDPercent: 8, RatioTCr: 1.2}}}, false, []string{fit.FlagTCrZero, fit.FlagCRLBUndetermined}},
		{"tCr 0 with ratios", &results.Result{Tool: "LCModel", Metabolites: []results.Metabolite{
			{Name: "Cr+PCr", Canonical: "tCr", Value: 0, SDPercent: 999, RatioTCr: 1},
			{Name: "Glu+Gln", Canonical: "Glx", Value: 6, SDPercent: 8, RatioTCr: 1.2}}}, false, []string{fit.FlagTCrZero}},
		{"Glx 999%", &results.Result{Tool: "LCModel", Metabolites: []results.Metabolite{
			{Name: "Cr+PCr", Canonical: "tCr", Value: 5, SDPercent: 2, RatioTCr: 1},
			{Name: "Glu+Gln", Canonical: "Glx", Value: 6, SDPercent: 999, RatioTCr: 1.2}}}, false, []string{fit.FlagCRLBUndetermined}},
		{"Glx/tCr 9 in a brain", &results.Result{Tool: "LCModel", Metabolites: []results.Metabolite{
			{Name: "Cr+PCr", Canonical: "tCr", Value: 1, SDPercent: 2, RatioTCr: 1},
			{Name: "Glu+Gln", Canonical: "Glx", Value: 9, SDPercent: 5, RatioTCr: 9}}}, false, []string{fit.FlagRatioImplausible}},
		{"Glx/tCr 9 in a phantom", &results.Result{Tool: "LCModel", Metabolites: []results.Metabolite{
			{Name: "Cr+PCr", Canonical: "tCr", Value: 1, SDPercent: 2, RatioTCr: 1},
			{Name: "Glu+Gln", Canonical: "Glx", Value: 9, SDPercent: 5, RatioTCr: 9}}}, true, nil},
	} {
		var got []string
		for _, f := range resultFlags(c.res, c.phantom) {
			got = append(got, f.Name)
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: flags %v, want %v", c.name, got, c.want)
		}
		if ratio := c.res.Ratio("Glx"); slices.Contains(c.want, fit.FlagTCrZero) != math.IsNaN(ratio) {
			t.Errorf("%s: Glx/tCr %g with flags %v: a ratio is n/a exactly when tcr_zero is raised", c.name, ratio, got)
		}
	}
}

// Which existing fit belongs to which participant.
func ExampleMatchesParticipant() {
	for _, r := range []*results.Result{
		{ID: "Osprey sub-01 PRESS TE 35"},         // LCModel title
		{ID: "P1837", Path: "sub-01/P1837.table"}, // path in the folder
		{ID: "sub-010_PRESS.table"},               // another participant
	} {
		fmt.Println(MatchesParticipant(r, "01"))
	}
	// Output:
	// true
	// true
	// false
}
