package stats

import (
	"fmt"
	"math"
)

// EffectSize is a standardized mean difference with its confidence interval.
type EffectSize struct {
	// D is Cohen's d = (mean x - mean y) / pooled SD.
	D float64 `json:"d"`
	// G is Hedges' g = J·d with the exact small-sample factor
	// J = Γ(df/2) / (√(df/2) Γ((df-1)/2)), df = nx + ny - 2.
	G float64 `json:"g"`
	// J is the Hedges correction factor.
	J float64 `json:"j"`
	// DCI and GCI are exact intervals from inverting the noncentral t
	// distribution of the Student t statistic (the method of R's MBESS and
	// effectsize packages), G's interval being J times D's.
	DCI CI  `json:"d_ci"`
	GCI CI  `json:"g_ci"`
	NX  int `json:"n_x"`
	NY  int `json:"n_y"`
}

// CohensD returns Cohen's d and Hedges' g of x versus y, with two-sided
// confidence intervals at level conf (0 means 0.95).
func CohensD(x, y []float64, conf float64) (EffectSize, error) {
	x, y = dropNaN(x), dropNaN(y)
	return CohensDSummary(Summarize(x), Summarize(y), conf)
}

// CohensDSummary is CohensD from summary statistics.
func CohensDSummary(a, b Summary, conf float64) (EffectSize, error) {
	cl, err := confLevel(conf)
	if err != nil {
		return EffectSize{}, err
	}
	if a.N < 2 || b.N < 2 {
		return EffectSize{}, fmt.Errorf("%w: effect size needs 2 values per group, have %d and %d", ErrTooFew, a.N, b.N)
	}
	nx, ny := float64(a.N), float64(b.N)
	df := nx + ny - 2
	sp := math.Sqrt(((nx-1)*a.SD*a.SD + (ny-1)*b.SD*b.SD) / df)
	if !(sp > 0) {
		return EffectSize{}, fmt.Errorf("%w: pooled SD is %g", ErrConstant, sp)
	}
	e := EffectSize{NX: a.N, NY: b.N}
	e.D = (a.Mean - b.Mean) / sp
	lg1, _ := math.Lgamma(df / 2)
	lg2, _ := math.Lgamma((df - 1) / 2)
	e.J = math.Exp(lg1 - lg2 - 0.5*math.Log(df/2))
	e.G = e.J * e.D
	scale := math.Sqrt(1/nx + 1/ny)
	t := e.D / scale
	alpha := 1 - cl
	lo, err1 := ncpForCDF(t, df, 1-alpha/2)
	hi, err2 := ncpForCDF(t, df, alpha/2)
	if err1 != nil || err2 != nil {
		return EffectSize{}, fmt.Errorf("effect size interval: %v %v", err1, err2)
	}
	e.DCI = CI{lo * scale, hi * scale, cl}
	e.GCI = CI{e.J * lo * scale, e.J * hi * scale, cl}
	return e, nil
}

// ncpForCDF finds the noncentrality δ with P(T_df(δ) <= t) = p; the CDF
// decreases in δ.
func ncpForCDF(t, df, p float64) (float64, error) {
	f := func(d float64) float64 { return pnt(t, df, d, true) - p }
	lo, hi := t-1, t+1
	for k := 0; f(lo) < 0; k++ {
		lo -= math.Max(1, math.Abs(lo))
		if k > 60 {
			return 0, fmt.Errorf("%w: no noncentrality bracket", ErrInput)
		}
	}
	for k := 0; f(hi) > 0; k++ {
		hi += math.Max(1, math.Abs(hi))
		if k > 60 {
			return 0, fmt.Errorf("%w: no noncentrality bracket", ErrInput)
		}
	}
	return bisect(f, lo, hi), nil
}

// bisect finds a sign change of a monotone f in [lo, hi] (f(lo) >= 0 >=
// f(hi) or the reverse) to full double precision.
func bisect(f func(float64) float64, lo, hi float64) float64 {
	flo := f(lo)
	for i := 0; i < 200; i++ {
		mid := lo + (hi-lo)/2
		if mid == lo || mid == hi {
			break
		}
		fm := f(mid)
		if fm == 0 {
			return mid
		}
		if (fm > 0) == (flo > 0) {
			lo, flo = mid, fm
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}
