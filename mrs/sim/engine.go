// Package sim simulates MR spectroscopy basis spectra: the density-matrix
// evolution of coupled spin systems through ideal-pulse localisation
// sequences (PRESS, STEAM, semi-LASER), with strong coupling, for any field
// strength, echo times, dwell time and number of points.
//
// Method: for each spin system the full Hamiltonian (chemical shifts and
// scalar couplings, H = Σ ωᵢ Izᵢ + 2π Σ Jᵢⱼ Iᵢ·Iⱼ, real and symmetric in the
// Zeeman basis) is diagonalised once. Free evolution is applied in its
// eigenbasis; ideal hard pulses are rotations of every spin. The crusher
// gradients of the sequence are modelled by coherence-order selection (the
// echo pathway −1 → +1 → −1 for PRESS; ±1 → 0 → −1 for STEAM), and the
// signal is the −1 coherence detected during acquisition, written as a sum
// of complex exponentials and sampled on the requested grid. FIDs are in
// the NIfTI-MRS convention (a spin at δ ppm precesses at +(δ − 4.65)·f0 Hz)
// and scaled so that one uncoupled proton gives FID(0) = 1: a basis
// spectrum's area is its proton count at 1 mM-equivalent.
//
// Macromolecule and lipid components are not spin systems: Broad describes
// them as parameterised Gaussian or Lorentzian lines (LCModelMacromolecules
// and LCModelLipids hold LCModel's), and Basis accepts their names beside
// the metabolites'.
package sim

import (
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/mat"
)

// cmat is a dense square complex matrix, row-major.
type cmat struct {
	n int
	v []complex128
}

func newCmat(n int) *cmat { return &cmat{n, make([]complex128, n*n)} }

func (a *cmat) at(i, j int) complex128     { return a.v[i*a.n+j] }
func (a *cmat) set(i, j int, x complex128) { a.v[i*a.n+j] = x }

// system is a prepared spin system: eigenvectors V (real, columns) and
// energies E of the Hamiltonian in rad/s, and the Zeeman-basis helpers.
type system struct {
	nspin int
	dim   int
	mz    []float64 // total Mz of each Zeeman state (×1, half-integers)
	v     *cmat     // eigenvectors as columns (real values)
	vt    *cmat     // transpose
	vr    []float64 // v as real row-major
	vtr   []float64 // vt as real row-major
	e     []float64 // eigenvalues, rad/s
	// blocks lists the states of each total-Mz value (H conserves Mz, so V
	// is block diagonal); bv[b] is that block's eigenvector matrix
	// (row-major: rows are states, columns eigenvectors).
	blocks [][]int
	bv     [][]float64
}

// bit returns whether spin k is "down" (β) in state s.
func bit(s, k, n int) bool { return s>>(n-1-k)&1 == 1 }

// newSystem builds and diagonalises the Hamiltonian of spins with offsets
// (Hz, relative to the transmitter) and couplings j[i][k] (Hz).
func newSystem(offsetHz []float64, j [][]float64) (*system, error) {
	n := len(offsetHz)
	if n == 0 || n > 10 {
		return nil, fmt.Errorf("sim: spin system of %d spins, want 1 to 10", n)
	}
	dim := 1 << n
	s := &system{nspin: n, dim: dim, mz: make([]float64, dim)}
	h := mat.NewSymDense(dim, nil)
	for st := 0; st < dim; st++ {
		m := 0.0
		for k := 0; k < n; k++ {
			if bit(st, k, n) {
				m -= 0.5
			} else {
				m += 0.5
			}
		}
		s.mz[st] = m
		// Diagonal: Zeeman and Iz·Iz terms.
		d := 0.0
		for k := 0; k < n; k++ {
			mk := 0.5
			if bit(st, k, n) {
				mk = -0.5
			}
			d += 2 * math.Pi * offsetHz[k] * mk
			for l := k + 1; l < n; l++ {
				ml := 0.5
				if bit(st, l, n) {
					ml = -0.5
				}
				d += 2 * math.Pi * j[k][l] * mk * ml
			}
		}
		h.SetSym(st, st, d)
	}
	// Off-diagonal flip-flop terms: (I+I− + I−I+)/2 swaps antiparallel pairs.
	for st := 0; st < dim; st++ {
		for k := 0; k < n; k++ {
			for l := k + 1; l < n; l++ {
				if j[k][l] == 0 || bit(st, k, n) == bit(st, l, n) {
					continue
				}
				other := st ^ (1 << (n - 1 - k)) ^ (1 << (n - 1 - l))
				if other > st {
					h.SetSym(st, other, 2*math.Pi*j[k][l]*0.5)
				}
			}
		}
	}
	// Diagonalise each total-Mz block of H separately.
	byMz := map[int][]int{}
	var keys []int
	for st := 0; st < dim; st++ {
		k := int(math.Round(2 * s.mz[st]))
		if _, ok := byMz[k]; !ok {
			keys = append(keys, k)
		}
		byMz[k] = append(byMz[k], st)
	}
	s.e = make([]float64, dim)
	s.v, s.vt = newCmat(dim), newCmat(dim)
	s.vr, s.vtr = make([]float64, dim*dim), make([]float64, dim*dim)
	for _, k := range keys {
		idx := byMz[k]
		nb := len(idx)
		hb := mat.NewSymDense(nb, nil)
		for i := 0; i < nb; i++ {
			for j := i; j < nb; j++ {
				hb.SetSym(i, j, h.At(idx[i], idx[j]))
			}
		}
		var eig mat.EigenSym
		if !eig.Factorize(hb, true) {
			return nil, fmt.Errorf("sim: Hamiltonian diagonalisation failed")
		}
		vals := eig.Values(nil)
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		bv := make([]float64, nb*nb)
		for i := 0; i < nb; i++ {
			// Eigenvector i is assigned to state index idx[i] (any one-to-one
			// labelling within the block works).
			s.e[idx[i]] = vals[i]
			for r := 0; r < nb; r++ {
				x := vecs.At(r, i)
				bv[r*nb+i] = x
				s.v.set(idx[r], idx[i], complex(x, 0))
				s.vt.set(idx[i], idx[r], complex(x, 0))
				s.vr[idx[r]*dim+idx[i]] = x
				s.vtr[idx[i]*dim+idx[r]] = x
			}
		}
		s.blocks = append(s.blocks, idx)
		s.bv = append(s.bv, bv)
	}
	return s, nil
}

// rotation is the ideal hard pulse exp(−iθ(cos φ Ix + sin φ Iy)) of one
// spin; every spin gets the same, so the system's pulse is its Kronecker
// power.
type rotation [2][2]complex128

func newRotation(theta, phi float64) rotation {
	c, sn := math.Cos(theta/2), math.Sin(theta/2)
	return rotation{
		{complex(c, 0), complex(0, -sn) * cmplx.Exp(complex(0, -phi))},
		{complex(0, -sn) * cmplx.Exp(complex(0, phi)), complex(c, 0)},
	}
}

// apply sets rho to R·rho·R† for R the rotation of every spin, one spin at
// a time: rows and then columns are mixed pairwise along that spin's bit
// (O(n·4ⁿ) instead of the O(8ⁿ) of dense products).
func (r rotation) apply(rho *cmat, nspin int) {
	n := rho.n
	a00, a01, a10, a11 := r[0][0], r[0][1], r[1][0], r[1][1]
	c00, c01, c10, c11 := cmplx.Conj(a00), cmplx.Conj(a01), cmplx.Conj(a10), cmplx.Conj(a11)
	v := rho.v
	for k := 0; k < nspin; k++ {
		mask := 1 << (nspin - 1 - k)
		// Left: rows a (bit 0) and a|mask (bit 1).
		for a := 0; a < n; a++ {
			if a&mask != 0 {
				continue
			}
			r0, r1 := v[a*n:(a+1)*n], v[(a|mask)*n:(a|mask+1)*n]
			for j := range r0 {
				x, y := r0[j], r1[j]
				r0[j], r1[j] = a00*x+a01*y, a10*x+a11*y
			}
		}
		// Right: (ρR†)[i][b] = Σ_c ρ[i][c]·conj(R[b][c]).
		for i := 0; i < n; i++ {
			row := v[i*n : (i+1)*n]
			for b := 0; b < n; b++ {
				if b&mask != 0 {
					continue
				}
				x, y := row[b], row[b|mask]
				row[b], row[b|mask] = x*c00+y*c01, x*c10+y*c11
			}
		}
	}
}

// state is a density matrix with a flag saying in which basis it is.
type state struct {
	s     *system
	rho   *cmat
	eigen bool // true: in the Hamiltonian's eigenbasis
}

func (st *state) toEigen() {
	if !st.eigen {
		st.rho = st.s.transform(st.rho, true)
		st.eigen = true
	}
}

func (st *state) toZeeman() {
	if st.eigen {
		st.rho = st.s.transform(st.rho, false)
		st.eigen = false
	}
}

// transform returns Vᵀ·m·V (toEigen) or V·m·Vᵀ, block by block of the
// block-diagonal V, skipping blocks of m that are zero.
func (s *system) transform(m *cmat, toEigen bool) *cmat {
	n := s.dim
	out := newCmat(n)
	for b1, i1 := range s.blocks {
		for b2, i2 := range s.blocks {
			n1, n2 := len(i1), len(i2)
			sub := make([]complex128, n1*n2)
			nz := false
			for r, a := range i1 {
				for c, b := range i2 {
					x := m.v[a*n+b]
					sub[r*n2+c] = x
					nz = nz || x != 0
				}
			}
			if !nz {
				continue
			}
			v1, v2 := s.bv[b1], s.bv[b2]
			// tmp = L·sub where L = V1ᵀ (toEigen) or V1.
			tmp := make([]complex128, n1*n2)
			for r := 0; r < n1; r++ {
				for k := 0; k < n1; k++ {
					var l float64
					if toEigen {
						l = v1[k*n1+r]
					} else {
						l = v1[r*n1+k]
					}
					if l == 0 {
						continue
					}
					for c := 0; c < n2; c++ {
						x := sub[k*n2+c]
						tmp[r*n2+c] += complex(l*real(x), l*imag(x))
					}
				}
			}
			// res = tmp·R where R = V2 (toEigen) or V2ᵀ.
			for r := 0; r < n1; r++ {
				for k := 0; k < n2; k++ {
					x := tmp[r*n2+k]
					if x == 0 {
						continue
					}
					for c := 0; c < n2; c++ {
						var rv float64
						if toEigen {
							rv = v2[k*n2+c]
						} else {
							rv = v2[c*n2+k]
						}
						out.v[i1[r]*n+i2[c]] += complex(real(x)*rv, imag(x)*rv)
					}
				}
			}
		}
	}
	return out
}

// evolve applies free precession for t seconds.
func (st *state) evolve(t float64) {
	if t == 0 {
		return
	}
	st.toEigen()
	n := st.s.dim
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			x := st.rho.v[a*n+b]
			if x != 0 {
				st.rho.v[a*n+b] = x * cmplx.Exp(complex(0, -(st.s.e[a]-st.s.e[b])*t))
			}
		}
	}
}

// pulse applies rotation r to every spin (Zeeman basis) and keeps
// coherence order p only (p > 9 keeps all).
func (st *state) pulse(r rotation, p int) {
	st.toZeeman()
	r.apply(st.rho, st.s.nspin)
	st.keep(p)
}

// keep zeroes every element whose coherence order Mz(a) − Mz(b) is not p.
func (st *state) keep(p int) {
	if p > 9 {
		return
	}
	st.toZeeman()
	n := st.s.dim
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			if int(math.Round(st.s.mz[a]-st.s.mz[b])) != p {
				st.rho.v[a*n+b] = 0
			}
		}
	}
}

// line is one spectral component: amplitude and frequency (Hz) at t = 0 of
// acquisition.
type line struct {
	amp  complex128
	freq float64
}

// detect returns the lines of the −1 coherence signal Tr(ρ(t)·F+), scaled
// by 2i so that an uncoupled proton excited by a 90° pulse gives 1 at 0 Hz
// phase.
func (st *state) detect() []line {
	st.keep(-1)
	st.toEigen()
	n := st.s.dim
	// F+ = Σ I+ₖ in the Zeeman basis, then in the eigenbasis.
	fp := newCmat(n)
	for b := 0; b < n; b++ {
		for k := 0; k < st.s.nspin; k++ {
			if bit(b, k, st.s.nspin) { // down → up
				a := b ^ (1 << (st.s.nspin - 1 - k))
				fp.set(a, b, 1)
			}
		}
	}
	fe := st.s.transform(fp, true)
	var out []line
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			x := st.rho.v[a*n+b] * fe.v[b*n+a]
			if cmplx.Abs(x) < 1e-12 {
				continue
			}
			// ρ_ab(t) = ρ_ab e^{−i(E_a−E_b)t}: frequency (E_b − E_a)/2π.
			out = append(out, line{amp: x * complex(0, 2), freq: (st.s.e[b] - st.s.e[a]) / (2 * math.Pi)})
		}
	}
	return out
}

// initial returns the thermal-equilibrium deviation Σ Izₖ.
func (s *system) initial() *state {
	rho := newCmat(s.dim)
	for a := 0; a < s.dim; a++ {
		rho.set(a, a, complex(s.mz[a], 0))
	}
	return &state{s: s, rho: rho}
}
