// Package fit estimates metabolite amplitudes from a single-voxel MR
// spectrum by linear combination of basis spectra, in the way LCModel,
// FSL-MRS and spant's ABfit do.
//
// The model of the spectrum at the points of the fit range is
//
//	S(ν) = e^{i(φ0 + φ1·(δ(ν) − δref))} · Σ_m a_m · F[ b_m(t) · e^{(2πi(ε0+ε_m) − (d0+d_m))·t − γ·t²} ](ν) + baseline(ν)
//
// with b_m the basis FIDs, a_m ≥ 0 the amplitudes (in units of the basis
// spectra), ε0 a global frequency shift and ε_m small per-metabolite shifts
// (Hz), d0 a global and d_m per-metabolite Lorentzian dampings (s⁻¹), γ a
// global Gaussian damping (s⁻²), φ0 and φ1 zero- and first-order phases,
// and a complex baseline given by cubic P-splines whose smoothness is chosen
// automatically (an effective dimension per ppm picked by a modified AIC,
// as spant's ABfit documents) or fixed by the user.
//
// The amplitudes and baseline enter linearly and are solved exactly for
// each value of the nonlinear parameters (variable projection, Golub and
// Pereyra 1973), the amplitudes under non-negativity by the Lawson–Hanson
// active-set method; the nonlinear parameters are found by Levenberg–
// Marquardt with the Kaufman (1975) Jacobian, after a coarse grid search of
// the global shift and zero-order phase. Small per-metabolite shifts and
// dampings are held near the global values by Gaussian priors, as LCModel
// does. Uncertainties are Cramér–Rao lower bounds from the Fisher
// information of all parameters (amplitudes, nonlinear and baseline) with
// the noise standard deviation measured in a signal-free region.
package fit

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"

	"glusleep/mrs"

	"glusleep/internal/fft"
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
	// MaxGlobalShiftPPM bounds the coarse search of the global shift
	// (default 0.1 ppm).
	MaxGlobalShiftPPM float64
	// MetaboliteShiftSDHz is the prior SD of per-metabolite shifts around the
	// global shift (default 0.004 ppm expressed in Hz); they are also limited
	// to ±3 SD.
	MetaboliteShiftSDHz float64
	// MetaboliteDampingSDHz is the prior SD of per-metabolite extra
	// Lorentzian dampings in Hz of linewidth (default 2 Hz); they are limited
	// to 0..3 SD.
	MetaboliteDampingSDHz float64
	// MaxLinewidthHz limits the global Lorentzian and Gaussian linewidths
	// (FWHM, default 0.1 ppm in Hz).
	MaxLinewidthHz float64
	// FitPhase1 fits the first-order phase (with a prior SD of 10°/ppm);
	// otherwise it is held at 0.
	FitPhase1 bool
	// NoiseLow and NoiseHigh give the signal-free region (ppm) where the
	// noise SD is measured (default −2.5 to −0.5 ppm; the FID's last tenth is
	// used when the spectrum does not reach that region).
	NoiseLow, NoiseHigh float64
	// MaxIterations bounds the Levenberg–Marquardt iterations (default 100).
	MaxIterations int
}

func (o Options) withDefaults(p mrs.Params) Options {
	if o.PPMLow == 0 && o.PPMHigh == 0 {
		o.PPMLow, o.PPMHigh = 0.2, 4.0
	}
	if o.BaselineKnotsPerPPM == 0 {
		o.BaselineKnotsPerPPM = 15
	}
	if o.MaxGlobalShiftPPM == 0 {
		o.MaxGlobalShiftPPM = 0.1
	}
	if o.MetaboliteShiftSDHz == 0 {
		o.MetaboliteShiftSDHz = 0.004 * p.SpectrometerFrequency
	}
	if o.MetaboliteDampingSDHz == 0 {
		o.MetaboliteDampingSDHz = 2
	}
	if o.MaxLinewidthHz == 0 {
		o.MaxLinewidthHz = 0.1 * p.SpectrometerFrequency
	}
	if o.NoiseLow == 0 && o.NoiseHigh == 0 {
		o.NoiseLow, o.NoiseHigh = -2.5, -0.5
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = 100
	}
	return o
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
	// ShiftHz is the global frequency shift applied to the basis in Hz;
	// MetaboliteShiftHz the extra shift of each metabolite.
	ShiftHz           float64
	MetaboliteShiftHz []float64
	// LorentzHz and GaussHz are the global Lorentzian and Gaussian line
	// broadenings (FWHM, Hz) applied to the basis; MetaboliteLorentzHz the
	// extra Lorentzian FWHM of each metabolite.
	LorentzHz, GaussHz  float64
	MetaboliteLorentzHz []float64

	// NoiseSD is the standard deviation of the real (and imaginary) spectral
	// noise in the data's units, measured in the signal-free region.
	NoiseSD float64
	// BaselineEDPerPPM is the baseline's effective dimension per ppm used.
	BaselineEDPerPPM float64
	// Iterations is the number of Levenberg–Marquardt iterations taken.
	Iterations int

	// PPM is the chemical shift of each fit point (descending order is not
	// guaranteed: ascending, as mrs.Params.PPMAxis).
	PPM []float64
	// Data, Model, Baseline are the spectra at the fit points with the
	// fitted phases removed, so that their real parts are absorption mode.
	// Model includes the baseline.
	Data, Model, Baseline []complex128
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
// range, in noise SDs (1 for a perfect fit to white noise).
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
	n      int          // FID points
	t      []float64    // time axis (s)
	idx    []int        // spectral indices of the fit points
	ppm    []float64    // their chemical shifts
	y      []complex128 // data at fit points
	basis  [][]complex128
	norms  []float64 // scale applied to each basis to unit norm at fit points
	fft    *fft.Plan
	bl     *pspline // nil without baseline
	sigma  float64
	ppmRef float64
	m      int
	// work buffers
	buf, spec []complex128
}

// Parameter layout of θ.
const (
	pPhi0 = iota
	pPhi1
	pShift
	pLor
	pGauss
	nGlobal
)

// Fit fits basis FIDs (names[i] ↔ basis[i], same dwell as the data, at least
// as many points; extra points are dropped) to the FID data with parameters
// p. Both are in the NIfTI-MRS convention (package mrs).
func Fit(data []complex128, p mrs.Params, names []string, basis [][]complex128, opt Options) (*Result, error) {
	if len(data) < 16 {
		return nil, fmt.Errorf("fit: data has %d points, want at least 16", len(data))
	}
	if !(p.Dwell > 0) || !(p.SpectrometerFrequency > 0) {
		return nil, fmt.Errorf("fit: dwell %g s and spectrometer frequency %g MHz must be positive", p.Dwell, p.SpectrometerFrequency)
	}
	if len(names) != len(basis) || len(basis) == 0 {
		return nil, fmt.Errorf("%w: %d names for %d basis FIDs", ErrBasis, len(names), len(basis))
	}
	for i, b := range basis {
		if len(b) < len(data) {
			return nil, fmt.Errorf("%w: basis %s has %d points, data %d", ErrBasis, names[i], len(b), len(data))
		}
	}
	for i, v := range data {
		if cmplx.IsNaN(v) || cmplx.IsInf(v) {
			return nil, fmt.Errorf("fit: data point %d is %v", i, v)
		}
	}
	opt = opt.withDefaults(p)
	if opt.PPMLow >= opt.PPMHigh {
		return nil, fmt.Errorf("fit: fit range %g–%g ppm is empty", opt.PPMLow, opt.PPMHigh)
	}
	pr := &problem{opt: opt, n: len(data), m: len(basis), fft: fft.New(len(data))}
	pr.t = p.TimeAxis(pr.n)
	ax := p.PPMAxis(pr.n)
	full := mrs.Spectrum(data)
	for i, v := range ax {
		if v >= opt.PPMLow && v <= opt.PPMHigh {
			pr.idx = append(pr.idx, i)
			pr.ppm = append(pr.ppm, v)
			pr.y = append(pr.y, full[i])
		}
	}
	if len(pr.idx) < 8 {
		return nil, fmt.Errorf("fit: fit range %g–%g ppm holds %d points of the spectrum (%g to %g ppm), want at least 8",
			opt.PPMLow, opt.PPMHigh, len(pr.idx), ax[0], ax[len(ax)-1])
	}
	pr.ppmRef = p.Central()
	pr.sigma = noiseSD(full, data, ax, opt.NoiseLow, opt.NoiseHigh)
	if !(pr.sigma > 0) {
		return nil, fmt.Errorf("fit: noise SD of the data is %g: cannot weight the fit", pr.sigma)
	}
	pr.buf = make([]complex128, pr.n)
	pr.spec = make([]complex128, pr.n)
	pr.basis = make([][]complex128, pr.m)
	pr.norms = make([]float64, pr.m)
	for i, b := range basis {
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
	if !opt.NoBaseline {
		span := opt.PPMHigh - opt.PPMLow
		k := int(math.Round(span*opt.BaselineKnotsPerPPM)) + 3
		if k > len(pr.idx)/2 {
			k = len(pr.idx) / 2
		}
		if k < 4 {
			k = 4
		}
		pr.bl = newPSpline(bsplineBasis(pr.ppm, pr.ppm[0], pr.ppm[len(pr.ppm)-1], k))
		ed := opt.BaselineEDPerPPM
		if ed == 0 {
			ed = 2
		}
		if _, err := pr.bl.lambdaForED(ed * span); err != nil {
			return nil, err
		}
	}
	theta := pr.initial()
	iters := pr.levenberg(theta)
	ed := opt.BaselineEDPerPPM
	if pr.bl != nil && ed == 0 {
		ed = pr.chooseBaseline(theta)
		iters += pr.levenberg(theta)
	}
	return pr.result(theta, names, iters, ed)
}

// transform returns the spectrum of fid at the fit points (a fresh slice).
func (pr *problem) transform(fid []complex128) []complex128 {
	pr.fft.Forward(pr.spec, fid)
	out := make([]complex128, len(pr.idx))
	h := pr.n / 2
	for j, i := range pr.idx {
		out[j] = pr.spec[(i-h+pr.n)%pr.n]
	}
	return out
}

func (pr *problem) nParams() int { return nGlobal + 2*pr.m }

// components returns, for θ, each metabolite's time-domain signal and its
// phased spectrum at the fit points.
func (pr *problem) components(theta []float64) (td [][]complex128, fd [][]complex128) {
	td = make([][]complex128, pr.m)
	fd = make([][]complex128, pr.m)
	ph := pr.phase(theta)
	for m := 0; m < pr.m; m++ {
		shift := theta[pShift] + theta[nGlobal+m]
		damp := theta[pLor] + theta[nGlobal+pr.m+m]
		g := theta[pGauss]
		x := make([]complex128, pr.n)
		decay(x, pr.basis[m], complex(-damp, 2*math.Pi*shift), pr.t[1]-pr.t[0], g)
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

// linear solves for the amplitudes (≥ 0, unit-norm basis units) and the
// baseline given the phased component spectra fd, and returns the residual
// vector (data rows re/im, then baseline penalty rows) and the amplitudes.
func (pr *problem) linear(fd [][]complex128) (r []float64, amps []float64, blRe, blIm []float64) {
	nf := len(pr.idx)
	// Real design: rows 0..nf-1 real parts, nf..2nf-1 imaginary parts.
	a := mat.NewDense(2*nf, pr.m, nil)
	for m, s := range fd {
		for j, v := range s {
			a.Set(j, m, real(v))
			a.Set(nf+j, m, imag(v))
		}
	}
	y := make([]float64, 2*nf)
	for j, v := range pr.y {
		y[j], y[nf+j] = real(v), imag(v)
	}
	// W·x removes the penalised baseline fit from the real and imaginary
	// halves of x separately.
	project := func(x []float64) []float64 {
		out := append([]float64(nil), x...)
		if pr.bl == nil {
			return out
		}
		for half := 0; half < 2; half++ {
			seg := x[half*nf : (half+1)*nf]
			fitv := pr.bl.eval(pr.bl.coef(seg))
			for j := range fitv {
				out[half*nf+j] -= fitv[j]
			}
		}
		return out
	}
	wa := mat.NewDense(2*nf, pr.m, nil)
	col := make([]float64, 2*nf)
	for m := 0; m < pr.m; m++ {
		mat.Col(col, m, a)
		wa.SetCol(m, project(col))
	}
	g := mat.NewSymDense(pr.m, nil)
	g.SymOuterK(1, wa.T()) // (WA)ᵀ(WA) = AᵀWA only if W idempotent; use AᵀWA below
	// AᵀWA with W symmetric: compute exactly.
	for i := 0; i < pr.m; i++ {
		for j := i; j < pr.m; j++ {
			s := 0.0
			for k := 0; k < 2*nf; k++ {
				s += a.At(k, i) * wa.At(k, j)
			}
			g.SetSym(i, j, s)
		}
	}
	wy := project(y)
	h := make([]float64, pr.m)
	for i := 0; i < pr.m; i++ {
		s := 0.0
		for k := 0; k < 2*nf; k++ {
			s += a.At(k, i) * wy[k]
		}
		h[i] = s
	}
	amps = nnlsGram(g, h)
	v := append([]float64(nil), y...)
	for m := 0; m < pr.m; m++ {
		if amps[m] == 0 {
			continue
		}
		for k := 0; k < 2*nf; k++ {
			v[k] -= amps[m] * a.At(k, m)
		}
	}
	r = v
	blRe = make([]float64, nf)
	blIm = make([]float64, nf)
	if pr.bl != nil {
		cr := pr.bl.coef(v[:nf])
		ci := pr.bl.coef(v[nf:])
		blRe, blIm = pr.bl.eval(cr), pr.bl.eval(ci)
		for j := 0; j < nf; j++ {
			r[j] -= blRe[j]
			r[nf+j] -= blIm[j]
		}
		d := diff2(len(cr))
		sl := math.Sqrt(pr.bl.lam)
		for _, c := range [][]float64{cr, ci} {
			dc := mat.NewVecDense(d.RawMatrix().Rows, nil)
			dc.MulVec(d, mat.NewVecDense(len(c), c))
			for _, x := range dc.RawVector().Data {
				r = append(r, sl*x)
			}
		}
	}
	return r, amps, blRe, blIm
}

// priors returns the prior residual rows (in data units) for θ.
func (pr *problem) priors(theta []float64) []float64 {
	out := make([]float64, 0, 2*pr.m+1)
	for m := 0; m < pr.m; m++ {
		out = append(out, pr.sigma*theta[nGlobal+m]/pr.opt.MetaboliteShiftSDHz)
		// Damping prior in linewidth Hz: d (s⁻¹) = π·Δν.
		out = append(out, pr.sigma*theta[nGlobal+pr.m+m]/(math.Pi*pr.opt.MetaboliteDampingSDHz))
	}
	if pr.opt.FitPhase1 {
		out = append(out, pr.sigma*theta[pPhi1]/(10*math.Pi/180))
	}
	return out
}

func (pr *problem) cost(theta []float64) float64 {
	_, fd := pr.components(theta)
	r, _, _, _ := pr.linear(fd)
	s := 0.0
	for _, v := range r {
		s += v * v
	}
	for _, v := range pr.priors(theta) {
		s += v * v
	}
	return s
}

// bounds clamps θ into its allowed box.
func (pr *problem) clamp(theta []float64) {
	maxD := math.Pi * pr.opt.MaxLinewidthHz
	theta[pLor] = math.Max(0, math.Min(maxD, theta[pLor]))
	// Gaussian FWHM Δν = 2√(γ ln2)/π ⇒ γ = (πΔν)²/(4 ln2).
	maxG := math.Pow(math.Pi*pr.opt.MaxLinewidthHz, 2) / (4 * math.Ln2)
	theta[pGauss] = math.Max(0, math.Min(maxG, theta[pGauss]))
	maxShift := pr.opt.MaxGlobalShiftPPM * 1.5 * pr.freqMHz()
	theta[pShift] = math.Max(-maxShift, math.Min(maxShift, theta[pShift]))
	if !pr.opt.FitPhase1 {
		theta[pPhi1] = 0
	}
	for m := 0; m < pr.m; m++ {
		s := 3 * pr.opt.MetaboliteShiftSDHz
		theta[nGlobal+m] = math.Max(-s, math.Min(s, theta[nGlobal+m]))
		d := 3 * math.Pi * pr.opt.MetaboliteDampingSDHz
		theta[nGlobal+pr.m+m] = math.Max(0, math.Min(d, theta[nGlobal+pr.m+m]))
	}
}

func (pr *problem) freqMHz() float64 {
	if len(pr.ppm) < 2 {
		return 1
	}
	// Hz per ppm from the axis spacing: Δν = 1/(n·dwell).
	dt := pr.t[1] - pr.t[0]
	return (1 / (float64(pr.n) * dt)) / (pr.ppm[1] - pr.ppm[0])
}

// initial finds starting values by a grid over the global shift (whole
// spectral points, within MaxGlobalShiftPPM) and the global Lorentzian
// broadening, fitting complex amplitudes at each grid point so that the
// zero-order phase need not be searched: it is the amplitude-weighted mean
// angle of the best grid point's complex amplitudes.
func (pr *problem) initial() []float64 {
	theta := make([]float64, pr.nParams())
	dt := pr.t[1] - pr.t[0]
	binHz := 1 / (float64(pr.n) * dt)
	maxBins := int(math.Ceil(pr.opt.MaxGlobalShiftPPM * pr.freqMHz() / binHz))
	nf := len(pr.idx)
	h := pr.n / 2
	best := math.Inf(1)
	bestShift, bestLW, bestPhase := 0.0, 2.0, 0.0
	full := make([][]complex128, pr.m)
	for _, lw := range []float64{1, 3, 6, 10} {
		for m := 0; m < pr.m; m++ {
			x := make([]complex128, pr.n)
			decay(x, pr.basis[m], complex(-math.Pi*lw, 0), dt, 0)
			s := make([]complex128, pr.n)
			pr.fft.Forward(s, x)
			full[m] = s
		}
		for sb := -maxBins; sb <= maxBins; sb++ {
			// Columns: each basis and i·basis, shifted by sb bins.
			a := mat.NewDense(2*nf, 2*pr.m, nil)
			for m := 0; m < pr.m; m++ {
				for j, i := range pr.idx {
					v := full[m][((i-sb-h)%pr.n+pr.n)%pr.n]
					a.Set(j, 2*m, real(v))
					a.Set(nf+j, 2*m, imag(v))
					a.Set(j, 2*m+1, -imag(v))
					a.Set(nf+j, 2*m+1, real(v))
				}
			}
			y := make([]float64, 2*nf)
			for j, v := range pr.y {
				y[j], y[nf+j] = real(v), imag(v)
			}
			var c mat.VecDense
			if err := c.SolveVec(a, mat.NewVecDense(2*nf, y)); err != nil {
				continue
			}
			var fitv mat.VecDense
			fitv.MulVec(a, &c)
			rss := 0.0
			for k := range y {
				d := y[k] - fitv.AtVec(k)
				rss += d * d
			}
			if rss < best {
				best = rss
				bestShift, bestLW = float64(sb)*binHz, lw
				var z complex128
				for m := 0; m < pr.m; m++ {
					cm := complex(c.AtVec(2*m), c.AtVec(2*m+1))
					z += cm * complex(cmplx.Abs(cm), 0)
				}
				bestPhase = cmplx.Phase(z)
			}
		}
	}
	theta[pShift] = bestShift
	theta[pLor] = math.Pi * bestLW
	theta[pPhi0] = bestPhase
	return theta
}

// decay sets dst[k] = src[k]·exp(z·t_k − γ·t_k²) for t_k = k·dt, by
// recurrence for the exponential of z (accurate to ~1e-13 over 10⁴ points).
func decay(dst, src []complex128, z complex128, dt, gamma float64) {
	step := cmplx.Exp(z * complex(dt, 0))
	cur := complex(1, 0)
	for k := range src {
		e := cur
		if gamma != 0 {
			t := float64(k) * dt
			e *= complex(math.Exp(-gamma*t*t), 0)
		}
		dst[k] = src[k] * e
		cur *= step
		if k&255 == 255 {
			// Re-anchor to stop rounding drift.
			cur = cmplx.Exp(z * complex(float64(k+1)*dt, 0))
		}
	}
}

// levenberg refines θ in place and returns the iterations taken.
func (pr *problem) levenberg(theta []float64) int {
	np := pr.nParams()
	cur := pr.cost(theta)
	mu := 1e-3
	it := 0
	for it = 0; it < pr.opt.MaxIterations; it++ {
		r, jac := pr.jacobian(theta)
		jtj := mat.NewSymDense(np, nil)
		jtj.SymOuterK(1, jac.T())
		jtr := mat.NewVecDense(np, nil)
		jtr.MulVec(jac.T(), mat.NewVecDense(len(r), r))
		improved := false
		for tries := 0; tries < 12; tries++ {
			a := mat.NewSymDense(np, nil)
			a.CopySym(jtj)
			for i := 0; i < np; i++ {
				d := jtj.At(i, i)
				if d == 0 {
					d = 1
				}
				a.SetSym(i, i, d*(1+mu))
			}
			step := mat.NewVecDense(np, nil)
			var ch mat.Cholesky
			if !ch.Factorize(a) || ch.SolveVecTo(step, jtr) != nil {
				mu *= 10
				continue
			}
			trial := append([]float64(nil), theta...)
			for i := 0; i < np; i++ {
				trial[i] -= step.AtVec(i)
			}
			pr.clamp(trial)
			c := pr.cost(trial)
			if c < cur {
				rel := (cur - c) / cur
				copy(theta, trial)
				cur = c
				mu = math.Max(mu/3, 1e-9)
				improved = true
				// Converged when χ² (cost/σ²) falls by less than 0.01 or
				// by a relative 1e-6.
				if rel < 1e-6 || (cur-c+rel*cur)/(pr.sigma*pr.sigma) < 0 || (rel*cur/(1-rel))/(pr.sigma*pr.sigma) < 1e-2 {
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

// jacobian returns the residual (data rows, baseline penalty rows, prior
// rows) and its Jacobian with respect to θ (Kaufman's approximation: the
// linear parameters are held at their optimum).
func (pr *problem) jacobian(theta []float64) ([]float64, *mat.Dense) {
	td, fd := pr.components(theta)
	r, amps, _, _ := pr.linear(fd)
	pri := pr.priors(theta)
	nf := len(pr.idx)
	np := pr.nParams()
	nr := len(r) + len(pri)
	jac := mat.NewDense(nr, np, nil)
	ph := pr.phase(theta)
	// Derivatives of the metabolite model Y = Σ a_m fd_m.
	total := make([]complex128, nf)
	for m, s := range fd {
		for j, v := range s {
			total[j] += complex(amps[m], 0) * v
		}
	}
	dY := make([][]complex128, np)
	dY[pPhi0] = make([]complex128, nf)
	dY[pPhi1] = make([]complex128, nf)
	for j, v := range total {
		dY[pPhi0][j] = complex(0, 1) * v
		if pr.opt.FitPhase1 {
			dY[pPhi1][j] = complex(0, pr.ppm[j]-pr.ppmRef) * v
		}
	}
	sumT := make([]complex128, pr.n)
	sumT2 := make([]complex128, pr.n)
	for m := 0; m < pr.m; m++ {
		if amps[m] == 0 {
			continue
		}
		tm := make([]complex128, pr.n)
		for k, tk := range pr.t {
			tm[k] = complex(tk, 0) * td[m][k]
			sumT[k] += complex(amps[m], 0) * tm[k]
			sumT2[k] += complex(amps[m]*tk*tk, 0) * td[m][k]
		}
		s := pr.transform(tm)
		dS := make([]complex128, nf)
		dD := make([]complex128, nf)
		for j := range s {
			v := complex(amps[m], 0) * ph[j] * s[j]
			dS[j] = complex(0, 2*math.Pi) * v
			dD[j] = -v
		}
		dY[nGlobal+m] = dS
		dY[nGlobal+pr.m+m] = dD
	}
	st := pr.transform(sumT)
	st2 := pr.transform(sumT2)
	dY[pShift] = make([]complex128, nf)
	dY[pLor] = make([]complex128, nf)
	dY[pGauss] = make([]complex128, nf)
	for j := range st {
		dY[pShift][j] = complex(0, 2*math.Pi) * ph[j] * st[j]
		dY[pLor][j] = -ph[j] * st[j]
		dY[pGauss][j] = -ph[j] * st2[j]
	}
	col := make([]float64, 2*nf)
	for p := 0; p < np; p++ {
		if dY[p] == nil {
			continue
		}
		for j, v := range dY[p] {
			col[j], col[nf+j] = -real(v), -imag(v)
		}
		// Residual r = (I − S)(y − Y) on data rows and √λ·D·c on penalty
		// rows, with c the spline coefficients of y − Y.
		if pr.bl != nil {
			off := 2 * nf
			d := diff2(pr.bl.b.RawMatrix().Cols)
			sl := math.Sqrt(pr.bl.lam)
			for half := 0; half < 2; half++ {
				seg := col[half*nf : (half+1)*nf]
				c := pr.bl.coef(seg)
				fitv := pr.bl.eval(c)
				for j := range fitv {
					jac.Set(half*nf+j, p, seg[j]-fitv[j])
				}
				dc := mat.NewVecDense(d.RawMatrix().Rows, nil)
				dc.MulVec(d, mat.NewVecDense(len(c), c))
				for i, x := range dc.RawVector().Data {
					jac.Set(off+half*len(dc.RawVector().Data)+i, p, sl*x)
				}
			}
		} else {
			for k, v := range col {
				jac.Set(k, p, v)
			}
		}
	}
	// Prior rows.
	off := len(r)
	for m := 0; m < pr.m; m++ {
		jac.Set(off+2*m, nGlobal+m, pr.sigma/pr.opt.MetaboliteShiftSDHz)
		jac.Set(off+2*m+1, nGlobal+pr.m+m, pr.sigma/(math.Pi*pr.opt.MetaboliteDampingSDHz))
	}
	if pr.opt.FitPhase1 {
		jac.Set(off+2*pr.m, pPhi1, pr.sigma/(10*math.Pi/180))
	}
	return append(r, pri...), jac
}

// chooseBaseline picks the baseline's effective dimension per ppm among
// 1…7 by a modified AIC, n·ln(RSS) + 2·k·ED with k = 5 (the smoothing factor
// spant's ABfit documents), holding θ fixed; it leaves the smoother at the
// chosen λ and returns the ED per ppm.
func (pr *problem) chooseBaseline(theta []float64) float64 {
	span := pr.opt.PPMHigh - pr.opt.PPMLow
	_, fd := pr.components(theta)
	nf := len(pr.idx)
	best, bestED, bestLam := math.Inf(1), 2.0, pr.bl.lam
	for _, edppm := range []float64{1, 1.5, 2, 3, 4, 5, 7} {
		lam, err := pr.bl.lambdaForED(edppm * span)
		if err != nil {
			continue
		}
		r, _, _, _ := pr.linear(fd)
		rss := 0.0
		for _, v := range r[:2*nf] {
			rss += v * v
		}
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
	_, fd := pr.components(theta)
	r, amps, blRe, blIm := pr.linear(fd)
	nf := len(pr.idx)
	res := &Result{
		Names:               append([]string(nil), names...),
		Amplitudes:          make([]float64, pr.m),
		SD:                  make([]float64, pr.m),
		Phase0:              math.Mod(theta[pPhi0]*180/math.Pi+540, 360) - 180,
		Phase1:              theta[pPhi1] * 180 / math.Pi,
		PhaseRefPPM:         pr.ppmRef,
		ShiftHz:             theta[pShift],
		LorentzHz:           theta[pLor] / math.Pi,
		GaussHz:             2 * math.Sqrt(theta[pGauss]*math.Ln2) / math.Pi,
		MetaboliteShiftHz:   make([]float64, pr.m),
		MetaboliteLorentzHz: make([]float64, pr.m),
		NoiseSD:             pr.sigma,
		Iterations:          iters,
		PPM:                 pr.ppm,
	}
	if pr.bl != nil {
		res.BaselineEDPerPPM = ed
	}
	for m := 0; m < pr.m; m++ {
		res.Amplitudes[m] = amps[m] / pr.norms[m]
		res.MetaboliteShiftHz[m] = theta[nGlobal+m]
		res.MetaboliteLorentzHz[m] = theta[nGlobal+pr.m+m] / math.Pi
	}
	ph := pr.phase(theta)
	res.Data = make([]complex128, nf)
	res.Model = make([]complex128, nf)
	res.Baseline = make([]complex128, nf)
	for j := 0; j < nf; j++ {
		inv := cmplx.Conj(ph[j])
		bl := complex(blRe[j], blIm[j])
		res.Data[j] = pr.y[j] * inv
		res.Baseline[j] = bl * inv
		fitv := bl
		for m := range fd {
			fitv += complex(amps[m], 0) * fd[m][j]
		}
		res.Model[j] = fitv * inv
	}
	_ = r
	cov, err := pr.covariance(theta, fd, amps)
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
// inverse Fisher information of all parameters: amplitudes, the nonlinear
// parameters that are free, and the baseline coefficients, with the priors
// and the baseline penalty as prior information.
func (pr *problem) covariance(theta []float64, fd [][]complex128, amps []float64) (*mat.SymDense, error) {
	_, jac := pr.jacobian(theta) // nonlinear columns (negated model derivatives)
	nf := len(pr.idx)
	var cols [][]float64
	var pen []float64 // diagonal prior precision (in data units²) per column, added to F
	// Amplitude columns.
	for m := 0; m < pr.m; m++ {
		c := make([]float64, 2*nf)
		for j, v := range fd[m] {
			c[j], c[nf+j] = real(v), imag(v)
		}
		cols = append(cols, c)
		pen = append(pen, 0)
	}
	// Free nonlinear columns: use the raw model derivative (undo the baseline
	// projection by recomputing without it is unnecessary: the baseline
	// columns below are included explicitly, and projecting them out first
	// gives the same Schur complement for the amplitudes).
	np := pr.nParams()
	for p := 0; p < np; p++ {
		if p == pPhi1 && !pr.opt.FitPhase1 {
			continue
		}
		if p >= nGlobal {
			m := (p - nGlobal) % pr.m
			if amps[m] == 0 {
				continue
			}
		}
		c := make([]float64, 2*nf)
		nn := 0.0
		for k := 0; k < 2*nf; k++ {
			c[k] = -jac.At(k, p)
			nn += c[k] * c[k]
		}
		if nn == 0 {
			continue
		}
		cols = append(cols, c)
		switch {
		case p >= nGlobal+pr.m:
			pen = append(pen, math.Pow(pr.sigma/(math.Pi*pr.opt.MetaboliteDampingSDHz), 2))
		case p >= nGlobal:
			pen = append(pen, math.Pow(pr.sigma/pr.opt.MetaboliteShiftSDHz, 2))
		case p == pPhi1:
			pen = append(pen, math.Pow(pr.sigma/(10*math.Pi/180), 2))
		default:
			pen = append(pen, 0)
		}
	}
	nc := len(cols)
	f := mat.NewSymDense(nc, nil)
	for i := 0; i < nc; i++ {
		for j := i; j < nc; j++ {
			s := 0.0
			for k := range cols[i] {
				s += cols[i][k] * cols[j][k]
			}
			if i == j {
				s += pen[i]
			}
			f.SetSym(i, j, s)
		}
	}
	// The data-row nonlinear columns were projected against the baseline
	// (W·∂Y); amplitudes' columns are raw. Project the amplitude columns too,
	// so the information matrix is that of the baseline-eliminated problem.
	if pr.bl != nil {
		for i := 0; i < pr.m; i++ {
			for half := 0; half < 2; half++ {
				seg := cols[i][half*nf : (half+1)*nf]
				fitv := pr.bl.eval(pr.bl.coef(seg))
				for j := range seg {
					seg[j] -= fitv[j]
				}
			}
		}
		for i := 0; i < nc; i++ {
			for j := i; j < nc; j++ {
				s := 0.0
				for k := range cols[i] {
					s += cols[i][k] * cols[j][k]
				}
				if i == j {
					s += pen[i]
				}
				f.SetSym(i, j, s)
			}
		}
	}
	// Invert via eigen-decomposition, treating null directions (amplitudes of
	// absent metabolites with no signal) as unconstrained.
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
				if v <= maxv*1e-13 {
					continue
				}
				s += vecs.At(i, k) * vecs.At(j, k) / v
			}
			cov.SetSym(i, j, s*s2)
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
	var re []float64
	var ts []float64
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
