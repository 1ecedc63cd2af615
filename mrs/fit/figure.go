package fit

import (
	"fmt"
	"math"

	"glusleep/plot"
)

// Figure draws the real parts of data, fit, baseline and residual (offset
// above the data) on a reversed ppm axis, as LCModel does, with Glx/tCr and
// tNAA/tCr and their CRLBs after name in the title.
func (res *Result) Figure(name string) *plot.Figure {
	n := len(res.PPM)
	data, model, bl, resid := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	top := 0.0
	for i := range res.PPM {
		data[i], model[i], bl[i] = real(res.Data[i]), real(res.Model[i]), real(res.Baseline[i])
		top = math.Max(top, data[i])
	}
	for i := range resid {
		resid[i] = real(res.Data[i]-res.Model[i]) + 1.3*top
	}
	title := name
	for _, r := range res.Table(math.NaN()) {
		if r.Name == "Glx" || r.Name == "tNAA" {
			title += fmt.Sprintf("   %s/tCr %s (CRLB %s%%)", r.Name, figNum(r.RatioTCr, 3), figNum(r.CRLBPercent, 2))
		}
	}
	f := &plot.Figure{Title: title, XLabel: "chemical shift (ppm)", YLabel: "signal (a.u.)", XReversed: true,
		XMin: res.PPM[0], XMax: res.PPM[n-1], Width: 900, Height: 480}
	f.Line(res.PPM, data, "#333333", "data")
	f.Line(res.PPM, model, "#d62728", "fit")
	f.Line(res.PPM, bl, "#2ca02c", "baseline")
	f.Line(res.PPM, resid, "#7f7f7f", "residual (offset)")
	return f
}

func figNum(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.*g", prec, v)
}
