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
// automatically (an effective dimension per ppm picked by a modified AIC,
// as spant's ABfit documents) or fixed by the user. By default the
// metabolites form one group and macromolecule and lipid components
// (names starting MM, Mac or Lip) another, as FSL-MRS does; any grouping,
// including one group per metabolite as LCModel, can be given.
//
// The amplitudes and baseline enter linearly and are solved exactly for
// each value of the nonlinear parameters (variable projection, Golub and
// Pereyra 1973), the amplitudes under non-negativity by the Lawson–Hanson
// active-set method; the nonlinear parameters are found by a bounded
// Levenberg–Marquardt search with the Kaufman (1975) Jacobian, started
// from a grid search of the shift, damping and zero-order phase.
// Uncertainties are Cramér–Rao lower bounds from the Fisher information of
// all parameters (amplitudes, nonlinear and baseline) with the noise
// standard deviation measured in a signal-free region.
package fit

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"

	"glusleep/internal/fft"
	"glusleep/mrs"
	"glusleep/mrs/basis"

	"gonum.org/v1/gonum/mat"
)

// Options control a fit. The zero value gives the defaults stated per field.
type Options struct {
	// PPMLow and PPMHigh bound the fit range in ppm (default 0.2 to 4.0).
	PPMLow, PPMHigh float64
	// BaselineEDPerPPM fixes the baseline's flexibility as effective
	// dimensions per ppm; 0 chooses it automatically from 1 to 7.
	BaselineEDPerPPM float64
	// BaselineKnotsPerPPM is the number of spline basis functions per ppm
	// (default 15).
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
	// default 0.1 ppm in Hz).
	MaxLinewidthHz float64
	// FitPhase1 fits the first-order phase (limited to ±20°/ppm); otherwise
	// it is held at 0.
	FitPhase1 bool
	// NoiseLow and NoiseHigh give the signal-free region (ppm) where the
	// noise SD is measured (default −2.5 to −0.5 ppm; the FID's last tenth is
	// used when the spectrum does not reach that region).
	NoiseLow, NoiseHigh float64
	// MaxIterations bounds the Levenberg–Marquardt iterations (default 60).
	MaxIterations int
	// Priors are soft constraints on amplitude ratios (see Prior); nil
	// means PriorsFor(echo time), LCModel's defaults, of which only those
	// whose metabolites are all in the basis apply. NoPriors turns them
	// off.
	Priors   []Prior
	NoPriors bool
	// SingletFamilies fits as LCModel does where a common lineshape leaves
	// dispersive residuals at the large singlets (see lineshapeGroup):
	// NAA+NAAG, Cr+PCr and GPC+PCho get their own shift and Lorentzian
	// width, tied to the other metabolites' by LCModel's priors, and
	// groups of only macromolecules and lipids are held to
	// BroadMaxShiftPPM and BroadMaxLinewidthPPM (defaults 0.02 and 0.04
	// ppm; see broadGroup).
	SingletFamilies                        bool
	BroadMaxShiftPPM, BroadMaxLinewidthPPM float64
}

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
		o.BroadMaxShiftPPM = 0.02
	}
	if o.BroadMaxLinewidthPPM == 0 {
		o.BroadMaxLinewidthPPM = 0.04
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

// Result is the outcome of a fit.
type Result struct {
	// Names are the basis metabolites, in the order of the basis.
	Names []string
	// Amplitudes are the fitted scale factors of each basis spectrum
	// (dimensionless: 1 reproduces the basis spectrum as given).
	Amplitudes []float64
	// SD are the Cramér–Rao lower bounds of Amplitudes (same units).
	SD []float64
	// Cov is the amplitudes' covariance matrix from the Fisher information.
	Cov *mat.SymDense

	// Phase0 is the zero-order phase in degrees; Phase1 the first-order
	// phase in degrees per ppm about PhaseRefPPM.
	Phase0, Phase1, PhaseRefPPM float64
	// GaussHz is the global Gaussian broadening (FWHM, Hz) applied to the
	// basis.
	GaussHz float64
	// Group is each metabolite's lineshape group; ShiftHz and LorentzHz are
	// per group: the frequency shift (Hz) and the Lorentzian broadening
	// (FWHM, Hz) applied to the basis.
	Group              []int
	ShiftHz, LorentzHz []float64

	// NoiseSD is the standard deviation of the real (and imaginary) spectral
	// noise in the data's units, measured in the signal-free region.
	NoiseSD float64
	// BaselineEDPerPPM is the baseline's effective dimension per ppm used
	// (0 without baseline).
	BaselineEDPerPPM float64
	// Iterations is the number of Levenberg–Marquardt iterations taken.
	Iterations int

	// PPM is the chemical shift of each fit point, ascending.
	PPM []float64
	// Data, Model, Baseline are the spectra at the fit points with the
	// fitted phases removed, so that their real parts are absorption mode.
	// Model includes the baseline.
	Data, Model, Baseline []complex128
	// Components are each metabolite's fitted spectrum (phase removed) at
	// the fit points, amplitude included.
	Components [][]complex128
	// QC holds the fit's quality measures.
	QC QC
}

// Index returns the position of metabolite name in r.Names, or −1.
func (r *Result) Index(name string) int {
	for i, n := range r.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// Combination returns the summed amplitude of the named metabolites and its
// CRLB from the covariance (including their correlation), and whether all
// the names are in the basis.
func (r *Result) Combination(names ...string) (amp, sd float64, ok bool) {
	idx := make([]int, 0, len(names))
	for _, n := range names {
		i := r.Index(n)
		if i < 0 {
			return 0, 0, false
		}
		idx = append(idx, i)
	}
	v := 0.0
	for _, i := range idx {
		amp += r.Amplitudes[i]
		for _, j := range idx {
			v += r.Cov.At(i, j)
		}
	}
	return amp, math.Sqrt(math.Max(v, 0)), true
}

// Residual returns the RMS of the real part of Data − Model over the fit
// range, in noise SDs (about 1 for a good fit).
func (r *Result) Residual() float64 {
	s := 0.0
	for i := range r.Data {
		d := real(r.Data[i] - r.Model[i])
		s += d * d
	}
	if len(r.Data) == 0 || r.NoiseSD == 0 {
		return math.NaN()
	}
	return math.Sqrt(s/float64(len(r.Data))) / r.NoiseSD
}

// ErrBasis reports a basis unusable with the data.
var ErrBasis = errors.New("fit: basis does not match the data")

// problem holds what stays fixed during one fit.
type problem struct {
	opt    Options
	n      int       // FID points
	dt     float64   // dwell (s)
	t      []float64 // time axis (s)
	idx    []int     // spectral indices of the fit points
	ppm    []float64 // their chemical shifts
	y      []float64 // data at fit points: real parts, then imaginary
	basis  [][]complex128
	norms  []float64 // scale applied to each basis to unit norm at fit points
	group  []int     // group of each metabolite
	ng     int       // number of groups
	plan   *fft.Plan
	bl     *pspline // nil without baseline
	sigma  float64
	ppmRef float64
	m      int
	spec   []complex128
	cache  [2]*evaluation
	fid    []complex128 // the data FID, for the SNR
	par    mrs.Params
	prior  *priorRows // soft constraints (nil: none)
	names  []string
	broad  []bool // per group: only macromolecules and lipids (broadGroup)
}

// Parameter layout of θ: three global parameters, then shift and damping
// per group.
const (
	pPhi0 = iota
	pPhi1
	pGauss
	nGlobal
)

func pShift(g int) int { return nGlobal + 2*g }
func pDamp(g int) int  { return nGlobal + 2*g + 1 }

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
	for i, v := range data {
		if cmplx.IsNaN(v) || cmplx.IsInf(v) {
			return nil, fmt.Errorf("fit: data point %d is %v", i, v)
		}
	}
	pr, err := newProblem(data, p, names, basis, opt)
	if err != nil {
		return nil, err
	}
	theta := pr.initial()
	iters := pr.levenberg(theta)
	ed := pr.opt.BaselineEDPerPPM
	if pr.bl != nil && ed == 0 {
		ed = pr.chooseBaseline(theta)
		iters += pr.levenberg(theta)
	}
	iters += pr.applyPriors(theta, p)
	return pr.result(theta, names, iters, ed)
}

// newProblem validates the options against the data and sets up the fixed
// parts of the fit: fit points, noise level, unit-norm basis, groups and
// the baseline smoother.
func newProblem(data []complex128, p mrs.Params, names []string, basis [][]complex128, opt Options) (*problem, error) {
	opt = opt.withDefaults(p)
	if opt.PPMLow >= opt.PPMHigh {
		return nil, fmt.Errorf("fit: fit range %g–%g ppm is empty", opt.PPMLow, opt.PPMHigh)
	}
	pr := &problem{opt: opt, n: len(data), m: len(basis), plan: fft.New(len(data)), dt: p.Dwell, fid: data, par: p, names: names}
	pr.t = p.TimeAxis(pr.n)
	ax := p.PPMAxis(pr.n)
	full := mrs.Spectrum(data)
	var yc []complex128
	for i, v := range ax {
		if v >= opt.PPMLow && v <= opt.PPMHigh {
			pr.idx = append(pr.idx, i)
			pr.ppm = append(pr.ppm, v)
			yc = append(yc, full[i])
		}
	}
	nf := len(pr.idx)
	if nf < 8 {
		return nil, fmt.Errorf("fit: fit range %g–%g ppm holds %d points of the spectrum (%g to %g ppm), want at least 8",
			opt.PPMLow, opt.PPMHigh, nf, ax[0], ax[len(ax)-1])
	}
	pr.y = make([]float64, 2*nf)
	for j, v := range yc {
		pr.y[j], pr.y[nf+j] = real(v), imag(v)
	}
	pr.ppmRef = p.Central()
	pr.sigma = noiseSD(full, data, ax, opt.NoiseLow, opt.NoiseHigh)
	if !(pr.sigma > 0) {
		return nil, fmt.Errorf("fit: noise SD of the data is %g: cannot weight the fit", pr.sigma)
	}
	pr.spec = make([]complex128, pr.n)
	pr.basis = make([][]complex128, pr.m)
	pr.norms = make([]float64, pr.m)
	pr.group = make([]int, pr.m)
	gmap := map[int]int{}
	for i, b := range basis {
		g := DefaultGroup(names[i])
		if opt.SingletFamilies {
			g = lineshapeGroup(names[i])
		}
		if v, ok := opt.Groups[names[i]]; ok {
			g = v
		}
		if _, ok := gmap[g]; !ok {
			gmap[g] = len(gmap)
		}
		pr.group[i] = gmap[g]
		pr.basis[i] = append([]complex128(nil), b[:pr.n]...)
		s := pr.transform(pr.basis[i])
		nn := 0.0
		for _, v := range s {
			nn += real(v)*real(v) + imag(v)*imag(v)
		}
		if nn == 0 {
			return nil, fmt.Errorf("%w: basis %s has no signal in %g–%g ppm", ErrBasis, names[i], opt.PPMLow, opt.PPMHigh)
		}
		pr.norms[i] = math.Sqrt(nn)
		for k := range pr.basis[i] {
			pr.basis[i][k] /= complex(pr.norms[i], 0)
		}
	}
	pr.ng = len(gmap)
	if !opt.NoBaseline {
		span := opt.PPMHigh - opt.PPMLow
		k := int(math.Round(span*opt.BaselineKnotsPerPPM)) + 3
		k = max(4, min(k, nf/2))
		pr.bl = newPSpline(bsplineBasis(pr.ppm, pr.ppm[0], pr.ppm[nf-1], k))
		ed := opt.BaselineEDPerPPM
		if ed == 0 {
			ed = 2
		}
		if _, err := pr.bl.lambdaForED(ed * span); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

// transform returns the spectrum of fid at the fit points (a fresh slice).
func (pr *problem) transform(fid []complex128) []complex128 {
	pr.plan.Forward(pr.spec, fid)
	out := make([]complex128, len(pr.idx))
	h := pr.n / 2
	for j, i := range pr.idx {
		out[j] = pr.spec[(i-h+pr.n)%pr.n]
	}
	return out
}

func (pr *problem) nParams() int { return nGlobal + 2*pr.ng }

// components returns, for θ, each metabolite's broadened, shifted
// time-domain signal and its phased spectrum at the fit points.
func (pr *problem) components(theta []float64) (td [][]complex128, fd [][]complex128) {
	td = make([][]complex128, pr.m)
	fd = make([][]complex128, pr.m)
	ph := pr.phase(theta)
	gauss := make([]float64, pr.n)
	for k, tk := range pr.t {
		gauss[k] = math.Exp(-theta[pGauss] * tk * tk)
	}
	for m := 0; m < pr.m; m++ {
		g := pr.group[m]
		x := make([]complex128, pr.n)
		decay(x, pr.basis[m], complex(-theta[pDamp(g)], 2*math.Pi*theta[pShift(g)]), pr.dt, gauss)
		td[m] = x
		s := pr.transform(x)
		for j := range s {
			s[j] *= ph[j]
		}
		fd[m] = s
	}
	return td, fd
}

func (pr *problem) phase(theta []float64) []complex128 {
	ph := make([]complex128, len(pr.idx))
	for j, v := range pr.ppm {
		ph[j] = cmplx.Exp(complex(0, theta[pPhi0]+theta[pPhi1]*(v-pr.ppmRef)))
	}
	return ph
}

// project removes from x (real parts then imaginary parts) the penalised
// baseline fit of each half, returning the residual; nil-safe without
// baseline.
func (pr *problem) project(x []float64) []float64 {
	d, _ := pr.rho(mat.NewDense(len(x), 1, append([]float64(nil), x...)))
	return d.RawMatrix().Data
}

// rho applies to each column x of X (2nf rows: real parts, then imaginary
// parts) the projection that eliminates the penalised baseline: it returns
// the data rows (I − S)x and the penalty rows √λ·D·c(x) of the residual
// that remains after the baseline c(x) is fitted to x (pen is nil without
// baseline). Both are fresh matrices.
func (pr *problem) rho(x *mat.Dense) (data, pen *mat.Dense) {
	r, c := x.Dims()
	data = mat.DenseCopyOf(x)
	if pr.bl == nil {
		return data, nil
	}
	nf := r / 2
	_, k := pr.bl.b.Dims()
	nd := k - 2
	pen = mat.NewDense(2*nd, c, nil)
	sl := math.Sqrt(pr.bl.lam)
	raw := data.RawMatrix().Data // stride c: DenseCopyOf is compact
	praw := pen.RawMatrix().Data
	coef := make([]float64, k*c)
	for h := 0; h < 2; h++ {
		half := raw[h*nf*c : (h+1)*nf*c]
		pr.bl.coefCols(coef, half, c)
		pr.bl.subFit(half, coef, c)
		ph := praw[h*nd*c : (h+1)*nd*c]
		for i := 0; i < nd; i++ {
			for col := 0; col < c; col++ {
				ph[i*c+col] = sl * (coef[i*c+col] - 2*coef[(i+1)*c+col] + coef[(i+2)*c+col])
			}
		}
	}
	return data, pen
}

// design returns the real design matrix (2nf × m) of the phased spectra.
func (pr *problem) design(fd [][]complex128) *mat.Dense {
	nf := len(pr.idx)
	raw := make([]float64, 2*nf*pr.m)
	for m, s := range fd {
		for j, v := range s {
			raw[j*pr.m+m] = real(v)
			raw[(nf+j)*pr.m+m] = imag(v)
		}
	}
	return mat.NewDense(2*nf, pr.m, raw)
}

// linSol is the solution of the linear sub-problem for one θ.
type linSol struct {
	r          []float64 // residual: data rows (re, im), then penalty rows
	amps       []float64 // amplitudes ≥ 0 (unit-norm basis units)
	blRe, blIm []float64 // baseline at the fit points
	ra, pa     *mat.Dense
	g          *mat.SymDense // AᵀQA
}

// linear solves for the amplitudes (≥ 0, unit-norm basis units) and the
// baseline given the phased component spectra fd: the amplitudes minimise
// the residual left after the baseline is eliminated, (y − Aa)ᵀQ(y − Aa)
// with Q = I − S (S the baseline smoother, symmetric), by NNLS on the Gram
// matrix AᵀQA.
func (pr *problem) linear(fd [][]complex128) *linSol {
	nf := len(pr.idx)
	a := pr.design(fd)
	ra, pa := pr.rho(a)
	var gd mat.Dense
	gd.Mul(a.T(), ra)
	g := mat.NewSymDense(pr.m, nil)
	for i := 0; i < pr.m; i++ {
		for j := i; j < pr.m; j++ {
			g.SetSym(i, j, 0.5*(gd.At(i, j)+gd.At(j, i)))
		}
	}
	// AᵀQy = (QA)ᵀy since Q is symmetric.
	hv := mat.NewVecDense(pr.m, nil)
	hv.MulVec(ra.T(), mat.NewVecDense(2*nf, pr.y))
	pr.prior.addGram(g)
	amps := nnlsGram(g, hv.RawVector().Data)
	v := append([]float64(nil), pr.y...)
	for m := 0; m < pr.m; m++ {
		if amps[m] == 0 {
			continue
		}
		for k := 0; k < 2*nf; k++ {
			v[k] -= amps[m] * a.At(k, m)
		}
	}
	ls := &linSol{amps: amps, ra: ra, pa: pa, g: g, blRe: make([]float64, nf), blIm: make([]float64, nf)}
	rd, rp := pr.rho(mat.NewDense(2*nf, 1, v))
	ls.r = append([]float64(nil), rd.RawMatrix().Data...)
	if rp != nil {
		ls.r = append(ls.r, rp.RawMatrix().Data...)
	}
	ls.r = append(ls.r, pr.prior.residual(amps)...)
	for j := 0; j < nf; j++ {
		ls.blRe[j] = v[j] - ls.r[j]
		ls.blIm[j] = v[nf+j] - ls.r[nf+j]
	}
	return ls
}

// evaluation is the model at one θ (cached: the Levenberg–Marquardt loop
// asks for the Jacobian at the θ whose cost it has just computed).
type evaluation struct {
	theta  []float64
	gen    int
	td, fd [][]complex128
	lin    *linSol
}

// evaluate returns the components and the linear solution at θ.
func (pr *problem) evaluate(theta []float64) *evaluation {
	gen := 0
	if pr.bl != nil {
		gen = pr.bl.gen
	}
	for _, e := range pr.cache {
		if e != nil && e.gen == gen && slicesEqual(e.theta, theta) {
			return e
		}
	}
	e := &evaluation{theta: append([]float64(nil), theta...), gen: gen}
	e.td, e.fd = pr.components(theta)
	e.lin = pr.linear(e.fd)
	pr.cache[1] = pr.cache[0]
	pr.cache[0] = e
	return e
}

func slicesEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (pr *problem) cost(theta []float64) float64 {
	s := 0.0
	for _, v := range pr.evaluate(theta).lin.r {
		s += v * v
	}
	for _, v := range pr.shiftPriorResidual(theta) {
		s += v * v
	}
	return s
}

// bounds returns the lower and upper limit of parameter i.
func (pr *problem) bounds(i int) (lo, hi float64) {
	maxD := math.Pi * pr.opt.MaxLinewidthHz
	switch {
	case i == pPhi0:
		return math.Inf(-1), math.Inf(1)
	case i == pPhi1:
		if !pr.opt.FitPhase1 {
			return 0, 0
		}
		return -20 * math.Pi / 180, 20 * math.Pi / 180
	case i == pGauss:
		// Gaussian FWHM Δν = 2√(γ ln2)/π ⇒ γ = (πΔν)²/(4 ln2).
		return 0, math.Pow(maxD, 2) / (4 * math.Ln2)
	case (i-nGlobal)%2 == 0:
		s := pr.opt.MaxShiftPPM * pr.hzPerPPM()
		if pr.broadGroup((i - nGlobal) / 2) {
			s = math.Min(s, pr.opt.BroadMaxShiftPPM*pr.hzPerPPM())
		}
		return -s, s
	default:
		if pr.broadGroup((i - nGlobal) / 2) {
			return 0, math.Min(maxD, math.Pi*pr.opt.BroadMaxLinewidthPPM*pr.hzPerPPM())
		}
		return 0, maxD
	}
}

func (pr *problem) clamp(theta []float64) {
	for i := range theta {
		lo, hi := pr.bounds(i)
		theta[i] = math.Max(lo, math.Min(hi, theta[i]))
	}
}

func (pr *problem) hzPerPPM() float64 {
	return (1 / (float64(pr.n) * pr.dt)) / (pr.ppm[1] - pr.ppm[0])
}

// initial finds starting values by a grid over a common shift (whole
// spectral points, within MaxShiftPPM) and Lorentzian broadening of all
// groups, fitting complex amplitudes at each grid point so that the
// zero-order phase need not be searched: it is the amplitude-weighted mean
// angle of the best grid point's complex amplitudes. The fit points are a
// contiguous run of spectral points, so a shift by whole points slides the
// window over the broadened basis spectra: the Gram matrices of all shifts
// come from prefix sums of the basis spectra's pointwise products.
func (pr *problem) initial() []float64 {
	theta := make([]float64, pr.nParams())
	binHz := 1 / (float64(pr.n) * pr.dt)
	maxBins := int(math.Ceil(pr.opt.MaxShiftPPM * pr.hzPerPPM() / binHz))
	maxBins = min(maxBins, pr.n/2)
	nf := len(pr.idx)
	h := pr.n / 2
	m := pr.m
	yc := make([]complex128, nf)
	for j := range yc {
		yc[j] = complex(pr.y[j], pr.y[nf+j])
	}
	// Spectral index of fit point j at shift sb is idx[j]−sb−h (mod n);
	// window position ℓ = j − sb + maxBins runs over [0, nf+2·maxBins).
	q0 := pr.idx[0] - h - maxBins
	wl := nf + 2*maxBins
	best := math.Inf(1)
	bestShift, bestLW, bestPhase := 0.0, 2.0, 0.0
	win := make([][]complex128, m)
	for i := range win {
		win[i] = make([]complex128, wl)
	}
	// prefix[pair][ℓ] = Σ_{ℓ'<ℓ} conj(win_a[ℓ'])·win_b[ℓ'] for a ≤ b.
	npair := m * (m + 1) / 2
	prefix := make([][]complex128, npair)
	for i := range prefix {
		prefix[i] = make([]complex128, wl+1)
	}
	x := make([]complex128, pr.n)
	spec := make([]complex128, pr.n)
	hm := make([]complex128, m*m)
	b := make([]complex128, m)
	c := make([]complex128, m)
	for _, lw := range []float64{1, 3, 6, 10} {
		for i := 0; i < m; i++ {
			decay(x, pr.basis[i], complex(-math.Pi*lw, 0), pr.dt, nil)
			pr.plan.Forward(spec, x)
			for l := range win[i] {
				win[i][l] = spec[((q0+l)%pr.n+pr.n)%pr.n]
			}
		}
		k := 0
		for a := 0; a < m; a++ {
			for bb := a; bb < m; bb++ {
				pa, wa, wb := prefix[k], win[a], win[bb]
				for l := 0; l < wl; l++ {
					pa[l+1] = pa[l] + cmplx.Conj(wa[l])*wb[l]
				}
				k++
			}
		}
		for sb := -maxBins; sb <= maxBins; sb++ {
			lo := maxBins - sb // window start of fit point 0
			k := 0
			tr := 0.0
			for a := 0; a < m; a++ {
				for bb := a; bb < m; bb++ {
					v := prefix[k][lo+nf] - prefix[k][lo]
					hm[a*m+bb] = v
					hm[bb*m+a] = cmplx.Conj(v)
					k++
				}
				tr += real(hm[a*m+a])
				s := complex(0, 0)
				for j := 0; j < nf; j++ {
					s += cmplx.Conj(win[a][lo+j]) * yc[j]
				}
				b[a] = s
			}
			for a := 0; a < m; a++ {
				hm[a*m+a] += complex(1e-12*tr/float64(m), 0)
			}
			if !hermitianSolve(hm, m, b, c) {
				continue
			}
			// For the least-squares solution, RSS = ‖y‖² − Re(bᴴc); the
			// constant ‖y‖² does not change the ranking.
			rss := 0.0
			for a := 0; a < m; a++ {
				rss -= real(cmplx.Conj(b[a]) * c[a])
			}
			if rss < best {
				best = rss
				bestShift, bestLW = float64(sb)*binHz, lw
				var z complex128
				for a := 0; a < m; a++ {
					z += c[a] * complex(cmplx.Abs(c[a]), 0)
				}
				bestPhase = cmplx.Phase(z)
			}
		}
	}
	theta[pPhi0] = bestPhase
	for g := 0; g < pr.ng; g++ {
		theta[pShift(g)] = bestShift
		theta[pDamp(g)] = math.Pi * bestLW
	}
	pr.clamp(theta)
	return theta
}

// hermitianSolve solves H·c = b for Hermitian positive definite H (n×n,
// row-major, overwritten by its Cholesky factor) and reports whether H was
// positive definite.
func hermitianSolve(hm []complex128, n int, b, c []complex128) bool {
	for j := 0; j < n; j++ {
		d := real(hm[j*n+j])
		for k := 0; k < j; k++ {
			v := hm[j*n+k]
			d -= real(v)*real(v) + imag(v)*imag(v)
		}
		if !(d > 0) {
			return false
		}
		ljj := math.Sqrt(d)
		hm[j*n+j] = complex(ljj, 0)
		for i := j + 1; i < n; i++ {
			s := hm[i*n+j]
			for k := 0; k < j; k++ {
				s -= hm[i*n+k] * cmplx.Conj(hm[j*n+k])
			}
			hm[i*n+j] = s / complex(ljj, 0)
		}
	}
	// L·w = b, then Lᴴ·c = w.
	for i := 0; i < n; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= hm[i*n+k] * c[k]
		}
		c[i] = s / hm[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		s := c[i]
		for k := i + 1; k < n; k++ {
			s -= cmplx.Conj(hm[k*n+i]) * c[k]
		}
		c[i] = s / hm[i*n+i]
	}
	return true
}

// decay sets dst[k] = src[k]·exp(z·t_k)·gauss[k] for t_k = k·dt, the
// exponential by recurrence (re-anchored every 256 points; accurate to
// ~1e-13), gauss nil meaning 1.
func decay(dst, src []complex128, z complex128, dt float64, gauss []float64) {
	step := cmplx.Exp(z * complex(dt, 0))
	cur := complex(1, 0)
	for k := range src {
		e := cur
		if gauss != nil {
			e *= complex(gauss[k], 0)
		}
		dst[k] = src[k] * e
		cur *= step
		if k&255 == 255 {
			cur = cmplx.Exp(z * complex(float64(k+1)*dt, 0))
		}
	}
}

// levenberg refines θ in place by bounded Levenberg–Marquardt and returns
// the iterations taken. Parameters at a bound whose gradient points out of
// the box are held for the iteration (a projected step).
func (pr *problem) levenberg(theta []float64) int {
	np := pr.nParams()
	cur := pr.cost(theta)
	mu := 1e-3
	s2 := pr.sigma * pr.sigma
	it := 0
	for it = 0; it < pr.opt.MaxIterations; it++ {
		r, jac := pr.jacobian(theta)
		jtj := mat.NewSymDense(np, nil)
		jtj.SymOuterK(1, jac.T())
		jtr := mat.NewVecDense(np, nil)
		jtr.MulVec(jac.T(), mat.NewVecDense(len(r), r))
		free := make([]bool, np)
		for i := 0; i < np; i++ {
			lo, hi := pr.bounds(i)
			g := jtr.AtVec(i) // the step is −(JᵀJ)⁻¹Jᵀr
			free[i] = lo < hi && !(theta[i] <= lo && g > 0) && !(theta[i] >= hi && g < 0)
		}
		improved := false
		// Jacobi-scaled normal equations: every free parameter's diagonal is
		// 1 (+μ), so the system's conditioning does not depend on the data's
		// scale or the parameters' units.
		dsc := make([]float64, np)
		for i := 0; i < np; i++ {
			dsc[i] = math.Sqrt(jtj.At(i, i))
			if !(dsc[i] > 0) {
				dsc[i] = 1
			}
		}
		for tries := 0; tries < 10; tries++ {
			a := mat.NewSymDense(np, nil)
			for i := 0; i < np; i++ {
				for j := i; j < np; j++ {
					switch {
					case !free[i] || !free[j]:
						if i == j {
							a.SetSym(i, i, 1)
						}
					case i == j:
						a.SetSym(i, i, 1+mu)
					default:
						a.SetSym(i, j, jtj.At(i, j)/(dsc[i]*dsc[j]))
					}
				}
			}
			rhs := mat.NewVecDense(np, nil)
			for i := 0; i < np; i++ {
				if free[i] {
					rhs.SetVec(i, jtr.AtVec(i)/dsc[i])
				}
			}
			step := mat.NewVecDense(np, nil)
			var ch mat.Cholesky
			if !ch.Factorize(a) || ch.SolveVecTo(step, rhs) != nil {
				mu *= 10
				continue
			}
			for i := 0; i < np; i++ {
				step.SetVec(i, step.AtVec(i)/dsc[i])
			}
			trial := append([]float64(nil), theta...)
			for i := 0; i < np; i++ {
				trial[i] -= step.AtVec(i)
			}
			pr.clamp(trial)
			c := pr.cost(trial)
			if c < cur {
				drop := cur - c
				copy(theta, trial)
				cur = c
				mu = math.Max(mu/3, 1e-9)
				improved = true
				// Converged when χ² = cost/σ² falls by less than 0.01.
				if drop/s2 < 1e-2 {
					return it + 1
				}
				break
			}
			mu *= 4
		}
		if !improved {
			break
		}
	}
	return it
}

// jacobian returns the residual (data rows, then baseline penalty rows) and
// its Jacobian with respect to θ in Kaufman's (1975) approximation of the
// variable-projection Jacobian: J = −P⊥·(∂A/∂θ)·a, with P⊥ the projection
// onto the orthogonal complement of the linear parameters' columns (the
// baseline and the amplitudes not held at zero by the constraint).
func (pr *problem) jacobian(theta []float64) ([]float64, *mat.Dense) {
	ev := pr.evaluate(theta)
	ls := ev.lin
	nf := len(pr.idx)
	np := pr.nParams()
	ph := pr.phase(theta)
	dY := pr.modelDerivs(theta, ev.td, ev.fd, ls.amps, ph)
	dm := mat.NewDense(2*nf, np, nil)
	for p := 0; p < np; p++ {
		for j, v := range dY[p] {
			dm.Set(j, p, -real(v))
			dm.Set(nf+j, p, -imag(v))
		}
	}
	rd, pd := pr.rho(dm)
	var act []int
	for m, a := range ls.amps {
		if a > 0 {
			act = append(act, m)
		}
	}
	if len(act) > 0 {
		// z = G_PP⁻¹ (QA_P)ᵀ(∂A a); subtract the fit of the passive columns.
		na := len(act)
		gpp := mat.NewSymDense(na, nil)
		for i, a := range act {
			for j := i; j < na; j++ {
				gpp.SetSym(i, j, ls.g.At(a, act[j]))
			}
		}
		raP := mat.NewDense(2*nf, na, nil)
		for i, a := range act {
			for k := 0; k < 2*nf; k++ {
				raP.Set(k, i, ls.ra.At(k, a))
			}
		}
		var rhs, z mat.Dense
		rhs.Mul(raP.T(), dm)
		var ch mat.Cholesky
		ok := ch.Factorize(gpp) && ch.SolveTo(&z, &rhs) == nil
		if !ok {
			ok = z.Solve(gpp, &rhs) == nil
		}
		if ok {
			var corr mat.Dense
			corr.Mul(raP, &z)
			rd.Sub(rd, &corr)
			if pd != nil {
				nr, _ := ls.pa.Dims()
				paP := mat.NewDense(nr, na, nil)
				for i, a := range act {
					for k := 0; k < nr; k++ {
						paP.Set(k, i, ls.pa.At(k, a))
					}
				}
				var pc mat.Dense
				pc.Mul(paP, &z)
				pd.Sub(pd, &pc)
			}
		}
	}
	rows := 2 * nf
	if pd != nil {
		r, _ := pd.Dims()
		rows += r
	}
	// Prior rows depend on θ only through the amplitudes: zero in
	// Kaufman's approximation.
	jac := mat.NewDense(rows+pr.prior.rows(), np, nil)
	jac.Slice(0, 2*nf, 0, np).(*mat.Dense).Copy(rd)
	if pd != nil {
		jac.Slice(2*nf, rows, 0, np).(*mat.Dense).Copy(pd)
	}
	for p := 0; p < np; p++ {
		if dY[p] == nil {
			for k := 0; k < rows; k++ {
				jac.Set(k, p, 0)
			}
		}
	}
	return pr.withShiftPriors(theta, ls.r, jac)
}

// modelDerivs returns ∂Y/∂θ_p at the fit points for the metabolite model
// Y = Σ a_m fd_m (nil for parameters held fixed).
func (pr *problem) modelDerivs(theta []float64, td, fd [][]complex128, amps []float64, ph []complex128) [][]complex128 {
	nf := len(pr.idx)
	np := pr.nParams()
	dY := make([][]complex128, np)
	total := make([]complex128, nf)
	for m, s := range fd {
		for j, v := range s {
			total[j] += complex(amps[m], 0) * v
		}
	}
	dY[pPhi0] = make([]complex128, nf)
	for j, v := range total {
		dY[pPhi0][j] = complex(0, 1) * v
	}
	if pr.opt.FitPhase1 {
		dY[pPhi1] = make([]complex128, nf)
		for j, v := range total {
			dY[pPhi1][j] = complex(0, pr.ppm[j]-pr.ppmRef) * v
		}
	}
	// Per group: Σ_{m∈g} a_m·t·x_m(t); all groups: Σ a_m·t²·x_m(t).
	sumT := make([][]complex128, pr.ng)
	sumT2 := make([]complex128, pr.n)
	for g := range sumT {
		sumT[g] = make([]complex128, pr.n)
	}
	for m := 0; m < pr.m; m++ {
		if amps[m] == 0 {
			continue
		}
		st := sumT[pr.group[m]]
		a := amps[m]
		for k, tk := range pr.t {
			v := td[m][k] * complex(a*tk, 0)
			st[k] += v
			sumT2[k] += v * complex(tk, 0)
		}
	}
	for g := 0; g < pr.ng; g++ {
		s := pr.transform(sumT[g])
		dS := make([]complex128, nf)
		dD := make([]complex128, nf)
		for j := range s {
			v := ph[j] * s[j]
			dS[j] = complex(0, 2*math.Pi) * v
			dD[j] = -v
		}
		dY[pShift(g)] = dS
		dY[pDamp(g)] = dD
	}
	s2 := pr.transform(sumT2)
	dY[pGauss] = make([]complex128, nf)
	for j := range s2 {
		dY[pGauss][j] = -ph[j] * s2[j]
	}
	return dY
}

// chooseBaseline picks the baseline's effective dimension per ppm among
// 1…7 by a modified AIC, n·ln(RSS) + 2·k·ED with k = 5 (the smoothing factor
// spant's ABfit documents), holding θ fixed; it leaves the smoother at the
// chosen λ and returns the ED per ppm.
func (pr *problem) chooseBaseline(theta []float64) float64 {
	span := pr.opt.PPMHigh - pr.opt.PPMLow
	fd := pr.evaluate(theta).fd
	nf := len(pr.idx)
	best, bestED, bestLam := math.Inf(1), 2.0, pr.bl.lam
	for _, edppm := range []float64{1, 1.5, 2, 3, 4, 5, 7} {
		lam, err := pr.bl.lambdaForED(edppm * span)
		if err != nil {
			continue
		}
		r := pr.linear(fd).r
		rss := 0.0
		for _, v := range r[:2*nf] {
			rss += v * v
		}
		// Real and imaginary baselines each have ED effective dimensions.
		aic := float64(2*nf)*math.Log(rss) + 2*5*2*pr.bl.ed()
		if aic < best {
			best, bestED, bestLam = aic, edppm, lam
		}
	}
	pr.bl.setLambda(bestLam)
	return bestED
}

// result assembles the Result, including the CRLBs.
func (pr *problem) result(theta []float64, names []string, iters int, ed float64) (*Result, error) {
	ev := pr.evaluate(theta)
	td, fd := ev.td, ev.fd
	amps, blRe, blIm := ev.lin.amps, ev.lin.blRe, ev.lin.blIm
	nf := len(pr.idx)
	res := &Result{
		Names:       append([]string(nil), names...),
		Amplitudes:  make([]float64, pr.m),
		SD:          make([]float64, pr.m),
		Phase0:      math.Mod(theta[pPhi0]*180/math.Pi+540, 360) - 180,
		Phase1:      theta[pPhi1] * 180 / math.Pi,
		PhaseRefPPM: pr.ppmRef,
		GaussHz:     2 * math.Sqrt(theta[pGauss]*math.Ln2) / math.Pi,
		Group:       append([]int(nil), pr.group...),
		ShiftHz:     make([]float64, pr.ng),
		LorentzHz:   make([]float64, pr.ng),
		NoiseSD:     pr.sigma,
		Iterations:  iters,
		PPM:         pr.ppm,
	}
	if pr.bl != nil {
		res.BaselineEDPerPPM = ed
	}
	for g := 0; g < pr.ng; g++ {
		res.ShiftHz[g] = theta[pShift(g)]
		res.LorentzHz[g] = theta[pDamp(g)] / math.Pi
	}
	for m := 0; m < pr.m; m++ {
		res.Amplitudes[m] = amps[m] / pr.norms[m]
	}
	ph := pr.phase(theta)
	res.Data = make([]complex128, nf)
	res.Model = make([]complex128, nf)
	res.Baseline = make([]complex128, nf)
	res.Components = make([][]complex128, pr.m)
	for m := range res.Components {
		res.Components[m] = make([]complex128, nf)
	}
	for j := 0; j < nf; j++ {
		inv := cmplx.Conj(ph[j])
		bl := complex(blRe[j], blIm[j])
		res.Data[j] = complex(pr.y[j], pr.y[nf+j]) * inv
		res.Baseline[j] = bl * inv
		fitv := bl
		for m := range fd {
			c := complex(amps[m], 0) * fd[m][j]
			fitv += c
			res.Components[m][j] = c * inv
		}
		res.Model[j] = fitv * inv
	}
	res.QC = pr.qc(res, td, amps)
	cov, err := pr.covariance(theta, td, fd, amps, ph)
	if err != nil {
		return nil, err
	}
	res.Cov = mat.NewSymDense(pr.m, nil)
	for i := 0; i < pr.m; i++ {
		for j := i; j < pr.m; j++ {
			res.Cov.SetSym(i, j, cov.At(i, j)/(pr.norms[i]*pr.norms[j]))
		}
		res.SD[i] = math.Sqrt(math.Max(res.Cov.At(i, i), 0))
	}
	return res, nil
}

// covariance returns the amplitude block (unit-norm basis units) of the
// inverse Fisher information of all parameters: amplitudes, the free
// nonlinear parameters and the baseline (eliminated by projecting every
// column against it, which leaves the same Schur complement).
func (pr *problem) covariance(theta []float64, td, fd [][]complex128, amps []float64, ph []complex128) (*mat.SymDense, error) {
	nf := len(pr.idx)
	var cols [][]float64
	a := pr.design(fd)
	for m := 0; m < pr.m; m++ {
		c := make([]float64, 2*nf)
		mat.Col(c, m, a)
		cols = append(cols, pr.project(c))
	}
	dY := pr.modelDerivs(theta, td, fd, amps, ph)
	colOf := map[int]int{} // parameter → column of the Fisher matrix
	for p := range dY {
		if dY[p] == nil {
			continue
		}
		lo, hi := pr.bounds(p)
		if lo == hi {
			continue
		}
		colOf[p] = len(cols)
		c := make([]float64, 2*nf)
		nn := 0.0
		for j, v := range dY[p] {
			c[j], c[nf+j] = real(v), imag(v)
			nn += real(v)*real(v) + imag(v)*imag(v)
		}
		if nn == 0 {
			delete(colOf, p)
			continue
		}
		cols = append(cols, pr.project(c))
	}
	nc := len(cols)
	cm := mat.NewDense(2*nf, nc, nil)
	for i, c := range cols {
		cm.SetCol(i, c)
	}
	f := mat.NewSymDense(nc, nil)
	f.SymOuterK(1, cm.T())
	pr.prior.addGram(f) // the priors' information on the amplitudes
	pr.addShiftPriorInfo(f, colOf)
	// Jacobi-scale F (unit diagonal) so that parameters of very different
	// units and the data's scale do not decide what counts as a null
	// direction; then invert by eigen-decomposition, treating null
	// directions (e.g. the shift of a group whose amplitudes are all zero)
	// as unconstrained.
	dsc := make([]float64, nc)
	for i := 0; i < nc; i++ {
		dsc[i] = math.Sqrt(f.At(i, i))
		if !(dsc[i] > 0) {
			dsc[i] = 1
		}
	}
	for i := 0; i < nc; i++ {
		for j := i; j < nc; j++ {
			f.SetSym(i, j, f.At(i, j)/(dsc[i]*dsc[j]))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(f, true) {
		return nil, fmt.Errorf("fit: Fisher information could not be decomposed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	maxv := 0.0
	for _, v := range vals {
		maxv = math.Max(maxv, v)
	}
	cov := mat.NewSymDense(pr.m, nil)
	s2 := pr.sigma * pr.sigma
	for i := 0; i < pr.m; i++ {
		for j := i; j < pr.m; j++ {
			s := 0.0
			for k, v := range vals {
				if v <= maxv*1e-12 {
					continue
				}
				s += vecs.At(i, k) * vecs.At(j, k) / v
			}
			cov.SetSym(i, j, s*s2/(dsc[i]*dsc[j]))
		}
	}
	return cov, nil
}

// noiseSD estimates the SD of the real spectral noise in [lo, hi] ppm after
// removing a straight line; when the spectrum does not cover that region it
// uses the last tenth of the FID scaled to the spectral domain (an FFT of n
// points scales white noise SD by √n).
func noiseSD(spec, fid []complex128, ppm []float64, lo, hi float64) float64 {
	var xs, ys []float64
	for i, v := range ppm {
		if v >= lo && v <= hi {
			xs = append(xs, v)
			ys = append(ys, real(spec[i]))
		}
	}
	if len(ys) >= 16 {
		return detrendedSD(xs, ys)
	}
	n := len(fid)
	tail := fid[n-n/10:]
	var re, ts []float64
	for i, v := range tail {
		re = append(re, real(v))
		ts = append(ts, float64(i))
	}
	return detrendedSD(ts, re) * math.Sqrt(float64(n))
}

func detrendedSD(x, y []float64) float64 {
	n := float64(len(x))
	var sx, sy, sxx, sxy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
		sxx += x[i] * x[i]
		sxy += x[i] * y[i]
	}
	den := n*sxx - sx*sx
	b := 0.0
	if den != 0 {
		b = (n*sxy - sx*sy) / den
	}
	a := (sy - b*sx) / n
	ss := 0.0
	for i := range x {
		d := y[i] - a - b*x[i]
		ss += d * d
	}
	return math.Sqrt(ss / (n - 2))
}

// qc measures the data's SNR (preproc.MeasureSNR), LCModel's S/N and the
// linewidth of the fitted reference singlet.
func (pr *problem) qc(res *Result, td [][]complex128, amps []float64) QC {
	q := QC{Residual: res.Residual(), SNR: math.NaN(), FWHMHz: math.NaN(), FWHMPPM: math.NaN(), SNRLCModel: math.NaN()}
	maxv, rss := math.Inf(-1), 0.0
	for j := range res.Data {
		v := real(res.Data[j] - res.Baseline[j])
		maxv = math.Max(maxv, v)
		d := real(res.Data[j] - res.Model[j])
		rss += d * d
	}
	if rss > 0 {
		q.SNRLCModel = maxv / (2 * math.Sqrt(rss/float64(len(res.Data))))
	}
	q.SNR, q.SNRPeak, q.SNRDefinition = dataSNR(pr.fid, pr.par)
	q.Priors = pr.prior.labels()
	ref := qcReference(res.Names, amps)
	if ref < 0 {
		return q
	}
	q.Reference = res.Names[ref]
	fid := make([]complex128, pr.n)
	for k, v := range td[ref] {
		fid[k] = v * complex(amps[ref], 0)
	}
	fwhm, _ := widthHz(fid, pr.dt)
	q.FWHMHz = fwhm
	q.FWHMPPM = fwhm / pr.hzPerPPM()
	return q
}
