package fit

import (
	"fmt"
	"math"
	"math/cmplx"
	"slices"

	"glusleep/internal/fft"
	"glusleep/mrs"
)

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
	bl     *pspline       // nil without baseline
	sigma  float64        // noise SD of the real spectrum (data units)
	ppmRef float64        // centre of the first-order phase (ppm)
	m      int            // number of basis spectra
	spec   []complex128   // FFT scratch, n points
	cache  [2]*evaluation // the two latest evaluations
	spare  []*evaluation  // evaluations dropped from the cache, for their buffers
	w      *work          // scratch buffers (scratch)
	fid    []complex128   // the data FID, for the SNR
	par    mrs.Params
	prior  *priorRows // soft constraints (nil: none)
	names  []string   // basis names
	broad  []bool     // per group: only macromolecules and lipids (setBroad)
	tie    []int      // per group: the group its shift and damping are relative to, or −1 (setTies)
}

// Parameter layout of θ: three global parameters, then shift and damping
// per group.
const (
	pPhi0 = iota
	pPhi1
	pGauss
	nGlobal
)

// pShift and pDamp are the positions in θ of group g's frequency shift
// (Hz) and Lorentzian damping (s⁻¹).
func pShift(g int) int { return nGlobal + 2*g }
func pDamp(g int) int  { return nGlobal + 2*g + 1 }

// newProblem validates the options against the data and sets up the fixed
// parts of the fit: fit points, noise level, unit-norm basis, groups and
// the baseline smoother.
func newProblem(data []complex128, p mrs.Params, names []string, basis [][]complex128, opt Options) (*problem, error) {
	opt = opt.withDefaults(p)
	if opt.PPMLow >= opt.PPMHigh {
		return nil, fmt.Errorf("fit: fit range %g–%g ppm is empty", opt.PPMLow, opt.PPMHigh)
	}
	pr := &problem{opt: opt, n: len(data), m: len(basis), plan: planFor(len(data)), dt: p.Dwell, fid: data, par: p, names: names}
	pr.t = p.TimeAxis(pr.n)
	if err := pr.setData(data, p); err != nil {
		return nil, err
	}
	if err := pr.setBasis(names, basis); err != nil {
		return nil, err
	}
	if err := pr.setBaseline(); err != nil {
		return nil, err
	}
	return pr, nil
}

// setData picks the fit points (the spectral points within the fit range),
// stores the data there and measures the noise SD that weights the fit.
func (pr *problem) setData(data []complex128, p mrs.Params) error {
	opt := pr.opt
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
		return fmt.Errorf("fit: fit range %g–%g ppm holds %d points of the spectrum (%g to %g ppm), want at least 8",
			opt.PPMLow, opt.PPMHigh, nf, ax[0], ax[len(ax)-1])
	}
	pr.y = make([]float64, 2*nf)
	for j, v := range yc {
		pr.y[j], pr.y[nf+j] = real(v), imag(v)
	}
	pr.ppmRef = p.Central()
	pr.sigma = noiseSD(full, data, ax, opt.NoiseLow, opt.NoiseHigh)
	if !(pr.sigma > 0) {
		return fmt.Errorf("fit: noise SD of the data is %g: cannot weight the fit", pr.sigma)
	}
	return nil
}

// setBasis assigns each metabolite its lineshape group (Options.Groups,
// else lineshapeGroup, or DefaultGroup with CommonLineshape; numbered in
// order of first appearance) and stores its FID, cut to the data's length,
// scaled to unit norm over the fit points.
func (pr *problem) setBasis(names []string, basis [][]complex128) error {
	opt := pr.opt
	pr.spec = make([]complex128, pr.n)
	pr.basis = make([][]complex128, pr.m)
	pr.norms = make([]float64, pr.m)
	pr.group = make([]int, pr.m)
	gmap := map[int]int{}
	for i, b := range basis {
		g := lineshapeGroupOf(opt, names[i])
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
			return fmt.Errorf("%w: basis %s has no signal in %g–%g ppm", ErrBasis, names[i], opt.PPMLow, opt.PPMHigh)
		}
		pr.norms[i] = math.Sqrt(nn)
		for k := range pr.basis[i] {
			pr.basis[i][k] /= complex(pr.norms[i], 0)
		}
	}
	pr.ng = len(gmap)
	pr.setTies()
	return nil
}

// setBaseline builds the baseline's P-spline smoother over the fit points
// (BaselineKnotsPerPPM basis functions per ppm, at least 4, at most half
// the points) at the fixed effective dimension, or 2 per ppm as the start
// of the automatic choice; none with NoBaseline.
func (pr *problem) setBaseline() error {
	opt := pr.opt
	if opt.NoBaseline {
		return nil
	}
	nf := len(pr.idx)
	span := opt.PPMHigh - opt.PPMLow
	k := int(math.Round(span*opt.BaselineKnotsPerPPM)) + 3
	k = max(4, min(k, nf/2))
	pr.bl = newPSpline(bsplineBasis(pr.ppm, pr.ppm[0], pr.ppm[nf-1], k))
	ed := opt.BaselineEDPerPPM
	if ed == 0 {
		ed = 2
	}
	_, err := pr.bl.lambdaForED(ed * span)
	return err
}

// transform returns the spectrum of fid at the fit points (a fresh slice).
func (pr *problem) transform(fid []complex128) []complex128 {
	return pr.transformTo(make([]complex128, len(pr.idx)), fid)
}

// transformTo writes the spectrum of fid at the fit points into out (len
// nf) and returns it.
func (pr *problem) transformTo(out, fid []complex128) []complex128 {
	pr.plan.Forward(pr.spec, fid)
	// The fit points are a contiguous run of the centred spectrum: one
	// run of the transform, or two when it wraps past its end.
	n := pr.n
	start := (pr.idx[0] - n/2 + n) % n
	k := copy(out[:len(pr.idx)], pr.spec[start:])
	copy(out[k:len(pr.idx)], pr.spec)
	return out
}

func (pr *problem) nParams() int { return nGlobal + 2*pr.ng }

// components returns, for θ, each metabolite's broadened, shifted
// time-domain signal and its phased spectrum at the fit points.
func (pr *problem) components(theta []float64) (td [][]complex128, fd [][]complex128) {
	td, fd = newComplexRows(pr.m, pr.n), newComplexRows(pr.m, len(pr.idx))
	pr.componentsTo(td, fd, theta)
	return td, fd
}

// componentsTo writes components' td and fd into the given buffers (m rows
// of n and of nf points).
func (pr *problem) componentsTo(td, fd [][]complex128, theta []float64) {
	w := pr.scratch()
	ph := pr.phaseTo(w.ph, theta)
	// One lineshape factor exp(z·t)·gauss(t) per group, applied to each
	// of its metabolites (the same products decay forms per metabolite).
	pr.shapesAt(theta)
	for m := 0; m < pr.m; m++ {
		x := td[m]
		f := w.shape[pr.group[m]]
		for k, v := range pr.basis[m] {
			x[k] = v * f[k]
		}
		s := pr.transformTo(fd[m], x)
		for j := range s {
			s[j] *= ph[j]
		}
	}
}

// shapesAt sets the fit's lineshape factors (work.shape), one per group,
// exp((−damping + 2πi·shift)·t)·exp(−γt²), to θ's, unless they were made
// for the same values last (componentsTo and modelDerivs at one θ).
func (pr *problem) shapesAt(theta []float64) {
	w := pr.scratch()
	key := w.shapeKey[:0]
	key = append(key, theta[pGauss])
	for g := 0; g < pr.ng; g++ {
		shift, damp := pr.shiftDamp(theta, g)
		key = append(key, shift, damp)
	}
	if w.shapeOK && slices.Equal(key, w.shapeFor) {
		w.shapeKey = key
		return
	}
	gauss := w.gauss
	for k, tk := range pr.t {
		gauss[k] = math.Exp(-theta[pGauss] * tk * tk)
	}
	for g, f := range w.shape {
		decayFactor(f, complex(-key[2+2*g], 2*math.Pi*key[1+2*g]), pr.dt, gauss)
	}
	w.shapeFor = append(w.shapeFor[:0], key...)
	w.shapeKey = key
	w.shapeOK = true
}

func (pr *problem) phase(theta []float64) []complex128 {
	return pr.phaseTo(make([]complex128, len(pr.idx)), theta)
}

// phaseTo writes the phase factor of each fit point at θ into ph (len nf)
// and returns it.
func (pr *problem) phaseTo(ph []complex128, theta []float64) []complex128 {
	for j, v := range pr.ppm {
		ph[j] = cmplx.Exp(complex(0, theta[pPhi0]+theta[pPhi1]*(v-pr.ppmRef)))
	}
	return ph
}

// modelDerivs returns ∂Y/∂θ_p at the fit points for the metabolite model
// Y = Σ a_m fd_m (nil for parameters held fixed), in the fit's scratch
// buffers: valid until the next call.
func (pr *problem) modelDerivs(theta []float64, fd [][]complex128, amps []float64, ph []complex128) [][]complex128 {
	w := pr.scratch()
	dY := w.dY
	for p := range dY {
		dY[p] = w.dYBuf[p]
	}
	total := zeroed(w.total)
	for m, s := range fd {
		for j, v := range s {
			total[j] += complex(amps[m], 0) * v
		}
	}
	for j, v := range total {
		dY[pPhi0][j] = complex(0, 1) * v
	}
	dY[pPhi1] = nil
	if !pr.opt.NoPhase1 {
		dY[pPhi1] = w.dYBuf[pPhi1]
		for j, v := range total {
			dY[pPhi1][j] = complex(0, pr.ppm[j]-pr.ppmRef) * v
		}
	}
	// Per group: Σ_{m∈g} a_m·t·x_m(t) = t·f_g(t)·Σ_{m∈g} a_m·b_m(t), with
	// x_m = b_m·f_g (componentsTo) and f_g the group's lineshape factor;
	// all groups: Σ a_m·t²·x_m(t).
	sumT := w.sumT
	sumT2 := zeroed(w.sumT2)
	for g := range sumT {
		zeroed(sumT[g])
	}
	pr.shapesAt(theta)
	for m := 0; m < pr.m; m++ {
		if amps[m] == 0 {
			continue
		}
		st := sumT[pr.group[m]]
		a := amps[m]
		for k, v := range pr.basis[m] {
			st[k] += complex(a*real(v), a*imag(v))
		}
	}
	for g, st := range sumT {
		f := w.shape[g]
		for k, tk := range pr.t {
			v := st[k] * f[k]
			v = complex(tk*real(v), tk*imag(v))
			st[k] = v
			sumT2[k] += complex(tk*real(v), tk*imag(v))
		}
	}
	for g := 0; g < pr.ng; g++ {
		s := pr.transformTo(w.tr, sumT[g])
		dS := dY[pShift(g)]
		dD := dY[pDamp(g)]
		for j := range s {
			v := ph[j] * s[j]
			dS[j] = complex(0, 2*math.Pi) * v
			dD[j] = -v
		}
	}
	pr.addTiedDerivs(dY)
	s2 := pr.transformTo(w.tr, sumT2)
	for j := range s2 {
		dY[pGauss][j] = -ph[j] * s2[j]
	}
	return dY
}

// bounds returns the lower and upper limit of parameter i.
func (pr *problem) bounds(i int) (lo, hi float64) {
	maxD := math.Pi * pr.opt.MaxLinewidthHz
	switch {
	case i == pPhi0:
		return math.Inf(-1), math.Inf(1)
	case i == pPhi1:
		if pr.opt.NoPhase1 {
			return 0, 0
		}
		return -20 * math.Pi / 180, 20 * math.Pi / 180
	case i == pGauss:
		// Gaussian FWHM Δν = 2√(γ ln2)/π ⇒ γ = (πΔν)²/(4 ln2).
		return 0, math.Pow(maxD, 2) / (4 * math.Ln2)
	case (i-nGlobal)%2 == 0:
		s := pr.opt.MaxShiftPPM * pr.hzPerPPM()
		if pr.tie[(i-nGlobal)/2] >= 0 {
			// Shift relative to the metabolites' (tie.go).
			s = math.Min(s, pr.opt.BroadMaxShiftPPM*pr.hzPerPPM())
		}
		return -s, s
	default:
		if pr.tie[(i-nGlobal)/2] >= 0 {
			// Extra damping over the metabolites' (tie.go).
			return 0, math.Pi * pr.opt.BroadMaxLinewidthPPM * pr.hzPerPPM()
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

// decayFactor sets dst[k] = exp(z·t_k)·gauss[k] for t_k = k·dt (gauss nil
// meaning 1), the exponential by recurrence (re-anchored every 256 points;
// accurate to ~1e-13).
func decayFactor(dst []complex128, z complex128, dt float64, gauss []float64) {
	step := cmplx.Exp(z * complex(dt, 0))
	cur := complex(1, 0)
	for k := range dst {
		e := cur
		if gauss != nil {
			e *= complex(gauss[k], 0)
		}
		dst[k] = e
		cur *= step
		if k&255 == 255 {
			cur = cmplx.Exp(z * complex(float64(k+1)*dt, 0))
		}
	}
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
