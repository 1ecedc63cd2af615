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
	rows := 2 * nf
	dY := pr.modelDerivs(theta, fd, amps, ph)
	colOf := map[int]int{} // parameter → column of the Fisher matrix
	nc := pr.m
	for p := range dY {
		if dY[p] == nil {
			continue
		}
		if lo, hi := pr.bounds(p); lo == hi {
			continue
		}
		nn := 0.0
		for _, v := range dY[p] {
			nn += real(v)*real(v) + imag(v)*imag(v)
		}
		if nn == 0 {
			continue
		}
		colOf[p] = nc
		nc++
	}
	// The columns (amplitudes, then the free parameters' derivatives) one
	// after another, as linSol.a, and the Gram matrix of their residuals
	// after the baseline's fit, ((I − S)X)ᵀ(I − S)X.
	x := make([]float64, nc*rows)
	for m, s := range fd {
		col := x[m*rows : (m+1)*rows]
		for j, v := range s {
			col[j], col[nf+j] = real(v), imag(v)
		}
	}
	for p, c := range colOf {
		col := x[c*rows : (c+1)*rows]
		for j, v := range dY[p] {
			col[j], col[nf+j] = real(v), imag(v)
		}
	}
	var btx, ctx [2][]float64
	if pr.bl != nil {
		_, k := pr.bl.b.Dims()
		for h := range btx {
			btx[h], ctx[h] = make([]float64, k*nc), make([]float64, k*nc)
		}
	}
	f := mat.NewSymDense(nc, nil)
	pr.gramResidualTo(f, x, nc, btx, ctx)
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

// gramResidualTo sets g (nc×nc, upper triangle) to ((I − S)X)ᵀ(I − S)X for
// the columns of x (stored as linSol.a), S the baseline smoother: with
// C = (BᵀB + λDᵀD)⁻¹BᵀX per half, (I − S)X = X − B·C, so the product is
// XᵀX − 2·(BᵀX)ᵀC + Cᵀ(BᵀB)C summed over the halves. btx and ctx are
// buffers of k×nc per half.
func (pr *problem) gramResidualTo(g *mat.SymDense, x []float64, nc int, btx, ctx [2][]float64) {
	rows := 2 * len(pr.idx)
	gr := g.RawSymmetric()
	gramKernel(gr.Data, gr.Stride, x, nc, rows)
	if pr.bl == nil {
		return
	}
	_, k := pr.bl.b.Dims()
	bc := make([]float64, k*nc)
	for h := 0; h < 2; h++ {
		pr.bl.btCols(btx[h], x, nc, rows, h*len(pr.idx))
		copy(ctx[h], btx[h])
		pr.bl.solveBand(ctx[h], nc)
		// bc = (BᵀB)·C, BᵀB banded (half-bandwidth 3).
		clear(bc)
		for j := 0; j < k; j++ {
			for l := max(0, j-bandWidth); l <= min(k-1, j+bandWidth); l++ {
				b := pr.bl.btb.At(j, l)
				crow, out := ctx[h][l*nc:(l+1)*nc], bc[j*nc:(j+1)*nc]
				for c, v := range crow {
					out[c] += b * v
				}
			}
		}
		for j := 0; j < k; j++ {
			brow, crow, qrow := btx[h][j*nc:(j+1)*nc], ctx[h][j*nc:(j+1)*nc], bc[j*nc:(j+1)*nc]
			for i := 0; i < nc; i++ {
				row := gr.Data[i*gr.Stride : i*gr.Stride+nc]
				bi, ci := brow[i], crow[i]
				for l := i; l < nc; l++ {
					row[l] += ci*qrow[l] - bi*crow[l] - ci*brow[l]
				}
			}
		}
	}
}
