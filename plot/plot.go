// Package plot draws simple, self-contained SVG figures: line, step and
// scatter series, filled bands and vertical spans on linear axes, with an
// optionally reversed x axis (as MR spectra are shown, high ppm on the left).
//
// It is deliberately small: every figure glusleep writes (spectra, fits,
// hypnograms, leg movements, group comparisons) is built from these parts, and
// the output is plain SVG text that needs no network or fonts to view.
package plot

import (
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
)

// Figure is one chart with axes. Coordinates of series are data units; the
// figure maps them to pixels when written.
type Figure struct {
	// Title is printed above the plot area.
	Title string
	// XLabel and YLabel name the axes, with units, e.g. "chemical shift (ppm)".
	XLabel, YLabel string
	// Width and Height are the SVG size in pixels (defaults 800 × 400).
	Width, Height float64
	// XMin, XMax, YMin, YMax fix the axis ranges; when both ends of an axis
	// are zero the range is taken from the data.
	XMin, XMax, YMin, YMax float64
	// XReversed draws the x axis from high (left) to low (right).
	XReversed bool
	// YTickLabels, when set, replaces numeric y ticks by labels at the given
	// values (e.g. sleep stages on a hypnogram).
	YTickLabels map[float64]string

	items []item
}

type kind int

const (
	kLine kind = iota
	kStep
	kScatter
	kSpan
	kText
	kBand
)

type item struct {
	kind   kind
	x, y   []float64
	y2     []float64
	color  string
	label  string
	width  float64
	radius float64
}

// Line adds a polyline through (x[i], y[i]) in the given CSS color.
// NaN points break the line.
func (f *Figure) Line(x, y []float64, color, label string) {
	f.items = append(f.items, item{kind: kLine, x: x, y: y, color: color, label: label, width: 1.2})
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

// Span adds a translucent vertical bar from x0 to x1 covering y0..y1
// (an event such as a leg movement or an excluded region).
func (f *Figure) Span(x0, x1, y0, y1 float64, color string) {
	f.items = append(f.items, item{kind: kSpan, x: []float64{x0, x1}, y: []float64{y0, y1}, color: color})
}

// Text adds a label at data coordinates (x, y).
func (f *Figure) Text(x, y float64, s string) {
	f.items = append(f.items, item{kind: kText, x: []float64{x}, y: []float64{y}, label: s})
}

func (f *Figure) ranges() (x0, x1, y0, y1 float64) {
	x0, x1, y0, y1 = f.XMin, f.XMax, f.YMin, f.YMax
	autoX := x0 == 0 && x1 == 0
	autoY := y0 == 0 && y1 == 0
	if autoX {
		x0, x1 = math.Inf(1), math.Inf(-1)
	}
	if autoY {
		y0, y1 = math.Inf(1), math.Inf(-1)
	}
	for _, it := range f.items {
		if it.kind == kText {
			continue
		}
		for i, x := range it.x {
			if autoX && !math.IsNaN(x) && !math.IsInf(x, 0) {
				x0, x1 = math.Min(x0, x), math.Max(x1, x)
			}
			if !autoY || i >= len(it.y) {
				continue
			}
			for _, y := range []float64{it.y[i], at(it.y2, i)} {
				if !math.IsNaN(y) && !math.IsInf(y, 0) {
					y0, y1 = math.Min(y0, y), math.Max(y1, y)
				}
			}
		}
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
		pad := 0.05 * (y1 - y0)
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
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var t []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		t = append(t, math.Round(v/step)*step)
	}
	return t
}

// WriteSVG writes the figure as a standalone SVG document.
func (f *Figure) WriteSVG(w io.Writer) error {
	_, err := io.WriteString(w, f.SVG())
	return err
}

// SVG returns the figure as a standalone SVG document.
func (f *Figure) SVG() string {
	W, H := f.Width, f.Height
	if W == 0 {
		W = 800
	}
	if H == 0 {
		H = 400
	}
	const left, right, top, bottom = 70.0, 20.0, 36.0, 50.0
	pw, ph := W-left-right, H-top-bottom
	x0, x1, y0, y1 := f.ranges()
	px := func(x float64) float64 {
		t := (x - x0) / (x1 - x0)
		if f.XReversed {
			t = 1 - t
		}
		return left + t*pw
	}
	py := func(y float64) float64 { return top + (1-(y-y0)/(y1-y0))*ph }
	clampX := func(x float64) float64 { return math.Max(left, math.Min(left+pw, x)) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="12">`+"\n", W, H, W, H)
	fmt.Fprintf(&b, `<rect width="%g" height="%g" fill="white"/>`+"\n", W, H)
	fmt.Fprintf(&b, `<defs><clipPath id="@CLIP@"><rect x="%g" y="%g" width="%g" height="%g"/></clipPath></defs>`+"\n", left, top, pw, ph)
	if f.Title != "" {
		fmt.Fprintf(&b, `<text x="%g" y="20" text-anchor="middle" font-size="14">%s</text>`+"\n", W/2, esc(f.Title))
	}
	// Axes and ticks.
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="#444"/>`+"\n", left, top, pw, ph)
	for _, t := range ticks(x0, x1, 8) {
		X := px(t)
		fmt.Fprintf(&b, `<line x1="%.2f" y1="%g" x2="%.2f" y2="%g" stroke="#444"/><text x="%.2f" y="%g" text-anchor="middle">%s</text>`+"\n",
			X, top+ph, X, top+ph+5, X, top+ph+18, fmtTick(t))
	}
	if f.YTickLabels != nil {
		for _, v := range slices.Sorted(maps.Keys(f.YTickLabels)) { // sorted: byte-identical output
			s := f.YTickLabels[v]
			Y := py(v)
			fmt.Fprintf(&b, `<line x1="%g" y1="%.2f" x2="%g" y2="%.2f" stroke="#ddd"/><text x="%g" y="%.2f" text-anchor="end">%s</text>`+"\n",
				left, Y, left+pw, Y, left-6, Y+4, esc(s))
		}
	} else {
		for _, t := range ticks(y0, y1, 6) {
			Y := py(t)
			fmt.Fprintf(&b, `<line x1="%g" y1="%.2f" x2="%g" y2="%.2f" stroke="#444"/><text x="%g" y="%.2f" text-anchor="end">%s</text>`+"\n",
				left-5, Y, left, Y, left-8, Y+4, fmtTick(t))
		}
	}
	if f.XLabel != "" {
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle">%s</text>`+"\n", left+pw/2, H-10, esc(f.XLabel))
	}
	if f.YLabel != "" {
		fmt.Fprintf(&b, `<text transform="translate(16 %g) rotate(-90)" text-anchor="middle">%s</text>`+"\n", top+ph/2, esc(f.YLabel))
	}
	b.WriteString(`<g clip-path="url(#@CLIP@)">` + "\n")
	for _, it := range f.items {
		switch it.kind {
		case kSpan:
			a, c := px(it.x[0]), px(it.x[1])
			if a > c {
				a, c = c, a
			}
			ya, yc := py(it.y[1]), py(it.y[0])
			fmt.Fprintf(&b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s" fill-opacity="0.35"/>`+"\n",
				clampX(a), ya, math.Max(clampX(c)-clampX(a), 0.8), yc-ya, esc(it.color))
		case kBand:
			var pts []string
			for i := range it.x {
				if i < len(it.y2) && finite(it.x[i], it.y2[i]) {
					pts = append(pts, fmt.Sprintf("%.2f,%.2f", px(it.x[i]), py(it.y2[i])))
				}
			}
			for i := len(it.x) - 1; i >= 0; i-- {
				if i < len(it.y) && finite(it.x[i], it.y[i]) {
					pts = append(pts, fmt.Sprintf("%.2f,%.2f", px(it.x[i]), py(it.y[i])))
				}
			}
			if len(pts) > 2 {
				fmt.Fprintf(&b, `<polygon points="%s" fill="%s" fill-opacity="0.2" stroke="none"/>`+"\n", strings.Join(pts, " "), esc(it.color))
			}
		case kLine, kStep:
			var seg []string
			flush := func() {
				if len(seg) > 1 {
					fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%g"/>`+"\n", strings.Join(seg, " "), esc(it.color), it.width)
				}
				seg = seg[:0]
			}
			n := min(len(it.x), len(it.y))
			for i := 0; i < n; i++ {
				if !finite(it.x[i], it.y[i]) {
					flush()
					continue
				}
				X, Y := px(it.x[i]), py(it.y[i])
				if it.kind == kStep && len(seg) > 0 {
					seg = append(seg, fmt.Sprintf("%.2f,%.2f", X, py(it.y[i-1])))
				}
				seg = append(seg, fmt.Sprintf("%.2f,%.2f", X, Y))
			}
			flush()
		case kScatter:
			n := min(len(it.x), len(it.y))
			for i := 0; i < n; i++ {
				if finite(it.x[i], it.y[i]) {
					fmt.Fprintf(&b, `<circle cx="%.2f" cy="%.2f" r="%g" fill="%s" fill-opacity="0.8"/>`+"\n", px(it.x[i]), py(it.y[i]), it.radius, esc(it.color))
				}
			}
		case kText:
			fmt.Fprintf(&b, `<text x="%.2f" y="%.2f">%s</text>`+"\n", px(it.x[0]), py(it.y[0]), esc(it.label))
		}
	}
	b.WriteString("</g>\n")
	// Legend.
	ly := top + 14
	for _, it := range f.items {
		if it.label == "" || it.kind == kText {
			continue
		}
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="12" height="4" fill="%s"/><text x="%g" y="%g">%s</text>`+"\n",
			left+pw-150, ly-6, esc(it.color), left+pw-134, ly, esc(it.label))
		ly += 15
	}
	b.WriteString("</svg>\n")
	// The clip path's id is a hash of the figure, so that many figures
	// inlined in one HTML page do not share (and clip by) one id, while
	// the same figure always gives the same bytes.
	h := fnv.New64a()
	io.WriteString(h, b.String())
	return strings.ReplaceAll(b.String(), "@CLIP@", fmt.Sprintf("c%016x", h.Sum64()))
}

func finite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

func fmtTick(v float64) string {
	if v == 0 {
		return "0"
	}
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", v), "0"), ".")
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
		w, h := f.Width, f.Height
		if w == 0 {
			w = 800
		}
		if h == 0 {
			h = 400
		}
		W, heights[i] = math.Max(W, w), h
		H += h
		parts[i] = f.SVG()
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g">`+"\n", W, H, W, H)
	y := 0.0
	for i, s := range parts {
		// A nested <svg> positioned with x/y keeps each figure's own
		// viewBox; its clip-path ids are unique per figure already.
		s = strings.Replace(s, "<svg ", fmt.Sprintf(`<svg x="0" y="%g" `, y), 1)
		b.WriteString(s)
		b.WriteString("\n")
		y += heights[i]
	}
	b.WriteString("</svg>\n")
	return b.String()
}
