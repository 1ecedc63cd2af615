package plot

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// frame is a figure's computed layout: pixel margins, plot area, data
// ranges and tick labels.
type frame struct {
	W, H, fs              float64
	left, top, pw, ph     float64
	padX, padY            float64
	x0, x1, y0, y1        float64
	titleLines, noteLines []string
	legend                []legendEntry
	legendRows            int
	xt, yt                []Tick
	xlabel, ylabel        string
}

type legendEntry struct {
	label, color, swatch string
	dash                 bool
	x, row               float64
}

func (l *frame) px(f *Figure, x float64) float64 {
	t := (x - l.x0) / (l.x1 - l.x0)
	if f.XReversed {
		t = 1 - t
	}
	return l.left + l.padX + t*(l.pw-2*l.padX)
}

func (l *frame) py(y float64) float64 {
	return l.top + l.padY + (1-(y-l.y0)/(l.y1-l.y0))*(l.ph-2*l.padY)
}

// layout computes margins from the title, legend, tick labels and axis
// titles, so nothing overlaps and long tick labels never reach the axis
// title.
func (f *Figure) layout() *frame {
	l := &frame{}
	l.W, l.H = f.size()
	l.fs = f.FontSize
	if l.fs == 0 {
		l.fs = 13
	}
	fs, lf, tf := l.fs, l.fs+1, l.fs+2
	l.x0, l.x1, l.y0, l.y1 = f.ranges()
	l.titleLines = wrap(f.Title, tf, l.W-16)
	l.noteLines = wrap(f.Note, fs, l.W-16)
	// Legend: entries laid out in rows above the plot area.
	seen := map[string]bool{}
	x, row := 8.0, 0.0
	for _, it := range f.items {
		if it.label == "" || it.kind == kText || seen[it.label+"\x00"+it.color] {
			continue
		}
		seen[it.label+"\x00"+it.color] = true
		sw := it.legend
		if sw == "" {
			switch it.kind {
			case kScatter:
				sw = "dot"
			case kSpan, kBand:
				sw = "box"
			default:
				sw = "line"
			}
		}
		w := 22 + textWidth(it.label, fs) + 14
		if x > 8 && x+w > l.W-8 {
			x, row = 8, row+1
		}
		l.legend = append(l.legend, legendEntry{label: it.label, color: it.color, swatch: sw, dash: it.dash, x: x, row: row})
		x += w
	}
	if len(l.legend) > 0 {
		l.legendRows = int(row) + 1
	}
	l.top = 10 + float64(len(l.titleLines))*tf*1.3 + float64(l.legendRows)*fs*1.6 + 6
	// Y ticks and the left margin.
	l.ylabel = f.YLabel
	switch {
	case f.YTickLabels != nil:
		vals := make([]float64, 0, len(f.YTickLabels))
		for v := range f.YTickLabels {
			if v >= math.Min(l.y0, l.y1) && v <= math.Max(l.y0, l.y1) {
				vals = append(vals, v)
			}
		}
		sort.Float64s(vals)
		for _, v := range vals {
			l.yt = append(l.yt, Tick{v, f.YTickLabels[v]})
		}
	case !f.NoYTicks:
		t := ticks(l.y0, l.y1, 6)
		exp := engExponent(l.y0, l.y1)
		for i, s := range tickLabels(t, exp) {
			l.yt = append(l.yt, Tick{t[i], s})
		}
		l.ylabel = withScale(f.YLabel, exp)
	}
	maxY := 0.0
	for _, t := range l.yt {
		maxY = math.Max(maxY, textWidth(t.Label, fs))
	}
	l.left = 8 + maxY + 10
	if l.ylabel != "" {
		l.left += lf*1.3 + 4
	}
	// Marks' radius pads the ranges so that points stay clear of the frame.
	for _, it := range f.items {
		if it.kind == kScatter || it.kind == kSwarm || it.kind == kErr {
			r := it.radius + 2
			if it.kind == kScatter {
				l.padX = math.Max(l.padX, r)
			}
			l.padY = math.Max(l.padY, r)
		}
	}
	right := 14.0
	l.pw = l.W - l.left - right
	l.xlabel = f.XLabel
	l.xt = f.xTicks(l)
	if n := len(l.xt); n > 0 && len(f.XCategories) == 0 {
		edge := l.px(f, l.xt[n-1].Value)
		if f.XReversed {
			edge = l.px(f, l.xt[0].Value)
		}
		over := edge + textWidth(l.xt[n-1].Label, fs)/2 + 4 - l.W
		if over > 0 {
			l.pw -= over
			l.xt = f.xTicks(l)
		}
	}
	bottom := 8 + fs*1.5 + float64(len(l.noteLines))*fs*1.3
	if l.xlabel != "" {
		bottom += lf * 1.5
	}
	if f.XCategories != nil {
		bottom += fs * 1.3 * float64(maxLines(f.XCategories)-1)
	}
	l.ph = math.Max(40, l.H-l.top-bottom)
	l.H = l.top + l.ph + bottom
	return l
}

func maxLines(s []string) int {
	n := 1
	for _, c := range s {
		n = max(n, strings.Count(c, "\n")+1)
	}
	return n
}

// xTicks returns the x ticks for the plot width: explicit, categorical, or
// numeric with as many as fit without their labels touching.
func (f *Figure) xTicks(l *frame) []Tick {
	switch {
	case len(f.XCategories) > 0:
		out := make([]Tick, len(f.XCategories))
		for i, c := range f.XCategories {
			out[i] = Tick{float64(i), c}
		}
		return out
	case f.XTicks != nil:
		var out []Tick
		for _, t := range f.XTicks {
			if t.Value >= math.Min(l.x0, l.x1) && t.Value <= math.Max(l.x0, l.x1) {
				out = append(out, t)
			}
		}
		return out
	}
	exp := engExponent(l.x0, l.x1)
	l.xlabel = withScale(f.XLabel, exp)
	for n := 10; n >= 2; n-- {
		t := ticks(l.x0, l.x1, n)
		labels := tickLabels(t, exp)
		wmax := 0.0
		for _, s := range labels {
			wmax = math.Max(wmax, textWidth(s, l.fs))
		}
		if len(t) < 2 || math.Abs(l.px(f, t[1])-l.px(f, t[0])) >= wmax+10 || n == 2 {
			out := make([]Tick, len(t))
			for i := range t {
				out[i] = Tick{t[i], labels[i]}
			}
			return out
		}
	}
	return nil
}

// SVG returns the figure as a standalone SVG document.
func (f *Figure) SVG() string {
	l := f.layout()
	fs, lf, tf := l.fs, l.fs+1, l.fs+2
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%.0f" viewBox="0 0 %g %.0f" font-family="Helvetica, Arial, sans-serif" font-size="%g">`+"\n",
		l.W, l.H, l.W, l.H, fs)
	fmt.Fprintf(&b, `<rect width="%g" height="%.0f" fill="white"/>`+"\n", l.W, l.H)
	y := 8.0
	for _, s := range l.titleLines {
		y += tf * 1.3
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="middle" font-size="%g" font-weight="600">%s</text>`+"\n", l.W/2, y-tf*0.3, tf, esc(s))
	}
	y += 4
	for _, e := range l.legend {
		ly := y + e.row*fs*1.6 + fs
		writeSwatch(&b, e, ly-fs*0.35)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", e.x+22, ly, esc(e.label))
	}
	top, left, pw, ph := l.top, l.left, l.pw, l.ph
	// Grid, ticks and labels.
	for _, t := range l.yt {
		Y := l.py(t.Value)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.2f" x2="%.1f" y2="%.2f" stroke="#e4e4e4"/><line x1="%.1f" y1="%.2f" x2="%.1f" y2="%.2f" stroke="#444"/><text x="%.1f" y="%.2f" text-anchor="end">%s</text>`+"\n",
			left, Y, left+pw, Y, left-5, Y, left, Y, left-8, Y+fs*0.35, esc(t.Label))
	}
	for _, t := range l.xt {
		X := l.px(f, t.Value)
		fmt.Fprintf(&b, `<line x1="%.2f" y1="%.1f" x2="%.2f" y2="%.1f" stroke="#444"/>`, X, top+ph, X, top+ph+5)
		for k, s := range strings.Split(t.Label, "\n") {
			fmt.Fprintf(&b, `<text x="%.2f" y="%.1f" text-anchor="middle">%s</text>`, X, top+ph+6+fs*(1.05+1.3*float64(k)), esc(s))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, `<rect class="plot-area" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#444"/>`+"\n", left, top, pw, ph)
	by := top + ph + 6 + fs*1.3*float64(maxLines(tickNames(l.xt)))
	if l.xlabel != "" {
		by += lf * 1.3
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="%g">%s</text>`+"\n", left+pw/2, by, lf, esc(l.xlabel))
	}
	for _, s := range l.noteLines {
		by += fs * 1.3
		fmt.Fprintf(&b, `<text x="8" y="%.1f" fill="#444">%s</text>`+"\n", by, esc(s))
	}
	if l.ylabel != "" {
		fmt.Fprintf(&b, `<text transform="translate(%.1f %.1f) rotate(-90)" text-anchor="middle" font-size="%g">%s</text>`+"\n", 8+lf, top+ph/2, lf, esc(l.ylabel))
	}
	b.WriteString(`<g class="marks">` + "\n")
	for _, it := range f.items {
		f.mark(&b, l, it)
	}
	b.WriteString("</g>\n</svg>\n")
	return b.String()
}

func tickNames(t []Tick) []string {
	s := make([]string, len(t))
	for i := range t {
		s[i] = t[i].Label
	}
	return s
}

func writeSwatch(b *strings.Builder, e legendEntry, cy float64) {
	switch e.swatch {
	case "dot":
		fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="5" fill="%s" fill-opacity="0.8"/>`, e.x+8, cy, esc(e.color))
	case "box":
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="16" height="10" fill="%s" fill-opacity="0.4" stroke="%s"/>`, e.x, cy-5, esc(e.color), esc(e.color))
	default:
		dash := ""
		if e.dash {
			dash = ` stroke-dasharray="4 3"`
		}
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2.5"%s/>`, e.x, cy, e.x+16, cy, esc(e.color), dash)
	}
}
