package plot_test

import (
	"fmt"

	"glusleep/plot"
)

// Draw a spectrum-like figure with GE-scale values and check it: the y
// ticks move their ×10⁹ into the axis title and every mark lies inside the
// plot area.
func ExampleCheck() {
	f := &plot.Figure{Title: "spectrum", XLabel: "chemical shift (ppm)", YLabel: "signal (a.u.)", XReversed: true, Width: 600, Height: 300}
	f.Line([]float64{0.5, 2.0, 2.01, 3.0, 4.0}, []float64{0, 3e9, 2.4e9, 1e9, 0}, "#222", "data")
	problems, err := plot.Check(f.SVG(), 12)
	fmt.Println(len(problems), err)
	// Output: 0 <nil>
}

// A categorical figure: each group's box plot, every participant's point
// and the mean with its 95% confidence interval.
func ExampleFigure_Box() {
	f := &plot.Figure{XCategories: []string{"control", "RLS"}, YLabel: "Glx/tCr", Width: 420, Height: 380}
	ctl, rls := []float64{0.6, 0.7, 0.72, 0.8, 0.9}, []float64{1.0, 1.1, 1.2, 1.25, 1.4}
	f.Box(0, ctl, "#0072B2", "")
	f.Swarm(0, ctl, 3.5, "#0072B2", "")
	f.Box(1, rls, "#D55E00", "")
	f.Swarm(1, rls, 3.5, "#D55E00", "")
	f.ErrorBar(1.3, 1.19, 1.0, 1.38, "#222", "mean ± 95% CI")
	problems, _ := plot.Check(f.SVG(), 12)
	fmt.Println(len(problems))
	// Output: 0
}
