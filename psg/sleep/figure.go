package sleep

import (
	"fmt"
	"math"
	"strings"
	"time"

	"glusleep/internal/tsv"
	"glusleep/plot"
	"glusleep/psg/annot"
)

// StageLevel places stages on the hypnogram's y axis (W top, N3 bottom).
func StageLevel(s annot.Stage) float64 {
	switch s {
	case annot.Wake:
		return 5
	case annot.REM:
		return 4
	case annot.N1:
		return 3
	case annot.N2:
		return 2
	case annot.N3:
		return 1
	case annot.Movement:
		return 5.5
	}
	return 0
}

// Colours of the hypnogram's markers.
const (
	colLights = "#1f77b4"
	colREM    = "#d62728"
)

// Figure draws the hypnogram against hours from the recording start (see
// Hypnogram, which draws clock time).
func Figure(h *annot.Hypnogram, st Stats, title string) *plot.Figure {
	return Hypnogram(h, st, time.Time{}, title)
}

// Hypnogram draws the hypnogram h as a standalone figure: stages (W, R,
// N1, N2, N3; MT and unscored when present) against clock time when start
// (the recording's start, e.g. the EDF header's) is set, else against
// hours from the recording start; REM epochs underlined in red; lights
// off and lights on as dashed lines named in the legend with their times;
// TST, SE and WASO under both definitions in the note: within the sleep
// period (AASM, st.WASO) and to lights on (adding the wake after the final
// awakening).
func Hypnogram(h *annot.Hypnogram, st Stats, start time.Time, title string) *plot.Figure {
	ax := NewTimeAxis(start)
	f := &plot.Figure{Title: fmt.Sprintf("%s — TST %.0f min, SE %.0f%%", title, st.TST, st.SE),
		XLabel: ax.Label, YLabel: "sleep stage", Width: 1000, Height: 330, YMin: -0.4, YMax: 5.9,
		YTickLabels: map[float64]string{5: "W", 4: "R", 3: "N1", 2: "N2", 1: "N3"},
		Note:        WASONote(st)}
	x := make([]float64, 0, len(h.Stages)+1)
	y := make([]float64, 0, len(h.Stages)+1)
	for i, s := range h.Stages {
		x = append(x, ax.X(h.Start+float64(i)*h.Epoch))
		y = append(y, StageLevel(s))
		switch s {
		case annot.Movement:
			f.YTickLabels[5.5] = "MT"
		case annot.Unscored:
			f.YTickLabels[0] = "?"
		}
	}
	if len(y) > 0 {
		x = append(x, ax.X(h.End()))
		y = append(y, y[len(y)-1])
	}
	f.XMin, f.XMax = ax.X(h.Start), ax.X(h.End())
	f.XTicks = ax.Ticks(h.Start, h.End())
	first := true
	for i, s := range h.Stages {
		if s == annot.REM {
			t := h.Start + float64(i)*h.Epoch
			label := ""
			if first {
				label, first = "REM sleep (R)", false
			}
			f.LabeledSpan(ax.X(t), ax.X(t+h.Epoch), 3.75, 3.9, colREM, label)
		}
	}
	f.Step(x, y, "#222222", "")
	from := map[string]string{"options": " (as set)", "scored period": " (not recorded: scoring start)"}[st.WindowFrom]
	if !math.IsNaN(st.LightsOff) {
		f.VLine(ax.X(st.LightsOff), colLights, "lights off "+ax.Format(st.LightsOff)+from)
	}
	if !math.IsNaN(st.LightsOn) {
		f.VLine(ax.X(st.LightsOn), "#ff7f0e", "lights on "+ax.Format(st.LightsOn)+strings.Replace(from, "start", "end", 1))
	}
	return f
}

// WASONote states WASO under both definitions, labelled.
func WASONote(st Stats) string {
	to := st.WASO + st.WakeAfterFinalAwakening
	return fmt.Sprintf("WASO within the sleep period (AASM; sleep onset to final awakening) %s min; WASO to lights on (adds %s min of wake after the final awakening) %s min.",
		figNum(st.WASO), figNum(st.WakeAfterFinalAwakening), figNum(to))
}

// TimeAxis maps seconds from a recording's start to an x coordinate: hours
// since midnight of the start's day (clock time) when the start is known,
// else hours from the start.
type TimeAxis struct {
	// Start is the recording start (zero: unknown).
	Start time.Time
	// Label is the axis title.
	Label string
	off   float64
}

// DateUnknown is the year of a start time whose date is not known (a
// de-identified recording): only its clock time is shown. (Year 0, not
// the zero time's year 1, so that a start at 00:00:00 stays known.)
const DateUnknown = 0

// NewTimeAxis returns the axis for a recording that started at start; a
// start in year DateUnknown shows the time without a date, the zero time
// hours from the start.
func NewTimeAxis(start time.Time) TimeAxis {
	if start.IsZero() {
		return TimeAxis{Label: "time from recording start (h)"}
	}
	mid := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, start.Location())
	label := "clock time (recording started " + start.Format("2 Jan 2006 15:04:05") + ")"
	if start.Year() == DateUnknown {
		label = "clock time (recording started " + start.Format("15:04:05") + "; date not recorded)"
	}
	return TimeAxis{Start: start, off: start.Sub(mid).Hours(), Label: label}
}

// X returns the axis coordinate of t seconds from the recording start.
func (a TimeAxis) X(t float64) float64 { return a.off + t/3600 }

// Format returns t seconds from the start as clock time (hh:mm) or as
// hours from the start.
func (a TimeAxis) Format(t float64) string {
	if a.Start.IsZero() {
		return fmt.Sprintf("%.2f h", t/3600)
	}
	return a.Start.Add(time.Duration(t * float64(time.Second))).Format("15:04")
}

// Ticks returns whole-hour ticks (every second hour beyond 12 h) between
// from and to seconds, labelled with the clock time or hours from start;
// spans under 2 h get ClockTicks of minutes or seconds.
func (a TimeAxis) Ticks(from, to float64) []plot.Tick {
	lo, hi := a.X(from), a.X(to)
	if hi-lo < 2 {
		return a.ClockTicks(from, to, ClockStep(to-from))
	}
	step := 1.0
	if hi-lo > 12 {
		step = 2
	}
	var out []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		label := fmt.Sprintf("%g", v)
		if !a.Start.IsZero() {
			label = fmt.Sprintf("%02d:00", int(math.Mod(v, 24)))
		}
		out = append(out, plot.Tick{Value: v, Label: label})
	}
	return out
}

// ClockTicks returns ticks every step seconds of clock time between from
// and to seconds from the start, labelled hh:mm:ss (or seconds from the
// start when the start is unknown): for windows of minutes.
func (a TimeAxis) ClockTicks(from, to, step float64) []plot.Tick {
	var out []plot.Tick
	base := a.off * 3600
	for v := math.Ceil((base+from)/step) * step; v <= base+to+1e-9; v += step {
		t := v - base
		label := fmt.Sprintf("%.0f s", t)
		if !a.Start.IsZero() {
			label = a.Start.Add(time.Duration(t * float64(time.Second))).Format("15:04:05")
		}
		out = append(out, plot.Tick{Value: a.X(t), Label: label})
	}
	return out
}

// ClockStep picks a tick step in seconds (5 s to 1 h) giving at most 8
// ticks over span seconds.
func ClockStep(span float64) float64 {
	for _, s := range []float64{5, 10, 15, 30, 60, 120, 300, 600, 900, 1800} {
		if span/s <= 8 {
			return s
		}
	}
	return 3600
}

func figNum(v float64) string { return tsv.Fixed(v, 1) }
