package fit

import (
	"fmt"
	"math"

	"glusleep/plot"
)

// Figure draws, on a reversed ppm axis as LCModel and Osprey do, the real
// parts of the data, the fit and the baseline; the residual (data − fit)
// offset above them with its own zero line and label; and beneath them the
// fitted components of FigureComponents (Glu, Gln, Glx, tNAA, tCr, tCho,
// Ins), each offset with its zero line and label. The title gives name,
// Glx/tCr and tNAA/tCr with their CRLBs (the ratios n/a unless
// TCrDetected, as in the fit tables). Tick labels use engineering
// notation, so GE-scaled data (about 10⁹) read as well as unit-scaled.
func (res *Result) Figure(name string) *plot.Figure {
	n := len(res.PPM)
	data, model, bl, resid := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	dmin, dmax := math.Inf(1), math.Inf(-1)
	for i := range res.PPM {
		data[i], model[i], bl[i] = real(res.Data[i]), real(res.Model[i]), real(res.Baseline[i])
		resid[i] = real(res.Data[i] - res.Model[i])
		for _, v := range []float64{data[i], model[i], bl[i]} {
			dmin, dmax = math.Min(dmin, v), math.Max(dmax, v)
		}
	}
	title := name
	for _, r := range RatiosToDetectedTCr(res.Table(math.NaN())) {
		if r.Name == "Glx" || r.Name == "tNAA" {
			crlb := figNum(r.CRLBPercent, 2)
			if crlb != "n/a" {
				crlb += "%"
			}
			title += fmt.Sprintf("   %s/tCr %s (CRLB %s)", r.Name, figNum(r.RatioTCr, 3), crlb)
		}
	}
	f := &plot.Figure{Title: title, XLabel: "chemical shift (ppm)", YLabel: "signal (a.u.)", XReversed: true,
		Width: 900, Height: 760, Note: "Residual and components are offset; each is drawn about its own dashed zero line."}
	if n == 0 {
		return f
	}
	f.XMin, f.XMax = res.PPM[0], res.PPM[n-1]
	span := dmax - dmin
	if !(span > 0) {
		span = 1
	}
	gap := 0.06 * span
	lo, hi := extent(resid)
	resOff := dmax + gap - lo
	offset := func(y []float64, off float64) []float64 {
		out := make([]float64, len(y))
		for i, v := range y {
			out[i] = v + off
		}
		return out
	}
	// Zero lines first, so the traces draw over them.
	ends := []float64{res.PPM[0], res.PPM[n-1]}
	f.DashedLine(ends, []float64{resOff, resOff}, "#c8c8c8", "")
	f.Line(res.PPM, data, "#222222", "data")
	f.Line(res.PPM, model, "#d62728", "fit")
	f.Line(res.PPM, bl, "#2ca02c", "baseline")
	f.Line(res.PPM, offset(resid, resOff), "#7f7f7f", "residual (data − fit)")
	f.Text(res.PPM[n-1], resOff+hi+0.02*span, "residual")
	below := dmin - gap
	// minSlot is about 20 px of the 760 px figure.
	minSlot, prev := 0.09*span, below+0.09*span
	for _, c := range FigureComponents {
		s, ok := res.ComponentSum(c.Names...)
		if !ok {
			continue
		}
		y := make([]float64, n)
		for i := range s {
			y[i] = real(s[i])
		}
		clo, chi := extent(y)
		// Each trace gets at least minSlot of height, so that small
		// components' labels do not overlap.
		off := math.Min(below-chi, prev-minSlot)
		f.DashedLine(ends, []float64{off, off}, "#c8c8c8", "")
		f.Line(res.PPM, offset(y, off), c.Color, c.Label)
		f.Text(res.PPM[n-1], off+0.03*span, c.Label)
		below, prev = off+clo-0.35*gap, off
	}
	f.YMin, f.YMax = below, resOff+hi+gap
	return f
}

// extent returns the smallest and largest finite values of y (0, 0 when
// there are none).
func extent(y []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range y {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return 0, 0
	}
	return lo, hi
}

func figNum(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.*g", prec, v)
}
