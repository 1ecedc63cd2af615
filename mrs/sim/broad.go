package sim

import (
	"fmt"
	"math"
	"math/cmplx"
	"slices"
)

// BroadLine is one resonance of a macromolecule or lipid component.
type BroadLine struct {
	// PPM is the chemical shift in ppm.
	PPM float64
	// FWHM is the full width at half maximum in ppm (so the width in Hz
	// grows with the field, as macromolecule and lipid lines do).
	FWHM float64
	// Protons is the line's area in protons.
	Protons float64
	// Lorentzian selects a Lorentzian lineshape; the default is Gaussian.
	Lorentzian bool
}

// Broad is a macromolecule or lipid component described by parameterised
// lines rather than a spin system: its signal is the sum of its lines, with
// no J evolution.
type Broad struct {
	// Name as used in basis sets (LCModel names: MM09, Lip13a, …).
	Name string
	// Lines are its resonances.
	Lines []BroadLine
	// Source cites where the values come from.
	Source string
}

const lcmodelManual = "LCModel user's manual (Provencher), simulated lipid and macromolecule signals"

// LCModelLipids are the lipid components LCModel adds to brain fits:
// Lip13a and Lip13b (methylene at 1.28 ppm, broad and narrow), Lip09
// (methyl at 0.89 ppm) and Lip20 (2.04, 2.25 and 2.8 ppm), Gaussian lines
// with the positions, widths and areas of the LCModel manual.
var LCModelLipids = []Broad{
	{"Lip13a", []BroadLine{{1.28, 0.15, 2, false}}, lcmodelManual},
	{"Lip13b", []BroadLine{{1.28, 0.089, 2, false}}, lcmodelManual},
	{"Lip09", []BroadLine{{0.89, 0.14, 3, false}}, lcmodelManual},
	{"Lip20", []BroadLine{{2.04, 0.15, 1.33, false}, {2.25, 0.15, 0.67, false}, {2.8, 0.2, 0.87, false}}, lcmodelManual},
}

// LCModelMacromolecules are the macromolecule components LCModel
// simulates for brain spectra when the basis has none: MM09, MM12, MM14,
// MM17 and MM20 (2.08, 2.25, 1.95 and 3.0 ppm), Gaussian lines with the
// positions, widths and areas of the LCModel manual.
var LCModelMacromolecules = []Broad{
	{"MM09", []BroadLine{{0.91, 0.14, 3, false}}, lcmodelManual},
	{"MM12", []BroadLine{{1.21, 0.15, 2, false}}, lcmodelManual},
	{"MM14", []BroadLine{{1.43, 0.17, 2, false}}, lcmodelManual},
	{"MM17", []BroadLine{{1.67, 0.15, 2, false}}, lcmodelManual},
	{"MM20", []BroadLine{{2.08, 0.15, 1.33, false}, {2.25, 0.2, 0.33, false}, {1.95, 0.15, 0.33, false}, {3.0, 0.2, 0.4, false}}, lcmodelManual},
}

// LookupBroad returns the LCModel lipid or macromolecule component of that
// name, a copy whose Lines a caller may change without changing the table.
func LookupBroad(name string) (Broad, bool) {
	for _, set := range [][]Broad{LCModelMacromolecules, LCModelLipids} {
		for _, b := range set {
			if b.Name == name {
				b.Lines = slices.Clone(b.Lines)
				return b, true
			}
		}
	}
	return Broad{}, false
}

// Protons returns the component's total area in protons.
func (b Broad) Protons() float64 {
	s := 0.0
	for _, l := range b.Lines {
		s += l.Protons
	}
	return s
}

// FID samples the component: n points every dwell seconds at mhz MHz with
// the transmitter at centre ppm (4.65 when 0), NIfTI-MRS convention,
// Σ protons·exp(2πi·f·t)·decay(t) with f = (ppm − centre)·mhz Hz. A Gaussian
// line of FWHM w Hz decays as exp(−(π·w·t)²/(4 ln 2)), a Lorentzian as
// exp(−π·w·t). FID(0) is the proton count.
func (b Broad) FID(mhz, dwell float64, n int, centre float64) ([]complex128, error) {
	if !(mhz > 0) || !(dwell > 0) || n < 1 {
		return nil, fmt.Errorf("sim: %s: frequency %g MHz, dwell %g s, %d points: want positive values", b.Name, mhz, dwell, n)
	}
	if centre == 0 {
		centre = 4.65
	}
	out := make([]complex128, n)
	for _, l := range b.Lines {
		if !(l.FWHM > 0) || math.IsInf(l.FWHM, 0) || math.IsNaN(l.PPM) || math.IsInf(l.PPM, 0) || math.IsNaN(l.Protons) || math.IsInf(l.Protons, 0) {
			return nil, fmt.Errorf("sim: %s: line at %g ppm, width %g ppm, %g protons: want a finite shift and area and a positive width", b.Name, l.PPM, l.FWHM, l.Protons)
		}
		f := (l.PPM - centre) * mhz
		w := l.FWHM * mhz
		g := math.Pow(math.Pi*w, 2) / (4 * math.Ln2)
		for k := range out {
			t := float64(k) * dwell
			d := math.Exp(-g * t * t)
			if l.Lorentzian {
				d = math.Exp(-math.Pi * w * t)
			}
			out[k] += complex(l.Protons*d, 0) * cmplx.Exp(complex(0, 2*math.Pi*f*t))
		}
	}
	return out, nil
}
