package preproc

import (
	"fmt"

	"glusleep/mrs"
)

// SNRFormula states the one SNR glusleep reports (preprocessing QC and fit
// QC alike); LCModel's S/N (max of spectrum − baseline over twice the RMS
// residual) is reported beside it by the fit, under its own name.
const SNRFormula = "S/N = h / sd: h = apex of the real spectrum phased absorptive at the apex, " +
	"for the taller of the NAA singlet (1.9–2.1 ppm) and the tCr singlet (2.95–3.1 ppm); " +
	"sd = SD of the real spectrum from -2 to 0 ppm after removing a least-squares quadratic " +
	"(the outer tenth at each end of the spectrum when it does not reach -2 to 0 ppm); no apodisation, no zero-filling in sd"

// SNR is a signal-to-noise ratio with what it was measured on.
type SNR struct {
	// Value is the ratio (dimensionless).
	Value float64 `json:"snr"`
	// Peak names the singlet measured, "NAA" or "tCr".
	Peak string `json:"snr_peak"`
	// Formula is SNRFormula.
	Formula string `json:"snr_definition"`
}

// MeasureSNR returns the SNR of fid (parameters p) by SNRFormula. It is
// 0 only when neither window holds a positive peak.
func MeasureSNR(fid []complex128, p mrs.Params) (SNR, error) {
	s := SNR{Formula: SNRFormula}
	if n := len(fid); n < 16 {
		return s, fmt.Errorf("preproc: SNR: preproc: peak: FID has %d points, want at least 16", n)
	}
	// Both peaks are measured on the same two spectra (MeasurePeak).
	sp := peakSpectra(fid)
	naa, err := sp.measure(p, NAAWindow, NoiseWindow)
	if err != nil {
		return s, fmt.Errorf("preproc: SNR: %w", err)
	}
	cr, err := sp.measure(p, CrWindow, NoiseWindow)
	if err != nil {
		return s, fmt.Errorf("preproc: SNR: %w", err)
	}
	s.Value, s.Peak = naa.SNR, "NAA"
	if cr.Height > naa.Height {
		s.Value, s.Peak = cr.SNR, "tCr"
	}
	return s, nil
}
