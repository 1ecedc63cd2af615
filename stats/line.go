package stats

import (
	"fmt"
	"math"
)

// LineFit is the least-squares line y = Intercept + Slope·x of a simple
// linear regression (R's lm(y ~ x)).
type LineFit struct {
	// N is the number of (x, y) pairs; DF = N − 2 the residual degrees of
	// freedom.
	N  int
	DF float64
	// Intercept and Slope are the least-squares coefficients.
	Intercept, Slope float64
	// MeanX and Sxx are x̄ and Σ(x − x̄)², MeanY is ȳ.
	MeanX, MeanY, Sxx float64
	// Sigma is the residual standard error √(RSS/(N − 2)) (R's sigma()).
	Sigma float64
}

// FitLine fits y = a + b·x by least squares. It needs at least three
// finite pairs and x values that are not all equal.
func FitLine(x, y []float64) (LineFit, error) {
	if len(x) != len(y) {
		return LineFit{}, fmt.Errorf("%w: %d x values, %d y values", ErrInput, len(x), len(y))
	}
	if len(x) < 3 {
		return LineFit{}, fmt.Errorf("%w: %d points, a line with a confidence band needs at least 3", ErrInput, len(x))
	}
	for i := range x {
		if math.IsNaN(x[i]) || math.IsInf(x[i], 0) || math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			return LineFit{}, fmt.Errorf("%w: point %d (%g, %g) is not finite", ErrInput, i+1, x[i], y[i])
		}
	}
	f := LineFit{N: len(x), DF: float64(len(x) - 2), MeanX: Mean(x), MeanY: Mean(y)}
	var sxy float64
	for i := range x {
		dx := x[i] - f.MeanX
		sxy += dx * (y[i] - f.MeanY)
		f.Sxx += dx * dx
	}
	if !(f.Sxx > 0) {
		return LineFit{}, fmt.Errorf("%w: every x is %g: no slope", ErrInput, x[0])
	}
	f.Slope = sxy / f.Sxx
	f.Intercept = f.MeanY - f.Slope*f.MeanX
	var rss float64
	for i := range x {
		e := y[i] - f.MeanY - f.Slope*(x[i]-f.MeanX)
		rss += e * e
	}
	f.Sigma = math.Sqrt(rss / f.DF)
	return f, nil
}

// At returns the fitted mean response at x0.
func (f LineFit) At(x0 float64) float64 { return f.MeanY + f.Slope*(x0-f.MeanX) }

// ConfidenceBand returns, at each x0, the fitted mean response and the
// limits of its two-sided confidence interval at level (e.g. 0.95):
// ŷ ± t(1 − (1 − level)/2; N − 2)·σ̂·√(1/N + (x0 − x̄)²/Sxx), as R's
// predict(lm(y ~ x), newdata, interval = "confidence", level = level).
func (f LineFit) ConfidenceBand(x0 []float64, level float64) (fit, lower, upper []float64, err error) {
	if !(level > 0 && level < 1) {
		return nil, nil, nil, fmt.Errorf("%w: confidence level %g (want between 0 and 1)", ErrInput, level)
	}
	if f.N < 3 || !(f.Sxx > 0) {
		return nil, nil, nil, fmt.Errorf("%w: the line is not fitted (use FitLine)", ErrInput)
	}
	tq := qt(1-(1-level)/2, f.DF, true)
	n := float64(f.N)
	fit, lower, upper = make([]float64, len(x0)), make([]float64, len(x0)), make([]float64, len(x0))
	for i, x := range x0 {
		d := x - f.MeanX
		hw := tq * f.Sigma * math.Sqrt(1/n+d*d/f.Sxx)
		fit[i] = f.At(x)
		lower[i], upper[i] = fit[i]-hw, fit[i]+hw
	}
	return fit, lower, upper, nil
}
