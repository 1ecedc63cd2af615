package legs

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"glusleep/plot"
	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/sleep"
)

// MaxEMGPanels bounds the PLM series the EMG figure draws (the first ones
// of the night; the title says how many there were).
const MaxEMGPanels = 8

// emgWindow is one panel's time window in s from the recording start.
type emgWindow struct {
	from, to     float64
	series, plms int
}

// emgWindows returns one window per PLM series (10 s before its first PLM
// to 10 s after its last), or, on a night without series, one around the
// first leg movements.
func emgWindows(res *Result) []emgWindow {
	bySeries := map[int]*emgWindow{}
	var keys []int
	for _, m := range res.Movements {
		if m.Kind != KindPLM || m.Series <= 0 {
			continue
		}
		w := bySeries[m.Series]
		if w == nil {
			w = &emgWindow{from: m.Onset, to: m.Onset + m.Duration, series: m.Series}
			bySeries[m.Series] = w
			keys = append(keys, m.Series)
		}
		w.from, w.to = math.Min(w.from, m.Onset), math.Max(w.to, m.Onset+m.Duration)
		w.plms++
	}
	sort.Ints(keys)
	var out []emgWindow
	for _, k := range keys {
		w := *bySeries[k]
		w.from, w.to = math.Max(0, w.from-10), w.to+10
		out = append(out, w)
	}
	if len(out) == 0 {
		for _, m := range res.Movements {
			if m.Reason != reasonShort {
				out = append(out, emgWindow{from: math.Max(0, m.Onset-20), to: m.Onset + 100})
				break
			}
		}
	}
	return out
}

// EMGFigure draws, for each PLM series of the night (at most
// MaxEMGPanels), a panel of its window with both tibialis EMG traces
// (left above right, each scaled to its window's 99.5th percentile of
// |EMG| in µV, stated in the panel's note), the detected leg movements
// shaded on the trace of their leg (PLMs red, other candidates dark grey,
// LMs not counted light grey) and the sleep stage beneath, against clock
// time when start is set, as sleep technicians check detections by eye.
// segs are the recording's EMG as {left, right} pairs, one per continuous
// segment (one for EDF+C; see ScoreSegments); either leg may be nil (not
// recorded). Without EMG the scored movements are drawn on their legs'
// rows without traces, and the note says so. It returns the panels
// stacked as one SVG document.
func EMGFigure(h *annot.Hypnogram, res *Result, segs [][2]*Channel, start time.Time, title string) string {
	wins := emgWindows(res)
	ax := sleep.NewTimeAxis(start)
	if len(wins) == 0 {
		f := &plot.Figure{Title: title + ": no leg movements scored", XLabel: ax.Label, Width: 900, Height: 200, NoYTicks: true}
		return plot.Stack(f)
	}
	total := len(wins)
	if len(wins) > MaxEMGPanels {
		wins = wins[:MaxEMGPanels]
	}
	figs := make([]*plot.Figure, 0, len(wins))
	for i, w := range wins {
		head := fmt.Sprintf("%s: PLM series %d (%d PLMs), %s–%s", title, w.series, w.plms, ax.Format(w.from), ax.Format(w.to))
		if w.series == 0 {
			head = fmt.Sprintf("%s: no PLM series; first leg movements, %s–%s", title, ax.Format(w.from), ax.Format(w.to))
		}
		if i == 0 && total > len(wins) {
			head += fmt.Sprintf(" (first %d of %d series shown)", len(wins), total)
		}
		figs = append(figs, emgPanel(h, res, segs, ax, w, head, i == 0))
	}
	return plot.Stack(figs...)
}

// Rows of the EMG panel (y units).
const (
	rowLeft, rowRight, rowHalf = 3.0, 1.0, 0.9
	stageTop, stageStep        = -0.3, 0.3
)

func stageY(s annot.Stage) float64 {
	switch s {
	case annot.Wake:
		return stageTop
	case annot.REM:
		return stageTop - stageStep
	case annot.N1:
		return stageTop - 2*stageStep
	case annot.N2:
		return stageTop - 3*stageStep
	case annot.N3:
		return stageTop - 4*stageStep
	}
	return math.NaN()
}

func emgPanel(h *annot.Hypnogram, res *Result, segs [][2]*Channel, ax sleep.TimeAxis, w emgWindow, title string, legend bool) *plot.Figure {
	f := &plot.Figure{Title: title, XLabel: ax.Label, Width: 900, Height: 360, YMin: stageTop - 4*stageStep - 0.2, YMax: rowLeft + rowHalf + 0.1,
		XMin: ax.X(w.from), XMax: ax.X(w.to),
		YTickLabels: map[float64]string{rowLeft: "left tibialis", rowRight: "right tibialis",
			stageY(annot.Wake): "W", stageY(annot.REM): "R", stageY(annot.N1): "N1", stageY(annot.N2): "N2", stageY(annot.N3): "N3"}}
	f.XTicks = ax.ClockTicks(w.from, w.to, sleep.ClockStep(w.to-w.from))
	lab := func(s string) string {
		if legend {
			return s
		}
		return ""
	}
	seen := map[string]bool{}
	for _, m := range res.Movements {
		if m.Reason == reasonShort || m.Onset+m.Duration < w.from || m.Onset > w.to {
			continue
		}
		col, name := colOtherLM, "LM not counted"
		switch {
		case m.Kind == KindPLM:
			col, name = colPLM, "PLM"
		case m.Candidate:
			col, name = colCandidate, "other candidate LM"
		}
		l := ""
		if !seen[name] {
			l, seen[name] = lab(name), true
		}
		x0, x1 := ax.X(m.Onset), ax.X(m.Onset+m.Duration)
		if m.Side != Right {
			f.LabeledSpan(x0, x1, rowLeft-rowHalf, rowLeft+rowHalf, col, l)
			l = ""
		}
		if m.Side != Left {
			f.LabeledSpan(x0, x1, rowRight-rowHalf, rowRight+rowHalf, col, l)
		}
	}
	var notes []string
	for k, row := range []float64{rowLeft, rowRight} {
		var chans []*Channel
		for _, sg := range segs {
			if sg[k] != nil {
				chans = append(chans, sg[k])
			}
		}
		if len(chans) == 0 {
			continue
		}
		if sc := drawTrace(f, chans, ax, w, row); !math.IsNaN(sc) {
			notes = append(notes, fmt.Sprintf("%s ±%.0f µV", chans[0].Label, sc))
		} else {
			notes = append(notes, chans[0].Label+" not recorded in this window")
		}
	}
	if len(notes) == 0 {
		notes = append(notes, "no tibialis EMG in the recording: the scored leg-movement events are shown on their legs' rows")
	} else {
		notes = []string{"Traces span " + strings.Join(notes, ", ") + " (99.5th percentile of |EMG| in the window)"}
	}
	f.Note = notes[0] + "."
	// Stage beneath, epoch by epoch.
	if h != nil && h.Epoch > 0 {
		var x, y []float64
		for i, s := range h.Stages {
			t0 := h.Start + float64(i)*h.Epoch
			if t0+h.Epoch < w.from || t0 > w.to {
				continue
			}
			x, y = append(x, ax.X(math.Max(t0, w.from))), append(y, stageY(s))
		}
		if len(x) > 0 {
			x, y = append(x, ax.X(w.to)), append(y, y[len(y)-1])
			f.Step(x, y, "#222222", lab("sleep stage"))
		}
	}
	return f
}

// drawTrace draws a leg's channel over window w, from every segment (chans,
// each with its Start) that overlaps it, as a band of per-pixel minima and
// maxima (a line when samples are sparse), scaled so that the window's
// 99.5th percentile of |EMG| spans rowHalf, clamped to its row. It returns
// that scale in µV (NaN when no segment overlaps the window).
func drawTrace(f *plot.Figure, chans []*Channel, ax sleep.TimeAxis, w emgWindow, row float64) float64 {
	type part struct {
		ch   *Channel
		a, b int
	}
	var parts []part
	var all []float64
	for _, ch := range chans {
		if !(ch.Rate > 0) {
			continue
		}
		a := max(0, int((w.from-ch.Start)*ch.Rate))
		b := min(len(ch.Samples), int(math.Ceil((w.to-ch.Start)*ch.Rate)))
		if b-a >= 2 {
			parts = append(parts, part{ch, a, b})
			all = append(all, ch.Samples[a:b]...)
		}
	}
	if len(parts) == 0 {
		return math.NaN()
	}
	mean := 0.0
	for _, v := range all {
		mean += v
	}
	mean /= float64(len(all))
	abs := make([]float64, len(all))
	for i, v := range all {
		abs[i] = math.Abs(v - mean)
	}
	sort.Float64s(abs)
	scale := plot.Quantile(abs, 0.995)
	if !(scale > 0) {
		scale = 1
	}
	y := func(v float64) float64 {
		return row + math.Max(-rowHalf, math.Min(rowHalf, (v-mean)/scale*rowHalf))
	}
	for _, p := range parts {
		drawPart(f, p.ch, p.a, p.b, ax, w, y)
	}
	return scale
}

// drawPart draws samples a..b of ch: the minimum and maximum per pixel
// column (800 over the window), or every sample when there are few.
func drawPart(f *plot.Figure, ch *Channel, a, b int, ax sleep.TimeAxis, w emgWindow, y func(float64) float64) {
	seg := ch.Samples[a:b]
	t0 := ch.Start + float64(a)/ch.Rate
	bins := max(2, int(800*float64(len(seg))/ch.Rate/(w.to-w.from)))
	per := float64(len(seg)) / float64(bins)
	if per <= 2 {
		x, ys := make([]float64, len(seg)), make([]float64, len(seg))
		for i, v := range seg {
			x[i], ys[i] = ax.X(t0+float64(i)/ch.Rate), y(v)
		}
		f.Line(x, ys, "#333333", "")
		return
	}
	x, lo, hi := make([]float64, bins), make([]float64, bins), make([]float64, bins)
	for k := 0; k < bins; k++ {
		i0, i1 := int(float64(k)*per), min(len(seg), int(float64(k+1)*per)+1)
		mn, mx := math.Inf(1), math.Inf(-1)
		for _, v := range seg[i0:i1] {
			mn, mx = math.Min(mn, v), math.Max(mx, v)
		}
		x[k], lo[k], hi[k] = ax.X(t0+(float64(k)+0.5)*per/ch.Rate), y(mn), y(mx)
	}
	f.Envelope(x, lo, hi, "#222222", "")
}

// ReadChannels reads the leg EMG channels of an opened recording, named
// by leftLabel and rightLabel or found by FindChannel when empty, in µV,
// as {left, right} pairs, one per continuous segment (one for EDF+C); a
// leg without a channel is nil in every pair, and a file without leg EMG
// gives no pairs.
func ReadChannels(f *edf.File, leftLabel, rightLabel string) ([][2]*Channel, error) {
	li := FindChannel(f.Signals, leftLabel, Left)
	ri := FindChannel(f.Signals, rightLabel, Right)
	if li < 0 && ri < 0 {
		return nil, nil
	}
	segs, err := readSegments(f, li, ri)
	if err != nil {
		return nil, err
	}
	return bySide(segs, li), nil
}

// EMGFigureFile is EMGFigure for the recording at path (an EDF/BDF file:
// its start time and leg EMG channels; any other file, or none, draws the
// scored movements with hours from the start). It returns the SVG and the
// error met reading the EMG, if any (the figure is then drawn without it).
func EMGFigureFile(path string, h *annot.Hypnogram, res *Result, title string) (string, error) {
	var start time.Time
	var segs [][2]*Channel
	var rerr error
	if path != "" {
		if f, err := edf.Open(path, edf.Options{}); err == nil {
			start = RecordingStart(path)
			segs, rerr = ReadChannels(f, "", "")
			f.Close()
		}
	}
	return EMGFigure(h, res, segs, start, title), rerr
}
