// Package fft is a fast complex FFT for the power-of-two lengths MR spectra
// use (iterative radix-2 with precomputed twiddles), falling back to
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
	n       int
	logn    uint
	tw      []complex128 // exp(−2πi k/n), k < n/2
	rev     []int32
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
	p.tw = make([]complex128, n/2)
	for k := range p.tw {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		p.tw[k] = complex(c, s)
	}
	p.rev = make([]int32, n)
	for i := range p.rev {
		p.rev[i] = int32(bits.Reverse(uint(i)) >> (bits.UintSize - p.logn))
	}
	return p
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
	if &dst[0] == &src[0] {
		for i, r := range p.rev {
			if int(r) > i {
				dst[i], dst[r] = dst[r], dst[i]
			}
		}
	} else {
		for i, r := range p.rev {
			dst[r] = src[i]
		}
	}
	n := p.n
	for size := 2; size <= n; size <<= 1 {
		half := size >> 1
		step := n / size
		for start := 0; start < n; start += size {
			k := 0
			blk := dst[start : start+size]
			for j := 0; j < half; j++ {
				w := p.tw[k]
				a := blk[j]
				b := blk[j+half] * w
				blk[j] = a + b
				blk[j+half] = a - b
				k += step
			}
		}
	}
	return dst
}
