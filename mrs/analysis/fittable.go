package analysis

import (
	"fmt"
	"math"

	"glusleep/bids"
	"glusleep/mrs/fit"
)

// The values of <stem>_fit.tsv's detection column (Detection).
const (
	// Detected is an amplitude above 0 with a determined CRLB (below
	// UndeterminedCRLB); its precision is its crlb_percent.
	Detected = "detected"
	// NotDetected is an amplitude fitted as 0: the metabolite is below
	// what the data can show (for tCr, _qc.json's tcr_zero flag gives the
	// one-sided 95 % upper bound, fit.DetectionZ times the CRLB).
	NotDetected = "not_detected"
	// Undetermined is an amplitude above 0 whose CRLB is UndeterminedCRLB
	// or more, or not finite: not distinguishable from 0.
	Undetermined = "undetermined"
)

// UndeterminedCRLB is the CRLB in percent from which an amplitude is not
// determined by the data: LCModel's mark (999 %), the limit fit.Flags
// applies to tCr (tcr_zero) and to the metabolites it checks
// (crlb_undetermined); fit.UndeterminedCRLB.
const UndeterminedCRLB = fit.UndeterminedCRLB

// Detection says whether the fit detected row's metabolite (as
// fit.Row.Detected decides): Detected, NotDetected (an amplitude fitted as
// 0 or below) or Undetermined (a CRLB of UndeterminedCRLB or more, or an
// amplitude or CRLB that is not a number).
func Detection(row fit.Row) string {
	switch {
	case row.Detected():
		return Detected
	case row.Amplitude <= 0:
		return NotDetected
	}
	return Undetermined
}

// FitRows returns the fit table of res as Result.Rows holds it:
// fit.Result.Table with scale (mM per amplitude unit, or NaN without
// water scaling), every ratio to tCr NaN (written n/a) unless tCr — Cr+PCr,
// or Cr alone when the basis has no PCr — is detected
// (fit.RatiosToDetectedTCr, the rule fit.Flags' tcr_zero and the fit
// figure's title follow): a ratio to an amplitude fitted as 0, or to one
// the data do not determine, is not a number.
func FitRows(res *fit.Result, scale float64) []fit.Row {
	return fit.RatiosToDetectedTCr(res.Table(scale))
}

// FitTSV returns rows as <stem>_fit.tsv (columns FitColumns describes):
// metabolite, amplitude, crlb_percent, ratio_tcr, conc_mm when conc is
// true, and detection (Detection); undefined values are written n/a
// (BIDS), as R's read.delim(na.strings = "n/a") and pandas read them.
func FitTSV(rows []fit.Row, conc bool) []byte {
	num := func(v float64, prec int) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "n/a"
		}
		return fmt.Sprintf("%.*g", prec, v)
	}
	var b []byte
	b = append(b, "metabolite\tamplitude\tcrlb_percent\tratio_tcr"...)
	if conc {
		b = append(b, "\tconc_mm"...)
	}
	b = append(b, "\tdetection\n"...)
	for _, r := range rows {
		b = fmt.Appendf(b, "%s\t%s\t%s\t%s", r.Name, num(r.Amplitude, 6), num(r.CRLBPercent, 4), num(r.RatioTCr, 5))
		if conc {
			b = fmt.Appendf(b, "\t%s", num(r.ConcMM, 5))
		}
		b = fmt.Appendf(b, "\t%s\n", Detection(r))
	}
	return b
}

// FitColumns are the descriptions of <stem>_fit.tsv's columns, for its
// JSON sidecar (bids.WriteColumns).
var FitColumns = map[string]bids.Column{
	"metabolite":   {Description: "Basis metabolite, or a combination of metabolites (e.g. Glx = Glu + Gln, tNAA = NAA + NAAG, tCr = Cr + PCr) after the single metabolites"},
	"amplitude":    {Description: "Fitted amplitude of the metabolite's basis spectrum, in the basis set's arbitrary units; 0 when not detected (see detection)"},
	"crlb_percent": {Description: "Cramér–Rao lower bound of the amplitude, as a percentage of the amplitude (n/a when the amplitude is 0)", Units: "%"},
	"ratio_tcr": {Description: "Amplitude relative to total creatine (Cr + PCr, or Cr alone when the basis has no PCr); dimensionless; n/a in every row when creatine is absent from the basis or not detected " +
		"(its detection not 'detected': the qc file's tcr_zero flag says why, with the one-sided 95 % upper bound of an amplitude fitted as 0)"},
	"conc_mm": {Description: "Water-scaled concentration (millimolar), present when the spectrum has a water reference; the tissue fractions used are in the _desc-qc_svs.json", Units: "mmol/L"},
	"detection": {Description: "Whether the fit detected the metabolite (LCModel reports an amplitude fitted as 0 with a CRLB of 999 %)", Levels: map[string]string{
		Detected:     "amplitude above 0 with a CRLB below 999 %; judge its precision by crlb_percent",
		NotDetected:  "amplitude fitted as 0: below what the data can show (not a measured zero)",
		Undetermined: "amplitude above 0 with a CRLB of 999 % or more: not distinguishable from 0",
	}},
}
