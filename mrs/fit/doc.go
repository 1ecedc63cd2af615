// Package fit estimates metabolite amplitudes from a single-voxel MR
// spectrum by linear combination of basis spectra, in the way LCModel,
// FSL-MRS and spant's ABfit do.
//
// The model of the spectrum at the points of the fit range is
//
//	S(ν) = e^{i(φ0 + φ1·(δ(ν) − δref))} · Σ_m a_m · F[ b_m(t) · e^{(2πi·ε_g(m) − d_g(m))·t − γ·t²} ](ν) + baseline(ν)
//
// with b_m the basis FIDs, a_m ≥ 0 the amplitudes (in units of the basis
// spectra), metabolites gathered in lineshape groups g that share a
// frequency shift ε_g (Hz) and a Lorentzian damping d_g (s⁻¹), a global
// Gaussian damping γ (s⁻²), zero- and first-order phases φ0 and φ1, and a
// complex baseline of cubic P-splines whose smoothness is chosen
// automatically (an effective dimension per ppm picked by a modified AIC
// on the real part, as spant's ABfit documents, the stiffest within ΔAIC 2
// of the lowest) or fixed by the user. By default the metabolites form one
// group, except that NAA+NAAG, Cr+PCr and GPC+PCho each form their own,
// held to the others' shift and width by LCModel's priors on individual
// shifts and 1/T2; macromolecule and lipid components (names starting MM,
// Mac or Lip) form two more, whose shift and Lorentzian damping are the
// metabolites' plus a small bounded shift and extra broadening of their
// own (tie.go). Options.CommonLineshape gives all metabolites one group,
// as FSL-MRS does; any grouping, including one group per metabolite as
// LCModel, can be given.
//
// The amplitudes and baseline enter linearly and are solved exactly for
// each value of the nonlinear parameters (variable projection, Golub and
// Pereyra 1973), the amplitudes under non-negativity by the Lawson–Hanson
// active-set method; the nonlinear parameters are found by a bounded
// Levenberg–Marquardt search with Golub and Pereyra's variable-projection
// Jacobian (in its normal equations), started from a grid search of the
// shift, damping and zero-order phase.
// Uncertainties are Cramér–Rao lower bounds from the Fisher information of
// all parameters (amplitudes, nonlinear and baseline) with the noise
// standard deviation measured in a signal-free region.
package fit
