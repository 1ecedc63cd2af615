package report_test

import (
	"fmt"
	"strings"

	"glusleep/report"
)

// Build a one-section report with a result line and a table, and render it
// as one HTML page. Text is escaped; rows in Highlight are marked. Without
// a Generated time the page is the same bytes on every run.
func ExampleReport_HTML() {
	r := report.Report{
		Title: "Thalamic Glx/tCr",
		Sections: []report.Section{{
			ID:    "mrs",
			Title: "MRS",
			Blocks: []report.Block{
				{Result: "RLS vs controls: t(46) = 2.10, p = .041"},
				{Table: &report.Table{
					Caption:   "Fit quality",
					Header:    []string{"participant", "Glx/tCr", "CRLB %"},
					Rows:      [][]string{{"sub-01", "1.21", "7"}, {"sub-02", "0.98", "31"}},
					Highlight: map[int]bool{1: true},
				}},
				{Text: "Fits with CRLB > 20 % are flagged & excluded."},
			},
		}},
		Footer: "glusleep",
	}
	page, err := r.HTML()
	if err != nil {
		fmt.Println(err)
		return
	}
	// Print the section; the rest of the page is the title, an inline
	// style sheet, a contents list and the footer.
	html := string(page)
	fmt.Print(html[strings.Index(html, "<section"):strings.Index(html, "</section>")])
	// Output:
	// <section id="mrs">
	// <h2>MRS</h2>
	// <p class="result">RLS vs controls: t(46) = 2.10, p = .041</p>
	// <div class="tw"><table><caption>Fit quality</caption>
	// <thead><tr><th>participant</th><th>Glx/tCr</th><th>CRLB %</th></tr></thead>
	// <tbody><tr><td>sub-01</td><td>1.21</td><td>7</td></tr>
	// <tr class="hl"><td>sub-02</td><td>0.98</td><td>31</td></tr>
	// </tbody></table></div>
	// <p>Fits with CRLB &gt; 20 % are flagged &amp; excluded.</p>
}

// MinWidth is the width at which a figure's smallest text stays legible:
// a 600 px wide SVG whose smallest font is 6 px needs 850 px.
func ExampleMinWidth() {
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><text font-size="12">Glx</text><text font-size="6">n = 48</text></svg>`
	fmt.Println(report.MinWidth(svg))
	// Output: 850
}
