package fit

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/basis"
	"glusleep/mrs/sim"
)

// Fit refuses a basis set made for another acquisition — dwell time,
// frequency or fewer points than the data — with an error wrapping
// ErrBasis and basis.ErrMismatch that names both values; it never fits it.
func TestFitRefusesMismatchedBasis(t *testing.T) {
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025, Nucleus: "1H"}
	names, fids := toyBasis(p, 1024)
	data := synthData(p, fids, []float64{3, 2, 1, 1, 1}, 3, 0, 0, 0, 0.01, rand.New(rand.NewPCG(1, 2)))
	good := newSet(names, fids, p)
	if _, err := Fit(data, p, good, Options{NoBaseline: true}); err != nil {
		t.Fatalf("matching basis: %v", err)
	}
	for _, c := range []struct {
		name string
		set  *basis.Set
		data []complex128
		want string
	}{
		{"dwell", newSet(names, fids, mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.0005}), data, "dwell 0.0005 s, data 0.00025 s"},
		{"frequency (1.5 T basis, 3 T data)", newSet(names, fids, mrs.Params{SpectrometerFrequency: 63.87, Dwell: 0.00025}), data, "63.87 MHz, data acquired at 123.2 MHz"},
		{"points", good, append(data, data...), "1024 points, data 2048"},
		{"nil", nil, data, "no basis set"},
	} {
		_, err := Fit(c.data, p, c.set, Options{NoBaseline: true})
		if !errors.Is(err, ErrBasis) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want ErrBasis naming %q", c.name, err, c.want)
		}
		if c.set != nil && !errors.Is(err, basis.ErrMismatch) {
			t.Errorf("%s: %v does not wrap basis.ErrMismatch", c.name, err)
		}
	}
}

// Fit a 3 T PRESS spectrum of known composition (2 units of Cr, 3 of
// NAA, 4 Hz Lorentzian lines, a little noise) with a basis simulated for
// it.
func ExampleFit() {
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025, Nucleus: "1H", EchoTime: 0.030}
	set, err := basis.Simulate(sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}, p.SpectrometerFrequency, p.Dwell, 2048, []string{"Cr", "NAA"})
	if err != nil {
		fmt.Println(err)
		return
	}
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]complex128, 2048)
	for k := range data {
		decay := cmplx.Exp(complex(-math.Pi*4*float64(k)*p.Dwell, 0))
		data[k] = (2*set.FIDs[0][k]+3*set.FIDs[1][k])*decay + complex(0.05*rng.NormFloat64(), 0.05*rng.NormFloat64())
	}
	res, err := Fit(data, p, set, Options{NoBaseline: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, n := range res.Names {
		fmt.Printf("%s %.2f\n", n, res.Amplitudes[i])
	}
	// Output:
	// Cr 2.00
	// NAA 3.00
}
