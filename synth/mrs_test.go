package synth

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// A single basis singlet at 0 Hz with amplitude a, Lorentzian L, no noise:
// the FID is a·exp(−πLt + iφ), closed form.
func TestSpectrumClosedForm(t *testing.T) {
	n, dwell := 64, 0.001
	b := make([]complex128, n)
	for i := range b {
		b[i] = 1
	}
	fid, truth, err := Spectrum(SpectrumSpec{Names: []string{"S"}, Basis: [][]complex128{b}, Dwell: dwell,
		Amplitudes: map[string]float64{"S": 2}, LorentzHz: 5, ShiftHz: 10, Phase0: 90}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range fid {
		tk := float64(k) * dwell
		want := 2 * cmplx.Exp(complex(-math.Pi*5*tk, 2*math.Pi*10*tk+math.Pi/2))
		if cmplx.Abs(v-want) > 1e-12 {
			t.Fatalf("point %d: %v, want %v", k, v, want)
		}
	}
	if truth.Amplitudes["S"] != 2 {
		t.Errorf("truth amplitude %v", truth.Amplitudes)
	}
	if _, _, err := Spectrum(SpectrumSpec{Names: []string{"S"}, Basis: [][]complex128{b}, Dwell: dwell,
		Amplitudes: map[string]float64{"X": 1}}, nil); err == nil {
		t.Error("amplitude for a metabolite not in the basis accepted")
	}
}
