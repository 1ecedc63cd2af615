package fit

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// nnlsGram solves min aᵀGa − 2hᵀa subject to a ≥ 0 (the normal-equation
// form of non-negative least squares) by the active-set method of Lawson and
// Hanson (Solving Least Squares Problems, 1974, ch. 23), working on the Gram
// matrix G (m×m, symmetric positive semi-definite) and h = Aᵀy.
func nnlsGram(g *mat.SymDense, h []float64) []float64 {
	w := newNNLSWork(len(h))
	return nnlsGramTo(make([]float64, len(h)), &w, g, h)
}

// nnlsWork holds nnlsGramTo's scratch buffers for m unknowns, and the
// passive set of its last solution (the warm start of the next).
type nnlsWork struct {
	passive  []bool
	last     []bool // passive set of the last solution
	hasLast  bool
	w, z     []float64
	idx      []int
	sub      mat.SymDense
	rhs, sol mat.VecDense
	ch       mat.Cholesky
	fac      []float64 // the passive Gram matrix and its Cholesky factor, k×k
	rhsBuf   []float64 // right-hand side and solution of the passive system
}

func newNNLSWork(m int) nnlsWork {
	return nnlsWork{passive: make([]bool, m), last: make([]bool, m), w: make([]float64, m), z: make([]float64, m), idx: make([]int, 0, m),
		fac: make([]float64, m*m), rhsBuf: make([]float64, m)}
}

// nnlsGramTo is nnlsGram writing the solution into a (len m) with the
// scratch buffers ws, and returning a. It starts from the passive set of
// ws's last solution when the solution on that set is positive (the
// Levenberg–Marquardt loop solves nearby problems, whose positive
// amplitudes are mostly the same ones): Lawson and Hanson's iteration then
// only adds what that set lacks, usually nothing, instead of building the
// set one amplitude at a time. The solution is the one of the cold start:
// the problem is strictly convex on its support, and the final amplitudes
// are the same solve on the same passive set.
func nnlsGramTo(a []float64, ws *nnlsWork, g *mat.SymDense, h []float64) []float64 {
	m := len(h)
	a = ws.warmStart(a[:m], g, h)
	defer ws.remember(a)
	passive := ws.passive[:m]
	w := ws.w[:m]
	graw := g.RawSymmetric() // upper triangle
	grad := func() {
		// w = h − G a
		for i := 0; i < m; i++ {
			s := h[i]
			for j := 0; j < m; j++ {
				gij := graw.Data[i*graw.Stride+j]
				if j < i {
					gij = graw.Data[j*graw.Stride+i]
				}
				s -= gij * a[j]
			}
			w[i] = s
		}
	}
	scale := 0.0
	for i := 0; i < m; i++ {
		scale = math.Max(scale, math.Abs(h[i]))
	}
	tol := 1e-12 * math.Max(scale, 1e-300)
	for outer := 0; outer < 3*m+10; outer++ {
		grad()
		best, bj := tol, -1
		for j := 0; j < m; j++ {
			if !passive[j] && w[j] > best {
				best, bj = w[j], j
			}
		}
		if bj < 0 {
			break
		}
		passive[bj] = true
		for inner := 0; inner < 3*m+10; inner++ {
			z := ws.solvePassive(g, h, passive)
			if z == nil {
				passive[bj] = false
				return a
			}
			neg := false
			alpha := 1.0
			for j := 0; j < m; j++ {
				if passive[j] && z[j] <= 0 {
					neg = true
					if d := a[j] - z[j]; d > 0 {
						alpha = math.Min(alpha, a[j]/d)
					}
				}
			}
			if !neg {
				copy(a, z)
				break
			}
			for j := 0; j < m; j++ {
				if passive[j] {
					a[j] += alpha * (z[j] - a[j])
					if a[j] <= 1e-15*math.Max(1, math.Abs(z[j])) {
						a[j] = 0
						passive[j] = false
					}
				}
			}
		}
	}
	return a
}

// warmStart sets a and ws.passive to the solution on the last solution's
// passive set when it is positive there, else to zero and the empty set.
func (ws *nnlsWork) warmStart(a []float64, g *mat.SymDense, h []float64) []float64 {
	clear(a)
	passive := ws.passive[:len(a)]
	clear(passive)
	if !ws.hasLast {
		return a
	}
	copy(passive, ws.last)
	z := ws.solvePassive(g, h, passive)
	ok := z != nil
	for j := range a {
		if ok && passive[j] && !(z[j] > 0) {
			ok = false
		}
	}
	if !ok {
		clear(passive)
		return a
	}
	copy(a, z)
	return a
}

// remember keeps the passive set of solution a for the next warm start.
func (ws *nnlsWork) remember(a []float64) {
	for j, v := range a {
		ws.last[j] = v > 0
	}
	ws.hasLast = true
}

// solvePassive solves G_PP z_P = h_P over the passive set, with zeros
// elsewhere, into ws.z (valid until the next call); nil when the subsystem
// is singular.
//
// The solve is LAPACK's Cholesky (Potrf, Potrs), as gonum's
// mat.Cholesky does it, without mat.Cholesky's condition estimate (most
// of the cost at these sizes) when the factor's pivots show the system
// well conditioned: the ratio of the largest to the smallest squared
// diagonal entry of the factor is a lower bound of G_PP's 2-norm
// condition number (each pivot lies between its extreme eigenvalues).
// When that ratio reaches 1e8, mat.Cholesky decides as before whether the
// system is too ill-conditioned (its estimate above 1e16) for the
// Cholesky solution, with a least-squares solve as the fallback.
func (ws *nnlsWork) solvePassive(g *mat.SymDense, h []float64, passive []bool) []float64 {
	idx := ws.idx[:0]
	for j, p := range passive {
		if p {
			idx = append(idx, j)
		}
	}
	ws.idx = idx
	z := ws.z[:len(h)]
	clear(z)
	k := len(idx)
	if k == 0 {
		return z
	}
	if cap(ws.fac) < k*k {
		ws.fac = make([]float64, k*k)
	}
	fac := ws.fac[:k*k]
	graw := g.RawSymmetric()
	for i, a := range idx {
		for j := i; j < k; j++ {
			b := idx[j]
			fac[i*k+j] = graw.Data[min(a, b)*graw.Stride+max(a, b)]
		}
	}
	u := blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: k, Stride: k, Data: fac}
	if _, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Upper, N: k, Stride: k, Data: fac}); ok {
		lo, hi := math.Inf(1), 0.0
		for i := 0; i < k; i++ {
			d := fac[i*k+i] * fac[i*k+i]
			lo, hi = math.Min(lo, d), math.Max(hi, d)
		}
		if hi < 1e8*lo {
			rhs := ws.rhsBuf[:k]
			for i, a := range idx {
				rhs[i] = h[a]
			}
			lapack64.Potrs(u, blas64.General{Rows: k, Cols: 1, Stride: 1, Data: rhs})
			for i, a := range idx {
				z[a] = rhs[i]
			}
			return z
		}
	}
	clear(z)
	return ws.solvePassiveChecked(g, h, idx, z)
}

// solvePassiveChecked is solvePassive by mat.Cholesky with its condition
// estimate, falling back to a least-squares solve of the (nearly)
// singular system; nil when that fails too.
func (ws *nnlsWork) solvePassiveChecked(g *mat.SymDense, h []float64, idx []int, z []float64) []float64 {
	sub, rhs, sol := &ws.sub, &ws.rhs, &ws.sol
	sub.Reset()
	sub.ReuseAsSym(len(idx))
	rhs.Reset()
	rhs.ReuseAsVec(len(idx))
	sol.Reset()
	sol.ReuseAsVec(len(idx))
	for i, a := range idx {
		rhs.SetVec(i, h[a])
		for j := i; j < len(idx); j++ {
			sub.SetSym(i, j, g.At(a, idx[j]))
		}
	}
	ch := &ws.ch
	if ch.Factorize(sub) {
		if err := ch.SolveVecTo(sol, rhs); err == nil {
			for i, a := range idx {
				z[a] = sol.AtVec(i)
			}
			return z
		}
	}
	// Fall back to a least-squares solve of the (nearly) singular system.
	if err := sol.SolveVec(sub, rhs); err != nil {
		return nil
	}
	for i, a := range idx {
		z[a] = sol.AtVec(i)
	}
	return z
}
