package fit

import (
	"fmt"
	"math"
)

// Limits of the unmodelled-signal check: the residual (data − model, real
// part) must reach both UnmodelledMinSD noise SDs and UnmodelledMinShare of
// the data's tallest peak above the baseline for the fit to be flagged.
// A good in-vivo or phantom fit leaves a few noise SDs and a few per cent
// (testdata/README.md lists the values measured on the reference spectra);
// a compound the basis lacks leaves most of its peak.
const (
	UnmodelledMinSD    = 10.0
	UnmodelledMinShare = 0.18
)

// unmodelledSignal returns a message when the residual holds a peak the
// basis did not account for, and "" otherwise (also when the result lacks
// the model, baseline, ppm axis or noise estimate the check needs).
func unmodelledSignal(res *Result) string {
	if len(res.Data) == 0 || len(res.Model) != len(res.Data) || len(res.Baseline) != len(res.Data) || len(res.PPM) != len(res.Data) || !(res.NoiseSD > 0) {
		return ""
	}
	worst, at, peak := 0.0, 0, 0.0
	for j := range res.Data {
		if r := math.Abs(real(res.Data[j] - res.Model[j])); r > worst {
			worst, at = r, j
		}
		peak = math.Max(peak, real(res.Data[j]-res.Baseline[j]))
	}
	if !(peak > 0) || worst < UnmodelledMinSD*res.NoiseSD || worst < UnmodelledMinShare*peak {
		return ""
	}
	return fmt.Sprintf("the residual reaches %.0f noise SDs (%.0f %% of the tallest peak) at %.2f ppm: a signal the basis does not hold (a compound missing from the basis, or a line far from the model's shape), so the amplitudes near it are not trustworthy",
		worst/res.NoiseSD, 100*worst/peak, res.PPM[at])
}
