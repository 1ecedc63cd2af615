package fit

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// bsplineBasis returns the n×k matrix of uniform cubic B-splines evaluated at
// positions x (ascending or descending, any units) spanning [lo, hi] with k
// basis functions (k ≥ 4). Each row sums to 1 inside the range.
func bsplineBasis(x []float64, lo, hi float64, k int) *mat.Dense {
	if k < 4 {
		k = 4
	}
	inner := k - 3 // number of knot intervals over [lo, hi]
	h := (hi - lo) / float64(inner)
	b := mat.NewDense(len(x), k, nil)
	for i, xv := range x {
		u := (xv - lo) / h
		j := int(math.Floor(u))
		if j < 0 {
			j = 0
		}
		if j > inner-1 {
			j = inner - 1
		}
		t := u - float64(j)
		// Uniform cubic B-spline pieces on [j, j+1], supported by
		// functions j..j+3.
		w := [4]float64{
			(1 - t) * (1 - t) * (1 - t) / 6,
			(3*t*t*t - 6*t*t + 4) / 6,
			(-3*t*t*t + 3*t*t + 3*t + 1) / 6,
			t * t * t / 6,
		}
		for q := 0; q < 4; q++ {
			b.Set(i, j+q, w[q])
		}
	}
	return b
}

// diff2 returns the (k−2)×k second-difference matrix, the roughness penalty
// of a P-spline (Eilers and Marx 1996).
func diff2(k int) *mat.Dense {
	d := mat.NewDense(k-2, k, nil)
	for i := 0; i < k-2; i++ {
		d.Set(i, i, 1)
		d.Set(i, i+1, -2)
		d.Set(i, i+2, 1)
	}
	return d
}

// pspline is a penalised B-spline smoother over the fit points: its Gram
// matrix BᵀB, penalty DᵀD and, for a chosen λ, the Cholesky factor of
// BᵀB + λDᵀD used to eliminate the baseline from the fit.
type pspline struct {
	b    *mat.Dense    // n×k basis
	btb  *mat.SymDense // BᵀB
	dtd  *mat.SymDense // DᵀD
	chol mat.Cholesky  // of BᵀB + λ DᵀD
	lam  float64
	// mu are the eigenvalues of DᵀD in the metric of BᵀB: the effective
	// dimension is Σ 1/(1 + λ·μᵢ) (computed once).
	mu []float64
	// d is the (k−2)×k second-difference matrix.
	d *mat.Dense
	// gen counts changes of λ (it keys cached evaluations).
	gen int
	// Banded forms: row i of B is w[i][0..3] at columns j0[i]..j0[i]+3;
	// band holds the Cholesky factor of BᵀB + λDᵀD (half-bandwidth 3):
	// band[j*4+d] = L[j][j−d].
	j0   []int
	w    [][4]float64
	band []float64
}

// bandWidth is the half-bandwidth of BᵀB + λDᵀD for cubic B-splines.
const bandWidth = 3

func newPSpline(b *mat.Dense) *pspline {
	_, k := b.Dims()
	btb := mat.NewSymDense(k, nil)
	btb.SymOuterK(1, b.T())
	d := diff2(k)
	dtd := mat.NewSymDense(k, nil)
	dtd.SymOuterK(1, d.T())
	n, _ := b.Dims()
	p := &pspline{b: b, btb: btb, dtd: dtd, d: d, j0: make([]int, n), w: make([][4]float64, n)}
	for i := 0; i < n; i++ {
		j := 0
		for j < k && b.At(i, j) == 0 {
			j++
		}
		j = min(j, k-4)
		p.j0[i] = j
		for q := 0; q < 4; q++ {
			p.w[i][q] = b.At(i, j+q)
		}
	}
	return p
}

// setLambda factorises BᵀB + λDᵀD.
func (p *pspline) setLambda(lam float64) error {
	_, k := p.b.Dims()
	a := mat.NewSymDense(k, nil)
	a.AddSym(p.btb, p.dtd)
	// a = btb + dtd; rescale the penalty part to λ.
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			a.SetSym(i, j, p.btb.At(i, j)+lam*p.dtd.At(i, j))
		}
	}
	if ok := p.chol.Factorize(a); !ok {
		return fmt.Errorf("fit: baseline spline system singular at lambda %g", lam)
	}
	// Banded Cholesky factor of the same matrix.
	p.band = make([]float64, 4*k)
	for j := 0; j < k; j++ {
		for i := j; i <= min(k-1, j+bandWidth); i++ {
			s := a.At(i, j)
			for q := max(0, i-bandWidth); q < j; q++ {
				s -= p.band[i*4+i-q] * p.band[j*4+j-q]
			}
			if i == j {
				if !(s > 0) {
					return fmt.Errorf("fit: baseline spline system not positive definite at lambda %g", lam)
				}
				p.band[j*4] = math.Sqrt(s)
			} else {
				p.band[i*4+i-j] = s / p.band[j*4]
			}
		}
	}
	p.lam = lam
	p.gen++
	return nil
}

// ed returns the effective dimension trace((BᵀB+λDᵀD)⁻¹BᵀB) of the
// smoother at the current λ.
func (p *pspline) ed() float64 { return p.edAt(p.lam) }

// edAt returns the effective dimension at penalty lam from the generalized
// eigenvalues μ of (DᵀD, BᵀB): Σ 1/(1 + λμ).
func (p *pspline) edAt(lam float64) float64 {
	if p.mu == nil {
		p.mu = p.genEig()
	}
	s := 0.0
	for _, m := range p.mu {
		s += 1 / (1 + lam*math.Max(m, 0))
	}
	return s
}

// genEig returns the eigenvalues of L⁻¹·DᵀD·L⁻ᵀ with BᵀB = L·Lᵀ (a tiny
// ridge keeps BᵀB positive definite at the range's ends).
func (p *pspline) genEig() []float64 {
	_, k := p.b.Dims()
	g := mat.NewSymDense(k, nil)
	tr := 0.0
	for i := 0; i < k; i++ {
		tr += p.btb.At(i, i)
	}
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			v := p.btb.At(i, j)
			if i == j {
				v += 1e-10 * tr / float64(k)
			}
			g.SetSym(i, j, v)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(g) {
		return make([]float64, k)
	}
	var l mat.TriDense
	ch.LTo(&l)
	// M = L⁻¹ DᵀD L⁻ᵀ.
	var x, m mat.Dense
	if err := x.Solve(&l, p.dtd); err != nil {
		return make([]float64, k)
	}
	if err := m.Solve(&l, x.T()); err != nil {
		return make([]float64, k)
	}
	ms := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			ms.SetSym(i, j, 0.5*(m.At(i, j)+m.At(j, i)))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(ms, false) {
		return make([]float64, k)
	}
	return eig.Values(nil)
}

// coef returns the coefficients c = (BᵀB+λDᵀD)⁻¹Bᵀv of the penalised fit
// to v (length n).
func (p *pspline) coef(v []float64) []float64 {
	_, k := p.b.Dims()
	c := make([]float64, k)
	p.coefCols(c, v, 1)
	return c
}

// coefCols sets c (k×nc, row-major) to the coefficients of the penalised
// fits to the nc columns of x (n×nc, row-major), using the band structure
// of B and of BᵀB + λDᵀD.
func (p *pspline) coefCols(c, x []float64, nc int) {
	_, k := p.b.Dims()
	clear(c[:k*nc])
	for i, j := range p.j0 {
		xi := x[i*nc : (i+1)*nc]
		w := p.w[i]
		if w[0] != 0 && w[1] != 0 && w[2] != 0 && w[3] != 0 {
			// One pass for the four rows of c (each receives the same
			// additions in the same order).
			c0 := c[j*nc : (j+1)*nc][:len(xi)]
			c1 := c[(j+1)*nc : (j+2)*nc][:len(xi)]
			c2 := c[(j+2)*nc : (j+3)*nc][:len(xi)]
			c3 := c[(j+3)*nc : (j+4)*nc][:len(xi)]
			for col, v := range xi {
				c0[col] += w[0] * v
				c1[col] += w[1] * v
				c2[col] += w[2] * v
				c3[col] += w[3] * v
			}
			continue
		}
		for q, wq := range w {
			if wq == 0 {
				continue
			}
			ci := c[(j+q)*nc : (j+q+1)*nc]
			for col, v := range xi {
				ci[col] += wq * v
			}
		}
	}
	p.solveBand(c, nc)
}

// btCols sets c (k×nc, row-major) to Bᵀx for the nc columns of x, stored
// column by column: column col is x[col·stride+off : col·stride+off+n].
func (p *pspline) btCols(c, x []float64, nc, stride, off int) {
	_, k := p.b.Dims()
	n := len(p.j0)
	var buf [64]float64
	acc := buf[:0]
	if k <= len(buf) {
		acc = buf[:k]
	} else {
		acc = make([]float64, k)
	}
	for col := 0; col < nc; col++ {
		clear(acc)
		xc := x[col*stride+off : col*stride+off+n]
		// Rows of one knot interval share j0: their four sums stay in
		// registers (each receives the same additions in the same order).
		for i := 0; i < n; {
			j := p.j0[i]
			a0, a1, a2, a3 := acc[j], acc[j+1], acc[j+2], acc[j+3]
			for ; i < n && p.j0[i] == j; i++ {
				v, w := xc[i], &p.w[i]
				a0 += w[0] * v
				a1 += w[1] * v
				a2 += w[2] * v
				a3 += w[3] * v
			}
			acc[j], acc[j+1], acc[j+2], acc[j+3] = a0, a1, a2, a3
		}
		for j, v := range acc {
			c[j*nc+col] = v
		}
	}
}

// solveBand overwrites c (k×nc, row-major) with (BᵀB + λDᵀD)⁻¹c by the
// banded Cholesky factor.
func (p *pspline) solveBand(c []float64, nc int) {
	_, k := p.b.Dims()
	// L·z = c, then Lᵀ·c = z.
	for j := 0; j < k; j++ {
		cj := c[j*nc : (j+1)*nc]
		for q := max(0, j-bandWidth); q < j; q++ {
			l := p.band[j*4+j-q]
			cq := c[q*nc : (q+1)*nc]
			for col := range cj {
				cj[col] -= l * cq[col]
			}
		}
		inv := 1 / p.band[j*4]
		for col := range cj {
			cj[col] *= inv
		}
	}
	for j := k - 1; j >= 0; j-- {
		cj := c[j*nc : (j+1)*nc]
		for i := j + 1; i <= min(k-1, j+bandWidth); i++ {
			l := p.band[i*4+i-j]
			ci := c[i*nc : (i+1)*nc]
			for col := range cj {
				cj[col] -= l * ci[col]
			}
		}
		inv := 1 / p.band[j*4]
		for col := range cj {
			cj[col] *= inv
		}
	}
}

// subFit subtracts B·c (c k×nc) from x (n×nc), both row-major.
func (p *pspline) subFit(x, c []float64, nc int) {
	for i, j := range p.j0 {
		xi := x[i*nc : (i+1)*nc]
		w := p.w[i]
		if w[0] != 0 && w[1] != 0 && w[2] != 0 && w[3] != 0 {
			// One pass, the four subtractions in the same order.
			c0 := c[j*nc : (j+1)*nc][:len(xi)]
			c1 := c[(j+1)*nc : (j+2)*nc][:len(xi)]
			c2 := c[(j+2)*nc : (j+3)*nc][:len(xi)]
			c3 := c[(j+3)*nc : (j+4)*nc][:len(xi)]
			for col, v := range xi {
				v -= w[0] * c0[col]
				v -= w[1] * c1[col]
				v -= w[2] * c2[col]
				v -= w[3] * c3[col]
				xi[col] = v
			}
			continue
		}
		for q, wq := range w {
			if wq == 0 {
				continue
			}
			cj := c[(j+q)*nc : (j+q+1)*nc]
			for col := range xi {
				xi[col] -= wq * cj[col]
			}
		}
	}
}

// eval returns B·c.
func (p *pspline) eval(c []float64) []float64 {
	n, k := p.b.Dims()
	out := mat.NewVecDense(n, nil)
	out.MulVec(p.b, mat.NewVecDense(k, c))
	return out.RawVector().Data
}

// lambdaForED finds by bisection on log λ the penalty that gives effective
// dimension ed (clamped to the attainable range).
func (p *pspline) lambdaForED(target float64) (float64, error) {
	lo, hi := -12.0, 12.0
	for it := 0; it < 60; it++ {
		mid := (lo + hi) / 2
		if p.edAt(math.Pow(10, mid)) > target {
			lo = mid
		} else {
			hi = mid
		}
	}
	lam := math.Pow(10, (lo+hi)/2)
	return lam, p.setLambda(lam)
}
