package basis

import (
	"math"
	"math/cmplx"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/sim"
)

// A set simulated at dwell d and decimated by k is the set simulated at
// dwell k·d: the simulator evaluates each line at the sample times, so the
// two agree to rounding.
func TestDecimateMatchesCoarserSimulation(t *testing.T) {
	q := sim.Sequence{Kind: "press", TE1: 0.0175, TE2: 0.0175}
	names := []string{"NAA", "Cr"}
	for _, k := range []int{2, 4} {
		fine, err := Simulate(q, 127.7, 0.00025, 512*k, names)
		if err != nil {
			t.Fatal(err)
		}
		coarse, err := Simulate(q, 127.7, 0.00025*float64(k), 512, names)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fine.Decimate(k)
		if err != nil {
			t.Fatal(err)
		}
		if got.Params.Dwell != coarse.Params.Dwell || got.Points() != coarse.Points() {
			t.Fatalf("k=%d: dwell %g s, %d points; want %g s, %d", k, got.Params.Dwell, got.Points(), coarse.Params.Dwell, coarse.Points())
		}
		for i := range names {
			worst := 0.0
			for j, v := range coarse.FIDs[i] {
				if d := cmplx.Abs(got.FIDs[i][j]-v) / cmplx.Abs(coarse.FIDs[i][0]); d > worst {
					worst = d
				}
			}
			if worst > 1e-9 {
				t.Errorf("k=%d %s: largest difference %.3g of FID(0)", k, names[i], worst)
			}
		}
		if err := got.Match(coarse.Params, 512); err != nil {
			t.Errorf("k=%d: decimated set does not match the coarse grid: %v", k, err)
		}
	}
}

func TestDecimationFactor(t *testing.T) {
	for _, c := range []struct {
		basis, data float64
		want        int
	}{
		{0.00025, 0.0005, 2},
		{0.00025, 0.001, 4},
		{0.0005, 0.0005, 1},
		{0.0005, 0.00025, 1}, // a coarser basis cannot be refined
		{0.0004, 0.001, 1},   // 2.5: not a whole number
		{0, 0.0005, 1},       // unknown basis dwell
		{0.00025, 0.000500001, 2},
		{0.00025, 0.004, 16},
		{0.00025, 0.00425, 1}, // 17: beyond MaxDecimation
		{0.00025, 0.25, 1},    // 1000
	} {
		if got := DecimationFactor(c.basis, c.data); got != c.want {
			t.Errorf("DecimationFactor(%g, %g) = %d, want %d", c.basis, c.data, got, c.want)
		}
	}
}

// Macromolecule and lipid components added to a set are in its units: a
// set whose metabolite signals are twice glusleep's (proton scale 2) gets
// components twice as large.
func TestWithBroadFollowsProtonScale(t *testing.T) {
	q := sim.Sequence{Kind: "press", TE1: 0.0175, TE2: 0.0175}
	one, err := Simulate(q, 127.7, 0.0005, 256, []string{"Cr"})
	if err != nil {
		t.Fatal(err)
	}
	two := *one
	two.ProtonScale = 2
	a, err := one.WithBroad(sim.LCModelMacromolecules[:1])
	if err != nil {
		t.Fatal(err)
	}
	b, err := two.WithBroad(sim.LCModelMacromolecules[:1])
	if err != nil {
		t.Fatal(err)
	}
	for j, v := range a.FIDs[1] {
		if cmplx.Abs(b.FIDs[1][j]-2*v) > 1e-12*cmplx.Abs(a.FIDs[1][0]) {
			t.Fatalf("point %d: %v, want 2×%v", j, b.FIDs[1][j], v)
		}
	}
}

// A .BASIS file sampled twice as often as the data (as Osprey's Philips
// sets are: 0.25 ms for 0.5 ms data) is given to the fit decimated, and
// matches the data's grid.
func TestSourceDecimatesFileBasis(t *testing.T) {
	q := sim.Sequence{Kind: "press", TE1: 0.0175, TE2: 0.0175}
	fine, err := Simulate(q, 127.7, 0.00025, 2048, []string{"NAA", "Cr"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fine.BASIS")
	if err := fine.WriteLCModel(path); err != nil {
		t.Fatal(err)
	}
	src, err := NewSource(path, false)
	if err != nil {
		t.Fatal(err)
	}
	data := mrs.Params{SpectrometerFrequency: 127.7, Dwell: 0.0005}
	s, err := src.For(data, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Match(data, 1024); err != nil {
		t.Fatalf("decimated file basis: %v", err)
	}
	if again, _ := src.For(data, 1024); again != s {
		t.Error("the decimated set is not cached")
	}
	odd := mrs.Params{SpectrometerFrequency: 127.7, Dwell: 0.0004}
	s2, err := src.For(odd, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Match(odd, 1024) == nil {
		t.Error("a basis at 0.25 ms matched data at 0.4 ms (2.5 times: not decimated)")
	}
}

// Decimation refuses a set with a line beyond the new bandwidth (a
// Lorentzian 1500 Hz from the carrier: inside the ±2000 Hz of a 0.25 ms
// basis, outside the ±1000 Hz of every 2nd point) and names it, keeps one
// at 900 Hz, and refuses factors beyond MaxDecimation.
func TestDecimateRefusesOutOfBand(t *testing.T) {
	q := sim.Sequence{Kind: "press", TE1: 0.0175, TE2: 0.0175}
	set, err := Simulate(q, 127.7, 0.00025, 2048, []string{"NAA", "Cr"})
	if err != nil {
		t.Fatal(err)
	}
	line := func(hz float64) []complex128 {
		f := make([]complex128, set.Points())
		for j := range f {
			tj := float64(j) * set.Params.Dwell
			f[j] = cmplx.Rect(math.Exp(-math.Pi*3*tj), 2*math.Pi*hz*tj) // 3 Hz wide
		}
		return f
	}
	with := func(name string, hz float64) *Set {
		s := *set
		s.Names = append(append([]string(nil), set.Names...), name)
		s.FIDs = append(append([][]complex128(nil), set.FIDs...), line(hz))
		return &s
	}
	if _, err := set.Decimate(2); err != nil {
		t.Errorf("simulated NAA and Cr: %v", err)
	}
	if _, err := set.Decimate(4); err != nil {
		t.Errorf("simulated NAA and Cr, every 4th point: %v", err)
	}
	if _, err := with("Near", 900).Decimate(2); err != nil {
		t.Errorf("a line at 900 Hz, inside ±1000 Hz: %v", err)
	}
	if _, err := with("Far", 1500).Decimate(2); err == nil || !strings.Contains(err.Error(), "Far has") {
		t.Errorf("a line at 1500 Hz, outside ±1000 Hz: %v, want a refusal naming Far", err)
	}
	if _, err := with("FarBelow", -1200).Decimate(2); err == nil || !strings.Contains(err.Error(), "FarBelow") {
		t.Errorf("a line at −1200 Hz: %v, want a refusal naming FarBelow", err)
	}
	if _, err := set.Decimate(17); err == nil || !strings.Contains(err.Error(), "decimation factor 17") {
		t.Errorf("factor 17: %v", err)
	}
}
