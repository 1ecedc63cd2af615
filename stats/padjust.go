package stats

import (
	"fmt"
	"math"
	"sort"
)

// AdjustMethod names a multiple-comparison adjustment of R's p.adjust.
type AdjustMethod string

// Adjustment methods.
const (
	Bonferroni AdjustMethod = "bonferroni"
	Holm       AdjustMethod = "holm"
	Hochberg   AdjustMethod = "hochberg"
	BH         AdjustMethod = "BH"
	BY         AdjustMethod = "BY"
)

// PAdjust adjusts p-values as R's p.adjust(p, method): NaN entries stay NaN
// and do not count towards the number of tests.
func PAdjust(p []float64, method AdjustMethod) ([]float64, error) {
	out := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		if math.IsNaN(v) {
			out[i] = math.NaN()
			continue
		}
		if v < 0 || v > 1 {
			return nil, fmt.Errorf("%w: p-value %d is %g", ErrInput, i+1, v)
		}
		idx = append(idx, i)
	}
	n := len(idx)
	if n == 0 {
		return out, nil
	}
	fn := float64(n)
	// order of the non-missing p-values, ascending
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	switch method {
	case Bonferroni:
		for _, i := range idx {
			out[i] = math.Min(1, fn*p[i])
		}
	case Holm:
		run := 0.0
		for k, i := range idx {
			run = math.Max(run, (fn-float64(k))*p[i])
			out[i] = math.Min(1, run)
		}
	case Hochberg, BH, BY:
		q := 1.0
		if method == BY {
			q = 0
			for k := 1; k <= n; k++ {
				q += 1 / float64(k)
			}
		}
		run := math.Inf(1)
		for k := n - 1; k >= 0; k-- {
			i := idx[k]
			var v float64
			if method == Hochberg {
				v = (fn - float64(k)) * p[i]
			} else {
				v = q * fn / float64(k+1) * p[i]
			}
			run = math.Min(run, v)
			out[i] = math.Min(1, run)
		}
	default:
		return nil, fmt.Errorf("%w: adjustment method %q (want bonferroni, holm, hochberg, BH or BY)", ErrInput, method)
	}
	return out, nil
}
