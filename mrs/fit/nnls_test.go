package fit

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Closed-form cases: with an orthonormal design the NNLS solution is the
// unconstrained one clipped at zero.
func TestNNLSGram(t *testing.T) {
	cases := []struct {
		g    []float64
		h    []float64
		want []float64
	}{
		{[]float64{1, 0, 0, 1}, []float64{2, -1}, []float64{2, 0}},
		{[]float64{1, 0, 0, 1}, []float64{3, 4}, []float64{3, 4}},
		// Correlated columns: unconstrained solution (−1, 2) → a1 clipped,
		// then a2 = h2/g22 = 1.5/1.
		{[]float64{1, 0.5, 0.5, 1}, []float64{0, 1.5}, []float64{0, 1.5}},
		{[]float64{2, 1, 1, 2}, []float64{-1, -1}, []float64{0, 0}},
	}
	for i, c := range cases {
		got := nnlsGram(mat.NewSymDense(2, c.g), c.h)
		for j := range got {
			if math.Abs(got[j]-c.want[j]) > 1e-12 {
				t.Errorf("case %d: got %v, want %v", i, got, c.want)
			}
		}
	}
}
