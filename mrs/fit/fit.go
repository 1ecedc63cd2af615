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
	// (solver.go), the baseline's stiffness chosen and the fit refined at
	// it, LCModel's priors applied (priors.go), then the result with its
	// CRLBs (result.go, crlb.go).
	theta := pr.initial()
	pr.untieStart(theta)
	ed := pr.opt.BaselineEDPerPPM
	choose := pr.bl != nil && ed == 0
	tol := converged
	if choose {
		tol = rough
	}
	iters := pr.levenbergTol(theta, tol)
	if choose {
		ed = pr.chooseBaseline(theta)
		iters += pr.levenberg(theta)
	}
	iters += pr.applyPriors(theta, p)
	res, err := pr.result(theta, names, iters, ed)
	if err != nil {
		return nil, err
	}
	if err := res.sumInto(opt.SumInto); err != nil {
		return nil, err
	}
	return res, nil
}
