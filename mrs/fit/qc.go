package fit

import (
	"math"

	"glusleep/internal/fft"
)

// QC holds quality measures of a fit.
type QC struct {
	// SNR is the height of the fitted reference singlet (NAA, else Cr, else
	// the largest component) in the real spectrum over the noise SD of the
	// signal-free region (Result.NoiseSD).
	SNR float64 `json:"snr"`
	// SNRLCModel is LCModel's definition: the maximum of the real spectrum
	// minus baseline over the fit range, divided by twice the RMS of the
	// real residual.
	SNRLCModel float64 `json:"snr_lcmodel"`
	// FWHMHz and FWHMPPM are the full width at half maximum of the fitted
	// reference singlet's lineshape.
	FWHMHz  float64 `json:"fwhm_hz"`
	FWHMPPM float64 `json:"fwhm_ppm"`
	// Reference names the metabolite the SNR and FWHM were measured on.
	Reference string `json:"reference"`
	// Residual is the RMS real residual in noise SDs (about 1 when the
	// model explains the data).
	Residual float64 `json:"residual_sd"`
}

// qcReference picks the metabolite the linewidth is measured on.
func qcReference(names []string, amps []float64) int {
	for _, want := range []string{"NAA", "Cr", "tCr", "PCr"} {
		for i, n := range names {
			if n == want && amps[i] > 0 {
				return i
			}
		}
	}
	best := -1
	for i, a := range amps {
		if DefaultGroup(names[i]) == 0 && (best < 0 || a > amps[best]) {
			best = i
		}
	}
	return best
}

// widthHz measures the FWHM (Hz) of the tallest peak of the real spectrum of
// fid, zero-filled eightfold, with linear interpolation at the half-height
// crossings; dwell in s. The FID is truncated at n points, so a line
// narrower than about 2/(n·dwell) Hz is measured slightly wide. It also returns the peak height per point of the
// original (not zero-filled) spectrum scale.
func widthHz(fid []complex128, dwell float64) (fwhm, height float64) {
	n := len(fid)
	z := 8 * n
	buf := make([]complex128, z)
	copy(buf, fid)
	// Halve the first point so the DFT approximates the continuous
	// transform of the decay (no constant offset under the line).
	buf[0] *= 0.5
	spec := fft.New(z).Forward(nil, buf)
	re := make([]float64, z)
	for i, v := range spec {
		re[i] = real(v)
	}
	peak := 0
	for i := range re {
		if re[i] > re[peak] {
			peak = i
		}
	}
	h := re[peak] / 2
	if !(h > 0) {
		return math.NaN(), 0
	}
	// Walk both ways (circularly) to the half-height crossings.
	cross := func(dir int) float64 {
		prev := re[peak]
		for k := 1; k < z/2; k++ {
			i := ((peak+dir*k)%z + z) % z
			if re[i] <= h {
				frac := (prev - h) / (prev - re[i])
				return float64(k-1) + frac
			}
			prev = re[i]
		}
		return math.NaN()
	}
	bins := cross(1) + cross(-1)
	return bins / (float64(z) * dwell), re[peak]
}
