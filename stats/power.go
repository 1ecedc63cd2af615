package stats

import (
	"fmt"
	"math"
)

// TTestType is the design of a t-test power calculation.
type TTestType int

const (
	// TwoSample: n is the size of each group.
	TwoSample TTestType = iota
	// OneSample: n observations.
	OneSample
	// Paired: n pairs, SD of the differences.
	Paired
)

// PowerTOptions describes a t-test power calculation as R's power.t.test.
type PowerTOptions struct {
	// N per group (two-sample) or in total (one-sample, pairs); may be
	// fractional, as in R.
	N float64
	// Delta is the true difference in means, SD the standard deviation, in
	// the units of the data (SD 0 means 1).
	Delta, SD float64
	// SigLevel is the type I error rate (0 means 0.05).
	SigLevel float64
	Type     TTestType
	// OneSided selects a one-sided test (R's alternative = "one.sided").
	OneSided bool
	// Strict adds the probability of rejecting in the wrong tail (two-sided).
	Strict bool
}

func (o *PowerTOptions) defaults() error {
	if o.SD == 0 {
		o.SD = 1
	}
	if o.SigLevel == 0 {
		o.SigLevel = 0.05
	}
	if !(o.SigLevel > 0 && o.SigLevel < 1) || !(o.SD > 0) || math.IsInf(o.SD, 0) {
		return fmt.Errorf("%w: sig.level %g, sd %g", ErrInput, o.SigLevel, o.SD)
	}
	if math.IsNaN(o.Delta) || math.IsInf(o.Delta, 0) || math.IsNaN(o.N) || math.IsInf(o.N, 0) {
		return fmt.Errorf("%w: delta %g, n %g: want finite numbers", ErrInput, o.Delta, o.N)
	}
	return nil
}

func powerT(o PowerTOptions) float64 {
	ts := 1.0
	if o.Type == TwoSample {
		ts = 2
	}
	side := 2.0
	delta := math.Abs(o.Delta)
	if o.OneSided {
		side = 1
		delta = o.Delta
	}
	nu := math.Max(1e-7, o.N-1) * ts
	qu := qt(o.SigLevel/side, nu, false)
	ncp := math.Sqrt(o.N/ts) * delta / o.SD
	p := pnt(qu, nu, ncp, false)
	if o.Strict && !o.OneSided {
		p += pnt(-qu, nu, ncp, true)
	}
	return p
}

// PowerTTest returns the power of a t-test, as R's power.t.test(n, delta,
// sd, sig.level) with the noncentral t distribution.
func PowerTTest(o PowerTOptions) (float64, error) {
	if err := o.defaults(); err != nil {
		return 0, err
	}
	if !(o.N >= 2) {
		return 0, fmt.Errorf("%w: n = %g, need >= 2", ErrTooFew, o.N)
	}
	return powerT(o), nil
}

// SampleSizeTTest returns the (fractional) n reaching the target power, as
// R's power.t.test(power =, delta =); round it up for a design. R solves
// with uniroot (tolerance 1.2e-4); here the root is found to full precision.
func SampleSizeTTest(o PowerTOptions, power float64) (float64, error) {
	if err := o.defaults(); err != nil {
		return 0, err
	}
	if !(power > o.SigLevel && power < 1) || o.Delta == 0 {
		return 0, fmt.Errorf("%w: power %g (must exceed sig.level %g and be < 1), delta %g", ErrInput, power, o.SigLevel, o.Delta)
	}
	f := func(n float64) float64 { o.N = n; return power - powerT(o) }
	if f(2) < 0 {
		return 2, nil
	}
	hi := 4.0
	for f(hi) > 0 {
		hi *= 2
		if hi > 1e9 {
			return 0, fmt.Errorf("%w: sample size beyond 1e9", ErrInput)
		}
	}
	return bisect(f, 2, hi), nil
}

// PowerCorrelation returns the power of the test of a Pearson correlation
// r with n pairs, by the formula of R's pwr::pwr.r.test (pwr is not
// installed in the reference R; the formula is reproduced there): the
// critical r from t with n-2 df, Fisher's z with the bias term r/(2(n-1)),
// and standard error 1/sqrt(n-3). Alternative Greater/Less are one-sided.
func PowerCorrelation(r float64, n float64, sigLevel float64, alt Alternative) (float64, error) {
	if sigLevel == 0 {
		sigLevel = 0.05
	}
	if !(n > 3) || !(r > -1 && r < 1) || !(sigLevel > 0 && sigLevel < 1) {
		return 0, fmt.Errorf("%w: correlation power needs n > 3, |r| < 1, have n = %g, r = %g", ErrInput, n, r)
	}
	return powerR(r, n, sigLevel, alt), nil
}

func powerR(r, n, sig float64, alt Alternative) float64 {
	switch alt {
	case TwoSided:
		r = math.Abs(r)
		ttt := qt(sig/2, n-2, false)
		rc := math.Sqrt(ttt * ttt / (ttt*ttt + n - 2))
		zr := math.Atanh(r) + r/(2*(n-1))
		zrc := math.Atanh(rc)
		return pnorm((zr-zrc)*math.Sqrt(n-3), true) + pnorm((-zr-zrc)*math.Sqrt(n-3), true)
	case Less:
		r = -r
	}
	ttt := qt(sig, n-2, false)
	rc := math.Sqrt(ttt * ttt / (ttt*ttt + n - 2))
	zr := math.Atanh(r) + r/(2*(n-1))
	zrc := math.Atanh(rc)
	return pnorm((zr-zrc)*math.Sqrt(n-3), true)
}

// SampleSizeCorrelation returns the (fractional) n at which the
// correlation test reaches the target power (pwr.r.test(power =)).
func SampleSizeCorrelation(r, sigLevel, power float64, alt Alternative) (float64, error) {
	if sigLevel == 0 {
		sigLevel = 0.05
	}
	if !(r > -1 && r < 1) || r == 0 || !(power > sigLevel && power < 1) {
		return 0, fmt.Errorf("%w: r = %g, power = %g", ErrInput, r, power)
	}
	f := func(n float64) float64 { return power - powerR(r, n, sigLevel, alt) }
	lo := 4.0 + 1e-10
	if f(lo) < 0 {
		return lo, nil
	}
	hi := 8.0
	for f(hi) > 0 {
		hi *= 2
		if hi > 1e9 {
			return 0, fmt.Errorf("%w: sample size beyond 1e9 (is r on the tested side?)", ErrInput)
		}
	}
	return bisect(f, lo, hi), nil
}

// String returns R's name of the design: "two.sample", "one.sample" or
// "paired".
func (t TTestType) String() string {
	switch t {
	case OneSample:
		return "one.sample"
	case Paired:
		return "paired"
	}
	return "two.sample"
}

// ParseTTestType reads R's name of a t-test design.
func ParseTTestType(s string) (TTestType, error) {
	for _, t := range []TTestType{TwoSample, OneSample, Paired} {
		if s == t.String() {
			return t, nil
		}
	}
	return 0, fmt.Errorf("%w: t-test design %q: want two.sample, one.sample or paired", ErrInput, s)
}

// PowerReport is a solved power calculation: the sample size N (per group
// for a two-sample t-test; fractional, as R gives it) and the Power, with
// a one-line description.
type PowerReport struct {
	N     float64 `json:"n"`
	Power float64 `json:"power"`
	Line  string  `json:"-"`
}

// SolvePowerT computes the power of the t-test o when o.N > 0, else the
// sample size that reaches power, as R's power.t.test.
func SolvePowerT(o PowerTOptions, power float64) (PowerReport, error) {
	if err := o.defaults(); err != nil {
		return PowerReport{}, err
	}
	head := fmt.Sprintf("%s t-test, ", o.Type)
	if o.N > 0 {
		p, err := PowerTTest(o)
		return PowerReport{N: o.N, Power: p, Line: head + fmt.Sprintf("n = %g, delta = %g, sd = %g, alpha = %g: power = %.4f", o.N, o.Delta, o.SD, o.SigLevel, p)}, err
	}
	n, err := SampleSizeTTest(o, power)
	return PowerReport{N: n, Power: power, Line: head + fmt.Sprintf("delta = %g, sd = %g, alpha = %g, power = %g: n = %.2f (use %d)",
		o.Delta, o.SD, o.SigLevel, power, n, int(math.Ceil(n)))}, err
}

// SolvePowerCorrelation computes the power of a test of correlation r with
// n pairs when n > 0, else the n that reaches power, as R's pwr.r.test.
func SolvePowerCorrelation(r, n, sigLevel, power float64, alt Alternative) (PowerReport, error) {
	if n > 0 {
		p, err := PowerCorrelation(r, n, sigLevel, alt)
		return PowerReport{N: n, Power: p, Line: fmt.Sprintf("correlation r = %g, n = %g, alpha = %g: power = %.4f", r, n, sigLevel, p)}, err
	}
	nn, err := SampleSizeCorrelation(r, sigLevel, power, alt)
	return PowerReport{N: nn, Power: power, Line: fmt.Sprintf("correlation r = %g, alpha = %g, power = %g: n = %.2f (use %d)",
		r, sigLevel, power, nn, int(math.Ceil(nn)))}, err
}
