package synth

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"glusleep/mrs"
)

// Noiseless transients are the clean FID shifted and rotated by exactly
// the reported truth; noise averages down as 1/√n; residual water sits at
// its ppm; bad input is refused.
func TestAcquisition(t *testing.T) {
	p := mrs.Params{SpectrometerFrequency: 63.87, Dwell: 0.0004}
	clean := make([]complex128, 512)
	for k := range clean {
		tk := float64(k) * p.Dwell
		clean[k] = complex(math.Exp(-math.Pi*4*tk), 0) * cmplx.Rect(1, 2*math.Pi*(2.01-4.65)*p.SpectrometerFrequency*tk)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	d, tr, err := Acquisition(clean, p, AcquisitionSpec{Transients: 8, DriftHz: 3, JitterHz: 0.5, JitterRad: 0.1}, rng)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.FIDs) != 8 || d.DimIndex(mrs.DimDyn) != 0 || d.Validate() != nil {
		t.Fatalf("dims %v, %d FIDs", d.Dims, len(d.FIDs))
	}
	if tr.Hz[7]-tr.Hz[0] < 1 || tr.Hz[7]-tr.Hz[0] > 5 {
		t.Errorf("drift first → last %.2f Hz, want about 3", tr.Hz[7]-tr.Hz[0])
	}
	for i, f := range d.FIDs {
		for k, v := range f {
			tk := float64(k) * p.Dwell
			want := clean[k] * cmplx.Rect(1, 2*math.Pi*tr.Hz[i]*tk+tr.Rad[i])
			if cmplx.Abs(v-want) > 1e-12 {
				t.Fatalf("transient %d point %d: %v, want %v", i, k, v, want)
			}
		}
	}
	// Noise: the mean of 64 noise-only transients has SD σ/8.
	zero := make([]complex128, 4096)
	nd, _, _ := Acquisition(zero, p, AcquisitionSpec{Transients: 64, NoiseSD: 2}, rng)
	avg := mrs.Average(nd.FIDs)
	ss := 0.0
	for _, v := range avg {
		ss += real(v) * real(v)
	}
	if sd := math.Sqrt(ss / float64(len(avg))); math.Abs(sd-0.25) > 0.02 {
		t.Errorf("averaged noise SD %.3f, want 0.25", sd)
	}
	// Residual water at 4.65 ppm: on resonance, a real decaying FID.
	wd, _, _ := Acquisition(zero[:64], p, AcquisitionSpec{Transients: 1, WaterAmplitude: 10, WaterLorentzHz: 5}, rng)
	if v := wd.FIDs[0][10]; math.Abs(imag(v)) > 1e-9 || math.Abs(real(v)-10*math.Exp(-math.Pi*5*10*p.Dwell)) > 1e-9 {
		t.Errorf("water FID(10) = %v", v)
	}
	if _, _, err := Acquisition(clean, p, AcquisitionSpec{Transients: 4, Corrupt: []int{4}}, rng); err == nil {
		t.Error("corrupt transient out of range: no error")
	}
	if _, _, err := Acquisition(clean, p, AcquisitionSpec{}, rng); err == nil {
		t.Error("no transients: no error")
	}
	w, err := WaterReference(p, 256, WaterSpec{Frames: 4, Amplitude: 100, LorentzHz: 3, ShiftHz: 2}, rng)
	if err != nil || len(w.FIDs) != 4 || cmplx.Abs(w.FIDs[0][0]-100) > 1e-9 {
		t.Errorf("water reference: %v", err)
	}
}
