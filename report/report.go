// Package report writes a study's results as one self-contained HTML page:
// text, tables and inline SVG figures, with no scripts, fonts or other files
// to fetch, so it opens anywhere, offline, and can be archived as is.
package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"regexp"
	"strconv"
	"time"
)

// Report is a document of sections.
type Report struct {
	// Title is the page title and top heading.
	Title string
	// Subtitle is a line under the title (e.g. the dataset and date).
	Subtitle string
	// Sections are rendered in order, each with an anchor in a contents list.
	Sections []Section
	// Generated is the time stamp printed in the footer (zero: omitted, so
	// reports can be byte-reproducible).
	Generated time.Time
	// Footer is a line of provenance printed at the bottom (e.g. version).
	Footer string
}

// Section is a titled part of a report. Its blocks render in order.
type Section struct {
	// ID is the anchor (letters, digits, dashes).
	ID string
	// Title is the heading.
	Title string
	// Blocks are the section's content.
	Blocks []Block
}

// Block is one piece of content: exactly one field is set.
type Block struct {
	// Text is a paragraph of plain text (escaped).
	Text string
	// Result is a highlighted line, e.g. a statistical result in APA style.
	Result string
	// Table is a table.
	Table *Table
	// Figure is an SVG figure with a caption.
	Figure *Figure
	// List is a bulleted list of plain-text items.
	List []string
}

// Table is a table of text cells. Cells flagged in Highlight are marked.
type Table struct {
	// Caption is shown above the table.
	Caption string
	// Header names the columns.
	Header []string
	// Rows hold the cells; every row should have len(Header) cells.
	Rows [][]string
	// Highlight marks rows (by index) to draw attention to, e.g. flagged QC.
	Highlight map[int]bool
}

// Figure is an inline SVG document (as package plot writes) and a caption.
type Figure struct {
	// SVG is the complete SVG document. It is embedded as is: it must come
	// from glusleep's own figure code, never from user input.
	SVG string
	// Caption describes the figure.
	Caption string
	// Collapsed shows only the caption until the reader opens it (an
	// HTML details element; no script needed).
	Collapsed bool
}

const page = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.1em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
.sub{color:#555;margin-top:0}
nav ol{columns:2}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
.tw{overflow-x:auto}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}
th{background:#f3f3f3}
tr.hl td{background:#fff3cd}
caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0}
.result{background:#eef6ff;border-left:4px solid #2b6cb0;padding:.4em .8em;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
figure{margin:1.2em 0}.fw{overflow-x:auto}figure svg{max-width:100%;height:auto;display:block}figcaption{color:#444;font-size:.9em}
details{margin:.3em 0}summary{cursor:pointer;color:#2b6cb0}
footer{margin-top:3em;color:#666;font-size:.85em;border-top:1px solid #ccc;padding-top:.5em}
@media print{.fw{overflow:visible}.fw>div{min-width:0!important}figure{break-inside:avoid}}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .Subtitle}}<p class="sub">{{.Subtitle}}</p>{{end}}
<nav><ol>{{range .Sections}}<li><a href="#{{.ID}}">{{.Title}}</a></li>{{end}}</ol></nav>
{{range .Sections}}<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{range .Blocks}}{{if .Text}}<p>{{.Text}}</p>
{{end}}{{if .Result}}<p class="result">{{.Result}}</p>
{{end}}{{if .List}}<ul>{{range .List}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{with .Table}}<div class="tw"><table>{{if .Caption}}<caption>{{.Caption}}</caption>{{end}}
<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{$hl := .Highlight}}{{range $i, $r := .Rows}}<tr{{if index $hl $i}} class="hl"{{end}}>{{range $r}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody></table></div>
{{end}}{{with .Figure}}{{if .Collapsed}}<details><summary>{{.Caption}}</summary><figure><div class="fw"><div style="{{minw .SVG}}">{{svg .SVG}}</div></div></figure></details>{{else}}<figure><div class="fw"><div style="{{minw .SVG}}">{{svg .SVG}}</div></div><figcaption>{{.Caption}}</figcaption></figure>{{end}}
{{end}}{{end}}</section>
{{end}}
<footer>{{.Footer}}{{if not .Generated.IsZero}} · generated {{.Generated.Format "2006-01-02 15:04 MST"}}{{end}}</footer>
</body>
</html>
`

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	// svg embeds figure markup made by glusleep's own plot package.
	"svg": func(s string) template.HTML { return template.HTML(s) },
	// minw keeps a figure wide enough that its smallest text renders at
	// MinRenderedFontPx or more; narrower screens scroll it sideways.
	"minw": func(s string) template.CSS { return template.CSS(fmt.Sprintf("min-width:%.0fpx", MinWidth(s))) },
}).Parse(page))

// MinRenderedFontPx is the smallest rendered text size, in CSS pixels, the
// report allows a figure to be scaled to.
const MinRenderedFontPx = 8.5

var (
	reWidth = regexp.MustCompile(`^\s*<svg[^>]*?\swidth="([0-9.]+)"`)
	reFont  = regexp.MustCompile(`font-size="([0-9.]+)"`)
)

// MinWidth returns the narrowest width (CSS px) at which the SVG's smallest
// font-size renders at MinRenderedFontPx: its width × MinRenderedFontPx /
// smallest font size (0 when the SVG states no width).
func MinWidth(svg string) float64 {
	m := reWidth.FindStringSubmatch(svg)
	if m == nil {
		return 0
	}
	w, _ := strconv.ParseFloat(m[1], 64)
	minFont := 16.0 // the browser default when no size is set
	for _, f := range reFont.FindAllStringSubmatch(svg, -1) {
		if v, err := strconv.ParseFloat(f[1], 64); err == nil && v > 0 && v < minFont {
			minFont = v
		}
	}
	return math.Ceil(w * MinRenderedFontPx / minFont)
}

// Write renders the report as HTML.
func (r *Report) Write(w io.Writer) error {
	return tmpl.Execute(w, r)
}

// HTML returns the rendered report.
func (r *Report) HTML() ([]byte, error) {
	var b bytes.Buffer
	err := r.Write(&b)
	return b.Bytes(), err
}
