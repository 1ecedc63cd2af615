package mrs

import (
	"math"
	"math/cmplx"
	"testing"
)

// A FID exp(2πi·f·t) must peak at +f Hz, i.e. at ppm = 4.65 + f/MHz
// (the NIfTI-MRS convention: closed-form check).
func TestSpectrumPeakPosition(t *testing.T) {
	cases := []struct {
		n     int
		dwell float64
		mhz   float64
		hz    float64
	}{
		{2048, 1.0 / 4000, 123.2, -330.0 * 123.2 / 123.2 * 1.0},
		{1024, 0.0005, 127.786142, 200},
		{2048, 0.0004, 63.87, -168.6},
	}
	for _, c := range cases {
		p := Params{SpectrometerFrequency: c.mhz, Dwell: c.dwell, Nucleus: "1H"}
		// Snap the frequency onto a bin so the peak position is exact.
		bin := math.Round(c.hz * float64(c.n) * c.dwell)
		f := bin / (float64(c.n) * c.dwell)
		fid := make([]complex128, c.n)
		for i := range fid {
			fid[i] = cmplx.Exp(complex(0, 2*math.Pi*f*float64(i)*c.dwell))
		}
		s := Spectrum(fid)
		best := 0
		for i := range s {
			if cmplx.Abs(s[i]) > cmplx.Abs(s[best]) {
				best = i
			}
		}
		hz := p.HzAxis(c.n)[best]
		if math.Abs(hz-f) > 1e-9 {
			t.Errorf("peak at %g Hz, want %g", hz, f)
		}
		ppm := p.PPMAxis(c.n)[best]
		if want := 4.65 + f/c.mhz; math.Abs(ppm-want) > 1e-9 {
			t.Errorf("peak at %g ppm, want %g", ppm, want)
		}
		if idx := p.PPMToIndex(ppm, c.n); math.Abs(idx-float64(best)) > 1e-9 {
			t.Errorf("PPMToIndex(%g) = %g, want %d", ppm, idx, best)
		}
		back := FID(s)
		for i := range back {
			if cmplx.Abs(back[i]-fid[i]) > 1e-9 {
				t.Fatalf("FID(Spectrum(x)) differs at %d: %v vs %v", i, back[i], fid[i])
			}
		}
	}
}

func TestValidate(t *testing.T) {
	good := Data{Params: Params{SpectrometerFrequency: 63.87, Dwell: 0.0004},
		Dims: []Dim{{DimCoil, 2}}, FIDs: [][]complex128{{1, 2}, {3, 4}}}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid data rejected: %v", err)
	}
	bad := []Data{
		{},
		{Params: good.Params, FIDs: [][]complex128{{1}, {1, 2}}, Dims: []Dim{{DimCoil, 2}}},
		{Params: good.Params, FIDs: [][]complex128{{1}}, Dims: []Dim{{DimCoil, 2}}},
		{Params: Params{SpectrometerFrequency: 63.87}, FIDs: [][]complex128{{1}}},
		{Params: Params{Dwell: 1e-3}, FIDs: [][]complex128{{1}}},
	}
	for i, d := range bad {
		if err := d.Validate(); err == nil {
			t.Errorf("case %d: invalid data accepted", i)
		}
	}
}
