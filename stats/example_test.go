package stats_test

import (
	"fmt"
	"strings"

	"glusleep/stats"
)

// Re-checking a published group comparison from its summary statistics
// (Allen et al. 2013: thalamic Glx/Cr, RLS versus controls).
func ExampleTTestSummary() {
	rls := stats.Summary{Mean: 1.20, SD: 0.73, N: 28}
	controls := stats.Summary{Mean: 0.80, SD: 0.39, N: 20}
	r, err := stats.TTestSummary(rls, controls, stats.TTestOptions{Alternative: stats.Greater, VarEqual: true})
	if err != nil {
		panic(err)
	}
	fmt.Printf("t = %.3f, df = %g, one-tailed p = %.4f\n", r.T, r.DF, r.P)
	// Output: t = 2.229, df = 46, one-tailed p = 0.0154
}

func ExampleMannWhitney() {
	// the controls' values have ties, so R's default (and this) is the
	// normal approximation; R: W = 43, p = 0.2436, 0.560 [-0.500, 1.033]
	rls := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55}
	controls := []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
	r, err := stats.MannWhitney(rls, controls, stats.MWUOptions{ConfInt: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Method)
	fmt.Printf("W = %g, p = %.4f, shift %.3f [%.3f, %.3f]\n", r.W, r.P, r.Estimate, r.CI.Lower, r.CI.Upper)
	// Output:
	// Wilcoxon rank sum test with continuity correction
	// W = 43, p = 0.2436, shift 0.560 [-0.500, 1.033]
}

// The values in the Output comments of these examples equal R 4.2.2's
// (cor.test, wilcox.test, lm, p.adjust, power.t.test) at the printed
// precision.
func ExampleCorrelation() {
	glx := []float64{0.91, 1.32, 0.75, 1.60, 1.05, 1.21, 0.68, 1.44}
	wake := []float64{33, 41, 20, 75, 38, 52, 29, 48}
	for _, m := range []stats.CorMethod{stats.Pearson, stats.Spearman, stats.Kendall} {
		r, err := stats.Correlation(glx, wake, stats.CorOptions{Method: m})
		if err != nil {
			panic(err)
		}
		fmt.Println(m, r.APA())
	}
	// Output:
	// pearson r(6) = .89, p = .003, 95% CI [.50, .98], n = 8
	// spearman rs(6) = .90, p = .005, 95% CI [.53, .98], n = 8
	// kendall τb = .79, p = .006, n = 8
}

func ExampleLM() {
	tsv := `wake	glx	group	age
35	0.9	control	50
41	1.1	control	61
38	1.0	control	55
30	0.7	control	48
55	1.3	rls	59
70	1.6	rls	62
48	1.1	rls	51
61	1.4	rls	n/a
52	1.2	rls	57
`
	t, err := stats.ReadTable(strings.NewReader(tsv), "example.tsv")
	if err != nil {
		panic(err)
	}
	r, err := stats.LM("wake ~ glx * group + age", t, stats.LMOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.APA())
	for _, c := range r.Coefs {
		fmt.Printf("%-14s %8.3f\n", c.Name, c.Estimate)
	}
	// Output:
	// R² = 1.00, adjusted R² = 1.00, F(4, 3) = 402.24, p < .001, n = 8
	// (Intercept)      12.646
	// glx              30.024
	// grouprls        -11.310
	// age              -0.083
	// glx:grouprls     15.855
}

func ExamplePAdjust() {
	p := []float64{0.01, 0.04, 0.03, 0.005}
	for _, m := range []stats.AdjustMethod{stats.Bonferroni, stats.Holm, stats.BH} {
		a, _ := stats.PAdjust(p, m)
		fmt.Printf("%s %.4g\n", m, a)
	}
	// Output:
	// bonferroni [0.04 0.16 0.12 0.02]
	// holm [0.03 0.06 0.06 0.02]
	// BH [0.02 0.04 0.04 0.02]
}

func ExampleSampleSizeTTest() {
	n, err := stats.SampleSizeTTest(stats.PowerTOptions{Delta: 0.4, SD: 0.59, OneSided: true}, 0.8)
	if err != nil {
		panic(err)
	}
	fmt.Printf("n per group = %.2f\n", n)
	// Output: n per group = 27.60
}

// The least-squares line through five points and the 95% confidence band
// of its mean response at x = 3, as R gives it (testdata/band.tsv, set b:
// predict(lm(y ~ x), data.frame(x = 3),
// interval = "confidence")).
func ExampleLineFit_ConfidenceBand() {
	f, err := stats.FitLine([]float64{1, 2, 3, 4, 5}, []float64{2.1, 3.9, 6.2, 7.8, 10.3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fit, lo, hi, err := f.ConfidenceBand([]float64{3}, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("y = %.2f + %.2f x; at x = 3: %.3f [%.3f, %.3f]\n", f.Intercept, f.Slope, fit[0], lo[0], hi[0])
	// Output: y = -0.03 + 2.03 x; at x = 3: 6.060 [5.728, 6.392]
}

// Run runs an analysis chosen by name, here a Student t-test from the
// published summary statistics (no table) of Allen et al. 2013; R's
// t.test on these summaries gives t(46) = 2.23, one-tailed p = .015, and
// Cohen's d is (1.20 − 0.80) / 0.613 (the pooled SD) = 0.65.
func ExampleRun() {
	rls, controls := stats.Summary{Mean: 1.20, SD: 0.73, N: 28}, stats.Summary{Mean: 0.80, SD: 0.39, N: 20}
	rep, err := stats.Run(nil, stats.Request{Analysis: stats.AnalysisTTest, SummaryX: &rls, SummaryY: &controls,
		Alternative: stats.Greater, TTest: stats.TTestOptions{VarEqual: true}})
	if err != nil {
		panic(err)
	}
	fmt.Print(rep.Text)
	// Output:
	// Two Sample t-test, t(46) = 2.23, p = .015 (one-tailed, greater), difference = 0.40, 95% CI [0.10, ∞]; d = 0.65, Hedges' g = 0.64, 95% CI [0.06, 1.22]
}
