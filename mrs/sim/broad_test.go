package sim

import (
	"math"
	"strings"
	"testing"

	"glusleep/mrs"
)

// A broad line's spectrum peaks at its shift with the full width at half
// maximum it was given (ppm × MHz Hz), for both lineshapes, and FID(0) is
// its proton count (closed form).
func TestBroadLineShape(t *testing.T) {
	const mhz, dwell, n = 123.2, 0.00025, 1 << 16
	p := mrs.Params{SpectrometerFrequency: mhz, Dwell: dwell, Nucleus: "1H"}
	for _, c := range []struct {
		name    string
		line    BroadLine
		wantPPM float64
	}{
		{"gaussian", BroadLine{PPM: 1.28, FWHM: 0.15, Protons: 2}, 1.28},
		{"lorentzian", BroadLine{PPM: 0.9, FWHM: 0.05, Protons: 3, Lorentzian: true}, 0.9},
	} {
		b := Broad{Name: c.name, Lines: []BroadLine{c.line}}
		fid, err := b.FID(mhz, dwell, n, 0)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(real(fid[0])-c.line.Protons) > 1e-12 || imag(fid[0]) != 0 {
			t.Errorf("%s: FID(0) = %v, want %g protons", c.name, fid[0], c.line.Protons)
		}
		x := append([]complex128(nil), fid...)
		x[0] *= 0.5
		s := mrs.Spectrum(x)
		ax := p.PPMAxis(len(s))
		peak := 0
		for i := range s {
			if real(s[i]) > real(s[peak]) {
				peak = i
			}
		}
		half := real(s[peak]) / 2
		// Interpolated half-maximum crossings on both sides of the peak.
		cross := func(step int) float64 {
			i := peak
			for real(s[i+step]) > half {
				i += step
			}
			f := (real(s[i]) - half) / (real(s[i]) - real(s[i+step]))
			return ax[i] + f*(ax[i+step]-ax[i])
		}
		width := math.Abs(cross(1) - cross(-1))
		if math.Abs(ax[peak]-c.wantPPM) > 0.001 {
			t.Errorf("%s: peak at %.4f ppm, want %.4f", c.name, ax[peak], c.wantPPM)
		}
		if math.Abs(width-c.line.FWHM) > 0.002 {
			t.Errorf("%s: FWHM %.4f ppm, want %.4f", c.name, width, c.line.FWHM)
		}
	}
}

// Every LCModel component's area is its proton count (LCModel manual), and
// in a basis it is scaled as a singlet through the same sequence: whole
// for PRESS, half for STEAM, like Cr's singlets.
func TestBroadInBasis(t *testing.T) {
	for _, b := range append(append([]Broad(nil), LCModelMacromolecules...), LCModelLipids...) {
		if b.Source == "" || b.Protons() <= 0 {
			t.Errorf("%s: source %q, %g protons", b.Name, b.Source, b.Protons())
		}
	}
	mm, _ := LookupBroad("MM20")
	for _, c := range []struct {
		q     Sequence
		scale float64
	}{
		{Sequence{Kind: "press", TE1: 0.011, TE2: 0.019}, 1},
		{Sequence{Kind: "slaser", TE: 0.03}, 1},
		{Sequence{Kind: "steam", TE: 0.02, TM: 0.01}, 0.5},
	} {
		names, fids, err := Basis(c.q, 123.2, 0.00025, 64, []string{"Cr", "MM20", "Lip13a"})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(names, " ") != "Cr MM20 Lip13a" {
			t.Errorf("%s: names %v", c.q.Kind, names)
		}
		if got, want := real(fids[1][0]), c.scale*mm.Protons(); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: MM20 FID(0) %.4f, want %.4f", c.q.Kind, got, want)
		}
		if got, want := real(fids[0][0]), c.scale*5; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: Cr FID(0) %.4f, want %.4f", c.q.Kind, got, want)
		}
	}
}

func TestBroadErrors(t *testing.T) {
	_, _, err := Basis(Sequence{Kind: "press", TE1: 0.01, TE2: 0.02}, 123.2, 0.00025, 64, []string{"MM99"})
	if err == nil || !strings.Contains(err.Error(), "MM09") {
		t.Errorf("unknown component: error %v, want one listing the known macromolecules", err)
	}
	for _, b := range []Broad{
		{Name: "zero width", Lines: []BroadLine{{PPM: 1, FWHM: 0, Protons: 1}}},
		{Name: "NaN shift", Lines: []BroadLine{{PPM: math.NaN(), FWHM: 0.1, Protons: 1}}},
	} {
		if _, err := b.FID(123.2, 0.00025, 8, 0); err == nil {
			t.Errorf("%s: no error", b.Name)
		}
	}
	if _, err := LCModelLipids[0].FID(0, 0.00025, 8, 0); err == nil {
		t.Error("zero frequency: no error")
	}
}
