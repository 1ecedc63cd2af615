package preproc

import (
	"encoding/json"
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
	// PPM is the apex position (ppm).
	PPM float64 `json:"ppm"`
	// Height is the apex of the phased real spectrum (data units).
	Height float64 `json:"height"`
	// FWHMHz is the full width at half maximum of the phased real
	// spectrum (Hz), measured on the 4× zero-filled spectrum; NaN (null in
	// JSON) when it never falls to half inside the spectrum.
	FWHMHz float64 `json:"fwhm_hz"`
	// FWHMPPM is the same width in ppm.
	FWHMPPM float64 `json:"fwhm_ppm"`
	// SNR is Height divided by the noise SD of the real spectrum over the
	// noise region (after removing a quadratic trend); not 2× the SD
	// (dimensionless).
	SNR float64 `json:"snr"`
}

// MarshalJSON writes a width or SNR that could not be measured (NaN, when
// the peak never falls to half its height inside the spectrum) as null.
func (q PeakQuality) MarshalJSON() ([]byte, error) {
	num := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	return json.Marshal(map[string]any{"ppm": num(q.PPM), "height": num(q.Height),
		"fwhm_hz": num(q.FWHMHz), "fwhm_ppm": num(q.FWHMPPM), "snr": num(q.SNR)})
}

// MeasurePeak finds the tallest peak of fid's magnitude spectrum in the
// ppm window peak, phases the spectrum so that it is absorptive there and
// measures its position, height, width and SNR, the noise SD taken over
// the ppm window noise (NoiseWindow for metabolite spectra), or, when
// noise is the zero value, over the outer tenth of the spectrum at each
// edge (for water references, whose gradient sidebands and tails reach
// far into the usual noise region).
func MeasurePeak(fid []complex128, p mrs.Params, peak, noise [2]float64) (PeakQuality, error) {
	sp, err := peakSpectra(fid)
	if err != nil {
		return PeakQuality{}, err
	}
	return sp.measure(p, peak, noise)
}

// spectra holds the two spectra a peak is measured on: the zero-filled
// one (4n points, rounded up to a power of two) for the apex and the
// width, and the unpadded one for the noise.
type spectra struct {
	padded, plain []complex128
}

// peakSpectra computes fid's spectra for MeasurePeak (len(fid) ≥ 16).
func peakSpectra(fid []complex128) (spectra, error) {
	if n := len(fid); n < 16 {
		return spectra{}, fmt.Errorf("preproc: peak: FID has %d points, want at least 16", n)
	}
	return spectra{padded: mrs.Spectrum(ZeroFill(fid, nextPow2(4*len(fid)))), plain: mrs.Spectrum(fid)}, nil
}

// measure is MeasurePeak on precomputed spectra.
func (sp spectra) measure(p mrs.Params, peak, noise [2]float64) (PeakQuality, error) {
	lo, hi := peak[0], peak[1]
	var q PeakQuality
	s := sp.padded
	nz := len(s)
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
	frac := 0.0
	if apex > 0 && apex < nz-1 {
		frac = vertex(re(apex-1), h, re(apex+1))
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
	sd := spectrumNoiseSD(sp.plain, p, rot, noise)
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
	return spectrumNoiseSD(mrs.Spectrum(fid), p, rot, win)
}

// spectrumNoiseSD is noiseSD on the FID's (unpadded) spectrum s.
func spectrumNoiseSD(s []complex128, p mrs.Params, rot complex128, win [2]float64) float64 {
	n := len(s)
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
	re := make([]complex128, len(s))
	for i, v := range s {
		re[i] = complex(real(v*rot), 0)
	}
	ss := 0.0
	for _, v := range detrend(re) {
		ss += real(v) * real(v)
	}
	return ss, len(s) - 3
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

// detrend returns v minus a least-squares complex quadratic in the index.
func detrend(v []complex128) []complex128 {
	m := len(v)
	var s [5]float64
	var tr, ti [3]float64
	for i, z := range v {
		x := 2*float64(i)/float64(m-1) - 1
		p := [5]float64{1, x, x * x, x * x * x, x * x * x * x}
		for k := range s {
			s[k] += p[k]
		}
		for k := 0; k < 3; k++ {
			tr[k] += real(z) * p[k]
			ti[k] += imag(z) * p[k]
		}
	}
	a := [3][3]float64{{s[0], s[1], s[2]}, {s[1], s[2], s[3]}, {s[2], s[3], s[4]}}
	cr, ci := solve3(a, tr), solve3(a, ti)
	out := make([]complex128, m)
	for i, z := range v {
		x := 2*float64(i)/float64(m-1) - 1
		out[i] = z - complex(cr[0]+cr[1]*x+cr[2]*x*x, ci[0]+ci[1]*x+ci[2]*x*x)
	}
	return out
}
