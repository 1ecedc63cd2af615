package fit

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The Gram matrix of two equal columns is singular: factorizeRidged
// factorises it with a small ridge (1e-12 of its mean diagonal is not
// enough in floating point for an exactly singular matrix, 1e-9 is), so
// the Jacobian projection is kept; a matrix without a finite diagonal is
// refused.
func TestFactorizeRidged(t *testing.T) {
	for _, c := range []struct {
		name string
		g    []float64
		ok   bool
	}{
		{"positive definite", []float64{2, 1, 1, 2}, true},
		{"equal columns", []float64{4, 4, 4, 4}, true},
		{"condition beyond 1e16", []float64{1, 1, 1, 1 + 1e-17}, true},
		{"zero", []float64{0, 0, 0, 0}, false},
		{"NaN", []float64{math.NaN(), 0, 0, 1}, false},
	} {
		g := mat.NewSymDense(2, append([]float64(nil), c.g...))
		var ch mat.Cholesky
		got := factorizeRidged(&ch, g)
		if got != c.ok {
			t.Errorf("%s: factorised %v, want %v", c.name, got, c.ok)
			continue
		}
		if !got {
			continue
		}
		if ch.Cond() >= mat.ConditionTolerance {
			t.Errorf("%s: factor's condition %g, want below %g", c.name, ch.Cond(), mat.ConditionTolerance)
		}
		// The ridge is small: the factor reproduces g to 1e-6 of its
		// diagonal.
		var back mat.SymDense
		ch.ToSym(&back)
		for i := 0; i < 2; i++ {
			for j := 0; j < 2; j++ {
				if d := math.Abs(back.At(i, j) - c.g[2*i+j]); d > 1e-6*c.g[0] {
					t.Errorf("%s: factor gives %g at (%d,%d), want %g", c.name, back.At(i, j), i, j, c.g[2*i+j])
				}
			}
		}
	}
}

func TestUsableSolve(t *testing.T) {
	if !usable(nil) || !usable(mat.Condition(1e18)) {
		t.Error("a solve without error or with only an ill-conditioning warning must be usable")
	}
	if usable(errors.New("dimension mismatch")) {
		t.Error("a failed solve was taken as usable")
	}
}
