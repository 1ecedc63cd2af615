package study

import (
	"strings"
	"testing"
)

// With one participant per group no test can be computed; the report says
// so for each of them instead of leaving the lines out.
func TestGroupComparisonSaysNotComputed(t *testing.T) {
	plan := DefaultPlan()
	c := &cohortData{plan: plan, groups: []string{plan.Patients, plan.Controls}, outcome: []float64{1.2, 0.8},
		header:  []string{"participant_id", plan.GroupColumn, plan.Outcome},
		rows:    [][]string{{"sub-01", plan.Patients, "1.2"}, {"sub-02", plan.Controls, "0.8"}},
		flagged: []bool{false, false}, reasons: []string{"", ""}, figs: map[string]string{}}
	var res GroupResult
	c.groupComparison(&res)
	all := strings.Join(res.Lines, "\n")
	for _, want := range []string{"Student t-test not computed", "Welch t-test not computed", "Hedges g not computed"} {
		if !strings.Contains(all, want) {
			t.Errorf("lines lack %q:\n%s", want, all)
		}
	}
}
