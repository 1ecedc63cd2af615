package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// PartialCorrelation correlates x and y after removing the linear effect of
// the covariates (each a column as long as x), over the rows complete in all
// of them. Pearson residualizes x and y by least squares on the covariates
// (with intercept); Spearman does the same on ranks. The t test has
// n - 2 - k degrees of freedom and the Fisher-z interval standard error
// 1/sqrt(n - 3 - k) (Spearman: sqrt(1.06/(n - 3 - k))), k the number of
// covariates (the test as R's ppcor::pcor.test; the interval follows
// cor.test with the reduced df).
func PartialCorrelation(x, y []float64, covars [][]float64, opt CorOptions) (CorResult, error) {
	if opt.Method == Kendall {
		return CorResult{}, fmt.Errorf("%w: partial Kendall correlation is not supported", ErrInput)
	}
	cl, err := confLevel(opt.ConfLevel)
	if err != nil {
		return CorResult{}, err
	}
	n0 := len(x)
	if len(y) != n0 {
		return CorResult{}, fmt.Errorf("%w: x has %d values, y has %d", ErrInput, n0, len(y))
	}
	for j, c := range covars {
		if len(c) != n0 {
			return CorResult{}, fmt.Errorf("%w: covariate %d has %d values, x has %d", ErrInput, j+1, len(c), n0)
		}
	}
	var keep []int
	for i := 0; i < n0; i++ {
		ok := !math.IsNaN(x[i]) && !math.IsNaN(y[i])
		for _, c := range covars {
			ok = ok && !math.IsNaN(c[i])
		}
		if ok {
			keep = append(keep, i)
		}
	}
	n, k := len(keep), len(covars)
	if n-3-k < 1 {
		return CorResult{}, fmt.Errorf("%w: partial correlation with %d covariates needs %d complete rows, have %d", ErrTooFew, k, k+4, n)
	}
	sub := func(v []float64) []float64 {
		o := make([]float64, n)
		for i, r := range keep {
			o[i] = v[r]
		}
		if opt.Method == Spearman {
			return Rank(o)
		}
		return o
	}
	xs, ys := sub(x), sub(y)
	design := mat.NewDense(n, k+1, nil)
	for i := 0; i < n; i++ {
		design.Set(i, 0, 1)
	}
	for j, c := range covars {
		cs := sub(c)
		for i := range cs {
			design.Set(i, j+1, cs[i])
		}
	}
	rx, err := residualize(design, xs)
	if err != nil {
		return CorResult{}, err
	}
	ry, err := residualize(design, ys)
	if err != nil {
		return CorResult{}, err
	}
	if Variance(rx) <= 1e-12*Variance(xs) || Variance(ry) <= 1e-12*Variance(ys) {
		return CorResult{}, fmt.Errorf("%w: x or y is explained exactly by the covariates", ErrConstant)
	}
	res := CorResult{Method: opt.Method, N: n, Alternative: opt.Alternative}
	pearsonTest(&res, pearsonR(rx, ry), float64(n-2-k), n, cl, opt.Alternative)
	if opt.Method == Spearman {
		res.Exact = false
		res.Note = "partial Spearman: Pearson on ranks, t approximation"
		res.CI = fisherCI(res.Estimate, spearmanSE(float64(n-k)), cl, opt.Alternative)
	}
	return res, nil
}

func residualize(design *mat.Dense, v []float64) ([]float64, error) {
	var qr mat.QR
	qr.Factorize(design)
	_, p := design.Dims()
	var r mat.Dense
	qr.RTo(&r)
	for j := 0; j < p; j++ {
		if math.Abs(r.At(j, j)) < 1e-7*math.Max(1, math.Abs(r.At(0, 0))) {
			return nil, fmt.Errorf("%w: covariates are collinear", ErrSingular)
		}
	}
	var b mat.VecDense
	if err := qr.SolveVecTo(&b, false, mat.NewVecDense(len(v), v)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSingular, err)
	}
	var fit mat.VecDense
	fit.MulVec(design, &b)
	out := make([]float64, len(v))
	for i := range v {
		out[i] = v[i] - fit.AtVec(i)
	}
	return out, nil
}

// CompareResult is the test of a difference between two correlations.
type CompareResult struct {
	Method string `json:"method"`
	// Z is the standard normal statistic, P its p-value.
	Z           float64     `json:"z"`
	P           float64     `json:"p"`
	Alternative Alternative `json:"alternative"`
}

// normalP is the p-value of a standard normal statistic z for the
// alternative.
func normalP(z float64, alt Alternative) float64 {
	switch alt {
	case Greater:
		return pnorm(z, false)
	case Less:
		return pnorm(z, true)
	}
	return 2 * pnorm(-math.Abs(z), true)
}

func checkR(name string, r float64) error {
	if !(r > -1 && r < 1) {
		return fmt.Errorf("%w: correlation %s = %g not in (-1, 1)", ErrInput, name, r)
	}
	return nil
}

// CompareIndependent tests r1 (from n1 pairs) against r2 (from n2 pairs of
// an independent sample) by Fisher's z: z = (atanh r1 - atanh r2) /
// sqrt(1/(n1-3) + 1/(n2-3)); Greater means r1 > r2.
func CompareIndependent(r1 float64, n1 int, r2 float64, n2 int, alt Alternative) (CompareResult, error) {
	if err := checkR("r1", r1); err != nil {
		return CompareResult{}, err
	}
	if err := checkR("r2", r2); err != nil {
		return CompareResult{}, err
	}
	if n1 < 4 || n2 < 4 {
		return CompareResult{}, fmt.Errorf("%w: Fisher z comparison needs n >= 4 per sample, have %d and %d", ErrTooFew, n1, n2)
	}
	z := (math.Atanh(r1) - math.Atanh(r2)) / math.Sqrt(1/float64(n1-3)+1/float64(n2-3))
	return CompareResult{Method: "Fisher z test of two independent correlations", Z: z, P: normalP(z, alt), Alternative: alt}, nil
}

// CompareDependent tests two correlations that share a variable, r12 =
// r(j,k) against r13 = r(j,h), measured on the same n subjects, with r23 =
// r(k,h), by Steiger's (1980, Psychol Bull 87:245, eq. 14) Z with the
// pooled correlation r̄ = (r12 + r13)/2:
//
//	Z = (atanh r12 - atanh r13) sqrt(n-3) / sqrt(2 - 2c),
//	c = [r23(1 - 2r̄²) - r̄²(1 - 2r̄² - r23²)/2] / (1 - r̄²)².
func CompareDependent(r12, r13, r23 float64, n int, alt Alternative) (CompareResult, error) {
	for _, c := range []struct {
		n string
		r float64
	}{{"r12", r12}, {"r13", r13}, {"r23", r23}} {
		if err := checkR(c.n, c.r); err != nil {
			return CompareResult{}, err
		}
	}
	if n < 4 {
		return CompareResult{}, fmt.Errorf("%w: Steiger's test needs n >= 4, have %d", ErrTooFew, n)
	}
	rm := (r12 + r13) / 2
	rm2 := rm * rm
	c := (r23*(1-2*rm2) - 0.5*rm2*(1-2*rm2-r23*r23)) / ((1 - rm2) * (1 - rm2))
	if !(2-2*c > 0) {
		return CompareResult{}, fmt.Errorf("%w: covariance term %g makes the variance non-positive", ErrInput, c)
	}
	z := (math.Atanh(r12) - math.Atanh(r13)) * math.Sqrt(float64(n-3)) / math.Sqrt(2-2*c)
	return CompareResult{Method: "Steiger (1980) Z test of two dependent overlapping correlations", Z: z, P: normalP(z, alt), Alternative: alt}, nil
}
