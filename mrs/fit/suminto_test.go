package fit

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The merged component carries the sum of the amplitudes and spectra and
// the variance of the sum, Var(a)+Var(b)+2Cov(a,b), worked by hand.
func TestSumInto(t *testing.T) {
	newRes := func() *Result {
		cov := mat.NewSymDense(3, []float64{
			4, 1, 0.5,
			1, 9, -2,
			0.5, -2, 16,
		})
		return &Result{
			Names:      []string{"Cr", "Lac", "LacIP"},
			Amplitudes: []float64{10, 6, 2},
			SD:         []float64{2, 3, 4},
			Cov:        cov,
			Group:      []int{0, 0, 1},
			Components: [][]complex128{{1, 0}, {0, 2}, {0, 1i}},
		}
	}
	for _, c := range []struct {
		name    string
		merge   map[string]string
		names   []string
		amps    []float64
		sd      []float64
		cov01   float64
		lacSpec []complex128
		wantErr bool
	}{
		{"none", nil, []string{"Cr", "Lac", "LacIP"}, []float64{10, 6, 2}, []float64{2, 3, 4}, 1, []complex128{0, 2}, false},
		// Var = 9 + 16 + 2·(−2) = 21; Cov(Cr, Lac+LacIP) = 1 + 0.5.
		{"LacIP into Lac", map[string]string{"LacIP": "Lac"}, []string{"Cr", "Lac"}, []float64{10, 8}, []float64{2, math.Sqrt(21)}, 1.5, []complex128{0, 2 + 1i}, false},
		{"missing target", map[string]string{"LacIP": "Glu"}, nil, nil, nil, 0, nil, true},
		{"into itself", map[string]string{"Lac": "Lac"}, nil, nil, nil, 0, nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRes()
			err := r.sumInto(c.merge)
			if c.wantErr {
				if err == nil {
					t.Fatalf("no error; names %v", r.Names)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.Names, c.names) || !slices.Equal(r.Amplitudes, c.amps) || len(r.Group) != len(c.names) || len(r.Components) != len(c.names) {
				t.Fatalf("names %v amplitudes %v groups %v, want %v %v", r.Names, r.Amplitudes, r.Group, c.names, c.amps)
			}
			for i := range c.sd {
				if math.Abs(r.SD[i]-c.sd[i]) > 1e-12 {
					t.Errorf("SD %v, want %v", r.SD, c.sd)
				}
			}
			if r.Cov.At(0, 1) != c.cov01 || r.Cov.SymmetricDim() != len(c.names) {
				t.Errorf("Cov(Cr, Lac) %g (dim %d), want %g", r.Cov.At(0, 1), r.Cov.SymmetricDim(), c.cov01)
			}
			if !slices.Equal(r.Components[1], c.lacSpec) {
				t.Errorf("Lac spectrum %v, want %v", r.Components[1], c.lacSpec)
			}
		})
	}
}

// A chain or a cycle of merges is refused before the fit (checkSumInto),
// not found half-merged after it.
func TestCheckSumIntoChains(t *testing.T) {
	names := []string{"Cr", "Lac", "LacIP"}
	for _, c := range []struct {
		name  string
		merge map[string]string
		ok    bool
	}{
		{"one merge", map[string]string{"LacIP": "Lac"}, true},
		{"chain", map[string]string{"LacIP": "Lac", "Lac": "Cr"}, false},
		{"cycle", map[string]string{"LacIP": "Lac", "Lac": "LacIP"}, false},
		{"not in the basis", map[string]string{"Glu": "Lac"}, false},
	} {
		if err := checkSumInto(c.merge, names); (err == nil) != c.ok {
			t.Errorf("%s: error %v, want accepted %v", c.name, err, c.ok)
		}
	}
}
