package fit

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

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
	data = mat.NewDense(r, c, nil)
	if pr.bl != nil {
		_, k := pr.bl.b.Dims()
		pen = mat.NewDense(2*(k-2), c, nil)
	}
	pr.rhoTo(data, pen, x)
	return data, pen
}

// rhoTo is rho writing into data (the size of x) and pen (2(k−2) rows, k
// the baseline's basis functions; nil without baseline), both compact;
// data may be x.
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
	r          []float64     // residual: data rows (re, im), then penalty rows
	amps       []float64     // amplitudes ≥ 0 (unit-norm basis units)
	blRe, blIm []float64     // baseline at the fit points
	ra, pa     *mat.Dense    // rho of the design matrix A: data rows QA, penalty rows
	g          *mat.SymDense // AᵀQA
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
	nf := len(pr.idx)
	ls := &linSol{amps: make([]float64, pr.m), blRe: make([]float64, nf), blIm: make([]float64, nf),
		ra: mat.NewDense(2*nf, pr.m, nil), g: mat.NewSymDense(pr.m, nil)}
	if pr.bl != nil {
		_, k := pr.bl.b.Dims()
		ls.pa = mat.NewDense(2*(k-2), pr.m, nil)
	}
	return ls
}

// linearTo is linear writing into ls's buffers (newLinSol).
func (pr *problem) linearTo(ls *linSol, fd [][]complex128) {
	nf := len(pr.idx)
	w := pr.scratch()
	a := w.a
	pr.designTo(a, fd)
	ra, pa := ls.ra, ls.pa
	pr.rhoTo(ra, pa, a)
	g := ls.g
	pr.gramTo(g, ra, pa)
	// AᵀQy = (QA)ᵀy since Q is symmetric.
	hv := w.hv
	hv.MulVec(ra.T(), w.yv)
	pr.prior.addGram(g)
	amps := nnlsGramTo(ls.amps, &w.nnls, g, hv.RawVector().Data)
	vm := w.v
	v := vm.RawMatrix().Data
	copy(v, pr.y)
	araw := a.RawMatrix().Data
	for m := 0; m < pr.m; m++ {
		if amps[m] == 0 {
			continue
		}
		for k := 0; k < 2*nf; k++ {
			v[k] -= amps[m] * araw[k*pr.m+m]
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

// gramTo writes AᵀQA into g as [QA; P]ᵀ[QA; P], ra = QA and pa = P the
// data and penalty rows of ρ(A) (pa nil without baseline): for x = Aa the
// penalised residual ‖(I − S)x‖² + λ‖Dc(x)‖² equals xᵀQx, so the two
// agree, and the symmetric product needs only the upper triangle. The
// columns are copied into contiguous rows (w.cols) and multiplied two by
// two (gramKernel). With pa nil it is the Gram matrix XᵀX of any compact
// X = ra (the Levenberg–Marquardt JᵀJ).
func (pr *problem) gramTo(g *mat.SymDense, ra, pa *mat.Dense) {
	r, m := ra.Dims()
	rows := r
	if pa != nil {
		rp, _ := pa.Dims()
		rows += rp
	}
	w := pr.scratch()
	if len(w.cols) < m*rows {
		w.cols = make([]float64, m*rows)
	}
	cols := w.cols[:m*rows]
	transposeInto(cols, ra.RawMatrix().Data, r, m, rows, 0)
	if pa != nil {
		transposeInto(cols, pa.RawMatrix().Data, rows-r, m, rows, r)
	}
	gb := g.RawSymmetric()
	gramKernel(gb.Data, gb.Stride, cols, m, rows)
}

// transposeInto copies the r×m row-major x into rows off…off+r−1 of the
// column-major dst (m columns of length rows).
func transposeInto(dst, x []float64, r, m, rows, off int) {
	for i := 0; i < m; i++ {
		col := dst[i*rows+off : i*rows+off+r]
		for k := range col {
			col[k] = x[k*m+i]
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
		pr.linearTo(e.lin, e.fd)
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
