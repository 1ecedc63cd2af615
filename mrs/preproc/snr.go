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
	naa, cr, err := measureSingletsOf(fid, p)
	if err != nil {
		return SNR{Formula: SNRFormula}, fmt.Errorf("preproc: SNR: %w", err)
	}
	return snrOf(naa, cr), nil
}

// measureSingletsOf measures the NAA and tCr singlets of fid on the same
// two spectra (MeasurePeak's).
func measureSingletsOf(fid []complex128, p mrs.Params) (naa, cr PeakQuality, err error) {
	sp, err := peakSpectra(fid)
	if err != nil {
		return naa, cr, err
	}
	if naa, err = sp.measure(p, NAAWindow, NoiseWindow); err != nil {
		return naa, cr, err
	}
	cr, err = sp.measure(p, CrWindow, NoiseWindow)
	return naa, cr, err
}

// snrOf is SNRFormula's choice: the SNR of the taller of the two singlets.
func snrOf(naa, cr PeakQuality) SNR {
	s := SNR{Value: naa.SNR, Peak: "NAA", Formula: SNRFormula}
	if cr.Height > naa.Height {
		s.Value, s.Peak = cr.SNR, "tCr"
	}
	return s
}
