package fit

import (
	"errors"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/mat"
)

// initial finds starting values by a grid over a common shift (whole
// spectral points, within MaxShiftPPM) and Lorentzian broadening of all
// groups, fitting complex amplitudes at each grid point so that the
// zero-order phase need not be searched: it is the amplitude-weighted mean
// angle of the best grid point's complex amplitudes. The fit points are a
// contiguous run of spectral points, so a shift by whole points slides the
// window over the broadened basis spectra: the Gram matrices of all shifts
// come from prefix sums of the basis spectra's pointwise products.
func (pr *problem) initial() []float64 {
	grid := pr.newShiftGrid()
	best := math.Inf(1)
	bestShift, bestLW, bestPhase := 0.0, 2.0, 0.0
	for _, lw := range []float64{1, 3, 6, 10} {
		grid.broaden(pr, lw)
		for sb := -grid.maxBins; sb <= grid.maxBins; sb++ {
			rss, ok := grid.solve(sb)
			if ok && rss < best {
				best = rss
				bestShift, bestLW = float64(sb)*grid.binHz, lw
				bestPhase = grid.phase()
			}
		}
	}
	theta := make([]float64, pr.nParams())
	theta[pPhi0] = bestPhase
	for g := 0; g < pr.ng; g++ {
		theta[pShift(g)] = bestShift
		theta[pDamp(g)] = math.Pi * bestLW
	}
	pr.clamp(theta)
	return theta
}

// shiftGrid holds the grid search of initial: the basis spectra, broadened
// alike, over a window of the spectrum that covers the fit points at every
// shift, and prefix sums of their pointwise products.
type shiftGrid struct {
	m, nf   int
	npair   int     // m(m+1)/2: pairs a ≤ b
	maxBins int     // shifts searched: −maxBins…maxBins spectral points
	binHz   float64 // one spectral point (Hz)
	q0, wl  int     // spectral index (before fftshift) of window position 0; window length
	yc      []complex128
	// win[ℓ·m + a] is metabolite a's broadened spectrum at window
	// position ℓ (one row of m values per position).
	win []complex128
	// lo[s·npair + k] and hi[s·npair + k] are the prefix sums
	// Σ_{ℓ'<ℓ} conj(win_a[ℓ'])·win_b[ℓ'] of the k-th pair a ≤ b (row-major
	// over a, then b) at ℓ = s and ℓ = s + nf, s = 0…2·maxBins: the window
	// starts and ends of the shifts, whose Gram matrices are their
	// differences.
	lo, hi  []complex128
	run     []complex128 // the running prefix sum, one pair per entry
	x, spec []complex128 // FID and spectrum scratch, n points
	f       []complex128 // the Lorentzian broadening factor, n points
	hm      []complex128 // m×m Gram matrix, row-major
	b, c    []complex128 // right-hand side and solution
	br, bi  []float64    // the right-hand side's parts while summed
}

// newShiftGrid sets up the grid search for the fit's shift bound.
func (pr *problem) newShiftGrid() *shiftGrid {
	binHz := 1 / (float64(pr.n) * pr.dt)
	maxBins := int(math.Ceil(pr.opt.MaxShiftPPM * pr.hzPerPPM() / binHz))
	maxBins = min(maxBins, pr.n/2)
	nf := len(pr.idx)
	h := pr.n / 2
	m := pr.m
	g := &shiftGrid{m: m, nf: nf, npair: m * (m + 1) / 2, maxBins: maxBins, binHz: binHz}
	g.yc = make([]complex128, nf)
	for j := range g.yc {
		g.yc[j] = complex(pr.y[j], pr.y[nf+j])
	}
	// Spectral index of fit point j at shift sb is idx[j]−sb−h (mod n);
	// window position ℓ = j − sb + maxBins runs over [0, nf+2·maxBins).
	g.q0 = pr.idx[0] - h - maxBins
	g.wl = nf + 2*maxBins
	g.win = make([]complex128, g.wl*m)
	ns := 2*maxBins + 1
	g.lo = make([]complex128, ns*g.npair)
	g.hi = make([]complex128, ns*g.npair)
	g.run = make([]complex128, g.npair)
	g.x = make([]complex128, pr.n)
	g.spec = make([]complex128, pr.n)
	g.f = make([]complex128, pr.n)
	g.hm = make([]complex128, m*m)
	g.b = make([]complex128, m)
	g.c = make([]complex128, m)
	g.br = make([]float64, m)
	g.bi = make([]float64, m)
	return g
}

// broaden fills the windows with the basis spectra broadened by a
// Lorentzian of lw Hz (FWHM) and recomputes the prefix sums.
func (g *shiftGrid) broaden(pr *problem, lw float64) {
	m := g.m
	// decay's factor exp(−π·lw·t), made once for all metabolites.
	decayFactor(g.f, complex(-math.Pi*lw, 0), pr.dt, nil)
	n := pr.n
	start := (g.q0%n + n) % n
	for i := 0; i < m; i++ {
		for k, v := range pr.basis[i] {
			g.x[k] = v * g.f[k]
		}
		pr.plan.Forward(g.spec, g.x)
		// Window position l is spectral index (q0 + l) mod n.
		for l, j := 0, start; l < g.wl; l++ {
			g.win[l*m+i] = g.spec[j]
			if j++; j == n {
				j = 0
			}
		}
	}
	np, ns := g.npair, 2*g.maxBins+1
	run := zeroed(g.run)
	for l := 0; l <= g.wl; l++ {
		// The sums over positions < l.
		if l < ns {
			copy(g.lo[l*np:(l+1)*np], run)
		}
		if s := l - g.nf; s >= 0 && s < ns {
			copy(g.hi[s*np:(s+1)*np], run)
		}
		if l == g.wl {
			break
		}
		w := g.win[l*m : (l+1)*m : (l+1)*m]
		k := 0
		for a, wa := range w {
			// conj(wa)·wb in real arithmetic (the complex product's
			// operations, in its order).
			ar, ai := real(wa), -imag(wa)
			row := w[a:]
			q := run[k : k+len(row)]
			for bb, wb := range row {
				br, bi := real(wb), imag(wb)
				q[bb] += complex(ar*br-ai*bi, ar*bi+ai*br)
			}
			k += len(row)
		}
	}
}

// solve fits complex amplitudes (in g.c) to the data at shift sb spectral
// points and returns the residual sum of squares less the constant ‖y‖²,
// or false when the Gram matrix is not positive definite.
func (g *shiftGrid) solve(sb int) (float64, bool) {
	m, hm, b, c := g.m, g.hm, g.b, g.c
	lo := g.maxBins - sb // window start of fit point 0
	np := g.npair
	hi, low := g.hi[lo*np:(lo+1)*np], g.lo[lo*np:(lo+1)*np]
	k := 0
	tr := 0.0
	for a := 0; a < m; a++ {
		for bb := a; bb < m; bb++ {
			v := hi[k] - low[k]
			hm[a*m+bb] = v
			hm[bb*m+a] = cmplx.Conj(v)
			k++
		}
		tr += real(hm[a*m+a])
	}
	// b = Σ_j conj(win[lo+j])·y_j, in real arithmetic (the operations of
	// the complex product, in its order).
	br, bi := g.br, g.bi
	clear(br)
	clear(bi)
	for j, y := range g.yc {
		yr, yi := real(y), imag(y)
		w := g.win[(lo+j)*m : (lo+j+1)*m][:len(br)]
		bi := bi[:len(br)]
		for a, v := range w {
			vr, vi := real(v), imag(v)
			br[a] += vr*yr + vi*yi
			bi[a] += vr*yi - vi*yr
		}
	}
	for a := range b {
		b[a] = complex(br[a], bi[a])
	}
	for a := 0; a < m; a++ {
		hm[a*m+a] += complex(1e-12*tr/float64(m), 0)
	}
	if !hermitianSolve(hm, m, b, c) {
		return 0, false
	}
	// For the least-squares solution, RSS = ‖y‖² − Re(bᴴc); the constant
	// ‖y‖² does not change the ranking.
	rss := 0.0
	for a := 0; a < m; a++ {
		rss -= real(cmplx.Conj(b[a]) * c[a])
	}
	return rss, true
}

// phase returns the amplitude-weighted mean angle (radians) of the
// complex amplitudes of the last solve.
func (g *shiftGrid) phase() float64 {
	var z complex128
	for a := 0; a < g.m; a++ {
		z += g.c[a] * complex(cmplx.Abs(g.c[a]), 0)
	}
	return cmplx.Phase(z)
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
			// s / complex(ljj, 0) without the runtime's general
			// complex division (the same quotients).
			hm[i*n+j] = complex(real(s)/ljj, imag(s)/ljj)
		}
	}
	// L·w = b, then Lᴴ·c = w.
	for i := 0; i < n; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= hm[i*n+k] * c[k]
		}
		d := real(hm[i*n+i]) // the diagonal is real
		c[i] = complex(real(s)/d, imag(s)/d)
	}
	for i := n - 1; i >= 0; i-- {
		s := c[i]
		for k := i + 1; k < n; k++ {
			s -= cmplx.Conj(hm[k*n+i]) * c[k]
		}
		d := real(hm[i*n+i])
		c[i] = complex(real(s)/d, imag(s)/d)
	}
	return true
}

// levenberg refines θ in place by bounded Levenberg–Marquardt and returns
// the iterations taken. Parameters at a bound whose gradient points out of
// the box are held for the iteration (a projected step).
func (pr *problem) levenberg(theta []float64) int {
	return pr.levenbergTol(theta, converged)
}

// tolerance is the fall of χ² (cost/σ²) below which a Levenberg–Marquardt
// step counts as converged: abs, or rel times χ² where that is larger.
type tolerance struct{ abs, rel float64 }

// at returns the tolerance at χ² chi2.
func (t tolerance) at(chi2 float64) float64 { return math.Max(t.abs, t.rel*chi2) }

// converged is the tolerance of a fit's final refinement.
var converged = tolerance{abs: 1e-2}

// rough is levenbergTol's tolerance for the fit that only prepares the
// choice of the baseline's stiffness; the fit at the chosen stiffness then
// converges to converged. That fit is at the stiffest candidate's
// baseline (2 per ppm), so its χ² can be tens of times the number of
// points, and Gauss–Newton converges linearly there (χ² falls by a
// fraction of the previous fall per step: the residual's curvature is not
// small): 0.1 alone took eight iterations on Osprey's sub-01 (χ² 24650),
// of which the last three moved χ² by less than 1e-3 of itself. The
// choice compares criteria nf·ln(RSS) + 2·5·ED, which such a remainder
// moves by less than nf·1e-3 (and for every candidate alike: they share
// θ), against steps of at least 5 and a parsimony margin of 2.
var rough = tolerance{abs: 0.1, rel: 1e-3}

// levenbergTol is levenberg converging when χ² falls by less than tol.
func (pr *problem) levenbergTol(theta []float64, tol tolerance) int {
	np := pr.nParams()
	cur := pr.cost(theta)
	mu := 1e-3
	s2 := pr.sigma * pr.sigma
	it := 0
	for it = 0; it < pr.opt.MaxIterations; it++ {
		jtj, jtr := pr.normalEquations(theta)
		free := make([]bool, np)
		for i := 0; i < np; i++ {
			lo, hi := pr.bounds(i)
			g := jtr.AtVec(i) // the step is −(JᵀJ)⁻¹Jᵀr
			free[i] = lo < hi && !(theta[i] <= lo && g > 0) && !(theta[i] >= hi && g < 0)
		}
		improved := false
		dsc := jacobiScale(jtj)
		// The fall of χ² the linearised model predicts for its own
		// minimum, the undamped (Gauss–Newton) step: the convergence
		// tests use it, not a damped step's, whose prediction shrinks
		// with μ and would stop the search where a large μ only
		// shortened the step.
		gain := math.Inf(1)
		if gn, ok := dampedStep(jtj, jtr, free, dsc, 0); ok {
			gain = predictedDrop(jtj, jtr, gn) / s2
		}
		for tries := 0; tries < 10; tries++ {
			step, ok := dampedStep(jtj, jtr, free, dsc, mu)
			if !ok {
				mu *= 10
				continue
			}
			// Converged when even the linearised model predicts χ² to
			// fall by less than tol.
			if gain < tol.at(cur/s2) {
				return it
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
				// Converged when χ² = cost/σ² falls by less than tol.
				if drop/s2 < tol.at(cur/s2) {
					return it + 1
				}
				break
			}
			// A step predicted to lower χ² by less than ten times the
			// convergence tolerance that does not lower it: converged.
			// The linearised model no longer describes the cost at this
			// scale (it often rises by as much as the model says it should
			// fall, from the amplitudes' projection and bounds), and
			// smaller steps could gain at most a fraction of the tolerance.
			if gain < 10*tol.at(cur/s2) {
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

// predictedDrop returns the decrease of the sum of squares ‖r − J·s‖²
// that the linearised model predicts for the step s subtracted from θ:
// 2sᵀJᵀr − sᵀJᵀJs.
func predictedDrop(jtj *mat.SymDense, jtr, step *mat.VecDense) float64 {
	var js mat.VecDense
	js.MulVec(jtj, step)
	return 2*mat.Dot(step, jtr) - mat.Dot(step, &js)
}

// jacobiScale returns the square roots of a's diagonal, 1 where that is
// not positive: dividing row and column i by the i-th gives a unit
// diagonal, so that a system's conditioning does not depend on the data's
// scale or the parameters' units.
func jacobiScale(a *mat.SymDense) []float64 {
	n := a.SymmetricDim()
	dsc := make([]float64, n)
	for i := 0; i < n; i++ {
		dsc[i] = math.Sqrt(a.At(i, i))
		if !(dsc[i] > 0) {
			dsc[i] = 1
		}
	}
	return dsc
}

// dampedStep solves the Jacobi-scaled (dsc, from jacobiScale) normal
// equations of a Levenberg–Marquardt step, (D⁻¹JᵀJD⁻¹ + μI)·s' = D⁻¹Jᵀr,
// over the free parameters (every free diagonal is 1 + μ; the others are
// held: step 0), and returns the step s = D⁻¹s' to subtract from θ, or
// false when the system is not positive definite.
func dampedStep(jtj *mat.SymDense, jtr *mat.VecDense, free []bool, dsc []float64, mu float64) (*mat.VecDense, bool) {
	np := len(free)
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
		return nil, false
	}
	for i := 0; i < np; i++ {
		step.SetVec(i, step.AtVec(i)/dsc[i])
	}
	return step, true
}

// normalEquations returns JᵀJ and Jᵀr at θ for the residual r (data rows,
// baseline penalty rows, amplitude prior rows, shift and width prior rows)
// and its Jacobian J with respect to θ: the variable-projection Jacobian
// of Golub and Pereyra (1973),
//
//	J = −P⊥·(∂A/∂θ)·a − (A⁺)ᵀ·(∂A/∂θ)ᵀ·r,
//
// with A the linear parameters' columns (the baseline eliminated, the
// amplitudes not held at zero by the constraint, the amplitude priors'
// rows below them), P⊥ the projection onto their orthogonal complement
// and r the residual. The second term, which Kaufman's (1975)
// approximation drops, makes the Gauss–Newton step exact to first order
// where the residual is not small (a baseline too stiff, a lineshape the
// model does not hold). With D = ρ(−(∂A/∂θ)·a) (the baseline eliminated),
// C = AᵀD, H = (∂A/∂θ)ᵀ·r and G = AᵀA, J = D − A·G⁻¹(C + H), so
//
//	JᵀJ = DᵀD − CᵀG⁻¹C + HᵀG⁻¹H,  Jᵀr = Dᵀr − (C + H)ᵀG⁻¹Aᵀr,
//
// which needs no product with A's rows beyond C: the Levenberg–Marquardt
// search uses only these. Both are fresh.
func (pr *problem) normalEquations(theta []float64) (*mat.SymDense, *mat.VecDense) {
	ev := pr.evaluate(theta)
	ls := ev.lin
	nf := len(pr.idx)
	rows := 2 * nf
	np := pr.nParams()
	w := pr.scratch()
	ph := pr.phaseTo(w.ph, theta)
	dY := pr.modelDerivs(theta, ev.fd, ls.amps, ph)
	// dm = −(∂A/∂θ)·a column by column, as ls.a, for the parameters not
	// held fixed (live; the others' rows and columns stay zero).
	live := w.live[:0]
	for p := 0; p < np; p++ {
		if dY[p] != nil {
			live = append(live, p)
		}
	}
	w.live = live
	nl := len(live)
	dm := w.dmBuffer(pr, np)[:nl*rows]
	for c, p := range live {
		col := dm[c*rows : (c+1)*rows]
		for j, v := range dY[p] {
			col[j], col[nf+j] = -real(v), -imag(v)
		}
	}
	// DᵀD = dmᵀQ·dm; Dᵀr = dmᵀ·Q(y − Aa), the residual's data rows (ρ's
	// data rows are Q·x, and ρ(x)ᵀρ(z) = xᵀQz).
	jl := mat.NewSymDense(nl, nil)
	pr.gramDiffTo(jl, dm, nl, w.btd, w.ctd)
	r := ls.r[:rows]
	jrl := make([]float64, nl)
	for c := range live {
		t := 0.0
		for k, v := range dm[c*rows : (c+1)*rows] {
			t += v * r[k]
		}
		jrl[c] = t
	}
	pr.projectActive(jl, jrl, dm, ev, ph, live)
	jtj := mat.NewSymDense(np, nil)
	jtr := mat.NewVecDense(np, nil)
	jr := jtr.RawVector().Data
	for a, p := range live {
		jr[p] = jrl[a]
		for b := a; b < nl; b++ {
			jtj.SetSym(p, live[b], jl.At(a, b))
		}
	}
	// The shift and width priors' rows: ±σ/SD on the two parameters.
	as, bs, sd := pr.priorPairs()
	for k := range as {
		v := pr.sigma / sd[k]
		res := v * (theta[as[k]] - theta[bs[k]])
		a, b := as[k], bs[k]
		jtj.SetSym(a, a, jtj.At(a, a)+v*v)
		jtj.SetSym(b, b, jtj.At(b, b)+v*v)
		jtj.SetSym(a, b, jtj.At(a, b)-v*v)
		jr[a] += v * res
		jr[b] -= v * res
	}
	return jtj, jtr
}

// projectActive completes the normal equations from jtj = DᵀD and jr =
// Dᵀr (normalEquations; dm = −(∂A/∂θ)·a before the baseline's
// elimination, column by column): with A_P the columns of ρ(A) whose
// amplitudes are not held at zero, stacked over the amplitude priors'
// columns, G_PP = A_PᵀA_P (the Gram matrix with the priors), C = A_PᵀD =
// A_PᵀQ·dm (Q = I − S, ρ's Gram) and H = (∂A_P/∂θ)ᵀr (coupling), it
// subtracts CᵀG⁻¹C and adds HᵀG⁻¹H to jtj, and subtracts (C + H)ᵀG⁻¹A_Pᵀr
// from jr. Its matrices are the fit's work buffers.
func (pr *problem) projectActive(jtj *mat.SymDense, jr []float64, dm []float64, ev *evaluation, ph []complex128, live []int) {
	ls := ev.lin
	w := pr.scratch()
	act := w.act[:0]
	for m, a := range ls.amps {
		if a > 0 {
			act = append(act, m)
		}
	}
	w.act = act
	if len(act) == 0 {
		return
	}
	na := len(act)
	np := jtj.SymmetricDim()
	gpp := mat.NewSymDense(na, w.gppBuf[:na*na])
	for i, a := range act {
		for j := i; j < na; j++ {
			gpp.SetSym(i, j, ls.g.At(a, act[j]))
		}
	}
	c := &w.rhs
	pr.crossActive(c, ls, dm, np)
	h := &w.z
	h.Reset()
	h.ReuseAs(na, np)
	h.Zero()
	pr.coupling(h, ev, ph, live)
	ar := w.ar[:na]
	pr.activeResidual(ar, ev)
	ch := &w.chol
	if !factorizeRidged(ch, gpp) {
		return // G_PP has no finite entries to ridge: leave DᵀD, Dᵀr
	}
	gc, gh := &w.gc, &w.gh
	gc.Reset()
	gh.Reset()
	if !usable(ch.SolveTo(gc, c)) || !usable(ch.SolveTo(gh, h)) {
		return
	}
	gar := mat.NewVecDense(na, w.gar[:na])
	if !usable(ch.SolveVecTo(gar, mat.NewVecDense(na, ar))) {
		return
	}
	craw, hraw := c.RawMatrix(), h.RawMatrix()
	gcr, ghr := gc.RawMatrix(), gh.RawMatrix()
	for p := 0; p < np; p++ {
		for q := p; q < np; q++ {
			s := 0.0
			for i := 0; i < na; i++ {
				s -= craw.Data[i*craw.Stride+p] * gcr.Data[i*gcr.Stride+q]
				s += hraw.Data[i*hraw.Stride+p] * ghr.Data[i*ghr.Stride+q]
			}
			jtj.SetSym(p, q, jtj.At(p, q)+s)
		}
		s := 0.0
		for i := 0; i < na; i++ {
			s += (craw.Data[i*craw.Stride+p] + hraw.Data[i*hraw.Stride+p]) * gar.AtVec(i)
		}
		jr[p] -= s
	}
}

// crossActive sets c (na×np) to A_PᵀQ·dm for the active columns (w.act):
// A_Pᵀdm less, per half, (BᵀA_P)ᵀ(BᵀB + λDᵀD)⁻¹(Bᵀdm), the last from
// normalEquations' gramDiffTo (w.ctd).
func (pr *problem) crossActive(c *mat.Dense, ls *linSol, dm []float64, np int) {
	w := pr.scratch()
	rows := 2 * len(pr.idx)
	na := len(w.act)
	c.Reset()
	c.ReuseAs(na, np)
	cr := c.RawMatrix()
	for i, a := range w.act {
		x := ls.a[a*rows : (a+1)*rows : (a+1)*rows]
		out := cr.Data[i*cr.Stride : i*cr.Stride+np]
		p := 0
		for ; p+3 < np; p += 4 {
			y0 := dm[p*rows : (p+1)*rows : (p+1)*rows][:len(x)]
			y1 := dm[(p+1)*rows : (p+2)*rows : (p+2)*rows][:len(x)]
			y2 := dm[(p+2)*rows : (p+3)*rows : (p+3)*rows][:len(x)]
			y3 := dm[(p+3)*rows : (p+4)*rows : (p+4)*rows][:len(x)]
			var s0, s1, s2, s3 float64
			for k, v := range x {
				s0 += v * y0[k]
				s1 += v * y1[k]
				s2 += v * y2[k]
				s3 += v * y3[k]
			}
			out[p], out[p+1], out[p+2], out[p+3] = s0, s1, s2, s3
		}
		for ; p+1 < np; p += 2 {
			y0 := dm[p*rows : (p+1)*rows : (p+1)*rows][:len(x)]
			y1 := dm[(p+1)*rows : (p+2)*rows : (p+2)*rows][:len(x)]
			var s0, s1 float64
			for k, v := range x {
				s0 += v * y0[k]
				s1 += v * y1[k]
			}
			out[p], out[p+1] = s0, s1
		}
		if p < np {
			y := dm[p*rows : (p+1)*rows : (p+1)*rows][:len(x)]
			s := 0.0
			for k, v := range x {
				s += v * y[k]
			}
			out[p] = s
		}
	}
	if pr.bl == nil {
		return
	}
	_, k := pr.bl.b.Dims()
	m := pr.m
	for h := 0; h < 2; h++ {
		bta, ctd := ls.bta[h], w.ctd[h]
		for j := 0; j < k; j++ {
			brow, crow := bta[j*m:(j+1)*m], ctd[j*np:(j+1)*np]
			for i, a := range w.act {
				out := cr.Data[i*cr.Stride : i*cr.Stride+np]
				b := brow[a]
				for p, v := range crow {
					out[p] -= b * v
				}
			}
		}
	}
}

// activeResidual sets ar to A_Pᵀr for the active amplitudes (w.act): the
// columns of A against the residual's data rows (which are Q·(y − Aa),
// and ρ(x)ᵀρ(z) = xᵀQz), less the prior rows' (their sign in the residual
// is +P·a). Zero at an exact linear solution; kept, since NNLS stops at a
// tolerance.
func (pr *problem) activeResidual(ar []float64, ev *evaluation) {
	ls := ev.lin
	w := pr.scratch()
	r := ls.r
	rows := 2 * len(pr.idx)
	for i, a := range w.act {
		t := 0.0
		for k, v := range ls.a[a*rows : (a+1)*rows] {
			t += v * r[k]
		}
		ar[i] = t
	}
	if pr.prior != nil {
		off := len(r) - pr.prior.rows()
		pp := pr.prior.p.RawMatrix()
		for k := 0; k < pr.prior.rows(); k++ {
			row := pp.Data[k*pp.Stride : k*pp.Stride+pr.m]
			for i, a := range w.act {
				ar[i] -= row[a] * r[off+k]
			}
		}
	}
}

// coupling adds to h (one row per active amplitude, w.act, and one column
// per parameter not held fixed, live) the second term's (∂A_P/∂θ)ᵀ·r: for active column m and
// parameter p, Σ_j Re(conj(∂fd_m[j]/∂θ_p)·r_j) over the fit points, r_j
// the complex data residual. The derivatives of a component with respect
// to its group's shift and damping and the Gaussian are transforms of
// t·x_m(t) and t²·x_m(t) (x_m its time-domain signal): by Parseval's
// theorem each sum is Σ_t conj(t^k·x_m(t))·u(t) with u the adjoint
// transform of the phase-removed residual placed at the fit points, so one
// transform serves every column and parameter.
func (pr *problem) coupling(h *mat.Dense, ev *evaluation, ph []complex128, live []int) {
	w := pr.scratch()
	colOf := w.colOf[:pr.nParams()]
	for p := range colOf {
		colOf[p] = -1
	}
	for c, p := range live {
		colOf[p] = c
	}
	nf, n := len(pr.idx), pr.n
	r := ev.lin.r
	u := zeroed(w.u)
	half := n / 2
	for j, i := range pr.idx {
		// conj(conj(ph)·r) for the adjoint through the forward transform.
		rc := complex(r[j], r[nf+j])
		u[(i-half+n)%n] = ph[j] * complex(real(rc), -imag(rc))
	}
	pr.plan.Forward(u, u)
	// u is the conjugate of the transform; the sums below use
	// conj(x)·conj(u) = conj(x·u): Re and Im of x·u with Im negated.
	_, np := h.Dims()
	hr := h.RawMatrix()
	for i, m := range w.act {
		x := ev.td[m][:len(u)]
		t := pr.t[:len(u)]
		// Only Im(s0), s1 and Re(s2) are needed (see below).
		var s0i, s1r, s1i, s2r float64
		for k, v := range x {
			uk := u[k]
			cr := real(v)*real(uk) - imag(v)*imag(uk)
			ci := -(real(v)*imag(uk) + imag(v)*real(uk))
			tk := t[k]
			s0i += ci
			tr := tk * cr
			s1r += tr
			s1i += tk * ci
			s2r += tk * tr
		}
		s0 := complex(0, s0i)
		s1 := complex(s1r, s1i)
		s2 := complex(s2r, 0)
		row := hr.Data[i*hr.Stride : i*hr.Stride+np]
		add := func(p int, v float64) {
			if c := colOf[p]; c >= 0 {
				row[c] += v
			}
		}
		// ∂/∂φ0: i·fd; ∂/∂γ: −t²x; ∂/∂shift: 2πi·t·x; ∂/∂damp: −t·x.
		add(pPhi0, imag(s0))
		add(pGauss, -real(s2))
		if colOf[pPhi1] >= 0 {
			s := complex(0, 0)
			fd := ev.fd[m]
			for j, v := range fd {
				s += complex(pr.ppm[j]-pr.ppmRef, 0) * complex(real(v), -imag(v)) * complex(r[j], r[nf+j])
			}
			add(pPhi1, imag(s))
		}
		for g := pr.group[m]; g >= 0; g = pr.tie[g] {
			add(pShift(g), 2*math.Pi*imag(s1))
			add(pDamp(g), -real(s1))
		}
	}
}

// chooseBaseline picks the baseline's effective dimension per ppm among
// 1…7 by a modified AIC, n·ln(RSS) + 2·k·ED with k = 5 (the smoothing factor
// spant's ABfit documents) over the real part of the spectrum (n points,
// RSS of the real residual, ED of the real baseline, as ABfit, which fits
// the real part only), holding θ fixed: the stiffest candidate whose
// criterion is within parsimonyAIC of the lowest (parsimonyAIC). It leaves
// the smoother at the chosen λ and returns the ED per ppm.
func (pr *problem) chooseBaseline(theta []float64) float64 {
	span := pr.opt.PPMHigh - pr.opt.PPMLow
	fd := pr.evaluate(theta).fd
	nf := len(pr.idx)
	eds := []float64{1, 1.5, 2, 3, 4, 5, 7}
	aic := make([]float64, len(eds))
	lams := make([]float64, len(eds))
	// The components are fixed: only the parts of the linear solution
	// that depend on the stiffness are redone per candidate.
	ls := pr.newLinSol()
	pr.designTo(ls, fd)
	lam0 := pr.bl.lam // restored when no stiffness can be scored
	for i, edppm := range eds {
		aic[i] = math.Inf(1)
		lam, err := pr.bl.lambdaForED(edppm * span)
		if err != nil {
			continue
		}
		// The absorption (real) part only, as ABfit scores it: the
		// dispersion part's broad tails are not what the baseline's
		// stiffness is for.
		pr.solveLinear(ls)
		r := ls.r
		rss := 0.0
		for _, v := range r[:nf] {
			rss += v * v
		}
		aic[i] = float64(nf)*math.Log(rss) + 2*5*pr.bl.ed()
		lams[i] = lam
	}
	i := parsimonious(aic)
	if i < 0 {
		pr.bl.setLambda(lam0)
		return 2
	}
	pr.bl.setLambda(lams[i])
	return eds[i]
}

// parsimonious returns the first (stiffest) index whose criterion is
// within parsimonyAIC of the lowest finite one, or −1 when none is finite.
// A NaN criterion (a failed candidate) counts as +Inf.
func parsimonious(aic []float64) int {
	best := math.Inf(1)
	for _, a := range aic {
		if !math.IsNaN(a) {
			best = math.Min(best, a)
		}
	}
	for i, a := range aic {
		if !math.IsInf(best, 1) && a <= best+parsimonyAIC {
			return i
		}
	}
	return -1
}

// parsimonyAIC is the criterion difference within which two baseline
// stiffnesses count as equally supported by the data, and the stiffer is
// chosen: Burnham and Anderson's ΔAIC ≤ 2 ("substantial support"; Model
// Selection and Multimodel Inference, 2nd ed., Springer 2002, §2.6),
// applied as Provencher's principle of parsimony that LCModel's
// regularisation follows (the smoothest baseline the data allow). A
// difference this small is decided by the noise, and on LCModel's
// regression spectrum it alone moved Glx/tCr from 1.52 to 1.23.
const parsimonyAIC = 2

// factorizeRidged factorises g, adding a ridge of 1e-12, 1e-9, then 1e-6
// of its mean diagonal when g is not numerically positive definite or its
// condition number reaches mat.ConditionTolerance (the active amplitudes'
// Gram matrix is positive definite in exact arithmetic; rounding can leave
// two nearly equal columns without a factor, or with one whose solves
// have no correct digits). The ridge changes only this Jacobian's
// projection, not the amplitudes, so the search keeps its curvature term
// instead of dropping it. It reports whether a usable factor was found; g
// is left with the ridge that worked.
func factorizeRidged(ch *mat.Cholesky, g *mat.SymDense) bool {
	good := func() bool { return ch.Factorize(g) && ch.Cond() < mat.ConditionTolerance }
	if good() {
		return true
	}
	n := g.SymmetricDim()
	mean := 0.0
	for i := 0; i < n; i++ {
		mean += g.At(i, i)
	}
	mean /= float64(n)
	if !(mean > 0) || math.IsInf(mean, 0) {
		return false
	}
	added := 0.0
	for _, r := range []float64{1e-12, 1e-9, 1e-6} {
		for i := 0; i < n; i++ {
			g.SetSym(i, i, g.At(i, i)+r*mean-added)
		}
		added = r * mean
		if good() {
			return true
		}
	}
	return false
}

// usable reports whether a Cholesky solve's result can be used: no error,
// or only gonum's warning that the system is ill-conditioned (the solution
// is still computed).
func usable(err error) bool {
	if err == nil {
		return true
	}
	var c mat.Condition
	return errors.As(err, &c)
}
