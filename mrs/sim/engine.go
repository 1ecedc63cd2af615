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

// system is a prepared spin system. H conserves the total Mz, so its
// eigenvectors fall into blocks of equal Mz: the states are stored block
// by block (within a block in increasing Zeeman index), every matrix of
// the simulation is held in that order, and a block pair of a matrix is a
// contiguous rectangle of it.
type system struct {
	nspin int
	dim   int
	state []int     // state[p] is the Zeeman index at position p
	mz2   []int     // 2·Mz of the state at each position
	e     []float64 // eigenvalues at each position, rad/s
	blks  []block
	// pairs[k] lists, for spin k, the positions (p0, p1) of the states
	// that differ only in that spin (α at p0, β at p1).
	pairs [][][2]int32
	// scratch is a block pair's worth of workspace for transform.
	scratch []complex128
}

// block is one total-Mz block: positions off … off+n−1, its 2·Mz, and its
// eigenvectors v (row-major: rows states, columns eigenvectors) and their
// transpose vt.
type block struct {
	off, n int
	mz2    int
	v, vt  []float64
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
	s := &system{nspin: n, dim: dim}
	mz2 := make([]int, dim) // by Zeeman index
	diag := make([]float64, dim)
	for st := 0; st < dim; st++ {
		d := 0.0
		for k := 0; k < n; k++ {
			mk := 0.5
			if bit(st, k, n) {
				mk = -0.5
				mz2[st]--
			} else {
				mz2[st]++
			}
			// Zeeman and Iz·Iz terms.
			d += 2 * math.Pi * offsetHz[k] * mk
			for l := k + 1; l < n; l++ {
				ml := 0.5
				if bit(st, l, n) {
					ml = -0.5
				}
				d += 2 * math.Pi * j[k][l] * mk * ml
			}
		}
		diag[st] = d
	}
	// Blocks in order of first appearance of their Mz (α…α first), states
	// within a block in increasing index.
	pos := make([]int, dim)
	for m := n; m >= -n; m -= 2 {
		b := block{off: len(s.state), mz2: m}
		for st := 0; st < dim; st++ {
			if mz2[st] == m {
				pos[st] = len(s.state)
				s.state = append(s.state, st)
				s.mz2 = append(s.mz2, m)
			}
		}
		b.n = len(s.state) - b.off
		s.blks = append(s.blks, b)
	}
	s.e = make([]float64, dim)
	maxN := 0
	for bi := range s.blks {
		b := &s.blks[bi]
		maxN = max(maxN, b.n)
		hb := mat.NewSymDense(b.n, nil)
		for r := 0; r < b.n; r++ {
			a := s.state[b.off+r]
			hb.SetSym(r, r, diag[a])
			// Flip-flop terms (I+I− + I−I+)/2 swap antiparallel pairs.
			for k := 0; k < n; k++ {
				for l := k + 1; l < n; l++ {
					if j[k][l] == 0 || bit(a, k, n) == bit(a, l, n) {
						continue
					}
					other := a ^ (1 << (n - 1 - k)) ^ (1 << (n - 1 - l))
					if c := pos[other] - b.off; c > r {
						hb.SetSym(r, c, 2*math.Pi*j[k][l]*0.5)
					}
				}
			}
		}
		var eig mat.EigenSym
		if !eig.Factorize(hb, true) {
			return nil, fmt.Errorf("sim: Hamiltonian diagonalisation failed")
		}
		vals := eig.Values(nil)
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		b.v, b.vt = make([]float64, b.n*b.n), make([]float64, b.n*b.n)
		for i := 0; i < b.n; i++ {
			// Eigenvector i is assigned to position off+i (any one-to-one
			// labelling within the block works).
			s.e[b.off+i] = vals[i]
			for r := 0; r < b.n; r++ {
				x := vecs.At(r, i)
				b.v[r*b.n+i] = x
				b.vt[i*b.n+r] = x
			}
		}
	}
	s.scratch = make([]complex128, maxN*maxN)
	s.pairs = make([][][2]int32, n)
	for k := 0; k < n; k++ {
		mask := 1 << (n - 1 - k)
		for st := 0; st < dim; st++ {
			if st&mask == 0 {
				s.pairs[k] = append(s.pairs[k], [2]int32{int32(pos[st]), int32(pos[st|mask])})
			}
		}
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

// anyOrder marks a density matrix whose coherence orders are not known to
// be a single one.
const anyOrder = math.MinInt

// state is a density matrix (positions as in its system, row-major), the
// basis it is in, and its coherence order when it holds only one.
type state struct {
	s     *system
	rho   []complex128
	eigen bool // true: in the Hamiltonian's eigenbasis
	order int  // the one coherence order present, or anyOrder
}

// initial returns the thermal-equilibrium deviation Σ Izₖ.
func (s *system) initial() *state {
	rho := make([]complex128, s.dim*s.dim)
	for p := 0; p < s.dim; p++ {
		rho[p*s.dim+p] = complex(float64(s.mz2[p])/2, 0)
	}
	return &state{s: s, rho: rho, order: 0}
}

// apply sets ρ to R·ρ·R† for R the rotation of every spin, one spin at a
// time: rows and then columns are mixed pairwise along that spin
// (O(n·4ⁿ) instead of the O(8ⁿ) of dense products).
func (r rotation) apply(st *state) {
	s := st.s
	n := s.dim
	a00, a01, a10, a11 := r[0][0], r[0][1], r[1][0], r[1][1]
	c00, c01, c10, c11 := cmplx.Conj(a00), cmplx.Conj(a01), cmplx.Conj(a10), cmplx.Conj(a11)
	v := st.rho
	for k := 0; k < s.nspin; k++ {
		// Left: rows p0 (spin α) and p1 (spin β).
		for _, pr := range s.pairs[k] {
			p0, p1 := int(pr[0]), int(pr[1])
			r0, r1 := v[p0*n:(p0+1)*n], v[p1*n:(p1+1)*n]
			for j := range r0 {
				x, y := r0[j], r1[j]
				r0[j], r1[j] = a00*x+a01*y, a10*x+a11*y
			}
		}
		// Right: (ρR†)[i][b] = Σ_c ρ[i][c]·conj(R[b][c]).
		for i := 0; i < n; i++ {
			row := v[i*n : (i+1)*n]
			for _, pr := range s.pairs[k] {
				x, y := row[pr[0]], row[pr[1]]
				row[pr[0]], row[pr[1]] = x*c00+y*c01, x*c10+y*c11
			}
		}
	}
	st.order = anyOrder
}

// live reports whether block pair (b1, b2) may hold nonzero elements.
func (st *state) live(b1, b2 *block) bool {
	return st.order == anyOrder || b1.mz2-b2.mz2 == 2*st.order
}

func (st *state) toEigen() {
	if !st.eigen {
		st.transform(true)
		st.eigen = true
	}
}

func (st *state) toZeeman() {
	if st.eigen {
		st.transform(false)
		st.eigen = false
	}
}

// transform sets ρ to Vᵀ·ρ·V (toEigen) or V·ρ·Vᵀ, in place, block pair by
// block pair of the block-diagonal V, skipping the pairs that hold no
// coherence of the state's order.
func (st *state) transform(toEigen bool) {
	s := st.s
	n := s.dim
	for i1 := range s.blks {
		b1 := &s.blks[i1]
		for i2 := range s.blks {
			b2 := &s.blks[i2]
			if !st.live(b1, b2) {
				continue
			}
			n1, n2 := b1.n, b2.n
			// tmp = L·sub, L = V1ᵀ (toEigen) or V1; sub is ρ's rectangle.
			l := b1.v
			if toEigen {
				l = b1.vt
			}
			tmp := s.scratch[:n1*n2]
			clear(tmp)
			for r := 0; r < n1; r++ {
				dst := tmp[r*n2 : (r+1)*n2]
				for k, x := range l[r*n1 : (r+1)*n1] {
					if x == 0 {
						continue
					}
					src := st.rho[(b1.off+k)*n+b2.off : (b1.off+k)*n+b2.off+n2]
					for c, y := range src {
						dst[c] += complex(x*real(y), x*imag(y))
					}
				}
			}
			// ρ's rectangle = tmp·R, R = V2 (toEigen) or V2ᵀ.
			rm := b2.vt
			if toEigen {
				rm = b2.v
			}
			for r := 0; r < n1; r++ {
				dst := st.rho[(b1.off+r)*n+b2.off : (b1.off+r)*n+b2.off+n2]
				clear(dst)
				for k, x := range tmp[r*n2 : (r+1)*n2] {
					if x == 0 {
						continue
					}
					xr, xi := real(x), imag(x)
					for c, y := range rm[k*n2 : (k+1)*n2] {
						dst[c] += complex(xr*y, xi*y)
					}
				}
			}
		}
	}
}

// evolve applies free precession for t seconds.
func (st *state) evolve(t float64) {
	if t == 0 {
		return
	}
	st.toEigen()
	s := st.s
	n := s.dim
	for i1 := range s.blks {
		b1 := &s.blks[i1]
		for i2 := range s.blks {
			b2 := &s.blks[i2]
			if !st.live(b1, b2) {
				continue
			}
			for a := b1.off; a < b1.off+b1.n; a++ {
				row := st.rho[a*n : (a+1)*n]
				for b := b2.off; b < b2.off+b2.n; b++ {
					if x := row[b]; x != 0 {
						row[b] = x * cmplx.Exp(complex(0, -(s.e[a]-s.e[b])*t))
					}
				}
			}
		}
	}
}

// pulse applies rotation r to every spin (Zeeman basis) and keeps
// coherence order p only (p > 9 keeps all).
func (st *state) pulse(r rotation, p int) {
	st.toZeeman()
	r.apply(st)
	st.keep(p)
}

// keep zeroes every element whose coherence order Mz(a) − Mz(b) is not p
// (in either basis: V does not mix Mz).
func (st *state) keep(p int) {
	if p > 9 {
		return
	}
	s := st.s
	n := s.dim
	for i1 := range s.blks {
		b1 := &s.blks[i1]
		for i2 := range s.blks {
			b2 := &s.blks[i2]
			if b1.mz2-b2.mz2 == 2*p || !st.live(b1, b2) {
				continue
			}
			for a := b1.off; a < b1.off+b1.n; a++ {
				clear(st.rho[a*n+b2.off : a*n+b2.off+b2.n])
			}
		}
	}
	st.order = p
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
	s := st.s
	n := s.dim
	var out []line
	// ρ holds Mz(a) − Mz(b) = −1 only, and F+ = Σ I+ₖ raises Mz by 1: for
	// each block pair (b1, b2 = the block one higher), the lines need
	// (F+ in the eigenbasis) from b1 to b2, Fe = V2ᵀ·F+·V1 (real).
	for i1 := range s.blks {
		b1 := &s.blks[i1]
		var b2 *block
		for i2 := range s.blks {
			if s.blks[i2].mz2 == b1.mz2+2 {
				b2 = &s.blks[i2]
			}
		}
		if b2 == nil {
			continue
		}
		n1, n2 := b1.n, b2.n
		// F+ from position b1.off+c (spin k β) to b2.off+r (spin k α).
		fz := make([]float64, n2*n1)
		for c := 0; c < n1; c++ {
			st1 := s.state[b1.off+c]
			for k := 0; k < s.nspin; k++ {
				if bit(st1, k, s.nspin) {
					up := st1 ^ (1 << (s.nspin - 1 - k))
					for r := 0; r < n2; r++ {
						if s.state[b2.off+r] == up {
							fz[r*n1+c] = 1
						}
					}
				}
			}
		}
		// fe = V2ᵀ·fz·V1.
		t1 := make([]float64, n2*n1)
		for r := 0; r < n2; r++ {
			for k := 0; k < n2; k++ {
				x := b2.vt[r*n2+k]
				if x == 0 {
					continue
				}
				for c := 0; c < n1; c++ {
					t1[r*n1+c] += x * fz[k*n1+c]
				}
			}
		}
		fe := make([]float64, n2*n1)
		for r := 0; r < n2; r++ {
			for k := 0; k < n1; k++ {
				x := t1[r*n1+k]
				if x == 0 {
					continue
				}
				for c := 0; c < n1; c++ {
					fe[r*n1+c] += x * b1.v[k*n1+c]
				}
			}
		}
		// Line (a, b) for a in b1, b in b2: ρ_ab·Fe_ba; ρ_ab(t) =
		// ρ_ab e^{−i(E_a−E_b)t}, so its frequency is (E_b − E_a)/2π.
		for a := 0; a < n1; a++ {
			row := st.rho[(b1.off+a)*n+b2.off : (b1.off+a)*n+b2.off+n2]
			for b, y := range row {
				x := y * complex(fe[b*n1+a], 0)
				if cmplx.Abs(x) < 1e-12 {
					continue
				}
				out = append(out, line{amp: x * complex(0, 2), freq: (s.e[b2.off+b] - s.e[b1.off+a]) / (2 * math.Pi)})
			}
		}
	}
	return out
}
