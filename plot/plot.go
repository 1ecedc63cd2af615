// Package plot draws self-contained SVG figures for papers and reports:
// line, step and scatter series, filled bands, vertical spans, box plots,
// bee-swarm points and error bars on linear or categorical axes, with an
// optionally reversed x axis (as MR spectra are shown, high ppm on the
// left).
//
// Layout is computed from the content: margins fit the tick labels
// (engineering notation, ×10ⁿ in the axis title, so 9-digit values stay
// short), the legend sits above the plot area (never over data), ranges are
// padded so that no mark touches the frame, and lines are cut at the axis
// limits in data space, so nothing relies on SVG clipping. Every figure
// marks its plot area (rect class "plot-area") and its data marks (g class
// "marks"); Check verifies, from the SVG alone, that every mark lies inside
// and that no text is smaller than a minimum.
//
// The output is plain SVG text that needs no network or fonts to view, and
// the same figure always gives the same bytes.
package plot

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// Figure is one chart with axes. Coordinates of series are data units; the
// figure maps them to pixels when written.
type Figure struct {
	// Title is printed above the plot area (wrapped to the width).
	Title string
	// XLabel and YLabel name the axes, with units, e.g. "chemical shift (ppm)".
	XLabel, YLabel string
	// Width and Height are the SVG size in pixels (defaults 800 × 400).
	Width, Height float64
	// FontSize is the tick-label size in pixels (default 13); axis titles
	// are 1 px and the title 2 px larger.
	FontSize float64
	// XMin, XMax, YMin, YMax fix the axis ranges; when both ends of an axis
	// are zero the range is taken from the data (and padded so that marks
	// stay clear of the frame).
	XMin, XMax, YMin, YMax float64
	// XReversed draws the x axis from high (left) to low (right).
	XReversed bool
	// YTickLabels, when set, replaces numeric y ticks by labels at the given
	// values (e.g. sleep stages on a hypnogram).
	YTickLabels map[float64]string
	// XTicks, when set, replaces numeric x ticks (e.g. clock times).
	XTicks []Tick
	// XCategories makes the x axis categorical: category i is centred at
	// x = i and labelled with its name; the range is −0.5 … n−0.5.
	XCategories []string
	// NoYTicks hides the y tick labels (offset traces with no common scale).
	NoYTicks bool
	// Note is a line of small print under the axis (e.g. what a marker
	// means); wrapped to the width.
	Note string

	items []item
}

// Tick is an axis tick at Value labelled Label.
type Tick struct {
	// Value is the position in data units; Label the text drawn there
	// ("\n" breaks it into lines).
	Value float64
	Label string
}

type kind int

const (
	kLine kind = iota
	kStep
	kScatter
	kSpan
	kText
	kBand
	kVLine
	kBox
	kSwarm
	kErr
)

type item struct {
	kind   kind
	x, y   []float64
	y2     []float64
	color  string
	label  string
	width  float64
	radius float64
	dash   bool
	// opacity of a band's fill (0: the default 0.18).
	opacity float64
	// legend overrides the legend swatch: "line", "box", "dot".
	legend string
}

// Line adds a polyline through (x[i], y[i]) in the given CSS color.
// NaN points break the line. A non-empty label enters the legend.
func (f *Figure) Line(x, y []float64, color, label string) {
	f.items = append(f.items, item{kind: kLine, x: x, y: y, color: color, label: label, width: 1.2})
}

// DashedLine adds a dashed polyline (a reference or a model drawn apart).
func (f *Figure) DashedLine(x, y []float64, color, label string) {
	f.items = append(f.items, item{kind: kLine, x: x, y: y, color: color, label: label, width: 1.2, dash: true})
}

// Step adds a step series: y[i] holds from x[i] until x[i+1] (a hypnogram).
func (f *Figure) Step(x, y []float64, color, label string) {
	f.items = append(f.items, item{kind: kStep, x: x, y: y, color: color, label: label, width: 1.5})
}

// Scatter adds circles of radius r pixels at (x[i], y[i]).
func (f *Figure) Scatter(x, y []float64, r float64, color, label string) {
	f.items = append(f.items, item{kind: kScatter, x: x, y: y, radius: r, color: color, label: label})
}

// Band adds a filled area between lo[i] and hi[i] over x[i] (a confidence band).
func (f *Figure) Band(x, lo, hi []float64, color, label string) {
	f.items = append(f.items, item{kind: kBand, x: x, y: lo, y2: hi, color: color, label: label})
}

// Envelope adds an opaque filled area between lo[i] and hi[i] over x[i]:
// a signal drawn by its per-pixel minima and maxima (e.g. EMG).
func (f *Figure) Envelope(x, lo, hi []float64, color, label string) {
	f.items = append(f.items, item{kind: kBand, x: x, y: lo, y2: hi, color: color, label: label, opacity: 0.85})
}

// Span adds a translucent vertical bar from x0 to x1 covering y0..y1
// (an event such as a leg movement or an excluded region).
func (f *Figure) Span(x0, x1, y0, y1 float64, color string) {
	f.items = append(f.items, item{kind: kSpan, x: []float64{x0, x1}, y: []float64{y0, y1}, color: color})
}

// LabeledSpan is Span with a legend entry (one per label is enough: later
// spans of the same label and color are not listed again).
func (f *Figure) LabeledSpan(x0, x1, y0, y1 float64, color, label string) {
	f.items = append(f.items, item{kind: kSpan, x: []float64{x0, x1}, y: []float64{y0, y1}, color: color, label: label})
}

// VLine adds a dashed vertical line across the plot area at x (a marker
// such as lights off), with a legend entry when label is set.
func (f *Figure) VLine(x float64, color, label string) {
	f.items = append(f.items, item{kind: kVLine, x: []float64{x}, color: color, label: label, width: 1.5, dash: true})
}

// Text adds a label at data coordinates (x, y); it is anchored at its
// start in the left half of the plot and at its end in the right half, so
// that it stays inside the plot area.
func (f *Figure) Text(x, y float64, s string) {
	f.items = append(f.items, item{kind: kText, x: []float64{x}, y: []float64{y}, label: s})
}

// Box adds a box plot of values at x: the box spans the first to third
// quartile (R's quantile type 7) with the median as a line, whiskers reach
// the most extreme values within 1.5 interquartile ranges of the box
// (Tukey, as R's boxplot and ggplot2 draw them). NaN values are ignored.
func (f *Figure) Box(x float64, values []float64, color, label string) {
	f.items = append(f.items, item{kind: kBox, x: []float64{x}, y: finiteOnly(values), color: color, label: label, legend: "box"})
}

// Swarm adds every value as a point of radius r pixels at category x,
// spread sideways (deterministically, in value order) so that points do
// not overlap: a bee-swarm strip.
func (f *Figure) Swarm(x float64, values []float64, r float64, color, label string) {
	f.items = append(f.items, item{kind: kSwarm, x: []float64{x}, y: finiteOnly(values), radius: r, color: color, label: label, legend: "dot"})
}

// ErrorBar adds a point at (x, y) with a vertical bar from lo to hi and
// caps (e.g. a mean and its 95% confidence interval); lo or hi infinite
// draws the bar to the axis limit.
func (f *Figure) ErrorBar(x, y, lo, hi float64, color, label string) {
	f.items = append(f.items, item{kind: kErr, x: []float64{x}, y: []float64{y, lo, hi}, color: color, label: label, radius: 4.5, legend: "dot"})
}

func finiteOnly(v []float64) []float64 {
	out := make([]float64, 0, len(v))
	for _, x := range v {
		if finite(x) {
			out = append(out, x)
		}
	}
	return out
}

// extent returns the data extent of the items on each axis.
func (f *Figure) extent() (x0, x1, y0, y1 float64) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	addX := func(v float64) {
		if finite(v) {
			x0, x1 = math.Min(x0, v), math.Max(x1, v)
		}
	}
	addY := func(v float64) {
		if finite(v) {
			y0, y1 = math.Min(y0, v), math.Max(y1, v)
		}
	}
	for _, it := range f.items {
		switch it.kind {
		case kText, kVLine:
			continue
		case kBox, kSwarm, kErr:
			addX(it.x[0])
			for _, v := range it.y {
				addY(v)
			}
			continue
		}
		for i, x := range it.x {
			addX(x)
			if i < len(it.y) {
				addY(it.y[i])
			}
			addY(at(it.y2, i))
		}
	}
	return
}

// ranges returns the axis ranges and whether each was taken from the data.
func (f *Figure) ranges() (x0, x1, y0, y1 float64) {
	x0, x1, y0, y1 = f.XMin, f.XMax, f.YMin, f.YMax
	autoX := x0 == 0 && x1 == 0
	autoY := y0 == 0 && y1 == 0
	if len(f.XCategories) > 0 {
		x0, x1, autoX = -0.5, float64(len(f.XCategories))-0.5, false
	}
	ex0, ex1, ey0, ey1 := f.extent()
	if autoX {
		x0, x1 = ex0, ex1
	}
	if autoY {
		y0, y1 = ey0, ey1
	}
	if math.IsInf(x0, 0) || math.IsInf(x1, 0) {
		x0, x1 = 0, 1
	}
	if math.IsInf(y0, 0) || math.IsInf(y1, 0) {
		y0, y1 = 0, 1
	}
	if x0 == x1 {
		x0, x1 = x0-0.5, x1+0.5
	}
	if y0 == y1 {
		y0, y1 = y0-0.5, y1+0.5
	}
	if autoY {
		pad := 0.04 * (y1 - y0)
		y0, y1 = y0-pad, y1+pad
	}
	return
}

func at(s []float64, i int) float64 {
	if i < len(s) {
		return s[i]
	}
	return math.NaN()
}

// ticks returns about n round tick values covering [lo, hi].
func ticks(lo, hi float64, n int) []float64 {
	span := hi - lo
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return nil
	}
	step := tickStep(span, n)
	var t []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		t = append(t, math.Round(v/step)*step)
	}
	return t
}

func tickStep(span float64, n int) float64 {
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	return step
}

// WriteSVG writes the figure as a standalone SVG document.
func (f *Figure) WriteSVG(w io.Writer) error {
	_, err := io.WriteString(w, f.SVG())
	return err
}

func finite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

func esc(s string) string { return html.EscapeString(s) }

// Stack returns the figures as one SVG document, one above the other, each
// keeping its own size; the document is as wide as the widest.
func Stack(figs ...*Figure) string {
	var b strings.Builder
	W, H := 0.0, 0.0
	parts := make([]string, len(figs))
	heights := make([]float64, len(figs))
	for i, f := range figs {
		w, h := f.size()
		W, heights[i] = math.Max(W, w), h
		H += h
		parts[i] = f.SVG()
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g">`+"\n", W, H, W, H)
	y := 0.0
	for i, s := range parts {
		// A nested <svg> positioned with x/y keeps each figure's own
		// viewBox and plot area.
		s = strings.Replace(s, "<svg ", fmt.Sprintf(`<svg x="0" y="%g" `, y), 1)
		b.WriteString(s)
		b.WriteString("\n")
		y += heights[i]
	}
	b.WriteString("</svg>\n")
	return b.String()
}

func (f *Figure) size() (w, h float64) {
	w, h = f.Width, f.Height
	if w == 0 {
		w = 800
	}
	if h == 0 {
		h = 400
	}
	return
}
