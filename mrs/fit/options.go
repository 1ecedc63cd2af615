package fit

import (
	"glusleep/mrs"
	"glusleep/mrs/basis"
)

// Options control a fit. The zero value gives the defaults stated per field.
type Options struct {
	// PPMLow and PPMHigh bound the fit range in ppm (default 0.2 to 4.0).
	PPMLow, PPMHigh float64
	// BaselineEDPerPPM fixes the baseline's flexibility as effective
	// dimensions per ppm (ppm⁻¹); 0 chooses it automatically from 1 to 7.
	BaselineEDPerPPM float64
	// BaselineKnotsPerPPM is the number of spline basis functions per ppm
	// of the fit range (ppm⁻¹, default 15).
	BaselineKnotsPerPPM float64
	// NoBaseline fits no baseline at all (for simulated data without one).
	NoBaseline bool
	// Groups assigns metabolites to lineshape groups (shared shift and
	// Lorentzian damping) by name; names not listed, and all when Groups is
	// nil, follow DefaultGroup.
	Groups map[string]int
	// MaxShiftPPM bounds each group's frequency shift (default 0.1 ppm).
	MaxShiftPPM float64
	// MaxLinewidthHz limits the Lorentzian and Gaussian linewidths (FWHM,
	// Hz; default 0.1 ppm expressed in Hz).
	MaxLinewidthHz float64
	// NoPhase1 holds the first-order phase at 0°/ppm (the default before
	// 2026-12-01, session 5). By default it is fitted within ±20°/ppm about
	// Result.PhaseRefPPM, as LCModel (prior 0 ± 20°/ppm), FSL-MRS and Osprey
	// fit it: scanners leave a few °/ppm (LCModel and glusleep agree on its
	// sign on six in-vivo spectra), and an unfitted first-order phase biases
	// Cr/tCr by about 4 % per °/ppm (testdata/README.md).
	NoPhase1 bool
	// NoiseLow and NoiseHigh give the signal-free region (ppm) where the
	// noise SD is measured (default −2.5 to −0.5 ppm; the FID's last tenth is
	// used when the spectrum does not reach that region).
	NoiseLow, NoiseHigh float64
	// MaxIterations bounds the Levenberg–Marquardt iterations (default 60).
	MaxIterations int
	// Priors are soft constraints on amplitude ratios (see Prior); nil
	// means PriorsFor(echo time), LCModel's defaults, of which only those
	// whose metabolites are all in the basis apply.
	Priors []Prior
	// NoPriors turns the soft constraints off, Priors included.
	NoPriors bool
	// CommonLineshape gives all metabolites one shift and Lorentzian width.
	// By default, as LCModel does where a common lineshape leaves
	// dispersive residuals at the large singlets (see lineshapeGroup),
	// NAA+NAAG, Cr+PCr and GPC+PCho get their own shift and Lorentzian
	// width, tied to the other metabolites' by LCModel's priors on
	// individual shifts and 1/T2 (priorPairs).
	CommonLineshape bool
	// BroadMaxShiftPPM bounds the frequency shift of a group of only
	// macromolecules and lipids relative to the metabolites' (ppm, default
	// 0.02); BroadMaxLinewidthPPM bounds its Lorentzian broadening beyond
	// the metabolites' (FWHM, ppm, default 0.04). Both apply with the
	// default grouping (Groups nil); see tie.go.
	BroadMaxShiftPPM, BroadMaxLinewidthPPM float64
	// SumInto merges components after the fit: each key's amplitude,
	// covariance and spectrum are added to those of the named value and
	// the key is dropped from the Result (ForPhantom's LacInPhase into
	// Lac). Both must be in the basis.
	SumInto map[string]string
}

// DefaultBroadMaxShiftPPM and DefaultBroadMaxLinewidthPPM are the
// defaults of Options.BroadMaxShiftPPM and BroadMaxLinewidthPPM (ppm):
// about LCModel's prior SDs of its simulated components' positions
// (0.005–0.03 ppm) and the growth of their FWHM it allows (0.03–0.05 ppm).
const (
	DefaultBroadMaxShiftPPM     = 0.02
	DefaultBroadMaxLinewidthPPM = 0.04
)

// withDefaults returns o with its zero fields set to the defaults stated
// per field (MaxLinewidthHz from p's spectrometer frequency).
func (o Options) withDefaults(p mrs.Params) Options {
	if o.PPMLow == 0 && o.PPMHigh == 0 {
		o.PPMLow, o.PPMHigh = 0.2, 4.0
	}
	if o.BaselineKnotsPerPPM == 0 {
		o.BaselineKnotsPerPPM = 15
	}
	if o.MaxShiftPPM == 0 {
		o.MaxShiftPPM = 0.1
	}
	if o.MaxLinewidthHz == 0 {
		o.MaxLinewidthHz = 0.1 * p.SpectrometerFrequency
	}
	if o.NoiseLow == 0 && o.NoiseHigh == 0 {
		o.NoiseLow, o.NoiseHigh = -2.5, -0.5
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = 60
	}
	if o.BroadMaxShiftPPM == 0 {
		o.BroadMaxShiftPPM = DefaultBroadMaxShiftPPM
	}
	if o.BroadMaxLinewidthPPM == 0 {
		o.BroadMaxLinewidthPPM = DefaultBroadMaxLinewidthPPM
	}
	return o
}

// DefaultGroup returns the default lineshape group of a basis name: 1 for
// macromolecule components (MM…, Mac…), 2 for lipids (Lip…), else 0.
func DefaultGroup(name string) int {
	switch {
	case basis.IsLipid(name):
		return 2
	case basis.IsMacromolecule(name):
		return 1
	}
	return 0
}
