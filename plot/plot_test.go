package plot

import (
	"encoding/xml"
	"math"
	"strings"
	"testing"
)

func TestTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 10, 5, []float64{0, 2, 4, 6, 8, 10}},
		{0.2, 4.2, 8, []float64{0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4}},
		{-1, 1, 4, []float64{-1, -0.5, 0, 0.5, 1}},
	}
	for _, c := range cases {
		got := ticks(c.lo, c.hi, c.n)
		if len(got) != len(c.want) {
			t.Fatalf("ticks(%g,%g,%d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Fatalf("ticks(%g,%g,%d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
			}
		}
	}
}

func TestSVGWellFormedAndReversed(t *testing.T) {
	f := &Figure{Title: "a <b>", XLabel: "ppm", XReversed: true, XMin: 0, XMax: 4}
	f.Line([]float64{0, 2, math.NaN(), 4}, []float64{0, 1, 1, 0}, "black", "data")
	f.Step([]float64{0, 1, 2}, []float64{1, 2, 3}, "blue", "")
	f.Scatter([]float64{1}, []float64{1}, 3, "red", "pts")
	f.Band([]float64{0, 4}, []float64{0, 0}, []float64{1, 1}, "grey", "")
	f.Span(1, 2, 0, 1, "orange")
	f.Text(3, 0.5, "x&y")
	s := f.SVG()
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, s)
		}
	}
	// With the axis reversed, x = 0 maps to the right edge of the plot
	// area (800 − 14 = 786) less the 5 px that keep the point of radius 3
	// clear of the frame.
	if !strings.Contains(s, "781.00,") {
		t.Errorf("reversed axis: x=0 not drawn at the right edge:\n%s", s)
	}
	if !strings.Contains(s, "a &lt;b&gt;") {
		t.Errorf("title not escaped")
	}
}

// Stack nests each figure at its height offset and stays well-formed.
func TestStack(t *testing.T) {
	a := &Figure{Title: "a", Width: 300, Height: 200}
	a.Line([]float64{0, 1}, []float64{0, 1}, "#000", "")
	b := &Figure{Title: "b", Width: 500, Height: 100}
	b.Line([]float64{0, 1}, []float64{1, 0}, "#000", "")
	s := Stack(a, b)
	if err := xml.Unmarshal([]byte(s), new(struct{})); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	for _, want := range []string{`width="500" height="300"`, `<svg x="0" y="0" `, `<svg x="0" y="200" `} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
}

// Engineering notation: tick labels of GE-sized signals stay short and the
// scale moves into the axis title; neighbouring labels always differ.
func TestEngineeringTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		exp    int
		labels []string
	}{
		{0, 3e9, 9, []string{"0", "1", "2", "3"}},
		{0, 2.4e9, 9, []string{"0", "0.5", "1.0", "1.5", "2.0"}},
		{-2e-4, 2e-4, -6, []string{"−200", "−100", "0", "100", "200"}},
		{0, 10, 0, []string{"0", "2", "4", "6", "8", "10"}},
	}
	for _, c := range cases {
		exp := engExponent(c.lo, c.hi)
		if exp != c.exp {
			t.Errorf("engExponent(%g, %g) = %d, want %d", c.lo, c.hi, exp, c.exp)
		}
		got := tickLabels(ticks(c.lo, c.hi, 5), exp)
		if strings.Join(got, " ") != strings.Join(c.labels, " ") {
			t.Errorf("labels(%g, %g) = %q, want %q", c.lo, c.hi, got, c.labels)
		}
	}
	if got := withScale("signal (a.u.)", 9); got != "signal (a.u., ×10⁹)" {
		t.Errorf("withScale = %q", got)
	}
}

// Lines are cut at the axis limits, points pad the range, and Check finds
// a mark placed outside the plot area and text that is too small.
func TestMarksInsideAndCheck(t *testing.T) {
	f := &Figure{Title: "clip", XMin: 1, XMax: 3, Width: 400, Height: 300}
	f.Line([]float64{0, 2, 4}, []float64{0, 10, 0}, "#000", "tent")
	f.Scatter([]float64{1, 3}, []float64{0, 10}, 5, "#f00", "points")
	f.Text(3, 10, "a long annotation at the right edge")
	probs, err := Check(f.SVG(), 12)
	if err != nil || len(probs) > 0 {
		t.Fatalf("Check: %v %v\n%s", err, probs, f.SVG())
	}
	bad := strings.Replace(f.SVG(), `<g class="marks">`, `<g class="marks"><circle cx="1" cy="1" r="3"/>`, 1)
	if probs, _ := Check(bad, 12); len(probs) != 1 || !strings.Contains(probs[0], "outside") {
		t.Errorf("a circle at the corner: problems %q", probs)
	}
	if probs, _ := Check(f.SVG(), 14); len(probs) == 0 {
		t.Errorf("13 px text passed a 14 px minimum")
	}
	if _, err := Check("<svg><g>", 8); err == nil {
		t.Errorf("unclosed SVG passed")
	}
}

// Quantile is R's type 7: quantile(c(1, 2, 4, 7, 11), c(.25, .5, .75))
// gives 2, 4, 7; quantile(1:4, .25) gives 1.75.
func TestQuantileType7(t *testing.T) {
	for _, c := range []struct {
		x    []float64
		p, q float64
	}{{[]float64{1, 2, 4, 7, 11}, 0.25, 2}, {[]float64{1, 2, 4, 7, 11}, 0.5, 4}, {[]float64{1, 2, 4, 7, 11}, 0.75, 7}, {[]float64{1, 2, 3, 4}, 0.25, 1.75}} {
		if got := Quantile(c.x, c.p); math.Abs(got-c.q) > 1e-12 {
			t.Errorf("Quantile(%v, %g) = %g, want %g", c.x, c.p, got, c.q)
		}
	}
}

// A categorical figure with boxes, swarms and error bars passes Check and
// labels its categories.
func TestCategorical(t *testing.T) {
	f := &Figure{XCategories: []string{"control", "RLS"}, YLabel: "Glx/tCr", Width: 420, Height: 380}
	a := []float64{0.5, 0.6, 0.6, 0.61, 0.7, 0.8, 1.9}
	f.Box(0, a, "#1f77b4", "")
	f.Swarm(0, a, 4, "#1f77b4", "")
	f.ErrorBar(0.32, 0.8, 0.4, math.Inf(1), "#000", "mean ± 95% CI")
	s := f.SVG()
	if probs, err := Check(s, 12); err != nil || len(probs) > 0 {
		t.Fatalf("%v %v", err, probs)
	}
	for _, want := range []string{">control</text>", ">RLS</text>", "mean ± 95% CI"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
	if f.SVG() != s {
		t.Errorf("not deterministic")
	}
}

// FuzzCheck: any input gives problems or an error, never a panic.
func FuzzCheck(f *testing.F) {
	g := &Figure{Title: "t", Width: 300, Height: 200}
	g.Line([]float64{0, 1}, []float64{0, 1}, "#000", "a")
	g.Scatter([]float64{0.5}, []float64{0.5}, 3, "#f00", "")
	f.Add(g.SVG(), 8.0)
	f.Add(Stack(g, g), 12.0)
	f.Add(`<svg><g class="marks"><circle cx="x"/></g></svg>`, 8.0)
	f.Add(`<svg font-size="1e400"><text>a</text></svg>`, 8.0)
	f.Fuzz(func(t *testing.T, svg string, min float64) {
		Check(svg, min)
	})
}
