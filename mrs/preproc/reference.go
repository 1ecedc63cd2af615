package preproc

import (
	"fmt"
	"math"
	"math/cmplx"

	"glusleep/mrs"
)

// RefPeak is a singlet with a known chemical shift used for referencing.
type RefPeak struct {
	// Name of the resonance, e.g. "NAA".
	Name string
	// PPM is its chemical shift (ppm).
	PPM float64
}

// Reference peaks: NAA, total creatine and total choline singlets for
// water-suppressed spectra (Govindaraju et al. 2000), water for
// unsuppressed ones.
var (
	MetabolitePeaks = []RefPeak{{"NAA", 2.008}, {"Cr", 3.027}, {"Cho", 3.185}}
	WaterPeaks      = []RefPeak{{"water", 4.65}}
)

// Reference returns the frequency correction (Hz) and zero-order phase
// correction (radians) that put the reference peaks of fid at their
// chemical shifts and make the tallest of them absorptive: apply them with
// Shift(fid, dwell, hz, phase). The offset is found by cross-correlating
// the magnitude spectrum with a template of the peaks over ±search ppm
// (0 means 0.5 ppm), refined by a parabola.
func Reference(fid []complex128, p mrs.Params, peaks []RefPeak, search float64) (hz, phase float64, err error) {
	if len(peaks) == 0 {
		return 0, 0, fmt.Errorf("preproc: reference: no reference peaks")
	}
	if search <= 0 {
		search = 0.5
	}
	n := len(fid)
	if n < 16 {
		return 0, 0, fmt.Errorf("preproc: reference: FID has %d points, want at least 16", n)
	}
	nz := nextPow2(4 * n)
	// 2 Hz broadening steadies the magnitude of noisy spectra.
	s := mrs.Spectrum(ZeroFill(Apodize(fid, p.Dwell, 2, 0), nz))
	ax := p.PPMAxis(nz)
	step := ax[1] - ax[0]
	lo, hi := peaks[0].PPM, peaks[0].PPM
	for _, pk := range peaks {
		lo, hi = math.Min(lo, pk.PPM), math.Max(hi, pk.PPM)
	}
	a, b := window(p, nz, lo-search-0.1, hi+search+0.1)
	if b-a < 8 {
		return 0, 0, fmt.Errorf("preproc: reference: peaks %g–%g ppm are outside the spectrum", lo, hi)
	}
	mag := make([]float64, nz)
	for i := a; i < b; i++ {
		mag[i] = cmplx.Abs(s[i])
	}
	// Template: Gaussians of 0.04 ppm FWHM at the peak positions.
	sig := 0.04 / 2.3548
	maxK := int(search / step)
	scores := make([]float64, 2*maxK+1)
	for k := -maxK; k <= maxK; k++ {
		// Offset k bins: peak expected at ppm + k·step.
		sum := 0.0
		for _, pk := range peaks {
			c := p.PPMToIndex(pk.PPM, nz) + float64(k)
			w := int(3 * sig / step)
			for i := int(c) - w; i <= int(c)+w+1; i++ {
				if i < a || i >= b {
					continue
				}
				d := (float64(i) - c) * step
				sum += mag[i] * math.Exp(-d*d/(2*sig*sig))
			}
		}
		scores[k+maxK] = sum
	}
	offsetPPM := (argmaxVertex(scores) - float64(maxK)) * step
	hz = -offsetPPM * p.SpectrometerFrequency
	// Phase: after the shift, make the tallest reference peak absorptive.
	shifted := mrs.Spectrum(ZeroFill(Shift(fid, p.Dwell, hz, 0), nz))
	apex, top := -1, 0.0
	for _, pk := range peaks {
		c := int(math.Round(p.PPMToIndex(pk.PPM, nz)))
		w := max(int(0.03/step), 1)
		for i := c - w; i <= c+w; i++ {
			if i >= 0 && i < nz && cmplx.Abs(shifted[i]) > top {
				apex, top = i, cmplx.Abs(shifted[i])
			}
		}
	}
	if apex < 0 {
		return hz, 0, nil
	}
	return hz, -cmplx.Phase(shifted[apex]), nil
}
