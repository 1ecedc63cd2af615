package stats

import (
	"fmt"
	"math"
	"sort"
)

// NormalityResult is a Shapiro–Wilk test of normality.
type NormalityResult struct {
	// W is the Shapiro–Wilk statistic (1 for perfectly normal order
	// statistics), P its p-value, N the number of non-missing values.
	W float64 `json:"w"`
	P float64 `json:"p"`
	N int     `json:"n"`
}

// ShapiroWilk tests x for normality with Royston's (1995) algorithm AS R94,
// as R's shapiro.test: 3 <= n <= 5000, coefficients from Royston's
// polynomial approximations, the exact p-value for n = 3 and normalizing
// transformations of 1 - W for 4 <= n <= 11 and n >= 12.
func ShapiroWilk(x []float64) (NormalityResult, error) {
	x = dropNaN(x)
	if err := checkFinite("x", x); err != nil {
		return NormalityResult{}, err
	}
	n := len(x)
	if n < 3 || n > 5000 {
		return NormalityResult{}, fmt.Errorf("%w: Shapiro–Wilk needs 3 to 5000 values, have %d", ErrTooFew, n)
	}
	xs := append([]float64(nil), x...)
	sort.Float64s(xs)
	rng := xs[n-1] - xs[0]
	if rng < 1e-10 {
		return NormalityResult{}, fmt.Errorf("%w: all values are identical", ErrConstant)
	}
	if rng*(1+1e-10) < 1 {
		for i := range xs {
			xs[i] /= rng
		}
		rng = xs[n-1] - xs[0]
	}
	fn := float64(n)
	half := n / 2
	// a[k], k = 0..half-1: coefficient of the k-th largest order statistic
	a := make([]float64, half)
	if n == 3 {
		a[0] = math.Sqrt(0.5)
	} else {
		m := make([]float64, half)
		summ2 := 0.0
		for k := range m {
			m[k] = qnorm((float64(k+1)-0.375)/(fn+0.25), true)
			summ2 += m[k] * m[k]
		}
		summ2 *= 2
		ssumm2 := math.Sqrt(summ2)
		rsn := 1 / math.Sqrt(fn)
		a1 := polyval([]float64{0, .221157, -.147981, -2.07119, 4.434685, -2.706056}, rsn) - m[0]/ssumm2
		var fac float64
		start := 1
		if n > 5 {
			start = 2
			a2 := -m[1]/ssumm2 + polyval([]float64{0, .042981, -.293762, -1.752461, 5.682633, -3.582633}, rsn)
			fac = math.Sqrt((summ2 - 2*m[0]*m[0] - 2*m[1]*m[1]) / (1 - 2*a1*a1 - 2*a2*a2))
			a[1] = a2
		} else {
			fac = math.Sqrt((summ2 - 2*m[0]*m[0]) / (1 - 2*a1*a1))
		}
		a[0] = a1
		for k := start; k < half; k++ {
			a[k] = -m[k] / fac
		}
	}
	// antisymmetric coefficient vector over the sorted sample
	c := make([]float64, n)
	for k := 0; k < half; k++ {
		c[k] = -a[k]
		c[n-1-k] = a[k]
	}
	ca, xa := 0.0, 0.0
	for i := range c {
		ca += c[i]
		xa += xs[i] / rng
	}
	ca /= fn
	xa /= fn
	var ssa, ssx, sax float64
	for i := range c {
		u := c[i] - ca
		v := xs[i]/rng - xa
		ssa += u * u
		ssx += v * v
		sax += u * v
	}
	r := math.Sqrt(ssa * ssx)
	w1 := (r - sax) * (r + sax) / (ssa * ssx)
	res := NormalityResult{W: 1 - w1, N: n}
	if n == 3 {
		res.P = math.Max(0, 6/math.Pi*(math.Asin(math.Sqrt(res.W))-math.Asin(math.Sqrt(0.75))))
		return res, nil
	}
	y := math.Log(w1)
	var mu, s float64
	if n <= 11 {
		gamma := polyval([]float64{-2.273, .459}, fn)
		if y >= gamma {
			res.P = 1e-99
			return res, nil
		}
		y = -math.Log(gamma - y)
		mu = polyval([]float64{.544, -.39978, .025054, -6.714e-4}, fn)
		s = math.Exp(polyval([]float64{1.3822, -.77857, .062767, -.0020322}, fn))
	} else {
		lx := math.Log(fn)
		mu = polyval([]float64{-1.5861, -.31082, -.083751, .0038915}, lx)
		s = math.Exp(polyval([]float64{-.4803, -.082676, .0030302}, lx))
	}
	res.P = pnorm((y-mu)/s, false)
	return res, nil
}

// polyval evaluates c[0] + c[1] x + c[2] x² + ... by Horner's rule.
func polyval(c []float64, x float64) float64 {
	v := 0.0
	for i := len(c) - 1; i >= 0; i-- {
		v = v*x + c[i]
	}
	return v
}
