package fit

import (
	"math"

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
}

func newNNLSWork(m int) nnlsWork {
	return nnlsWork{passive: make([]bool, m), last: make([]bool, m), w: make([]float64, m), z: make([]float64, m), idx: make([]int, 0, m)}
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
	if len(idx) == 0 {
		return z
	}
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
