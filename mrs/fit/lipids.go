package fit

import (
	"math"
	"math/cmplx"

	"glusleep/mrs"
)

// Line is one Gaussian resonance of a broad component.
type Line struct {
	// PPM is the chemical shift, FWHMPPM the full width at half maximum
	// (ppm), and Area the relative area.
	PPM, FWHMPPM, Area float64
}

// BroadComponent is a macromolecule or lipid signal modelled as Gaussian
// lines, fitted like a basis spectrum.
type BroadComponent struct {
	// Name is the component's name (starting "Lip" or "MM").
	Name string
	// Lines are its resonances.
	Lines []Line
}

// Lipids are the lipid components LCModel adds to brain fits by default
// (LCModel manual, section on simulated lipid and macromolecule signals):
// Lip13a and Lip13b (methylene at 1.28 ppm, broad and narrow), Lip09
// (methyl at 0.89 ppm) and Lip20 (2.04, 2.25 and 2.8 ppm, relative areas
// 1.33 : 0.67 : 0.87 as the manual gives).
var Lipids = []BroadComponent{
	{"Lip13a", []Line{{1.28, 0.15, 1}}},
	{"Lip13b", []Line{{1.28, 0.089, 1}}},
	{"Lip09", []Line{{0.89, 0.14, 1}}},
	{"Lip20", []Line{{2.04, 0.15, 1.33}, {2.25, 0.15, 0.67}, {2.8, 0.2, 0.87}}},
}

// Macromolecules are the macromolecule components LCModel simulates for
// brain spectra when the basis has none (LCModel manual, simulated
// macromolecule signals): MM09, MM12, MM14, MM17 and MM20 (2.08, 2.25, 1.95
// and 3.0 ppm), with the positions, widths and relative areas given there.
var Macromolecules = []BroadComponent{
	{"MM09", []Line{{0.91, 0.14, 3}}},
	{"MM12", []Line{{1.21, 0.15, 2}}},
	{"MM14", []Line{{1.43, 0.17, 2}}},
	{"MM17", []Line{{1.67, 0.15, 2}}},
	{"MM20", []Line{{2.08, 0.15, 1.33}, {2.25, 0.15, 0.33}, {1.95, 0.15, 0.33}, {3.0, 0.2, 0.4}}},
}

// FID returns the component's FID of n points for parameters p (NIfTI-MRS
// convention): Σ area·exp(2πi·f·t − (π·w·t)²/(4 ln 2)), f and w in Hz.
func (c BroadComponent) FID(p mrs.Params, n int) []complex128 {
	out := make([]complex128, n)
	for _, l := range c.Lines {
		f := (l.PPM - p.Central()) * p.SpectrometerFrequency
		w := l.FWHMPPM * p.SpectrometerFrequency
		g := math.Pow(math.Pi*w, 2) / (4 * math.Ln2)
		for k := range out {
			t := float64(k) * p.Dwell
			out[k] += complex(l.Area*math.Exp(-g*t*t), 0) * cmplx.Exp(complex(0, 2*math.Pi*f*t))
		}
	}
	return out
}

// WithBroad returns names and FIDs extended by the broad components not
// already in the basis (by name), each n points long for parameters p.
func WithBroad(names []string, fids [][]complex128, p mrs.Params, comps []BroadComponent) ([]string, [][]complex128) {
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	names = append([]string(nil), names...)
	fids = append([][]complex128(nil), fids...)
	n := 0
	if len(fids) > 0 {
		n = len(fids[0])
	}
	for _, c := range comps {
		if have[c.Name] {
			continue
		}
		names = append(names, c.Name)
		fids = append(fids, c.FID(p, n))
	}
	return names, fids
}

// PrepareBasis completes a basis for in-vivo fitting as LCModel does: it
// adds LCModel's simulated macromolecules when the basis has no
// macromolecule component (names starting MM or Mac), and the lipid
// components when lipids is true. p gives the frequency and dwell.
func PrepareBasis(names []string, fids [][]complex128, p mrs.Params, lipids bool) ([]string, [][]complex128) {
	hasMM := false
	for _, n := range names {
		hasMM = hasMM || DefaultGroup(n) == 1
	}
	var extra []BroadComponent
	if lipids {
		extra = append(extra, Lipids...)
	}
	if !hasMM {
		extra = append(extra, Macromolecules...)
	}
	return WithBroad(names, fids, p, extra)
}
