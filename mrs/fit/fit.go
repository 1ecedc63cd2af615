package fit

import (
	"errors"
	"fmt"
	"math/cmplx"

	"glusleep/mrs"
	"glusleep/mrs/basis"
)

// ErrBasis reports a basis unusable with the data.
var ErrBasis = errors.New("fit: unusable basis")

// Fit fits the basis set to the FID data acquired with parameters p. The
// set must match the data (basis.Set.Match: same dwell time and
// spectrometer frequency, at least as many points; extra points are
// dropped), or Fit refuses it with an error wrapping ErrBasis and
// basis.ErrMismatch. Both are in the NIfTI-MRS convention (package mrs).
func Fit(data []complex128, p mrs.Params, set *basis.Set, opt Options) (*Result, error) {
	if len(data) < 16 {
		return nil, fmt.Errorf("fit: data has %d points, want at least 16", len(data))
	}
	if !(p.Dwell > 0) || !(p.SpectrometerFrequency > 0) {
		return nil, fmt.Errorf("fit: dwell %g s and spectrometer frequency %g MHz must be positive", p.Dwell, p.SpectrometerFrequency)
	}
	if set == nil {
		return nil, fmt.Errorf("%w: no basis set", ErrBasis)
	}
	if err := set.Match(p, len(data)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBasis, err)
	}
	names, basis := set.Names, set.FIDs
	if err := checkSumInto(opt.SumInto, names); err != nil { // before the fit's work, not after
		return nil, err
	}
	for i, v := range data {
		if cmplx.IsNaN(v) || cmplx.IsInf(v) {
			return nil, fmt.Errorf("fit: data point %d is %v", i, v)
		}
	}
	pr, err := newProblem(data, p, names, basis, opt)
	if err != nil {
		return nil, err
	}
	// Starting values from a grid search, the nonlinear parameters refined
	// roughly (solver.go), the baseline's stiffness chosen, the fit
	// without priors converged at it for the priors' scales, LCModel's
	// priors built (priors.go), the fit refined with them to convergence,
	// then the result with its CRLBs (result.go, crlb.go).
	theta := pr.initial()
	pr.untieStart(theta)
	ed := pr.opt.BaselineEDPerPPM
	iters := 0
	if pr.bl != nil && ed == 0 {
		iters += pr.levenbergTol(theta, rough)
		ed = pr.chooseBaseline(theta)
	}
	// Converged before the priors are built: their scales from a fit
	// stopped short (at 1e-3 of χ², or at 0.1) moved Glu/tCr by 15 % on
	// the suspect-svs30 spectrum of mrs/analysis's in-vivo references,
	// whose fit with priors is that sensitive to where it starts.
	iters += pr.levenberg(theta)
	if !pr.opt.NoPriors && pr.setPriors(theta, p) {
		iters += pr.levenberg(theta)
	}
	res, err := pr.result(theta, names, iters, ed)
	if err != nil {
		return nil, err
	}
	if err := res.sumInto(opt.SumInto); err != nil {
		return nil, err
	}
	return res, nil
}
