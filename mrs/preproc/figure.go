package preproc

import (
	"fmt"
	"math"

	"glusleep/mrs"
	"glusleep/plot"
)

// Colours of the preprocessing figures.
const (
	colAccepted = "#1f77b4"
	colRejected = "#d62728"
)

// Figures draws the preprocessing report of the first spectrum, titled
// with name, as panels to stack: the frequency shift (Hz) and zero-order
// phase (degrees) that alignment estimated for each transient, with the
// rejected transients marked in red and numbered (indices from 0, as in
// the QC's "rejected"); the spectrum averaged in sub-blocks of transients
// before and after alignment, zoomed on 1.8–4.2 ppm where drift is seen
// (rejected transients left out after); and the final spectrum with its
// SNR and NAA linewidth.
func (res *Result) Figures(name string) []*plot.Figure {
	var figs []*plot.Figure
	if a := res.Alignments[0]; a != nil && len(a.Hz) > 0 {
		figs = append(figs, driftFigures(name, a)...)
		figs = append(figs, res.blockFigures(name, a)...)
	}
	return append(figs, res.finalFigure(name))
}

// driftFigures plot frequency and phase against transient.
func driftFigures(name string, a *Alignment) []*plot.Figure {
	n := len(a.Hz)
	rej := map[int]bool{}
	for _, r := range a.Rejected {
		rej[r] = true
	}
	idx := make([]float64, n)
	deg := make([]float64, n)
	for i := range idx {
		idx[i] = float64(i)
		deg[i] = a.Phase[i] * 180 / math.Pi
	}
	f := &plot.Figure{Title: fmt.Sprintf("%s: frequency and phase of each transient (%d of %d rejected)", name, len(a.Rejected), n),
		XLabel: "transient (index from 0, as in _preproc_qc.json)", YLabel: "frequency shift (Hz)", Width: 900, Height: 340}
	f.Line(idx, a.Hz, colAccepted, "frequency (Hz)")
	f.Scatter(idx, a.Hz, 3.5, colAccepted, "")
	var rx, ry []float64
	for _, r := range a.Rejected {
		if r >= 0 && r < n {
			rx, ry = append(rx, float64(r)), append(ry, a.Hz[r])
		}
	}
	f.Scatter(rx, ry, 6, colRejected, "rejected transient")
	lo, hi := a.Hz[0], a.Hz[0]
	for _, v := range a.Hz {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for i := range rx {
		// Above the point, or below it when the point is near the top.
		dy := 0.12 * (hi - lo)
		if ry[i] > hi-0.2*(hi-lo) {
			dy = -0.16 * (hi - lo)
		}
		f.Text(rx[i], ry[i]+dy, fmt.Sprintf("#%d rejected", int(rx[i])))
	}
	p := &plot.Figure{XLabel: "transient (index from 0)", YLabel: "phase (degrees)", Width: 900, Height: 250}
	p.Line(idx, deg, "#2ca02c", "zero-order phase (°)")
	p.Scatter(idx, deg, 3.5, "#2ca02c", "")
	var px, py []float64
	for _, r := range a.Rejected {
		if r >= 0 && r < n {
			px, py = append(px, float64(r)), append(py, deg[r])
		}
	}
	p.Scatter(px, py, 6, colRejected, "rejected transient")
	return []*plot.Figure{f, p}
}

// blockFigures overlay sub-block averages before and after alignment.
func (res *Result) blockFigures(name string, a *Alignment) []*plot.Figure {
	p := res.Data.Params
	n := len(res.Before[0])
	ppm := p.PPMAxis(n)
	lo, hi := window(p, n, 1.8, 4.2)
	nb := min(4, len(res.Before))
	colors := []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"}
	rej := map[int]bool{}
	for _, r := range a.Rejected {
		rej[r] = true
	}
	panel := func(title string, fids [][]complex128, skip map[int]bool) *plot.Figure {
		f := &plot.Figure{Title: title, XLabel: "chemical shift (ppm)", YLabel: "signal (a.u.)", XReversed: true, XMin: 1.8, XMax: 4.2, Width: 900, Height: 320}
		per := (len(fids) + nb - 1) / nb
		for k := 0; k < nb; k++ {
			var blk [][]complex128
			first, last := k*per, min(len(fids), (k+1)*per)
			for t := first; t < last; t++ {
				if !skip[t] {
					blk = append(blk, fids[t])
				}
			}
			if len(blk) == 0 {
				continue
			}
			s := mrs.Spectrum(mrs.Average(blk))
			x, y := make([]float64, 0, hi-lo), make([]float64, 0, hi-lo)
			for i := lo; i < hi; i++ {
				x, y = append(x, ppm[i]), append(y, real(s[i]))
			}
			f.Line(x, y, colors[k%len(colors)], fmt.Sprintf("transients %d–%d", first, last-1))
		}
		return f
	}
	before := panel(name+": sub-block averages before alignment (1.8–4.2 ppm)", res.Before, nil)
	after := panel(fmt.Sprintf("after alignment, %d rejected transient(s) left out", len(a.Rejected)), a.Aligned, rej)
	return []*plot.Figure{before, after}
}

// finalFigure draws the processed spectrum with its SNR and linewidth.
func (res *Result) finalFigure(name string) *plot.Figure {
	p := res.Data.Params
	fid := res.Data.FIDs[0]
	n := len(fid)
	s := mrs.Spectrum(fid)
	ppm := p.PPMAxis(n)
	a, b := window(p, n, 0.2, 4.5)
	x, y := make([]float64, 0, b-a), make([]float64, 0, b-a)
	for i := a; i < b; i++ {
		x = append(x, ppm[i])
		y = append(y, real(s[i]))
	}
	q := res.QC
	f := &plot.Figure{Title: fmt.Sprintf("%s: processed spectrum — SNR %.0f, NAA FWHM %.1f Hz (%.3f ppm)", name, q.SNR, q.NAA.FWHMHz, q.NAA.FWHMPPM),
		XLabel: "chemical shift (ppm)", YLabel: "signal (a.u.)", XReversed: true, XMin: 0.2, XMax: 4.5, Width: 900, Height: 360,
		Note: "SNR: " + SNRDefinition + "."}
	f.Line(x, y, "#333333", "")
	return f
}
