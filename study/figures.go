package study

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"glusleep/internal/atomicfile"
	"glusleep/plot"
	"glusleep/stats"
)

// DefaultLabels name cohort columns on figure axes and in tables; a plan's
// Labels override them.
var DefaultLabels = map[string]string{
	"glx_tcr": "Glx/tCr", "glx_crlb_percent": "Glx CRLB (%)", "tnaa_tcr": "tNAA/tCr", "snr": "SNR", "fwhm_ppm": "FWHM (ppm)",
	"tst_min": "TST (min)", "waso_min": "WASO (min)", "sleep_efficiency_pct": "sleep efficiency (%)",
	"sleep_onset_latency_min": "sleep onset latency (min)", "plms_index": "PLMS index (/h)", "plm_per_night": "PLMs per night",
	"irls_total": "IRLS total", "age": "age (years)",
}

// Label returns the display label of a cohort column: the plan's, else
// DefaultLabels', else the column name.
func (p Plan) Label(col string) string {
	if l, ok := p.Labels[col]; ok && l != "" {
		return l
	}
	if l, ok := DefaultLabels[col]; ok {
		return l
	}
	return col
}

// Group colours (colour-blind safe: Okabe–Ito blue and vermilion).
const (
	colControls = "#0072B2"
	colPatients = "#D55E00"
)

// groupFigure draws the outcome by group: a Tukey box, every participant
// as a point (bee swarm) and the mean with its 95% t confidence interval
// beside, on a categorical axis with the groups' names and sizes.
func groupFigure(plan Plan, pat, ctl []float64) *plot.Figure {
	pat, ctl = dropNaN(pat), dropNaN(ctl)
	f := &plot.Figure{Title: plan.Label(plan.Outcome) + " by group", YLabel: plan.Label(plan.Outcome), Width: 440, Height: 420,
		XCategories: []string{fmt.Sprintf("%s (n = %d)", plan.Controls, len(ctl)), fmt.Sprintf("%s (n = %d)", plan.Patients, len(pat))},
		Note:        "Box: quartiles and median; whiskers: 1.5 IQR; open circle and bar: mean and 95% CI."}
	for i, g := range []struct {
		v   []float64
		col string
	}{{ctl, colControls}, {pat, colPatients}} {
		x := float64(i)
		f.Box(x-0.12, g.v, g.col, "")
		f.Swarm(x-0.12, g.v, 3.5, g.col, "")
		if m, lo, hi, ok := meanCI(g.v); ok {
			f.ErrorBar(x+0.3, m, lo, hi, "#222222", "")
		}
	}
	return f
}

// meanCI returns the mean and its 95% t confidence interval.
func meanCI(x []float64) (m, lo, hi float64, ok bool) {
	n := float64(len(x))
	if n < 2 {
		return 0, 0, 0, false
	}
	m = stats.Mean(x)
	ss := 0.0
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	se := math.Sqrt(ss/(n-1)) / math.Sqrt(n)
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.975)
	return m, m - q*se, m + q*se, true
}

// scatterFigure draws the outcome against a sleep measure by group, with
// least-squares lines and their 95% confidence bands.
func scatterFigure(plan Plan, groups []string, x, y []float64, yname string) *plot.Figure {
	f := &plot.Figure{Title: plan.Label(plan.Outcome) + " and " + plan.Label(yname), XLabel: plan.Label(plan.Outcome), YLabel: plan.Label(yname), Width: 560, Height: 440,
		Note: "Lines: least-squares fits per group; bands: 95% confidence of the fitted mean."}
	for _, g := range []struct{ name, col string }{{plan.Controls, colControls}, {plan.Patients, colPatients}} {
		var xs, ys []float64
		for i, gr := range groups {
			if gr == g.name && !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
				xs, ys = append(xs, x[i]), append(ys, y[i])
			}
		}
		f.Scatter(xs, ys, 4, g.col, fmt.Sprintf("%s (n = %d)", g.name, len(xs)))
		if len(xs) > 2 {
			fitBand(f, xs, ys, g.col)
		}
	}
	return f
}

// fitBand adds the least-squares line of ys on xs and the 95% confidence
// band of its mean response (stats.LineFit, checked against R's predict);
// nothing when there is no line (fewer than 3 points or one x value).
func fitBand(f *plot.Figure, xs, ys []float64, col string) {
	lf, err := stats.FitLine(xs, ys)
	if err != nil {
		return
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	bx := make([]float64, 41)
	for k := range bx {
		bx[k] = lo + (hi-lo)*float64(k)/40
	}
	_, blo, bhi, err := lf.ConfidenceBand(bx, 0.95)
	if err != nil {
		return
	}
	f.Band(bx, blo, bhi, col, "")
	f.Line([]float64{lo, hi}, []float64{lf.At(lo), lf.At(hi)}, col, "")
}

// writeFigures writes each figure as a standalone SVG in dir (for papers),
// named by its key.
func writeFigures(dir string, figs map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, svg := range figs {
		if err := atomicfile.WriteFile(filepath.Join(dir, name+".svg"), []byte(svg), 0o644); err != nil {
			return fmt.Errorf("figure %s: %w", name, err)
		}
	}
	return nil
}

// figureName makes a file name of a figure key.
func figureName(parts ...string) string {
	return strings.NewReplacer("/", "_", " ", "_").Replace(strings.Join(parts, "_"))
}

// measureNote defines a sleep measure where definitions differ: WASO is
// wake within the sleep period (AASM); each night's hypnogram gives it
// beside WASO to lights on.
func measureNote(col string) string {
	if col == "waso_min" {
		return ". WASO here is wake within the sleep period (sleep onset to final awakening, AASM), the mean of the nights; each night's hypnogram states it beside WASO to lights on (adding wake after the final awakening)."
	}
	return ""
}
