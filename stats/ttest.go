package stats

import (
	"fmt"
	"math"
)

// TTestOptions configures the t-tests.
type TTestOptions struct {
	// Alternative hypothesis about mean(x) - mean(y) - Mu.
	Alternative Alternative
	// Mu is the hypothesized mean (one-sample), mean difference (paired)
	// or difference in means (two-sample).
	Mu float64
	// VarEqual selects Student's pooled-variance test; false is Welch's.
	VarEqual bool
	// ConfLevel of the interval, a fraction (0 means 0.95).
	ConfLevel float64
}

// TTestResult is the outcome of a t-test, with the fields of R's htest.
type TTestResult struct {
	// Method names the test as R does ("Two Sample t-test", ...).
	Method string `json:"method"`
	// T is the t statistic, DF its degrees of freedom, P the p-value.
	T  float64 `json:"t"`
	DF float64 `json:"df"`
	P  float64 `json:"p"`
	// Estimate is the mean (one-sample), mean difference (paired) or
	// mean(x) - mean(y) (two-sample), in the units of the data.
	Estimate float64 `json:"estimate"`
	// MeanX, MeanY are the group means (MeanY is 0 for one-sample/paired).
	MeanX float64 `json:"mean_x"`
	MeanY float64 `json:"mean_y"`
	// StdErr is the standard error of Estimate.
	StdErr float64 `json:"stderr"`
	// CI is the confidence interval of Estimate for the chosen alternative.
	CI          CI          `json:"ci"`
	NX          int         `json:"n_x"`
	NY          int         `json:"n_y"`
	Alternative Alternative `json:"alternative"`
	Mu          float64     `json:"mu"`
}

// Summary holds a group's published summary statistics.
type Summary struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	N    int     `json:"n"`
}

// Summarize returns the mean, SD and n of x, NaN dropped.
func Summarize(x []float64) Summary {
	x = dropNaN(x)
	return Summary{Mean: Mean(x), SD: math.Sqrt(Variance(x)), N: len(x)}
}

func finishT(r *TTestResult, opt TTestOptions) error {
	cl, err := confLevel(opt.ConfLevel)
	if err != nil {
		return err
	}
	r.Alternative = opt.Alternative
	r.Mu = opt.Mu
	r.T = (r.Estimate - opt.Mu) / r.StdErr
	switch opt.Alternative {
	case Less:
		r.P = pt(r.T, r.DF, true)
		r.CI = CI{math.Inf(-1), r.T + qt(cl, r.DF, true), cl}
	case Greater:
		r.P = pt(r.T, r.DF, false)
		r.CI = CI{r.T - qt(cl, r.DF, true), math.Inf(1), cl}
	default:
		r.P = 2 * pt(-math.Abs(r.T), r.DF, true)
		q := qt(1-(1-cl)/2, r.DF, true)
		r.CI = CI{r.T - q, r.T + q, cl}
	}
	r.CI.Lower = opt.Mu + r.CI.Lower*r.StdErr
	r.CI.Upper = opt.Mu + r.CI.Upper*r.StdErr
	return nil
}

// OneSampleTTest tests mean(x) = opt.Mu, as R's t.test(x, mu=).
func OneSampleTTest(x []float64, opt TTestOptions) (TTestResult, error) {
	x = dropNaN(x)
	if err := checkFinite("x", x); err != nil {
		return TTestResult{}, err
	}
	if len(x) < 2 {
		return TTestResult{}, fmt.Errorf("%w: one-sample t-test needs 2 values, have %d", ErrTooFew, len(x))
	}
	return OneSampleTTestSummary(Summarize(x), opt)
}

// OneSampleTTestSummary is OneSampleTTest from a mean, SD and n.
func OneSampleTTestSummary(s Summary, opt TTestOptions) (TTestResult, error) {
	if s.N < 2 {
		return TTestResult{}, fmt.Errorf("%w: one-sample t-test needs n >= 2, have %d", ErrTooFew, s.N)
	}
	r := TTestResult{Method: "One Sample t-test", MeanX: s.Mean, Estimate: s.Mean, NX: s.N, DF: float64(s.N - 1)}
	r.StdErr = s.SD / math.Sqrt(float64(s.N))
	if !(r.StdErr >= 10*2.220446049250313e-16*math.Abs(s.Mean)) || r.StdErr == 0 {
		return TTestResult{}, fmt.Errorf("%w: standard error %g", ErrConstant, r.StdErr)
	}
	return r, finishT(&r, opt)
}

// PairedTTest tests mean(x - y) = opt.Mu over complete pairs, as R's
// t.test(x, y, paired = TRUE).
func PairedTTest(x, y []float64, opt TTestOptions) (TTestResult, error) {
	xs, ys, err := dropNaNPairs(x, y)
	if err != nil {
		return TTestResult{}, err
	}
	d := make([]float64, len(xs))
	for i := range xs {
		d[i] = xs[i] - ys[i]
	}
	if err := checkFinite("x - y", d); err != nil {
		return TTestResult{}, err
	}
	if len(d) < 2 {
		return TTestResult{}, fmt.Errorf("%w: paired t-test needs 2 complete pairs, have %d", ErrTooFew, len(d))
	}
	r, err := OneSampleTTestSummary(Summarize(d), opt)
	r.Method = "Paired t-test"
	r.NY = r.NX
	return r, err
}

// TTest compares the means of two independent samples: Student's test when
// opt.VarEqual, else Welch's, as R's t.test(x, y, var.equal=).
func TTest(x, y []float64, opt TTestOptions) (TTestResult, error) {
	x, y = dropNaN(x), dropNaN(y)
	if err := checkFiniteXY(x, y); err != nil {
		return TTestResult{}, err
	}
	return TTestSummary(Summarize(x), Summarize(y), opt)
}

// TTestSummary is TTest from each group's mean, SD and n, so that published
// tables can be re-checked.
func TTestSummary(a, b Summary, opt TTestOptions) (TTestResult, error) {
	if a.N < 1 || b.N < 1 || a.N+b.N < 3 || (!opt.VarEqual && (a.N < 2 || b.N < 2)) {
		return TTestResult{}, fmt.Errorf("%w: two-sample t-test with n = %d and %d", ErrTooFew, a.N, b.N)
	}
	if a.SD < 0 || b.SD < 0 || math.IsNaN(a.Mean) || math.IsNaN(b.Mean) {
		return TTestResult{}, fmt.Errorf("%w: summary mean %g/%g, SD %g/%g", ErrInput, a.Mean, b.Mean, a.SD, b.SD)
	}
	nx, ny := float64(a.N), float64(b.N)
	vx, vy := a.SD*a.SD, b.SD*b.SD
	if a.N < 2 {
		vx = 0
	}
	if b.N < 2 {
		vy = 0
	}
	r := TTestResult{MeanX: a.Mean, MeanY: b.Mean, Estimate: a.Mean - b.Mean, NX: a.N, NY: b.N}
	if opt.VarEqual {
		r.Method = "Two Sample t-test"
		r.DF = nx + ny - 2
		v := 0.0
		if a.N > 1 {
			v += (nx - 1) * vx
		}
		if b.N > 1 {
			v += (ny - 1) * vy
		}
		v /= r.DF
		r.StdErr = math.Sqrt(v * (1/nx + 1/ny))
	} else {
		r.Method = "Welch Two Sample t-test"
		sx, sy := vx/nx, vy/ny
		r.StdErr = math.Sqrt(sx + sy)
		r.DF = r.StdErr * r.StdErr * r.StdErr * r.StdErr / (sx*sx/(nx-1) + sy*sy/(ny-1))
	}
	if !(r.StdErr >= 10*2.220446049250313e-16*math.Max(math.Abs(a.Mean), math.Abs(b.Mean))) || r.StdErr == 0 {
		return TTestResult{}, fmt.Errorf("%w: standard error %g", ErrConstant, r.StdErr)
	}
	return r, finishT(&r, opt)
}
