package report

import (
	"strings"
	"testing"

	"glusleep/plot"
)

func TestHTMLSelfContainedAndEscaped(t *testing.T) {
	f := &plot.Figure{Title: "Glx/tCr"}
	f.Scatter([]float64{0, 1}, []float64{0.8, 1.2}, 3, "#2b6cb0", "")
	r := &Report{
		Title:    "Study <report>",
		Subtitle: "demo",
		Sections: []Section{{ID: "groups", Title: "Group comparison", Blocks: []Block{
			{Text: "Participant <script>alert(1)</script> & co"},
			{Result: "t(46) = 2.23, p = .015"},
			{List: []string{"a", "b"}},
			{Table: &Table{Caption: "cohort", Header: []string{"id", "glx"}, Rows: [][]string{{"sub-01", "1.2"}, {"sub-02", "0.8"}}, Highlight: map[int]bool{1: true}}},
			{Figure: &Figure{SVG: f.SVG(), Caption: "by group"}},
		}}},
		Footer: "glusleep test",
	}
	b, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"<title>Study &lt;report&gt;</title>", `<a href="#groups">Group comparison</a>`,
		"&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", `<p class="result">t(46) = 2.23, p = .015</p>`,
		`<tr class="hl"><td>sub-02</td>`, "<svg xmlns", "<figcaption>by group</figcaption>", "glusleep test"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "<link", "@import"} {
		if strings.Contains(strings.ReplaceAll(s, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("report is not self-contained: contains %q", bad)
		}
	}
}

// MinWidth keeps the smallest text of a figure at MinRenderedFontPx:
// width × 8.5 / smallest font size, rounded up.
func TestMinWidth(t *testing.T) {
	for _, c := range []struct {
		svg  string
		want float64
	}{
		{`<svg xmlns="http://www.w3.org/2000/svg" width="900" height="10" font-size="13"><text font-size="15">a</text></svg>`, 589},
		{`<svg width="400" height="10" font-size="13"><text font-size="8.5">a</text></svg>`, 400},
		{`<svg width="300" height="10"><text>a</text></svg>`, 160}, // the browser's 16 px
		{`<svg height="10"></svg>`, 0},
	} {
		if got := MinWidth(c.svg); got != c.want {
			t.Errorf("MinWidth(%q) = %g, want %g", c.svg, got, c.want)
		}
	}
	r := &Report{Title: "t", Sections: []Section{{ID: "a", Title: "A", Blocks: []Block{{Figure: &Figure{SVG: `<svg width="900" height="10" font-size="13"></svg>`, Caption: "c"}}}}}}
	b, err := r.HTML()
	if err != nil || !strings.Contains(string(b), `style="min-width:589px"`) {
		t.Errorf("figure wrapper lacks its minimum width: %v\n%s", err, b)
	}
}
