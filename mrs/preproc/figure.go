package preproc

import (
	"fmt"
	"math"

	"glusleep/mrs"
	"glusleep/plot"
)

// Figures draws the first spectrum's transients before and after
// alignment (real parts, 0.5–4.5 ppm, offset from one another) and the
// final spectrum, for the preprocessing report. name titles them.
func (res *Result) Figures(name string) []*plot.Figure {
	p := res.Data.Params
	stack := func(title string, fids [][]complex128, rejected []int) *plot.Figure {
		f := &plot.Figure{Title: title, XLabel: "chemical shift (ppm)", YLabel: "transient", XReversed: true,
			XMin: 0.5, XMax: 4.5, Width: 900, Height: 420}
		if len(fids) == 0 {
			return f
		}
		n := len(fids[0])
		ppm := p.PPMAxis(n)
		a, b := window(p, n, 0.5, 4.5)
		// Scale: the tallest real value of the mean in the window.
		mean := mrs.Spectrum(mrs.Average(fids))
		top := 0.0
		for i := a; i < b; i++ {
			top = max(top, math.Abs(real(mean[i])), math.Abs(imag(mean[i])))
		}
		if top == 0 {
			top = 1
		}
		rej := map[int]bool{}
		for _, r := range rejected {
			rej[r] = true
		}
		step := 1.0 / float64(len(fids))
		for t, fid := range fids {
			s := mrs.Spectrum(fid)
			x, y := make([]float64, 0, b-a), make([]float64, 0, b-a)
			for i := a; i < b; i++ {
				x = append(x, ppm[i])
				y = append(y, float64(t)+real(s[i])/top*step*float64(len(fids))*0.5)
			}
			color := "#1f77b4"
			if rej[t] {
				color = "#d62728"
			}
			f.Line(x, y, color, "")
		}
		return f
	}
	var figs []*plot.Figure
	var rejected []int
	if a := res.Alignments[0]; a != nil {
		rejected = a.Rejected
		figs = append(figs, stack(name+": transients before alignment", res.Before, nil),
			stack(fmt.Sprintf("%s: after alignment (%d rejected, red)", name, len(a.Rejected)), a.Aligned, rejected))
	}
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
		XLabel: "chemical shift (ppm)", YLabel: "signal (a.u.)", XReversed: true, XMin: 0.2, XMax: 4.5, Width: 900, Height: 420}
	f.Line(x, y, "#333333", "spectrum")
	return append(figs, f)
}
