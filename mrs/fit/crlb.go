package fit

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// covariance returns the amplitude block (unit-norm basis units) of the
// inverse Fisher information of all parameters: amplitudes, the free
// nonlinear parameters and the baseline (eliminated by projecting every
// column against it, which leaves the same Schur complement).
func (pr *problem) covariance(theta []float64, fd [][]complex128, amps []float64, ph []complex128) (*mat.SymDense, error) {
	return pr.amplitudeCovariance(pr.fisher(theta, fd, amps, ph))
}

// fisher returns σ² times the Fisher information (σ the noise SD) of the
// amplitudes (the first m columns, unit-norm basis units) and of
// the free nonlinear parameters whose derivative is not zero, every column
// projected against the baseline, with the information of the amplitude
// priors and of the shift and width priors added.
func (pr *problem) fisher(theta []float64, fd [][]complex128, amps []float64, ph []complex128) *mat.SymDense {
	nf := len(pr.idx)
	var cols [][]float64
	a := pr.design(fd)
	for m := 0; m < pr.m; m++ {
		c := make([]float64, 2*nf)
		mat.Col(c, m, a)
		cols = append(cols, pr.project(c))
	}
	dY := pr.modelDerivs(theta, fd, amps, ph)
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
	return f
}

// amplitudeCovariance returns the amplitude block (the first m rows and
// columns) of the inverse Fisher information, given f, σ² times the Fisher
// information (fisher), which it overwrites.
func (pr *problem) amplitudeCovariance(f *mat.SymDense) (*mat.SymDense, error) {
	nc := f.SymmetricDim()
	// Jacobi-scale F (unit diagonal) so that parameters of very different
	// units and the data's scale do not decide what counts as a null
	// direction; then invert by eigen-decomposition, treating null
	// directions (e.g. the shift of a group whose amplitudes are all zero)
	// as unconstrained.
	dsc := jacobiScale(f)
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
