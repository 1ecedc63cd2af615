package fit

import (
	"glusleep/mrs"
	"glusleep/mrs/basis"
	"glusleep/mrs/sim"

	"gonum.org/v1/gonum/mat"
)

// newSet wraps test basis FIDs made for the grid of p as a basis.Set.
func newSet(names []string, fids [][]complex128, p mrs.Params) *basis.Set {
	return &basis.Set{Names: names, FIDs: fids, Source: "test basis",
		Params: mrs.Params{Dwell: p.Dwell, SpectrometerFrequency: p.SpectrometerFrequency, Nucleus: "1H"}}
}

// withBroad adds broad components to test basis FIDs (basis.Set.WithBroad).
func withBroad(names []string, fids [][]complex128, p mrs.Params, comps []sim.Broad) ([]string, [][]complex128, error) {
	s, err := newSet(names, fids, p).WithBroad(comps)
	if err != nil {
		return nil, nil, err
	}
	return s.Names, s.FIDs, nil
}

// design returns the real design matrix (2nf × m) of the phased spectra.
func (pr *problem) design(fd [][]complex128) *mat.Dense {
	a := mat.NewDense(2*len(pr.idx), pr.m, nil)
	pr.designDenseTo(a, fd)
	return a
}

// designDenseTo writes the design matrix of fd into a (2nf × m, compact).
func (pr *problem) designDenseTo(a *mat.Dense, fd [][]complex128) {
	nf := len(pr.idx)
	raw := a.RawMatrix().Data
	for m, s := range fd {
		for j, v := range s {
			raw[j*pr.m+m] = real(v)
			raw[(nf+j)*pr.m+m] = imag(v)
		}
	}
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
