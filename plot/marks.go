package plot

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// mark writes one item's marks, cut to the axis ranges in data space.
func (f *Figure) mark(b *strings.Builder, l *frame, it item) {
	xlo, xhi := math.Min(l.x0, l.x1), math.Max(l.x0, l.x1)
	ylo, yhi := math.Min(l.y0, l.y1), math.Max(l.y0, l.y1)
	clampX := func(x float64) float64 { return math.Max(xlo, math.Min(xhi, x)) }
	clampY := func(y float64) float64 { return math.Max(ylo, math.Min(yhi, y)) }
	switch it.kind {
	case kSpan:
		x0, x1 := clampX(math.Min(it.x[0], it.x[1])), clampX(math.Max(it.x[0], it.x[1]))
		y0, y1 := clampY(math.Min(it.y[0], it.y[1])), clampY(math.Max(it.y[0], it.y[1]))
		if !finite(x0, x1, y0, y1) || x1 < x0 || y1 <= y0 || it.x[1] < xlo && it.x[0] < xlo || it.x[0] > xhi && it.x[1] > xhi {
			return
		}
		a, c := l.px(f, x0), l.px(f, x1)
		if a > c {
			a, c = c, a
		}
		if c-a < 0.8 { // keep a brief event visible, inside the area
			m := math.Max(l.left+0.4, math.Min(l.left+l.pw-0.4, (a+c)/2))
			a, c = m-0.4, m+0.4
		}
		ya, yc := l.py(y1), l.py(y0)
		fmt.Fprintf(b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s" fill-opacity="0.45"/>`+"\n", a, ya, c-a, yc-ya, esc(it.color))
	case kBand:
		var pts []string
		for i := range it.x {
			if i < len(it.y2) && finite(it.x[i], it.y2[i]) && it.x[i] >= xlo && it.x[i] <= xhi {
				pts = append(pts, fmt.Sprintf("%.2f,%.2f", l.px(f, it.x[i]), l.py(clampY(it.y2[i]))))
			}
		}
		for i := len(it.x) - 1; i >= 0; i-- {
			if i < len(it.y) && finite(it.x[i], it.y[i]) && it.x[i] >= xlo && it.x[i] <= xhi {
				pts = append(pts, fmt.Sprintf("%.2f,%.2f", l.px(f, it.x[i]), l.py(clampY(it.y[i]))))
			}
		}
		if len(pts) > 2 {
			op := it.opacity
			if op == 0 {
				op = 0.18
			}
			fmt.Fprintf(b, `<polygon points="%s" fill="%s" fill-opacity="%g" stroke="none"/>`+"\n", strings.Join(pts, " "), esc(it.color), op)
		}
	case kLine, kStep:
		x, y := it.x, it.y
		if it.kind == kStep {
			x, y = stepPoints(it.x, it.y)
		}
		dash := ""
		if it.dash {
			dash = ` stroke-dasharray="5 3"`
		}
		for _, seg := range clipPolyline(x, y, xlo, xhi, ylo, yhi) {
			pts := make([]string, len(seg))
			for i, p := range seg {
				pts[i] = fmt.Sprintf("%.2f,%.2f", l.px(f, p[0]), l.py(p[1]))
			}
			fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%g"%s/>`+"\n", strings.Join(pts, " "), esc(it.color), it.width, dash)
		}
	case kScatter:
		for i := 0; i < min(len(it.x), len(it.y)); i++ {
			if finite(it.x[i], it.y[i]) && it.x[i] >= xlo && it.x[i] <= xhi && it.y[i] >= ylo && it.y[i] <= yhi {
				fmt.Fprintf(b, `<circle cx="%.2f" cy="%.2f" r="%g" fill="%s" fill-opacity="0.75" stroke="white" stroke-width="0.5"/>`+"\n",
					l.px(f, it.x[i]), l.py(it.y[i]), it.radius, esc(it.color))
			}
		}
	case kVLine:
		if it.x[0] >= xlo && it.x[0] <= xhi {
			X := l.px(f, it.x[0])
			fmt.Fprintf(b, `<line x1="%.2f" y1="%.1f" x2="%.2f" y2="%.1f" stroke="%s" stroke-width="%g" stroke-dasharray="6 4"/>`+"\n",
				X, l.top, X, l.top+l.ph, esc(it.color), it.width)
		}
	case kText:
		f.text(b, l, it)
	case kBox:
		f.box(b, l, it, clampY)
	case kSwarm:
		f.swarm(b, l, it)
	case kErr:
		X := l.px(f, it.x[0])
		lo, hi := clampY(it.y[1]), clampY(it.y[2])
		if finite(lo, hi) {
			fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="%s" stroke-width="2"/>`, X, l.py(lo), X, l.py(hi), esc(it.color))
			for _, v := range []float64{lo, hi} {
				fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="%s" stroke-width="2"/>`, X-5, l.py(v), X+5, l.py(v), esc(it.color))
			}
		}
		if y := it.y[0]; finite(y) && y >= ylo && y <= yhi {
			fmt.Fprintf(b, `<circle cx="%.2f" cy="%.2f" r="%g" fill="white" stroke="%s" stroke-width="2"/>`, X, l.py(y), it.radius, esc(it.color))
		}
		b.WriteString("\n")
	}
}

// text writes a label inside the plot area: anchored at its start in the
// left half, at its end in the right half, and moved in from the edges.
func (f *Figure) text(b *strings.Builder, l *frame, it item) {
	X, Y := l.px(f, it.x[0]), l.py(it.y[0])
	if !finite(X, Y) {
		return
	}
	w := textWidth(it.label, l.fs)
	anchor := "start"
	if X > l.left+l.pw/2 {
		anchor = "end"
		X = math.Max(l.left+w+3, math.Min(l.left+l.pw-3, X))
	} else {
		X = math.Max(l.left+3, math.Min(l.left+l.pw-w-3, X))
	}
	Y = math.Max(l.top+l.fs+2, math.Min(l.top+l.ph-4, Y))
	fmt.Fprintf(b, `<text x="%.2f" y="%.2f" text-anchor="%s">%s</text>`+"\n", X, Y, anchor, esc(it.label))
}

// box draws a Tukey box plot.
func (f *Figure) box(b *strings.Builder, l *frame, it item, clampY func(float64) float64) {
	v := append([]float64(nil), it.y...)
	if len(v) == 0 {
		return
	}
	sort.Float64s(v)
	q1, med, q3 := Quantile(v, 0.25), Quantile(v, 0.5), Quantile(v, 0.75)
	iqr := q3 - q1
	lo, hi := q1, q3
	for _, x := range v {
		if x >= q1-1.5*iqr {
			lo = math.Min(lo, x)
		}
		if x <= q3+1.5*iqr {
			hi = math.Max(hi, x)
		}
	}
	X := l.px(f, it.x[0])
	hw := math.Min(28, 0.2*l.pw/math.Max(1, l.x1-l.x0))
	col := esc(it.color)
	ya, yb := l.py(clampY(q3)), l.py(clampY(q1))
	fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="%s" stroke-width="1.5"/>`, X, l.py(clampY(hi)), X, ya, col)
	fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="%s" stroke-width="1.5"/>`, X, yb, X, l.py(clampY(lo)), col)
	for _, w := range []float64{lo, hi} {
		fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="%s" stroke-width="1.5"/>`, X-hw/2, l.py(clampY(w)), X+hw/2, l.py(clampY(w)), col)
	}
	fmt.Fprintf(b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="%s" fill-opacity="0.12" stroke="%s" stroke-width="1.5"/>`, X-hw, ya, 2*hw, math.Max(yb-ya, 0.5), col, col)
	fmt.Fprintf(b, `<line x1="%.2f" y1="%.2f" x2="%.2f" y2="%.2f" stroke="%s" stroke-width="3"/>`+"\n", X-hw, l.py(clampY(med)), X+hw, l.py(clampY(med)), col)
}

// swarm places points in value order at the first sideways offset that
// overlaps no point placed before, within ±0.3 categories.
func (f *Figure) swarm(b *strings.Builder, l *frame, it item) {
	v := append([]float64(nil), it.y...)
	sort.Float64s(v)
	X := l.px(f, it.x[0])
	maxOff := 0.3 * l.pw / math.Max(1, l.x1-l.x0)
	r := it.radius
	var placed [][2]float64
	for _, y := range v {
		Y := l.py(y)
		best, bestD := 0.0, -1.0
		for k := 0; ; k++ {
			off := float64((k+1)/2) * r * 0.9
			if k%2 == 1 {
				off = -off
			}
			if math.Abs(off) > maxOff {
				break
			}
			d := math.Inf(1)
			for _, p := range placed {
				d = math.Min(d, math.Hypot(p[0]-(X+off), p[1]-Y))
			}
			if d >= 2*r+0.5 {
				best, bestD = off, d
				break
			}
			if d > bestD {
				best, bestD = off, d
			}
		}
		placed = append(placed, [2]float64{X + best, Y})
		fmt.Fprintf(b, `<circle cx="%.2f" cy="%.2f" r="%g" fill="%s" fill-opacity="0.7" stroke="white" stroke-width="0.5"/>`+"\n", X+best, Y, r, esc(it.color))
	}
}

// Quantile returns R's type-7 quantile of sorted values (linear
// interpolation between order statistics; R's and NumPy's default).
func Quantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := p * float64(n-1)
	i := int(math.Floor(h))
	if i >= n-1 {
		return sorted[n-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// stepPoints turns a step series into the corner points of its polyline.
func stepPoints(x, y []float64) (xs, ys []float64) {
	n := min(len(x), len(y))
	for i := 0; i < n; i++ {
		if i > 0 && finite(y[i-1]) {
			xs, ys = append(xs, x[i]), append(ys, y[i-1])
		}
		xs, ys = append(xs, x[i]), append(ys, y[i])
	}
	return
}

// clipPolyline cuts the polyline through (x[i], y[i]) to the rectangle
// [xlo, xhi] × [ylo, yhi] (Liang–Barsky per segment), returning the
// visible runs; NaN points break the line.
func clipPolyline(x, y []float64, xlo, xhi, ylo, yhi float64) [][][2]float64 {
	var out [][][2]float64
	var cur [][2]float64
	flush := func() {
		if len(cur) > 1 {
			out = append(out, cur)
		}
		cur = nil
	}
	n := min(len(x), len(y))
	for i := 1; i < n; i++ {
		if !finite(x[i-1], y[i-1], x[i], y[i]) {
			flush()
			continue
		}
		p, q, ok := clipSegment([2]float64{x[i-1], y[i-1]}, [2]float64{x[i], y[i]}, xlo, xhi, ylo, yhi)
		if !ok {
			flush()
			continue
		}
		if len(cur) == 0 || cur[len(cur)-1] != p {
			flush()
			cur = append(cur, p)
		}
		cur = append(cur, q)
		if q != [2]float64{x[i], y[i]} {
			flush()
		}
	}
	flush()
	return out
}

func clipSegment(a, c [2]float64, xlo, xhi, ylo, yhi float64) (p, q [2]float64, ok bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := c[0]-a[0], c[1]-a[1]
	for _, e := range [][2]float64{{-dx, a[0] - xlo}, {dx, xhi - a[0]}, {-dy, a[1] - ylo}, {dy, yhi - a[1]}} {
		pp, qq := e[0], e[1]
		if pp == 0 {
			if qq < 0 {
				return p, q, false
			}
			continue
		}
		r := qq / pp
		if pp < 0 {
			t0 = math.Max(t0, r)
		} else {
			t1 = math.Min(t1, r)
		}
		if t0 > t1 {
			return p, q, false
		}
	}
	p = [2]float64{a[0] + t0*dx, a[1] + t0*dy}
	q = [2]float64{a[0] + t1*dx, a[1] + t1*dy}
	if t0 == 0 {
		p = a
	}
	if t1 == 1 {
		q = c
	}
	return p, q, true
}
