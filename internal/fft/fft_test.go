package fft

import (
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// The transform must equal the direct DFT sum (closed form) and gonum's.
func TestForwardMatchesDFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 2, 4, 8, 16, 32, 64, 1024, 2048, 4096, 12, 100} {
		x := make([]complex128, n)
		for i := range x {
			x[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		}
		got := New(n).Forward(nil, x)
		want := fourier.NewCmplxFFT(n).Coefficients(nil, x)
		for k := range want {
			if cmplx.Abs(got[k]-want[k]) > 1e-9*float64(n) {
				t.Fatalf("n=%d k=%d: %v, want %v", n, k, got[k], want[k])
			}
		}
		if n <= 64 {
			for k := 0; k < n; k++ {
				var s complex128
				for j := 0; j < n; j++ {
					s += x[j] * cmplx.Exp(complex(0, -2*3.141592653589793*float64(j*k)/float64(n)))
				}
				if cmplx.Abs(got[k]-s) > 1e-9*float64(n) {
					t.Fatalf("n=%d k=%d: %v, direct DFT %v", n, k, got[k], s)
				}
			}
		}
		// In place.
		y := append([]complex128(nil), x...)
		New(n).Forward(y, y)
		for k := range y {
			if cmplx.Abs(y[k]-got[k]) > 1e-12*float64(n) {
				t.Fatalf("in-place n=%d differs at %d", n, k)
			}
		}
	}
}

func BenchmarkForward2048(b *testing.B) {
	x := make([]complex128, 2048)
	for i := range x {
		x[i] = complex(float64(i%7), 1)
	}
	p := New(2048)
	dst := make([]complex128, 2048)
	for b.Loop() {
		p.Forward(dst, x)
	}
}

func BenchmarkGonum2048(b *testing.B) {
	x := make([]complex128, 2048)
	p := fourier.NewCmplxFFT(2048)
	dst := make([]complex128, 2048)
	for b.Loop() {
		p.Coefficients(dst, x)
	}
}
