package stats

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// Run on cohort.tsv gives R 4.2.2's results (values in
// testdata/README.md, "Run"): the analysis is chosen by name and the
// columns by the request.
func TestRunReference(t *testing.T) {
	tb := readCohort(t)
	for _, c := range []struct {
		name string
		req  Request
		// stat returns the statistic compared with R's (want, rel. tol.).
		stat func(doc any) float64
		want float64
		text string
	}{
		{"welch", Request{Analysis: AnalysisTTest, Value: "glx", Group: "group"},
			func(d any) float64 { return d.(map[string]any)["result"].(map[string]any)["test"].(TTestResult).T }, 1.836488, "glx, control (M = "},
		{"paired", Request{Analysis: AnalysisTTest, Paired: true, X: "glx", Y: "wake"},
			func(d any) float64 { return d.(map[string]any)["result"].(map[string]any)["test"].(TTestResult).T }, -40.094480, "glx - wake: Paired t-test"},
		{"mwu", Request{Analysis: AnalysisMWU, Value: "wake", Group: "group", MWU: MWUOptions{ConfInt: true}},
			func(d any) float64 { return d.(map[string]any)["result"].(MWUResult).P }, 2.86216e-10, "wake, control vs rls: Wilcoxon rank sum test with continuity correction"},
		{"mwu shift", Request{Analysis: AnalysisMWU, Value: "wake", Group: "group", MWU: MWUOptions{ConfInt: true}},
			func(d any) float64 { return d.(map[string]any)["result"].(MWUResult).Estimate }, -30.800026, "U = 118.5"},
		{"corr by group", Request{Analysis: AnalysisCorr, X: "glx", Y: "wake", By: "group"},
			func(d any) float64 { return d.([]map[string]any)[1]["result"].(CorResult).Estimate }, 0.793297, "glx, wake [group = rls]: r(43) = .79"},
		{"power", Request{Analysis: AnalysisPower, Power: PowerRequest{Test: "t", Type: "two.sample", Power: 0.8, Delta: 0.5, SD: 1, SigLevel: 0.05}},
			func(d any) float64 { return d.(map[string]any)["result"].(map[string]any)["n"].(float64) }, 63.7658, "n = 63.77 (use 64)"},
	} {
		var in *Table
		if c.req.NeedsTable() {
			in = tb
		}
		rep, err := Run(in, c.req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := c.stat(rep.Doc); math.Abs(got-c.want) > 1e-5*math.Abs(c.want) {
			t.Errorf("%s: %g, R %g", c.name, got, c.want)
		}
		if !strings.Contains(rep.Text, c.text) || !strings.HasSuffix(rep.Text, "\n") {
			t.Errorf("%s: text %q, want %q", c.name, rep.Text, c.text)
		}
		if b, err := rep.JSON(); err != nil || !json.Valid(b) {
			t.Errorf("%s: JSON %v", c.name, err)
		}
	}
}

// References choose a factor's reference level; a request that cannot
// run is an ErrRequest error, reading as its message alone; a data error
// is not.
func TestRunRequests(t *testing.T) {
	tb := readCohort(t)
	rep, err := Run(tb, Request{Analysis: AnalysisLM, Formula: "wake ~ glx * group", References: map[string]string{"group": "rls"}})
	if err != nil || !strings.Contains(rep.Text, "glx:groupcontrol") {
		t.Fatalf("reference rls: %v\n%v", err, rep)
	}
	for _, c := range []struct {
		req     Request
		table   bool
		request bool
		want    string
	}{
		{Request{Analysis: AnalysisTTest}, true, true, "need a value and a group column"},
		{Request{Analysis: AnalysisTTest, Value: "wake", Group: "site"}, true, false, "3 groups"},
		{Request{Analysis: AnalysisTTest, SummaryX: &Summary{1, 1, 10}}, false, true, "summary statistics"},
		{Request{Analysis: AnalysisMWU, Value: "wake", Group: "group"}, false, true, "mwu needs a table"},
		{Request{Analysis: AnalysisCorr, X: "glx"}, true, true, "need the x and y columns"},
		{Request{Analysis: AnalysisCorr, X: "glx", Y: "wake", Covariates: []string{"age"}, Boot: BootOptions{R: 10}}, true, true, "not available with covariates"},
		{Request{Analysis: AnalysisLM}, true, true, "need a model formula"},
		{Request{Analysis: AnalysisLM, Formula: "wake ~ group", References: map[string]string{"group": "nope"}}, true, true, `no level "nope"`},
		{Request{Analysis: AnalysisLM, Formula: "wake ~ nosuch"}, true, false, `no column "nosuch"`},
		{Request{Analysis: AnalysisCompareCorr}, false, true, "independent"},
		{Request{Analysis: AnalysisCompareCorr, Compare: CompareRequest{R1: 1.5, N1: 20, R2: 0.1, N2: 20}}, false, false, "not in (-1, 1)"},
		{Request{Analysis: AnalysisPower, Power: PowerRequest{Test: "t", N: 20, Power: 0.8}}, false, true, "exactly one"},
		{Request{Analysis: AnalysisPower, Power: PowerRequest{Test: "z", N: 20}}, false, true, `power test "z"`},
		{Request{Analysis: AnalysisPower, Power: PowerRequest{Test: "t", Type: "three", N: 20}}, false, true, "t-test design"},
		{Request{Analysis: "anova"}, false, true, `unknown analysis "anova"`},
	} {
		var in *Table
		if c.table {
			in = tb
		}
		_, err := Run(in, c.req)
		if err == nil || errors.Is(err, ErrRequest) != c.request || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v; want %q (request error %v)", c.req, err, c.want, c.request)
		}
		if c.request && strings.Contains(err.Error(), "invalid request") {
			t.Errorf("%v: the message names the sentinel", err)
		}
	}
}

func TestParseCodingAndReferences(t *testing.T) {
	if c, err := ParseCoding("sum"); c != Sum || err != nil {
		t.Errorf("sum: %v %v", c, err)
	}
	if _, err := ParseCoding("helmert"); !errors.Is(err, ErrInput) {
		t.Errorf("helmert: %v", err)
	}
	m, err := ParseReferences("group=control,sex=F")
	if err != nil || len(m) != 2 || m["group"] != "control" || m["sex"] != "F" {
		t.Errorf("references: %v %v", m, err)
	}
	if _, err := ParseReferences("group"); !errors.Is(err, ErrInput) {
		t.Errorf("no level: %v", err)
	}
	if m, err := ParseReferences(""); m != nil || err != nil {
		t.Errorf("empty: %v %v", m, err)
	}
}

func TestReadTableFile(t *testing.T) {
	tb, err := ReadTableFile("testdata/cohort.tsv")
	if err != nil || tb.Rows != 80 || tb.Source != "testdata/cohort.tsv" {
		t.Fatalf("%v, %v", tb, err)
	}
	if _, err := ReadTableFile("testdata/none.tsv"); err == nil || !strings.Contains(err.Error(), "testdata/none.tsv") {
		t.Errorf("missing file: %v", err)
	}
}
