package fit

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// checkSumInto refuses a merge (Options.SumInto) naming a component the
// basis does not have, a component into itself, or a chain (a target that
// is itself merged into another), which sumInto, merging in key order,
// would find already gone.
func checkSumInto(merge map[string]string, names []string) error {
	for _, from := range slices.Sorted(maps.Keys(merge)) {
		into := merge[from]
		_, chained := merge[into]
		if from == into || chained || !slices.Contains(names, from) || !slices.Contains(names, into) {
			return fmt.Errorf("fit: cannot sum %q into %q: want two different components of the basis (%v), the target not itself summed into another", from, into, names)
		}
	}
	return nil
}

// sumInto merges each component named by a key of merge into the
// component named by its value (Options.SumInto, checked by checkSumInto
// before the fit): amplitudes and spectra add, the covariance is that of
// the sum, the lineshape group is the target's; the merged component is
// removed. Keys are handled in sorted order, so the result does not
// depend on map order.
func (r *Result) sumInto(merge map[string]string) error {
	for _, from := range slices.Sorted(maps.Keys(merge)) {
		i, j := r.Index(merge[from]), r.Index(from)
		if i < 0 || j < 0 || i == j {
			return fmt.Errorf("fit: cannot sum %q into %q: not checked by checkSumInto", from, merge[from])
		}
		r.Amplitudes[i] += r.Amplitudes[j]
		for k := range r.Components[i] {
			r.Components[i][k] += r.Components[j][k]
		}
		r.Cov = summedCovariance(r.Cov, i, j)
		r.Names = slices.Delete(r.Names, j, j+1)
		r.Amplitudes = slices.Delete(r.Amplitudes, j, j+1)
		r.Components = slices.Delete(r.Components, j, j+1)
		r.Group = slices.Delete(r.Group, j, j+1)
		r.SD = make([]float64, len(r.Names))
		for k := range r.SD {
			r.SD[k] = math.Sqrt(math.Max(r.Cov.At(k, k), 0))
		}
	}
	return nil
}

// summedCovariance returns the covariance of the amplitudes after
// component j is added to component i and removed: row and column i
// become the sums of rows and columns i and j.
func summedCovariance(c *mat.SymDense, i, j int) *mat.SymDense {
	n := c.SymmetricDim()
	at := func(a, b int) float64 { // covariance with i standing for i+j
		v := c.At(a, b)
		if a == i {
			v += c.At(j, b)
		}
		if b == i {
			v += c.At(a, j)
		}
		if a == i && b == i {
			v += c.At(j, j)
		}
		return v
	}
	idx := make([]int, 0, n-1)
	for k := 0; k < n; k++ {
		if k != j {
			idx = append(idx, k)
		}
	}
	out := mat.NewSymDense(n-1, nil)
	for a, ka := range idx {
		for b := a; b < len(idx); b++ {
			out.SetSym(a, b, at(ka, idx[b]))
		}
	}
	return out
}
