package study

import (
	"fmt"
	"math"
	"strings"

	"glusleep/report"
	"glusleep/stats"
)

// qcSet is one analysis set: every spectrum, or the QC-passed ones.
type qcSet struct {
	name    string
	outcome []float64
}

// qcSets returns the primary and the sensitivity set of the outcome: the
// plan's choice first (ExcludeFailedQC: QC-passed only, else all), the
// other second.
func qcSets(plan Plan, outcome []float64, flagged []bool) (primary, other qcSet) {
	passed := make([]float64, len(outcome))
	for i, v := range outcome {
		passed[i] = v
		if i < len(flagged) && flagged[i] {
			passed[i] = math.NaN()
		}
	}
	all := qcSet{"all spectra", outcome}
	qc := qcSet{"QC-passed spectra only", passed}
	if plan.ExcludeFailedQC {
		return qc, all
	}
	return all, qc
}

// qcSensitivity returns the blocks showing the primary analysis and the
// sensitivity analysis side by side: group sizes, means, the t-tests,
// Hedges g and the within-group correlations with each sleep measure, with
// how many spectra the QC-passed set excludes and why, by group.
func qcSensitivity(plan Plan, header []string, rows [][]string, groups []string, flagged []bool, reasons []string) ([]report.Block, []string) {
	raw, err := column(header, rows, plan.Outcome)
	if err != nil {
		return []report.Block{{Text: "QC sensitivity analysis not computed: " + err.Error()}}, nil
	}
	primary, other := qcSets(plan, raw, flagged)
	// Why spectra are excluded, by reason and group.
	byReason := map[string]map[string]int{}
	var order []string
	nExcl := 0
	for i, r := range reasons {
		if r == "" || i >= len(raw) || math.IsNaN(raw[i]) {
			continue
		}
		nExcl++
		for _, part := range strings.Split(r, "; ") {
			key := strings.Fields(part)[0]
			if strings.Contains(part, "CRLB") {
				key = plan.Outcome + " CRLB > " + fmt.Sprint(plan.QCMaxCRLBPercent) + "%"
			} else if key == "SNR" {
				key = "SNR < " + fmt.Sprint(plan.QCMinSNR)
			} else if key == "FWHM" {
				key = "FWHM > " + fmt.Sprint(plan.QCMaxFWHMPPM) + " ppm"
			}
			if byReason[key] == nil {
				byReason[key] = map[string]int{}
				order = append(order, key)
			}
			byReason[key][groups[i]]++
		}
	}
	var why []string
	for _, k := range order {
		why = append(why, fmt.Sprintf("%s: %d %s, %d %s", k, byReason[k][plan.Patients], plan.Patients, byReason[k][plan.Controls], plan.Controls))
	}
	intro := fmt.Sprintf("Primary analysis (chosen by the plan, exclude_failed_qc = %t): %s. Sensitivity analysis: %s. The QC-passed set excludes %d spectra", plan.ExcludeFailedQC, primary.name, other.name, nExcl)
	if len(why) > 0 {
		intro += " (" + strings.Join(why, "; ") + ")"
	}
	intro += "; a spectrum may fail more than one limit."
	header2 := []string{"", "primary: " + primary.name, "sensitivity: " + other.name}
	var tbl [][]string
	cols := [2][]string{summarise(plan, header, rows, groups, primary.outcome), summarise(plan, header, rows, groups, other.outcome)}
	for k, name := range summaryRowNames(plan) {
		tbl = append(tbl, []string{name, cols[0][k], cols[1][k]})
	}
	lines := []string{fmt.Sprintf("QC sensitivity (%s): %s", other.name, cols[1][2])}
	return []report.Block{{Text: intro}, {Table: &report.Table{Caption: "QC sensitivity analysis: " + plan.Label(plan.Outcome) + ", primary and sensitivity analyses side by side", Header: header2, Rows: tbl}}}, lines
}

func summaryRowNames(plan Plan) []string {
	names := []string{"n (" + plan.Patients + " / " + plan.Controls + ")", "mean ± SD (" + plan.Patients + " / " + plan.Controls + ")",
		"Student t, one-tailed (" + plan.Patients + " > " + plan.Controls + ")", "Welch t, two-sided", "Hedges g [95% CI]"}
	for _, g := range []string{plan.Patients, plan.Controls} {
		for _, m := range plan.SleepMeasures {
			names = append(names, fmt.Sprintf("%s: r with %s [95%% CI]", g, plan.Label(m)))
		}
	}
	return names
}

// summarise computes the rows of summaryRowNames for one outcome set.
func summarise(plan Plan, header []string, rows [][]string, groups []string, outcome []float64) []string {
	var pat, ctl []float64
	for i, g := range groups {
		switch {
		case math.IsNaN(outcome[i]):
		case g == plan.Patients:
			pat = append(pat, outcome[i])
		case g == plan.Controls:
			ctl = append(ctl, outcome[i])
		}
	}
	msd := func(x []float64) string {
		if len(x) < 2 {
			return "n/a"
		}
		return fmt.Sprintf("%.3g ± %.2g", stats.Mean(x), math.Sqrt(stats.Variance(x)))
	}
	out := []string{fmt.Sprintf("%d / %d", len(pat), len(ctl)), msd(pat) + " / " + msd(ctl)}
	if tt, err := stats.TTest(pat, ctl, stats.TTestOptions{Alternative: stats.Greater, VarEqual: true}); err == nil {
		out = append(out, tt.APA())
	} else {
		out = append(out, "n/a")
	}
	if tt, err := stats.TTest(pat, ctl, stats.TTestOptions{}); err == nil {
		out = append(out, tt.APA())
	} else {
		out = append(out, "n/a")
	}
	if es, err := stats.CohensD(pat, ctl, 0.95); err == nil {
		out = append(out, fmt.Sprintf("%.2f [%.2f, %.2f]", es.G, es.GCI.Lower, es.GCI.Upper))
	} else {
		out = append(out, "n/a")
	}
	for _, grp := range []string{plan.Patients, plan.Controls} {
		for _, m := range plan.SleepMeasures {
			y, err := column(header, rows, m)
			if err != nil {
				out = append(out, "n/a")
				continue
			}
			var xs, ys []float64
			for i, g := range groups {
				if g == grp && !math.IsNaN(outcome[i]) && !math.IsNaN(y[i]) {
					xs, ys = append(xs, outcome[i]), append(ys, y[i])
				}
			}
			r, err := stats.Correlation(xs, ys, stats.CorOptions{Method: stats.Pearson})
			if err != nil {
				out = append(out, "n/a")
				continue
			}
			ci := ""
			if r.CI != nil {
				ci = fmt.Sprintf(" [%.2f, %.2f]", r.CI.Lower, r.CI.Upper)
			}
			out = append(out, fmt.Sprintf("%.2f%s, %s, n = %d", r.Estimate, ci, stats.FormatP(r.P), len(xs)))
		}
	}
	return out
}
