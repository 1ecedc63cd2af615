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
	// With the axis reversed, x = 0 maps to the right edge (800 - 20 = 780).
	if !strings.Contains(s, "780.00,") {
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
