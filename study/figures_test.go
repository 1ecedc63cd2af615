package study

import (
	"strings"
	"testing"

	"glusleep/plot"
	"glusleep/stats"
)

// Group figures: categorical axis with the groups' names and sizes,
// labels from the map (overridden by the plan), every mark inside.
func TestGroupFiguresLabelsAndMarks(t *testing.T) {
	plan := DefaultPlan()
	pat, ctl := []float64{1.2, 1.4, 0.9, 1.1, 1.7}, []float64{0.7, 0.8, 0.5, 0.95}
	s := groupFigure(plan, pat, ctl).SVG()
	for _, want := range []string{">control (n = 4)<", ">rls (n = 5)<", ">Glx/tCr<"} {
		if !strings.Contains(s, want) {
			t.Errorf("group figure lacks %q", want)
		}
	}
	if probs, err := plot.Check(s, 12); err != nil || len(probs) > 0 {
		t.Errorf("group figure: %v %q", err, probs)
	}
	plan.Labels = map[string]string{"waso_min": "wake after sleep onset (min)"}
	groups := []string{"rls", "rls", "rls", "control", "control", "control"}
	x := []float64{1.2, 1.4, 1.1, 0.7, 0.8, 0.5}
	y := []float64{80, 95, 70, 30, 20, 35}
	s = scatterFigure(plan, groups, x, y, "waso_min").SVG()
	for _, want := range []string{"wake after sleep onset (min)", ">Glx/tCr<", "rls (n = 3)", "control (n = 3)"} {
		if !strings.Contains(s, want) {
			t.Errorf("scatter figure lacks %q", want)
		}
	}
	if probs, err := plot.Check(s, 12); err != nil || len(probs) > 0 {
		t.Errorf("scatter figure: %v %q", err, probs)
	}
}

// The sensitivity analysis beside the primary one: with exclude_failed_qc
// false the primary is all spectra and the sensitivity the QC-passed ones;
// its t-test equals the test on the rows left after dropping the flagged,
// and the exclusions are counted by reason and group.
func TestQCSensitivity(t *testing.T) {
	plan := DefaultPlan()
	plan.SleepMeasures = []string{"waso_min"}
	header := []string{"participant_id", "group", "glx_tcr", "waso_min"}
	rows := [][]string{
		{"sub-01", "rls", "1.2", "80"}, {"sub-02", "rls", "1.4", "95"}, {"sub-03", "rls", "1.1", "70"}, {"sub-04", "rls", "2.5", "60"},
		{"sub-05", "control", "0.7", "30"}, {"sub-06", "control", "0.8", "20"}, {"sub-07", "control", "0.5", "35"}, {"sub-08", "control", "0.1", "40"},
	}
	groups := textColumn(header, rows, "group")
	flagged := []bool{false, false, false, true, false, false, false, true}
	reasons := []string{"", "", "", "glx_tcr CRLB 45.0% > 20%", "", "", "", "SNR 3.0 < 5; glx_tcr CRLB 60.0% > 20%"}
	for _, excl := range []bool{false, true} {
		plan.ExcludeFailedQC = excl
		blocks, _ := qcSensitivity(plan, header, rows, groups, flagged, reasons)
		if len(blocks) != 2 || blocks[1].Table == nil {
			t.Fatalf("blocks %+v", blocks)
		}
		intro, tbl := blocks[0].Text, blocks[1].Table
		for _, want := range []string{"excludes 2 spectra", "glx_tcr CRLB > 20%: 1 rls, 1 control", "SNR < 5: 0 rls, 1 control"} {
			if !strings.Contains(intro, want) {
				t.Errorf("intro %q lacks %q", intro, want)
			}
		}
		qcCol, allCol := 2, 1
		if excl {
			qcCol, allCol = 1, 2
		}
		if !strings.Contains(tbl.Header[qcCol], "QC-passed") || !strings.Contains(tbl.Header[allCol], "all spectra") {
			t.Errorf("exclude %t: header %q", excl, tbl.Header)
		}
		want, _ := stats.TTest([]float64{1.2, 1.4, 1.1}, []float64{0.7, 0.8, 0.5}, stats.TTestOptions{Alternative: stats.Greater, VarEqual: true})
		if tbl.Rows[0][qcCol] != "3 / 3" || tbl.Rows[2][qcCol] != want.APA() {
			t.Errorf("exclude %t: QC-passed column n %q, t %q; want 3 / 3, %q", excl, tbl.Rows[0][qcCol], tbl.Rows[2][qcCol], want.APA())
		}
		if tbl.Rows[0][allCol] != "4 / 4" {
			t.Errorf("exclude %t: all-spectra n %q", excl, tbl.Rows[0][allCol])
		}
	}
}
