// Package fft is a fast complex FFT for the power-of-two lengths MR spectra
// use (iterative radix-4 decimation in time, with one radix-2 pass for odd
// powers of two, and per-pass twiddle tables), falling back to
// gonum's mixed-radix FFT for other lengths. Its sign convention is gonum's:
// the forward transform uses exp(−2πi·jk/n) and is unnormalised.
package fft

import (
	"math"
	"math/bits"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Plan transforms sequences of one length. It is not safe for concurrent
// use when the length is not a power of two.
type Plan struct {
	n    int
	logn uint
	rev  []int32
	// passes holds, for each radix-4 pass combining four transforms of
	// length s, the twiddles wʲ, w²ʲ, w³ʲ (w = exp(−2πi/(4s)), j < s)
	// interleaved.
	passes  []pass
	fallbck *fourier.CmplxFFT
}

// New returns a plan for length n (n ≥ 1).
func New(n int) *Plan {
	p := &Plan{n: n}
	if n < 2 || n&(n-1) != 0 {
		p.fallbck = fourier.NewCmplxFFT(n)
		return p
	}
	p.logn = uint(bits.TrailingZeros(uint(n)))
	s := 1
	if p.logn%2 == 1 {
		s = 2
	}
	for ; 4*s <= n; s *= 4 {
		tw := make([]complex128, 3*s)
		for j := 0; j < s; j++ {
			for q := 1; q <= 3; q++ {
				sn, cs := math.Sincos(-2 * math.Pi * float64(q*j) / float64(4*s))
				tw[3*j+q-1] = complex(cs, sn)
			}
		}
		p.passes = append(p.passes, pass{s: s, tw: tw})
	}
	p.rev = make([]int32, n)
	for i := range p.rev {
		p.rev[i] = int32(bits.Reverse(uint(i)) >> (bits.UintSize - p.logn))
	}
	return p
}

type pass struct {
	s  int
	tw []complex128
}

// Len returns the transform length.
func (p *Plan) Len() int { return p.n }

// Forward writes the DFT of src, X[k] = Σ x[j]·exp(−2πi·jk/n), into dst
// (allocated when nil) and returns it. dst and src may not overlap unless
// they are the same slice.
func (p *Plan) Forward(dst, src []complex128) []complex128 {
	if len(src) != p.n {
		panic("fft: length mismatch")
	}
	if dst == nil {
		dst = make([]complex128, p.n)
	}
	if p.fallbck != nil {
		return p.fallbck.Coefficients(dst, src)
	}
	n := p.n
	switch {
	case &dst[0] == &src[0]:
		for i, r := range p.rev {
			if int(r) > i {
				dst[i], dst[r] = dst[r], dst[i]
			}
		}
		if p.logn%2 == 1 {
			for i := 0; i < n; i += 2 {
				a, b := dst[i], dst[i+1]
				dst[i], dst[i+1] = a+b, a-b
			}
		}
	case p.logn%2 == 1:
		// Permutation and the radix-2 pass in one: positions i and i+1
		// (i even) receive src[rev[i]] and src[rev[i]+n/2].
		h := n / 2
		for i := 0; i < n; i += 2 {
			r := int(p.rev[i])
			a, b := src[r], src[r+h]
			dst[i], dst[i+1] = a+b, a-b
		}
	default:
		for i, r := range p.rev {
			dst[r] = src[i]
		}
	}
	for _, ps := range p.passes {
		s := ps.s
		tw := ps.tw
		for start := 0; start < n; start += 4 * s {
			// Slices of one length, so that the loop below needs no
			// bounds checks.
			q0 := dst[start : start+s]
			q1 := dst[start+s : start+2*s][:len(q0)]
			q2 := dst[start+2*s : start+3*s][:len(q0)]
			q3 := dst[start+3*s : start+4*s][:len(q0)]
			// j = 0: the twiddles are 1.
			{
				a, b, c, d := q0[0], q1[0], q2[0], q3[0]
				apb, amb := a+b, a-b
				cpd, cmd := c+d, c-d
				mi := complex(imag(cmd), -real(cmd))
				q0[0] = apb + cpd
				q2[0] = apb - cpd
				q1[0] = amb + mi
				q3[0] = amb - mi
			}
			for j := 1; j < len(q0); j++ {
				// Bit-reversed order: q1 holds the odd-even quarter, q2
				// the even-odd one.
				t := tw[3*j : 3*j+3 : 3*j+3]
				a := q0[j]
				b := q1[j] * t[1]
				c := q2[j] * t[0]
				d := q3[j] * t[2]
				apb, amb := a+b, a-b
				cpd, cmd := c+d, c-d
				// −i·(c − d)
				mi := complex(imag(cmd), -real(cmd))
				q0[j] = apb + cpd
				q2[j] = apb - cpd
				q1[j] = amb + mi
				q3[j] = amb - mi
			}
		}
	}
	return dst
}
