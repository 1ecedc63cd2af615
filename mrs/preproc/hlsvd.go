package preproc

import (
	"fmt"
	"math"
	"math/cmplx"
	"sort"

	"gonum.org/v1/gonum/mat"

	"glusleep/internal/fft"
	"glusleep/mrs"
)

// HLSVDOptions control RemoveWater. Zero values take defaults.
type HLSVDOptions struct {
	// Components is the model order, the number of damped sinusoids fitted
	// (default 25).
	Components int
	// Points is the number of leading FID points modelled (default 512,
	// at most the FID length); the Hankel matrix has Points/2 rows.
	Points int
	// PPMLow and PPMHigh bound the components removed (default 4.2–5.4
	// ppm, around water at 4.65).
	PPMLow, PPMHigh float64
}

// Component is one damped complex exponential of an HLSVD model,
// a·exp((−π·Width + 2πi·Hz)·t).
type Component struct {
	// Hz is the frequency relative to the transmitter, PPM the chemical
	// shift, Width the Lorentzian FWHM in Hz.
	Hz, PPM, Width float64
	// Amplitude is the complex amplitude at t = 0 (data units).
	Amplitude complex128
	// Removed says whether the component was subtracted.
	Removed bool
}

// RemoveWater models fid as a sum of damped complex exponentials by HLSVD
// (Barkhuijsen et al. 1987, state-space form: signal subspace of the
// Hankel matrix found by Lanczos iteration as in HLSVD-PRO, poles from its
// shift invariance, amplitudes by least squares) and subtracts the components inside the ppm window. It returns
// the corrected FID and every component found.
func RemoveWater(fid []complex128, p mrs.Params, opt HLSVDOptions) ([]complex128, []Component, error) {
	if opt.Components <= 0 {
		opt.Components = 25
	}
	if opt.Points <= 0 {
		opt.Points = 512
	}
	if opt.PPMLow == 0 && opt.PPMHigh == 0 {
		opt.PPMLow, opt.PPMHigh = 4.2, 5.4
	}
	n := len(fid)
	np := min(opt.Points, n)
	L := np / 2
	K := opt.Components
	if K > L/2 {
		return nil, nil, fmt.Errorf("preproc: HLSVD: %d components need at least %d points, FID has %d", K, 4*K, n)
	}
	if !(p.Dwell > 0) || !(p.SpectrometerFrequency > 0) {
		return nil, nil, fmt.Errorf("preproc: HLSVD: dwell %g s and frequency %g MHz must be positive", p.Dwell, p.SpectrometerFrequency)
	}
	u := signalSubspace(fid[:np], L, K)
	K = len(u)
	// Z = (U_topᴴ U_top)⁻¹ U_topᴴ U_bot.
	a := make([][]complex128, K)
	bz := make([][]complex128, K)
	for r := 0; r < K; r++ {
		a[r] = make([]complex128, K)
		bz[r] = make([]complex128, K)
		for c := 0; c < K; c++ {
			var s, t complex128
			for i := 0; i < L-1; i++ {
				s += cmplx.Conj(u[r][i]) * u[c][i]
				t += cmplx.Conj(u[r][i]) * u[c][i+1]
			}
			a[r][c], bz[r][c] = s, t
		}
	}
	z, err := solveMulti(a, bz)
	if err != nil {
		return nil, nil, fmt.Errorf("preproc: HLSVD: %w", err)
	}
	poles, err := complexEigenvalues(z)
	if err != nil {
		return nil, nil, fmt.Errorf("preproc: HLSVD: %w", err)
	}
	// Amplitudes: least squares over the modelled points.
	K = len(poles)
	ata := make([][]complex128, K)
	atb := make([][]complex128, K)
	basis := make([][]complex128, K)
	for k, zk := range poles {
		col := make([]complex128, np)
		v := complex(1, 0)
		for t := range col {
			col[t] = v
			v *= zk
		}
		basis[k] = col
	}
	for r := 0; r < K; r++ {
		ata[r] = make([]complex128, K)
		var s complex128
		for t := 0; t < np; t++ {
			s += cmplx.Conj(basis[r][t]) * fid[t]
		}
		atb[r] = []complex128{s}
		for c := 0; c < K; c++ {
			var s complex128
			for t := 0; t < np; t++ {
				s += cmplx.Conj(basis[r][t]) * basis[c][t]
			}
			ata[r][c] = s
		}
	}
	amp, err := solveMulti(ata, atb)
	if err != nil {
		return nil, nil, fmt.Errorf("preproc: HLSVD amplitudes: %w", err)
	}
	out := append([]complex128(nil), fid...)
	comps := make([]Component, K)
	lo, hi := math.Min(opt.PPMLow, opt.PPMHigh), math.Max(opt.PPMLow, opt.PPMHigh)
	for k, zk := range poles {
		hz := cmplx.Phase(zk) / (2 * math.Pi * p.Dwell)
		c := Component{Hz: hz, PPM: p.Central() + hz/p.SpectrometerFrequency,
			Width: -math.Log(cmplx.Abs(zk)) / (math.Pi * p.Dwell), Amplitude: amp[k][0]}
		if c.PPM >= lo && c.PPM <= hi && cmplx.Abs(zk) <= 1 {
			c.Removed = true
			v := c.Amplitude
			for t := range out {
				out[t] -= v
				v *= zk
			}
		}
		comps[k] = c
	}
	sort.Slice(comps, func(i, j int) bool { return comps[i].PPM < comps[j].PPM })
	return out, comps, nil
}

// complexEigenvalues returns the eigenvalues of the complex matrix z via
// its real embedding [Re −Im; Im Re], whose spectrum is eig(z) ∪
// conj(eig(z)): an eigenvector [v₁; v₂] with v₂ = −i·v₁ belongs to eig(z).
func complexEigenvalues(z [][]complex128) ([]complex128, error) {
	k := len(z)
	e := mat.NewDense(2*k, 2*k, nil)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			e.Set(i, j, real(z[i][j]))
			e.Set(k+i, k+j, real(z[i][j]))
			e.Set(i, k+j, -imag(z[i][j]))
			e.Set(k+i, j, imag(z[i][j]))
		}
	}
	var eig mat.Eigen
	if !eig.Factorize(e, mat.EigenRight) {
		return nil, fmt.Errorf("eigendecomposition of the shift matrix failed")
	}
	vals := eig.Values(nil)
	var vecs mat.CDense
	eig.VectorsTo(&vecs)
	var out []complex128
	for c, v := range vals {
		var same, conj float64
		for i := 0; i < k; i++ {
			v1, v2 := vecs.At(i, c), vecs.At(k+i, c)
			d1 := v2 + complex(0, 1)*v1
			d2 := v2 - complex(0, 1)*v1
			same += real(d1)*real(d1) + imag(d1)*imag(d1)
			conj += real(d2)*real(d2) + imag(d2)*imag(d2)
		}
		if same < conj {
			out = append(out, v)
		}
	}
	return out, nil
}

// solveMulti solves a·x = b for square complex a and several right-hand
// sides (columns of b) by Gaussian elimination with partial pivoting.
func solveMulti(a, b [][]complex128) ([][]complex128, error) {
	n := len(a)
	m := make([][]complex128, n)
	r := make([][]complex128, n)
	for i := range a {
		m[i] = append([]complex128(nil), a[i]...)
		r[i] = append([]complex128(nil), b[i]...)
	}
	for k := 0; k < n; k++ {
		piv := k
		for i := k + 1; i < n; i++ {
			if cmplx.Abs(m[i][k]) > cmplx.Abs(m[piv][k]) {
				piv = i
			}
		}
		if cmplx.Abs(m[piv][k]) == 0 {
			return nil, fmt.Errorf("singular system")
		}
		m[k], m[piv] = m[piv], m[k]
		r[k], r[piv] = r[piv], r[k]
		for i := k + 1; i < n; i++ {
			f := m[i][k] / m[k][k]
			if f == 0 {
				continue
			}
			for j := k; j < n; j++ {
				m[i][j] -= f * m[k][j]
			}
			for j := range r[i] {
				r[i][j] -= f * r[k][j]
			}
		}
	}
	x := make([][]complex128, n)
	for i := n - 1; i >= 0; i-- {
		x[i] = make([]complex128, len(r[i]))
		for j := range r[i] {
			s := r[i][j]
			for c := i + 1; c < n; c++ {
				s -= m[i][c] * x[c][j]
			}
			x[i][j] = s / m[i][i]
		}
	}
	return x, nil
}

// signalSubspace returns up to k orthonormal vectors spanning the dominant
// left singular subspace of the L-row Hankel matrix of x, H[i][j] =
// x[i+j], by Hermitian Lanczos iteration on H·Hᴴ with full
// reorthogonalisation (2k + 10 steps, fewer when the Krylov space closes, as
// for noiseless data of rank < k).
func signalSubspace(x []complex128, L, k int) [][]complex128 {
	M := len(x) - L + 1
	steps := min(2*k+10, L)
	q := make([][]complex128, 0, steps+1)
	// Deterministic start vector.
	v := make([]complex128, L)
	for i := range v {
		v[i] = complex(math.Cos(float64(i)*1.618), math.Sin(float64(i)*2.718))
	}
	normalize(v)
	q = append(q, v)
	var alpha, beta []float64
	hk := newHankel(x, L)
	y := make([]complex128, M)
	var first float64
	for j := 0; j < steps; j++ {
		qj := q[j]
		// w = H·(Hᴴ·qj)
		hk.adjoint(y, qj)
		w := make([]complex128, L)
		hk.apply(w, y)
		var a complex128
		for i := range w {
			a += cmplx.Conj(qj[i]) * w[i]
		}
		alpha = append(alpha, real(a))
		for pass := 0; pass < 2; pass++ { // full reorthogonalisation
			for _, qi := range q {
				var d complex128
				for i := range w {
					d += cmplx.Conj(qi[i]) * w[i]
				}
				for i := range w {
					w[i] -= d * qi[i]
				}
			}
		}
		b := normalize(w)
		if j == 0 {
			first = math.Abs(real(a))
		}
		if b <= 1e-10*first || j == steps-1 {
			break
		}
		beta = append(beta, b)
		q = append(q, w)
	}
	m := len(alpha)
	t := mat.NewSymDense(m, nil)
	for i := 0; i < m; i++ {
		t.SetSym(i, i, alpha[i])
		if i+1 < m {
			t.SetSym(i, i+1, beta[i])
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(t, true) {
		return nil
	}
	vals := eig.Values(nil)
	var s mat.Dense
	eig.VectorsTo(&s)
	top := vals[m-1]
	var u [][]complex128
	for c := m - 1; c >= 0 && len(u) < k; c-- {
		if vals[c] <= 1e-12*top {
			break
		}
		r := make([]complex128, L)
		for j := 0; j < m; j++ {
			sj := complex(s.At(j, c), 0)
			for i := range r {
				r[i] += sj * q[j][i]
			}
		}
		normalize(r)
		u = append(u, r)
	}
	return u
}

// normalize scales v to unit norm and returns its former norm.
func normalize(v []complex128) float64 {
	s := 0.0
	for _, z := range v {
		s += real(z)*real(z) + imag(z)*imag(z)
	}
	s = math.Sqrt(s)
	if s > 0 {
		inv := complex(1/s, 0)
		for i := range v {
			v[i] *= inv
		}
	}
	return s
}

// hankel multiplies by the L × M Hankel matrix of x (H[i][j] = x[i+j],
// L + M − 1 = len(x)) and its adjoint through FFT correlations.
type hankel struct {
	l, m, p  int
	plan     *fft.Plan
	xf       []complex128 // FFT of x padded to p
	buf, out []complex128
}

func newHankel(x []complex128, l int) *hankel {
	p := nextPow2(len(x))
	h := &hankel{l: l, m: len(x) - l + 1, p: p, plan: fft.New(p),
		buf: make([]complex128, p), out: make([]complex128, p)}
	pad := make([]complex128, p)
	copy(pad, x)
	h.xf = h.plan.Forward(nil, pad)
	return h
}

// corr returns r[i] = Σ_c x[i+c]·v[c] for i < len(dst), by
// r = IFFT(X·FFT(v reversed)), no wrap-around since i + c < p.
func (h *hankel) corr(dst, v []complex128, conjV bool) {
	for i := range h.buf {
		h.buf[i] = 0
	}
	for c, z := range v {
		if conjV {
			z = cmplx.Conj(z)
		}
		h.buf[(h.p-c)%h.p] = z
	}
	h.plan.Forward(h.out, h.buf)
	// Inverse transform as the conjugate of a forward one.
	for i, z := range h.out {
		h.buf[i] = cmplx.Conj(z * h.xf[i])
	}
	h.plan.Forward(h.out, h.buf)
	inv := 1 / float64(h.p)
	for i := range dst {
		dst[i] = cmplx.Conj(h.out[i]) * complex(inv, 0)
	}
}

// apply sets dst (length l) to H·y.
func (h *hankel) apply(dst, y []complex128) { h.corr(dst, y, false) }

// adjoint sets dst (length m) to Hᴴ·q: dst[c] = conj(Σ_i x[i+c]·conj(q[i])).
func (h *hankel) adjoint(dst, q []complex128) {
	h.corr(dst, q, true)
	for i, z := range dst {
		dst[i] = cmplx.Conj(z)
	}
}
