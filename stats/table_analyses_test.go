package stats

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

func readCohort(t *testing.T) *Table {
	t.Helper()
	f, err := os.Open("testdata/cohort.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := ReadTable(f, "cohort.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestParseSummary(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Summary
		ok   bool
	}{
		{"1.20,0.73,28", Summary{1.20, 0.73, 28}, true},
		{" 0.8 , 0.39 , 20 ", Summary{0.8, 0.39, 20}, true},
		{"1,2", Summary{}, false},
		{"a,1,2", Summary{}, false},
		{"1,1,2.5", Summary{}, false},
	} {
		got, err := ParseSummary(c.in)
		if (err == nil) != c.ok || got != c.want || (err != nil && !errors.Is(err, ErrInput)) {
			t.Errorf("%q: %+v, %v", c.in, got, err)
		}
	}
}

func TestTwoGroupsAndReference(t *testing.T) {
	tb := readCohort(t)
	g, _ := tb.Column("group")
	grouped := 0
	for _, s := range g.Str {
		if s != "" {
			grouped++
		}
	}
	names, x, y, err := tb.TwoGroups("wake", "group", nil)
	if err != nil || strings.Join(names, ",") != "control,rls" || len(x)+len(y) != grouped || grouped < 70 {
		t.Fatalf("%v %d %d %v", names, len(x), len(y), err)
	}
	if _, _, _, err := tb.TwoGroups("wake", "site", nil); !errors.Is(err, ErrNotTwoGroups) || !strings.Contains(err.Error(), "3 groups") {
		t.Errorf("three sites: %v", err)
	}
	names, _, _, err = tb.TwoGroups("wake", "site", []string{"C", "A"})
	if err != nil || strings.Join(names, ",") != "C,A" {
		t.Errorf("chosen sites: %v %v", names, err)
	}
	col, _ := tb.Column("site")
	if lv, err := col.LevelsWithReference("B"); err != nil || strings.Join(lv, ",") != "B,A,C" {
		t.Errorf("reference B: %v %v", lv, err)
	}
	if _, err := col.LevelsWithReference("Z"); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), `no level "Z"`) {
		t.Errorf("reference Z: %v", err)
	}
}

// CorrelationTable by group equals Correlation on each group's rows
// (Correlation itself is checked against R in reference_test.go).
func TestCorrelationTable(t *testing.T) {
	tb := readCohort(t)
	res, err := CorrelationTable(tb, CorSpec{X: "glx", Y: "wake", By: "group", Options: CorOptions{Method: Spearman},
		Boot: BootOptions{R: 200, Seed: 3}})
	if err != nil {
		t.Fatal(err)
	}
	_, wake, _ := tb.Split("wake", "group")
	lv, glx, _ := tb.Split("glx", "group")
	if len(res) != 2 {
		t.Fatalf("%d subsets", len(res))
	}
	for i, r := range res {
		want, err := Correlation(glx[i], wake[i], CorOptions{Method: Spearman})
		if err != nil {
			t.Fatal(err)
		}
		if r.Subset != lv[i] || r.Label != "glx, wake [group = "+lv[i]+"]" || r.Result.Estimate != want.Estimate || r.Result.P != want.P {
			t.Errorf("subset %d: %+v, want r = %v p = %v", i, r, want.Estimate, want.P)
		}
		if r.Bootstrap == nil || r.Bootstrap.Estimate != want.Estimate || !(r.Bootstrap.Percentile.Lower < want.Estimate && want.Estimate < r.Bootstrap.Percentile.Upper) {
			t.Errorf("subset %d bootstrap %+v", i, r.Bootstrap)
		}
	}
	if _, err := CorrelationTable(tb, CorSpec{X: "glx", Y: "wake", Covariates: []string{"age"}, Boot: BootOptions{R: 10}}); !errors.Is(err, ErrInput) {
		t.Errorf("bootstrap with covariates: %v", err)
	}
	if _, err := CorrelationTable(tb, CorSpec{X: "glx", Y: "nosuch"}); err == nil {
		t.Error("missing column accepted")
	}
}

// Influence picks the extremes of the diagnostics.
func TestInfluence(t *testing.T) {
	r := &LMResult{N: 4, Coefs: make([]Coef, 2), Diag: Diagnostics{
		Leverage:    []float64{0.2, 0.9, 0.5, 0.4},
		CooksD:      []float64{0.1, 0.3, 1.2, 0.2},
		Studentized: []float64{1, -2.5, math.NaN(), 0.3},
	}}
	in := r.Influence()
	if in != (Influence{MaxLeverage: 0.9, MeanLeverage: 0.5, MaxAbsStudentized: 2.5, MaxCooksD: 1.2, MaxCooksRow: 2}) {
		t.Errorf("%+v", in)
	}
}
