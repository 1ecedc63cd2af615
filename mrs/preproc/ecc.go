package preproc

import (
	"fmt"
	"math"
	"math/cmplx"
)

// ECC returns fid corrected for eddy currents with the water reference
// (Klose 1990): every point is multiplied by exp(−iφ(t)), φ(t) the phase
// of the water FID, which removes time-varying phase errors the two share
// (and makes the water signal real). Where the water signal has decayed
// into the noise (below 10 noise SDs), the phase is continued linearly
// from the last 16 reliable points instead of following the noise.
func ECC(fid, water []complex128) ([]complex128, error) {
	if len(water) != len(fid) {
		return nil, fmt.Errorf("preproc: eddy-current correction: water reference has %d points, data %d", len(water), len(fid))
	}
	n := len(fid)
	if n < 32 {
		return nil, fmt.Errorf("preproc: eddy-current correction: %d points, want at least 32", n)
	}
	// Noise SD from the last tenth (mean removed).
	tail := water[n-n/10:]
	var m complex128
	for _, v := range tail {
		m += v
	}
	m /= complex(float64(len(tail)), 0)
	var ss float64
	for _, v := range tail {
		d := v - m
		ss += real(d)*real(d) + imag(d)*imag(d)
	}
	sd := math.Sqrt(ss / float64(len(tail)))
	last := n - 1
	for last > 0 && cmplx.Abs(water[last]) < 10*sd {
		last--
	}
	if last < 16 {
		return nil, fmt.Errorf("preproc: eddy-current correction: water reference has no signal above the noise")
	}
	phase := make([]float64, n)
	prev := 0.0
	for k := 0; k <= last; k++ {
		ph := cmplx.Phase(water[k])
		if k > 0 { // unwrap
			for ph-prev > math.Pi {
				ph -= 2 * math.Pi
			}
			for ph-prev < -math.Pi {
				ph += 2 * math.Pi
			}
		}
		phase[k], prev = ph, ph
	}
	slope := (phase[last] - phase[last-15]) / 15
	for k := last + 1; k < n; k++ {
		phase[k] = phase[last] + slope*float64(k-last)
	}
	out := make([]complex128, n)
	for k, v := range fid {
		out[k] = v * cmplx.Rect(1, -phase[k])
	}
	return out, nil
}
