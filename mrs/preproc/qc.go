package preproc

import (
	"fmt"
	"math"
	"math/cmplx"

	"glusleep/mrs"
)

// Peak windows in ppm used by the quality measures.
var (
	// NAAWindow holds the NAA CH3 singlet (2.008 ppm).
	NAAWindow = [2]float64{1.9, 2.1}
	// CrWindow holds the creatine CH3 singlet (3.027 ppm).
	CrWindow = [2]float64{2.95, 3.1}
	// WaterWindow holds the water resonance (4.65 ppm at 37 °C).
	WaterWindow = [2]float64{4.2, 5.1}
	// NoiseWindow is the signal-free region whose SD is the noise.
	NoiseWindow = [2]float64{-2, 0}
)

// PeakQuality describes one peak of a spectrum.
type PeakQuality struct {
	// PPM is the apex position (ppm), Height the apex of the phased real
	// spectrum (data units).
	PPM    float64 `json:"ppm"`
	Height float64 `json:"height"`
	// FWHMHz and FWHMPPM are the full width at half maximum of the phased
	// real spectrum (Hz, ppm), measured on the 4× zero-filled spectrum.
	FWHMHz  float64 `json:"fwhm_hz"`
	FWHMPPM float64 `json:"fwhm_ppm"`
	// SNR is Height divided by the noise SD of the real spectrum over the
	// noise region (after removing a quadratic trend); not 2× the SD.
	SNR float64 `json:"snr"`
}

// MeasurePeak finds the tallest peak of fid's magnitude spectrum in the
// ppm window peak, phases the spectrum so that it is absorptive there and
// measures its position, height, width and SNR, the noise SD taken over
// the ppm window noise (NoiseWindow for metabolite spectra), or, when
// noise is the zero value, over the outer tenth of the spectrum at each
// edge (for water references, whose gradient sidebands and tails reach
// far into the usual noise region).
func MeasurePeak(fid []complex128, p mrs.Params, peak, noise [2]float64) (PeakQuality, error) {
	lo, hi := peak[0], peak[1]
	var q PeakQuality
	n := len(fid)
	if n < 16 {
		return q, fmt.Errorf("preproc: peak: FID has %d points, want at least 16", n)
	}
	nz := nextPow2(4 * n)
	s := mrs.Spectrum(ZeroFill(fid, nz))
	a, b := window(p, nz, lo, hi)
	if b-a < 3 {
		return q, fmt.Errorf("preproc: peak: window %g–%g ppm is outside the spectrum", lo, hi)
	}
	apex := a
	for i := a; i < b; i++ {
		if cmplx.Abs(s[i]) > cmplx.Abs(s[apex]) {
			apex = i
		}
	}
	rot := cmplx.Rect(1, -cmplx.Phase(s[apex]))
	re := func(i int) float64 { return real(s[i] * rot) }
	h := re(apex)
	// Parabolic apex refinement.
	frac := 0.0
	if apex > 0 && apex < nz-1 {
		y0, y1, y2 := re(apex-1), h, re(apex+1)
		if d := y0 - 2*y1 + y2; d < 0 {
			frac = 0.5 * (y0 - y2) / d
		}
	}
	ax := p.PPMAxis(nz)
	step := ax[1] - ax[0]
	q.PPM = ax[apex] + frac*step
	q.Height = h
	left, right := math.NaN(), math.NaN()
	for i := apex; i > 0; i-- {
		if re(i-1) < h/2 {
			y0, y1 := re(i-1), re(i)
			left = float64(i-1) + (h/2-y0)/(y1-y0)
			break
		}
	}
	for i := apex; i < nz-1; i++ {
		if re(i+1) < h/2 {
			y0, y1 := re(i), re(i+1)
			right = float64(i) + (y0-h/2)/(y0-y1)
			break
		}
	}
	hzPerBin := 1 / (float64(nz) * p.Dwell)
	q.FWHMHz = (right - left) * hzPerBin
	q.FWHMPPM = q.FWHMHz / p.SpectrometerFrequency
	// Noise on the unpadded spectrum (zero-filling correlates points).
	sd := noiseSD(fid, p, rot, noise)
	if sd > 0 {
		// The zero-filled spectrum has the same peak height as the
		// unpadded one (the FFT sums the same points).
		q.SNR = h / sd
	}
	return q, nil
}

// window returns the index range [a, b) of an n-point spectrum inside the
// ppm interval.
func window(p mrs.Params, n int, lo, hi float64) (int, int) {
	if lo > hi {
		lo, hi = hi, lo
	}
	a := int(math.Ceil(p.PPMToIndex(lo, n)))
	b := int(math.Floor(p.PPMToIndex(hi, n))) + 1
	return max(a, 0), min(b, n)
}

// noiseSD returns the SD of the real part of fid's spectrum (rotated by
// rot) over the ppm window after a quadratic fit is removed; a zero
// window, or one with fewer than 32 points inside the spectrum, means the
// outer tenth of the spectrum at each edge.
func noiseSD(fid []complex128, p mrs.Params, rot complex128, win [2]float64) float64 {
	n := len(fid)
	s := mrs.Spectrum(fid)
	a, b := 0, 0
	if win != [2]float64{} {
		a, b = window(p, n, win[0], win[1])
	}
	if b-a < 32 {
		e := max(n/10, 8)
		v1, k1 := quadResidual(s[:e], rot)
		v2, k2 := quadResidual(s[n-e:], rot)
		return math.Sqrt((v1 + v2) / float64(k1+k2))
	}
	v, k := quadResidual(s[a:b], rot)
	return math.Sqrt(v / float64(k))
}

// quadResidual returns the residual sum of squares of the real part of
// s·rot after a least-squares quadratic, and its degrees of freedom.
func quadResidual(s []complex128, rot complex128) (float64, int) {
	a := 0
	m := len(s)
	x := make([]float64, m)
	y := make([]float64, m)
	for i := range x {
		x[i] = 2*float64(i)/float64(m-1) - 1
		y[i] = real(s[a+i] * rot)
	}
	// Least-squares quadratic via normal equations on Legendre-like basis.
	var s0, s1, s2, s3, s4, t0, t1, t2 float64
	for i, xv := range x {
		x2 := xv * xv
		s0++
		s1 += xv
		s2 += x2
		s3 += x2 * xv
		s4 += x2 * x2
		t0 += y[i]
		t1 += y[i] * xv
		t2 += y[i] * x2
	}
	c := solve3([3][3]float64{{s0, s1, s2}, {s1, s2, s3}, {s2, s3, s4}}, [3]float64{t0, t1, t2})
	ss := 0.0
	for i, xv := range x {
		r := y[i] - (c[0] + c[1]*xv + c[2]*xv*xv)
		ss += r * r
	}
	return ss, m - 3
}

func solve3(a [3][3]float64, b [3]float64) [3]float64 {
	for k := 0; k < 3; k++ {
		piv := k
		for i := k + 1; i < 3; i++ {
			if math.Abs(a[i][k]) > math.Abs(a[piv][k]) {
				piv = i
			}
		}
		a[k], a[piv] = a[piv], a[k]
		b[k], b[piv] = b[piv], b[k]
		if a[k][k] == 0 {
			return [3]float64{}
		}
		for i := k + 1; i < 3; i++ {
			f := a[i][k] / a[k][k]
			for j := k; j < 3; j++ {
				a[i][j] -= f * a[k][j]
			}
			b[i] -= f * b[k]
		}
	}
	var x [3]float64
	for i := 2; i >= 0; i-- {
		s := b[i]
		for j := i + 1; j < 3; j++ {
			s -= a[i][j] * x[j]
		}
		x[i] = s / a[i][i]
	}
	return x
}
