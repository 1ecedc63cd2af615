package preproc

import (
	"fmt"
	"math"
	"math/cmplx"
)

// Shift returns fid multiplied by exp(i(2π·hz·t + phase)), t = k·dwell
// seconds: the spectrum moves by hz Hz (to higher chemical shift for
// positive hz) and rotates by phase radians.
func Shift(fid []complex128, dwell, hz, phase float64) []complex128 {
	out := make([]complex128, len(fid))
	shiftInto(out, fid, dwell, hz, phase)
	return out
}

func shiftInto(dst, fid []complex128, dwell, hz, phase float64) {
	// Recurrence with periodic resynchronisation keeps it fast and exact to
	// rounding.
	step := cmplx.Rect(1, 2*math.Pi*hz*dwell)
	var rot complex128
	for k, v := range fid {
		if k%64 == 0 {
			rot = cmplx.Rect(1, 2*math.Pi*hz*dwell*float64(k)+phase)
		}
		dst[k] = v * rot
		rot *= step
	}
}

// Truncate returns the first n points of fid (fid itself when shorter).
func Truncate(fid []complex128, n int) []complex128 {
	if n >= len(fid) || n < 0 {
		return append([]complex128(nil), fid...)
	}
	return append([]complex128(nil), fid[:n]...)
}

// ZeroFill returns fid padded with zeros to n points (a copy of fid when
// it is already at least n long).
func ZeroFill(fid []complex128, n int) []complex128 {
	if n < len(fid) {
		n = len(fid)
	}
	out := make([]complex128, n)
	copy(out, fid)
	return out
}

// Apodize returns fid multiplied by an exponential line broadening of lb
// Hz (Lorentzian FWHM added: exp(−π·lb·t)) and a Gaussian one of gb Hz
// (Gaussian FWHM added: exp(−(π·gb·t)²/(4 ln 2))). Zero leaves a term out.
func Apodize(fid []complex128, dwell, lb, gb float64) []complex128 {
	out := make([]complex128, len(fid))
	g := math.Pi * gb / (2 * math.Sqrt(math.Ln2))
	for k, v := range fid {
		t := float64(k) * dwell
		out[k] = v * complex(math.Exp(-math.Pi*lb*t-g*g*t*t), 0)
	}
	return out
}

// vertex returns the offset, in samples, of the apex of the parabola
// through (−1, y0), (0, y1), (1, y2) from the middle sample; 0 when the
// middle sample is not a maximum.
func vertex(y0, y1, y2 float64) float64 {
	if d := y0 - 2*y1 + y2; d < 0 {
		return 0.5 * (y0 - y2) / d
	}
	return 0
}

// argmaxVertex returns the index of the largest score, refined by the
// vertex of the parabola through it and its neighbours (not at the ends).
func argmaxVertex(scores []float64) float64 {
	best := 0
	for i, v := range scores {
		if v > scores[best] {
			best = i
		}
	}
	if best > 0 && best < len(scores)-1 {
		return float64(best) + vertex(scores[best-1], scores[best], scores[best+1])
	}
	return float64(best)
}

// nextPow2 returns the smallest power of two ≥ n.
func nextPow2(n int) int {
	p := 1
	for p < n {
		p <<= 1
	}
	return p
}

// checkFIDs reports an error when fids are empty or of unequal length.
func checkFIDs(what string, fids [][]complex128) error {
	if len(fids) == 0 {
		return fmt.Errorf("preproc: %s: no FIDs", what)
	}
	n := len(fids[0])
	if n < 16 {
		return fmt.Errorf("preproc: %s: FID has %d points, want at least 16", what, n)
	}
	for i, f := range fids {
		if len(f) != n {
			return fmt.Errorf("preproc: %s: FID %d has %d points, FID 0 has %d", what, i, len(f), n)
		}
		for k, v := range f {
			// x − x is NaN for NaN and ±Inf alike.
			if re, im := real(v), imag(v); re-re != 0 || im-im != 0 {
				return fmt.Errorf("preproc: %s: FID %d point %d is not finite", what, i, k)
			}
		}
	}
	return nil
}
