// Package stats implements the hypothesis tests, correlations, linear models,
// effect sizes, multiple-comparison adjustments, bootstrap intervals and power
// calculations of a group study, computed as R (4.2, package stats) computes
// them, on top of gonum's special functions.
//
// Every function drops missing values (NaN) per analysis and reports the n it
// used; degenerate input (too few observations, zero variance, a singular
// design) returns an error wrapping one of the sentinel errors below, never a
// NaN passed off as a result. Confidence levels are fractions (0.95); a zero
// ConfLevel in an options struct means 0.95.
//
// What each function reproduces (all checked against R 4.2.2 to 1e-10
// relative unless R itself approximates; see testdata/README.md):
//
//	TTest, TTestSummary, OneSampleTTest, PairedTTest   t.test
//	MannWhitney                                        wilcox.test (exact, normal, conf.int);
//	                                                   exact with ties as coin's exact test
//	Correlation                                        cor.test (pearson, spearman with
//	                                                   AS 89, kendall tau-b)
//	PartialCorrelation                                 ppcor::pcor.test's test
//	CompareIndependent, CompareDependent               Fisher z; Steiger (1980) Z
//	LM (+ ParseFormula, Table)                         lm, summary.lm, confint, anova,
//	                                                   car::Anova types II/III, hatvalues,
//	                                                   rstandard, rstudent, cooks.distance
//	ShapiroWilk                                        shapiro.test
//	CohensD                                            d, Hedges' g, noncentral-t CI
//	PAdjust                                            p.adjust
//	Bootstrap, BootCI                                  boot::boot.ci (perc, bca)
//	PowerTTest, SampleSizeTTest                        power.t.test
//	PowerCorrelation, SampleSizeCorrelation            pwr::pwr.r.test
//
// The reference values used by the tests and the R script that made them
// are in testdata/.
package stats

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Sentinel errors wrapped by the functions of this package.
var (
	// ErrTooFew reports fewer observations than the method needs.
	ErrTooFew = errors.New("stats: not enough observations")
	// ErrConstant reports data with zero variance where variance is needed.
	ErrConstant = errors.New("stats: data are essentially constant")
	// ErrSingular reports a rank-deficient design matrix.
	ErrSingular = errors.New("stats: singular design matrix")
	// ErrInput reports arguments outside their domain.
	ErrInput = errors.New("stats: invalid input")
)

// Alternative is the alternative hypothesis of a test.
type Alternative int

const (
	// TwoSided tests "not equal".
	TwoSided Alternative = iota
	// Greater tests "greater than" (x > y, or association > 0).
	Greater
	// Less tests "less than".
	Less
)

// String returns R's name of the alternative: "two.sided", "greater", "less".
func (a Alternative) String() string {
	switch a {
	case Greater:
		return "greater"
	case Less:
		return "less"
	}
	return "two.sided"
}

// ParseAlternative reads "two.sided" (also "two-sided", "two"), "greater" or
// "less".
func ParseAlternative(s string) (Alternative, error) {
	switch strings.ToLower(s) {
	case "two.sided", "two-sided", "two", "2", "":
		return TwoSided, nil
	case "greater", "g", "more":
		return Greater, nil
	case "less", "l":
		return Less, nil
	}
	return TwoSided, fmt.Errorf("%w: alternative %q (want two.sided, greater or less)", ErrInput, s)
}

// MarshalText writes the R name, so JSON output reads "greater".
func (a Alternative) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// CI is a confidence interval; infinite ends mark one-sided intervals.
type CI struct {
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
	// Level is the confidence level, a fraction (0.95).
	Level float64 `json:"level"`
}

// MarshalJSON writes infinite ends (one-sided intervals) as null.
func (c CI) MarshalJSON() ([]byte, error) {
	end := func(v float64) string {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return "null"
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return []byte(`{"lower":` + end(c.Lower) + `,"upper":` + end(c.Upper) + `,"level":` + end(c.Level) + `}`), nil
}

func confLevel(c float64) (float64, error) {
	if c == 0 {
		return 0.95, nil
	}
	if !(c > 0 && c < 1) {
		return 0, fmt.Errorf("%w: confidence level %g not in (0, 1)", ErrInput, c)
	}
	return c, nil
}

// dropNaN returns the finite-or-infinite (non-NaN) values of x.
func dropNaN(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}

// dropNaNPairs keeps the pairs where neither x nor y is NaN.
func dropNaNPairs(x, y []float64) ([]float64, []float64, error) {
	if len(x) != len(y) {
		return nil, nil, fmt.Errorf("%w: x has %d values, y has %d", ErrInput, len(x), len(y))
	}
	xs := make([]float64, 0, len(x))
	ys := make([]float64, 0, len(y))
	for i := range x {
		if math.IsNaN(x[i]) || math.IsNaN(y[i]) {
			continue
		}
		xs = append(xs, x[i])
		ys = append(ys, y[i])
	}
	return xs, ys, nil
}

// checkFiniteXY checks two samples named x and y (checkFinite).
func checkFiniteXY(x, y []float64) error {
	if err := checkFinite("x", x); err != nil {
		return err
	}
	return checkFinite("y", y)
}

func checkFinite(name string, x []float64) error {
	for i, v := range x {
		if math.IsInf(v, 0) {
			return fmt.Errorf("%w: %s[%d] is infinite", ErrInput, name, i)
		}
	}
	return nil
}

// Mean returns the arithmetic mean of x (NaN when x is empty).
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	m := s / float64(len(x))
	// second pass as R's mean does, for accuracy
	t := 0.0
	for _, v := range x {
		t += v - m
	}
	return m + t/float64(len(x))
}

// Variance returns the sample variance of x (denominator n-1).
func Variance(x []float64) float64 {
	n := len(x)
	if n < 2 {
		return math.NaN()
	}
	m := Mean(x)
	s := 0.0
	for _, v := range x {
		d := v - m
		s += d * d
	}
	return s / float64(n-1)
}

// Rank returns the ranks of x (1-based), ties given their mean rank, as R's
// rank(x) with ties.method = "average".
func Rank(x []float64) []float64 {
	n := len(x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && x[idx[j]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // mean of ranks i+1..j
		for k := i; k < j; k++ {
			r[idx[k]] = avg
		}
		i = j
	}
	return r
}

// tieCounts returns the sizes of the groups of equal values in x (all
// groups, including singletons).
func tieCounts(x []float64) []float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	var out []float64
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j] == s[i] {
			j++
		}
		out = append(out, float64(j-i))
		i = j
	}
	return out
}

func hasTies(x []float64) bool {
	for _, c := range tieCounts(x) {
		if c > 1 {
			return true
		}
	}
	return false
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
