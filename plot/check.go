package plot

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Check reads an SVG document (one figure, a Stack, or an HTML page's
// inline figures if given one by one) and returns its problems: text
// smaller than minFontPx in the figure's own pixels, and data marks (the
// elements in a g class="marks") that reach outside their figure's plot
// area (rect class="plot-area") by more than half a pixel. Text extents are
// estimated at 0.6 em per character. An empty result means the figure
// passes.
func Check(svg string, minFontPx float64) ([]string, error) {
	type scope struct {
		area   [4]float64 // x0, y0, x1, y1
		has    bool
		figure int
	}
	dec := xml.NewDecoder(strings.NewReader(svg))
	var scopes []*scope
	var fonts []float64
	var marksDepth []int
	var problems []string
	depth, figures := 0, 0
	textOpen := false
	var textFS float64
	var textAttrs map[string]string
	var textBody strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return problems, fmt.Errorf("plot: SVG is not well-formed: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			a := attrs(t)
			fs := 16.0
			if len(fonts) > 0 {
				fs = fonts[len(fonts)-1]
			}
			if v, ok := a["font-size"]; ok {
				fs = num(v)
			}
			fonts = append(fonts, fs)
			switch t.Name.Local {
			case "svg":
				figures++
				scopes = append(scopes, &scope{figure: figures})
			case "g":
				if a["class"] == "marks" {
					marksDepth = append(marksDepth, depth)
				}
			case "text":
				textOpen, textFS, textAttrs = true, fs, a
				textBody.Reset()
			}
			if len(scopes) == 0 {
				continue
			}
			sc := scopes[len(scopes)-1]
			if t.Name.Local == "rect" && a["class"] == "plot-area" {
				x, y := num(a["x"]), num(a["y"])
				sc.area, sc.has = [4]float64{x, y, x + num(a["width"]), y + num(a["height"])}, true
				continue
			}
			if len(marksDepth) == 0 || t.Name.Local == "text" {
				continue
			}
			if !sc.has {
				problems = append(problems, fmt.Sprintf("figure %d: marks without a plot area", sc.figure))
				continue
			}
			if bb, ok := bbox(t.Name.Local, a); ok && !inside(bb, sc.area) {
				problems = append(problems, fmt.Sprintf("figure %d: <%s> at x %.1f–%.1f, y %.1f–%.1f outside the plot area x %.1f–%.1f, y %.1f–%.1f",
					sc.figure, t.Name.Local, bb[0], bb[2], bb[1], bb[3], sc.area[0], sc.area[2], sc.area[1], sc.area[3]))
			}
		case xml.CharData:
			if textOpen {
				textBody.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "text" && textOpen {
				textOpen = false
				s := strings.TrimSpace(textBody.String())
				fig := 0
				if len(scopes) > 0 {
					fig = scopes[len(scopes)-1].figure
				}
				if s != "" && textFS < minFontPx {
					problems = append(problems, fmt.Sprintf("figure %d: text %q at %g px, below %g px", fig, s, textFS, minFontPx))
				}
				if len(marksDepth) > 0 && len(scopes) > 0 && scopes[len(scopes)-1].has {
					bb := textBox(textAttrs, s, textFS)
					if !inside(bb, scopes[len(scopes)-1].area) {
						problems = append(problems, fmt.Sprintf("figure %d: text %q outside the plot area", fig, s))
					}
				}
			}
			if n := len(marksDepth); n > 0 && marksDepth[n-1] == depth {
				marksDepth = marksDepth[:n-1]
			}
			if t.Name.Local == "svg" && len(scopes) > 0 {
				scopes = scopes[:len(scopes)-1]
			}
			fonts = fonts[:len(fonts)-1]
			depth--
		}
	}
	if figures == 0 {
		return problems, fmt.Errorf("plot: no <svg> element")
	}
	return problems, nil
}

func attrs(t xml.StartElement) map[string]string {
	m := make(map[string]string, len(t.Attr))
	for _, a := range t.Attr {
		m[a.Name.Local] = a.Value
	}
	return m
}

func num(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "px"), 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// bbox returns an element's geometric extent (x0, y0, x1, y1) without its
// stroke.
func bbox(name string, a map[string]string) ([4]float64, bool) {
	switch name {
	case "circle":
		cx, cy, r := num(a["cx"]), num(a["cy"]), num(a["r"])
		return [4]float64{cx - r, cy - r, cx + r, cy + r}, true
	case "rect":
		x, y := num(a["x"]), num(a["y"])
		return [4]float64{x, y, x + num(a["width"]), y + num(a["height"])}, true
	case "line":
		x1, y1, x2, y2 := num(a["x1"]), num(a["y1"]), num(a["x2"]), num(a["y2"])
		return [4]float64{math.Min(x1, x2), math.Min(y1, y2), math.Max(x1, x2), math.Max(y1, y2)}, true
	case "polyline", "polygon":
		bb := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, p := range strings.Fields(a["points"]) {
			xy := strings.Split(p, ",")
			if len(xy) != 2 {
				continue
			}
			x, y := num(xy[0]), num(xy[1])
			bb = [4]float64{math.Min(bb[0], x), math.Min(bb[1], y), math.Max(bb[2], x), math.Max(bb[3], y)}
		}
		return bb, !math.IsInf(bb[0], 0)
	}
	return [4]float64{}, false
}

func textBox(a map[string]string, s string, fs float64) [4]float64 {
	x, y := num(a["x"]), num(a["y"])
	w := textWidth(s, fs) * 0.9 // the layout's estimate is deliberately wide
	x0 := x
	switch a["text-anchor"] {
	case "middle":
		x0 = x - w/2
	case "end":
		x0 = x - w
	}
	return [4]float64{x0, y - 0.75*fs, x0 + w, y + 0.2*fs}
}

func inside(bb, area [4]float64) bool {
	const tol = 0.51
	for _, v := range bb {
		if math.IsNaN(v) {
			return false
		}
	}
	return bb[0] >= area[0]-tol && bb[1] >= area[1]-tol && bb[2] <= area[2]+tol && bb[3] <= area[3]+tol
}
