package fit

import (
	"gonum.org/v1/gonum/mat"
)

// work holds a fit's scratch buffers, allocated once per fit (scratch) so
// that evaluating the model allocates nothing per evaluation. Each buffer
// belongs to one function; none outlives the call that fills it.
type work struct {
	gauss []float64      // componentsTo: Gaussian decay, n points
	shape [][]complex128 // shapesAt: lineshape factor per group, n points
	// shapesAt: the Gaussian, shifts and dampings shape was made for, and
	// a scratch key.
	shapeFor, shapeKey []float64
	shapeOK            bool
	ph                 []complex128 // componentsTo: phase factors, nf points
	tr                 []complex128 // modelDerivs: transform output, nf points
	total              []complex128 // modelDerivs: phased model, nf points
	sumT               [][]complex128
	sumT2              []complex128
	dY                 [][]complex128 // modelDerivs' result: views of dYBuf or nil
	dYBuf              [][]complex128 // np rows of nf points
	hv                 *mat.VecDense  // solveLinear: AᵀQy
	ycoef              []float64      // solveLinear: Bᵀy of one half, k values
	v                  *mat.Dense     // linear: y − Aa, 2nf × 1
	vd                 *mat.Dense     // linear: ρ(v) data rows
	vp                 *mat.Dense     // linear: ρ(v) penalty rows
	coef               []float64      // rho: baseline coefficients, k × max(m, np) columns
	dm                 []float64      // normalEquations: −∂A/∂θ·a, np columns of 2nf
	live               []int          // normalEquations: the parameters not held fixed
	colOf              []int          // coupling: parameter → column of live, or −1
	// normalEquations: Bᵀdm and its smoother solve, per half (k×np).
	btd, ctd [2][]float64
	nnls     nnlsWork
	// projectActive: active amplitudes, their Gram block, columns of ρ(A),
	// C and H and their solves, A_Pᵀr and its solve.
	act     []int
	gppBuf  []float64
	raP     mat.Dense
	rhs, z  mat.Dense // C, H
	gc, gh  mat.Dense // G⁻¹C, G⁻¹H
	ar, gar []float64 // A_Pᵀr, G⁻¹A_Pᵀr
	chol    mat.Cholesky
	u       []complex128 // coupling: the residual's adjoint transform, n points
}

// scratch returns the fit's work buffers, allocating them on first use.
func (pr *problem) scratch() *work {
	if pr.w != nil {
		return pr.w
	}
	nf, n, np := len(pr.idx), pr.n, pr.nParams()
	w := &work{
		gauss: make([]float64, n),
		shape: newComplexRows(pr.ng, n),
		ph:    make([]complex128, nf),
		tr:    make([]complex128, nf),
		total: make([]complex128, nf),
		u:     make([]complex128, n),
		sumT:  newComplexRows(pr.ng, n),
		sumT2: make([]complex128, n),
		dY:    make([][]complex128, np),
		dYBuf: newComplexRows(np, nf),
		hv:    mat.NewVecDense(pr.m, nil),
		v:     mat.NewDense(2*nf, 1, nil),
		vd:    mat.NewDense(2*nf, 1, nil),
	}
	if pr.bl != nil {
		_, k := pr.bl.b.Dims()
		w.vp = mat.NewDense(2*(k-2), 1, nil)
		w.coef = make([]float64, k*max(pr.m, np))
		w.ycoef = make([]float64, k)
	}
	w.nnls = newNNLSWork(pr.m)
	w.act = make([]int, 0, pr.m)
	w.live = make([]int, 0, np)
	w.colOf = make([]int, np)
	w.gppBuf = make([]float64, pr.m*pr.m)
	w.ar = make([]float64, pr.m)
	w.gar = make([]float64, pr.m)
	pr.w = w
	return w
}

// newComplexRows returns r rows of c zeros in one allocation.
func newComplexRows(r, c int) [][]complex128 {
	buf := make([]complex128, r*c)
	out := make([][]complex128, r)
	for i := range out {
		out[i] = buf[i*c : (i+1)*c : (i+1)*c]
	}
	return out
}

// zeroed sets s to zeros and returns it.
func zeroed[T complex128 | float64](s []T) []T {
	clear(s)
	return s
}

// dmBuffer returns normalEquations' dm (np columns of 2nf values),
// allocating it and the baseline products' buffers on first use.
func (w *work) dmBuffer(pr *problem, np int) []float64 {
	if w.dm == nil {
		w.dm = make([]float64, np*2*len(pr.idx))
		if pr.bl != nil {
			_, k := pr.bl.b.Dims()
			for h := range w.btd {
				w.btd[h] = make([]float64, k*np)
				w.ctd[h] = make([]float64, k*np)
			}
		}
	}
	return w.dm
}
