package stats

import (
	"fmt"
	"math"
)

// Agreement is the Bland–Altman agreement of two methods measuring the
// same quantity on the same N items (Bland & Altman, Lancet 1986;
// i:307–310): the differences d = a − b (or, for BlandAltmanPercent, the
// percentage differences), their mean (the bias), their sample SD
// (denominator N − 1) and the 95 % limits of agreement Bias ∓ 1.96 SD,
// in the units of the data (percent for BlandAltmanPercent).
type Agreement struct {
	// N is the number of complete pairs used (pairs with a NaN are left
	// out).
	N int
	// Bias is the mean difference, a − b.
	Bias float64
	// SD is the sample standard deviation of the differences.
	SD float64
	// Lower and Upper are the 95 % limits of agreement, Bias − 1.96 SD
	// and Bias + 1.96 SD.
	Lower, Upper float64
	// BiasLow and BiasHigh are the 95 % confidence interval of the bias,
	// Bias ∓ t(0.975, N − 1) SD/√N.
	BiasLow, BiasHigh float64
}

// BlandAltman returns the agreement of a with b (differences a[i] − b[i]).
// Pairs where either value is NaN are left out; at least two complete
// pairs are needed.
func BlandAltman(a, b []float64) (Agreement, error) {
	return agreement(a, b, func(x, y float64) float64 { return x - y })
}

// BlandAltmanPercent returns the agreement of a with b on percentage
// differences, 100 (a[i] − b[i]) / ((a[i] + b[i]) / 2): the usual form
// when the spread of the differences grows with the value (Bland &
// Altman, Stat Methods Med Res 1999;8:135–160). A pair whose mean is 0 is
// an error.
func BlandAltmanPercent(a, b []float64) (Agreement, error) {
	return agreement(a, b, func(x, y float64) float64 { return 200 * (x - y) / (x + y) })
}

func agreement(a, b []float64, diff func(x, y float64) float64) (Agreement, error) {
	xs, ys, err := dropNaNPairs(a, b)
	if err != nil {
		return Agreement{}, err
	}
	if len(xs) < 2 {
		return Agreement{}, fmt.Errorf("%w: Bland–Altman agreement needs 2 complete pairs, have %d", ErrTooFew, len(xs))
	}
	d := make([]float64, len(xs))
	for i := range xs {
		d[i] = diff(xs[i], ys[i])
		if math.IsInf(d[i], 0) || math.IsNaN(d[i]) {
			return Agreement{}, fmt.Errorf("%w: pair %d (%g, %g) gives difference %g", ErrInput, i, xs[i], ys[i], d[i])
		}
	}
	r := Agreement{N: len(d), Bias: Mean(d), SD: math.Sqrt(Variance(d))}
	r.Lower, r.Upper = r.Bias-1.96*r.SD, r.Bias+1.96*r.SD
	h := qt(0.975, float64(r.N-1), true) * r.SD / math.Sqrt(float64(r.N))
	r.BiasLow, r.BiasHigh = r.Bias-h, r.Bias+h
	return r, nil
}
