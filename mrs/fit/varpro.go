package fit

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// rhoTo applies to each column x of X (2nf rows: real parts, then
// imaginary parts) the projection that eliminates the penalised baseline,
// writing the data rows (I − S)x into data (the size of x) and the penalty
// rows √λ·D·c(x) of the residual that remains after the baseline c(x) is
// fitted to x into pen (2(k−2) rows, k the baseline's basis functions; nil
// without baseline), both compact; data may be x.
func (pr *problem) rhoTo(data, pen, x *mat.Dense) {
	r, c := x.Dims()
	if data != x {
		data.Copy(x)
	}
	if pr.bl == nil {
		return
	}
	nf := r / 2
	_, k := pr.bl.b.Dims()
	nd := k - 2
	sl := math.Sqrt(pr.bl.lam)
	raw := data.RawMatrix().Data // stride c: compact
	praw := pen.RawMatrix().Data
	var coef []float64
	if w := pr.scratch(); len(w.coef) >= k*c {
		coef = w.coef[:k*c]
	} else {
		coef = make([]float64, k*c)
	}
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
}

// linSol is the solution of the linear sub-problem for one θ.
type linSol struct {
	r          []float64 // residual: data rows (re, im), penalty rows, amplitude prior rows
	amps       []float64 // amplitudes ≥ 0 (unit-norm basis units)
	blRe, blIm []float64 // baseline at the fit points
	// a is the design matrix A column by column: column m, the real then
	// the imaginary parts of component m's phased spectrum at the fit
	// points, is a[m·2nf : (m+1)·2nf].
	a []float64
	// bta and cta hold, per half (real, imaginary), BᵀA and
	// (BᵀB + λDᵀD)⁻¹BᵀA (k×m, row-major; nil without baseline): S·A =
	// B·cta, so AᵀQB-products need no pass over A's rows.
	bta, cta [2][]float64
	ata      []float64     // AᵀA, m×m upper triangle (row-major)
	aty      []float64     // Aᵀy
	g        *mat.SymDense // AᵀQA + PᵀP (the amplitude priors P)
}

// linear solves for the amplitudes (≥ 0, unit-norm basis units) and the
// baseline given the phased component spectra fd: the amplitudes minimise
// the residual left after the baseline is eliminated, (y − Aa)ᵀQ(y − Aa)
// with Q = I − S (S the baseline smoother, symmetric), by NNLS on the Gram
// matrix AᵀQA.
func (pr *problem) linear(fd [][]complex128) *linSol {
	ls := pr.newLinSol()
	pr.linearTo(ls, fd)
	return ls
}

// newLinSol allocates the buffers of a linear solution.
func (pr *problem) newLinSol() *linSol {
	nf, m := len(pr.idx), pr.m
	ls := &linSol{amps: make([]float64, m), blRe: make([]float64, nf), blIm: make([]float64, nf),
		a: make([]float64, m*2*nf), ata: make([]float64, m*m), aty: make([]float64, m), g: mat.NewSymDense(m, nil)}
	if pr.bl != nil {
		_, k := pr.bl.b.Dims()
		for h := range ls.bta {
			ls.bta[h] = make([]float64, k*m)
			ls.cta[h] = make([]float64, k*m)
		}
	}
	return ls
}

// linearTo is linear writing into ls's buffers (newLinSol).
func (pr *problem) linearTo(ls *linSol, fd [][]complex128) {
	pr.designTo(ls, fd)
	pr.solveLinear(ls)
}

// designTo fills the parts of ls that depend on the components fd only,
// not on the baseline's stiffness or the priors: A, AᵀA, Aᵀy and BᵀA.
func (pr *problem) designTo(ls *linSol, fd [][]complex128) {
	nf, m := len(pr.idx), pr.m
	rows := 2 * nf
	for i, s := range fd {
		col := ls.a[i*rows : (i+1)*rows : (i+1)*rows]
		for j, v := range s {
			col[j], col[nf+j] = real(v), imag(v)
		}
		t := 0.0
		for k, v := range col {
			t += v * pr.y[k]
		}
		ls.aty[i] = t
	}
	gramKernel(ls.ata, m, ls.a, m, rows)
	if pr.bl != nil {
		for h := range ls.bta {
			pr.bl.btCols(ls.bta[h], ls.a, m, rows, h*nf)
		}
	}
}

// solveLinear completes ls (designTo filled) at the baseline's current
// stiffness and priors: the Gram matrix AᵀQA = AᵀA − Σ_halves
// (BᵀA)ᵀ(BᵀB + λDᵀD)⁻¹(BᵀA) plus the priors' PᵀP, AᵀQy likewise, the
// amplitudes by NNLS, and the residual ρ(y − Aa) with the priors' rows.
func (pr *problem) solveLinear(ls *linSol) {
	nf, m := len(pr.idx), pr.m
	w := pr.scratch()
	g := ls.g.RawSymmetric()
	for i := 0; i < m; i++ {
		copy(g.Data[i*g.Stride+i:i*g.Stride+m], ls.ata[i*m+i:i*m+m])
	}
	hv := w.hv.RawVector().Data
	copy(hv, ls.aty)
	if pr.bl != nil {
		_, k := pr.bl.b.Dims()
		for h := range ls.bta {
			cta := ls.cta[h]
			pr.bl.downdateGram(g.Data, g.Stride, ls.bta[h], cta, m)
			// AᵀSy = ctaᵀ·Bᵀy.
			yc := w.ycoef[:k]
			pr.bl.btCols(yc, pr.y, 1, 0, h*nf)
			for j, v := range yc {
				crow := cta[j*m : (j+1)*m]
				for i, c := range crow {
					hv[i] -= c * v
				}
			}
		}
	}
	pr.prior.addGram(ls.g)
	amps := nnlsGramTo(ls.amps, &w.nnls, ls.g, hv)
	vm := w.v
	v := vm.RawMatrix().Data
	copy(v, pr.y)
	rows := 2 * nf
	for i := 0; i < m; i++ {
		if amps[i] == 0 {
			continue
		}
		col := ls.a[i*rows : (i+1)*rows]
		for k, c := range col {
			v[k] -= amps[i] * c
		}
	}
	pr.rhoTo(w.vd, w.vp, vm)
	ls.r = append(ls.r[:0], w.vd.RawMatrix().Data...)
	if w.vp != nil {
		ls.r = append(ls.r, w.vp.RawMatrix().Data...)
	}
	ls.r = pr.prior.residualTo(ls.r, amps)
	for j := 0; j < nf; j++ {
		ls.blRe[j] = v[j] - ls.r[j]
		ls.blIm[j] = v[nf+j] - ls.r[nf+j]
	}
}

// gramDiffTo sets g (np×np, full) to XᵀQX for the columns of x (stored as
// ls.a is, np columns of 2nf) with Q = I − S: XᵀX less, per half,
// (BᵀX)ᵀ(BᵀB + λDᵀD)⁻¹(BᵀX); btx and ctx receive BᵀX and its solve per
// half (k×np, row-major; untouched without baseline).
func (pr *problem) gramDiffTo(g *mat.SymDense, x []float64, np int, btx, ctx [2][]float64) {
	nf := len(pr.idx)
	rows := 2 * nf
	gr := g.RawSymmetric()
	gramKernel(gr.Data, gr.Stride, x, np, rows)
	if pr.bl == nil {
		return
	}
	for h := 0; h < 2; h++ {
		pr.bl.btCols(btx[h], x, np, rows, h*nf)
		pr.bl.downdateGram(gr.Data, gr.Stride, btx[h], ctx[h], np)
	}
}

// downdateGram subtracts the baseline's share from the upper triangle of
// the m×m Gram matrix g (stride ld): g −= (BᵀX)ᵀ·(BᵀB + λDᵀD)⁻¹(BᵀX), with
// bt = BᵀX (k×m, row-major) given and ct set to its solve.
func (p *pspline) downdateGram(g []float64, ld int, bt, ct []float64, m int) {
	_, k := p.b.Dims()
	copy(ct, bt)
	p.solveBand(ct, m)
	for j := 0; j < k; j++ {
		brow, crow := bt[j*m:(j+1)*m], ct[j*m:(j+1)*m]
		for i, bi := range brow {
			row := g[i*ld : i*ld+m]
			for l := i; l < m; l++ {
				row[l] -= bi * crow[l]
			}
		}
	}
}

// gramKernel sets the upper triangle of g (stride ld) to the inner products
// of the m columns of cols (column-major, length rows), a 2×2 block of g
// per pass over the data.
func gramKernel(g []float64, ld int, cols []float64, m, rows int) {
	col := func(i int) []float64 { return cols[i*rows : (i+1)*rows : (i+1)*rows] }
	for i := 0; i < m; i += 2 {
		if i+1 == m {
			a := col(i)
			for j := i; j < m; j++ {
				b := col(j)
				s := 0.0
				for k, v := range a {
					s += v * b[k]
				}
				g[i*ld+j] = s
			}
			break
		}
		a0, a1 := col(i), col(i+1)
		for j := i; j < m; j += 2 {
			if j+1 == m {
				b := col(j)
				s0, s1 := 0.0, 0.0
				for k, v := range b {
					s0 += a0[k] * v
					s1 += a1[k] * v
				}
				g[i*ld+j] = s0
				g[(i+1)*ld+j] = s1
				break
			}
			b0, b1 := col(j), col(j+1)
			var s00, s01, s10, s11 float64
			for k := range a0 {
				x0, x1, y0, y1 := a0[k], a1[k], b0[k], b1[k]
				s00 += x0 * y0
				s01 += x0 * y1
				s10 += x1 * y0
				s11 += x1 * y1
			}
			g[i*ld+j] = s00
			g[i*ld+j+1] = s01
			if j > i {
				g[(i+1)*ld+j] = s10
			}
			g[(i+1)*ld+j+1] = s11
		}
	}
}

// evaluation is the model at one θ (cached: the Levenberg–Marquardt loop
// asks for the Jacobian at the θ whose cost it has just computed).
type evaluation struct {
	theta  []float64      // θ evaluated (a copy)
	gen    int            // the baseline smoother's generation (pspline.gen) it was made with
	td, fd [][]complex128 // components: time domain, phased spectrum at the fit points
	lin    *linSol
}

// evaluate returns the components and the linear solution at θ.
func (pr *problem) evaluate(theta []float64) *evaluation {
	gen := 0
	if pr.bl != nil {
		gen = pr.bl.gen
	}
	for _, e := range pr.cache {
		if e != nil && e.gen == gen && slices.Equal(e.theta, theta) {
			return e
		}
	}
	if e := pr.takeComponents(theta); e != nil {
		// The same θ with another baseline smoother (or evaluated before
		// the cache was dropped): the components stand, only the linear
		// solution changes.
		e.gen = gen
		pr.solveLinear(e.lin)
		pr.cache[0] = e
		return e
	}
	// Reuse the buffers of the evaluation leaving the cache (or of one
	// dropped from it); no caller keeps an evaluation across another
	// evaluate.
	e := pr.cache[1]
	if e == nil && len(pr.spare) > 0 {
		e = pr.spare[len(pr.spare)-1]
		pr.spare = pr.spare[:len(pr.spare)-1]
	}
	if e == nil {
		e = &evaluation{td: newComplexRows(pr.m, pr.n), fd: newComplexRows(pr.m, len(pr.idx)), lin: pr.newLinSol()}
	}
	e.theta = append(e.theta[:0], theta...)
	e.gen = gen
	pr.componentsTo(e.td, e.fd, theta)
	pr.linearTo(e.lin, e.fd)
	pr.cache[1] = pr.cache[0]
	pr.cache[0] = e
	return e
}

// takeComponents finds among the cached and dropped evaluations one made
// at θ (with any baseline smoother), removes it from where it was, moves
// the cache down one place to free cache[0] for it, and returns it; nil
// when there is none.
func (pr *problem) takeComponents(theta []float64) *evaluation {
	var e *evaluation
	switch {
	case pr.cache[0] != nil && slices.Equal(pr.cache[0].theta, theta):
		return pr.cache[0]
	case pr.cache[1] != nil && slices.Equal(pr.cache[1].theta, theta):
		e = pr.cache[1]
	default:
		i := slices.IndexFunc(pr.spare, func(s *evaluation) bool { return slices.Equal(s.theta, theta) })
		if i < 0 {
			return nil
		}
		e = pr.spare[i]
		pr.spare = slices.Delete(pr.spare, i, i+1)
		if pr.cache[1] != nil {
			pr.spare = append(pr.spare, pr.cache[1])
		}
	}
	pr.cache[1] = pr.cache[0]
	pr.cache[0] = nil
	return e
}

// dropCache empties the evaluation cache, keeping the buffers for reuse.
func (pr *problem) dropCache() {
	for i, e := range pr.cache {
		if e != nil {
			pr.spare = append(pr.spare, e)
		}
		pr.cache[i] = nil
	}
}

// cost returns the sum of squares of the residual at θ: data, baseline
// penalty and amplitude prior rows (evaluate) and the shift and width
// prior rows (shiftPriorResidual).
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
