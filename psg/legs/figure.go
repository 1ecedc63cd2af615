package legs

import (
	"fmt"
	"math"
	"strings"
	"time"

	"glusleep/plot"
	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/sleep"
)

// Colours of the scored movements.
const (
	colPLM       = "#d62728"
	colCandidate = "#555555"
	colOtherLM   = "#bbbbbb"
)

// Figure draws the night's movements against hours from the recording
// start (see NightFigure, which draws clock time).
func Figure(h *annot.Hypnogram, st sleep.Stats, res *Result, title string) *plot.Figure {
	return NightFigure(h, st, res, time.Time{}, title)
}

// NightFigure draws the night's hypnogram (sleep.Hypnogram: clock time
// when start is set, lights off and on, both WASO definitions) and, below
// it, the scored movements: PLMs in red on the lower row, other
// candidates dark grey and non-candidate LMs light grey on the upper row,
// each named in the legend, with the night's PLMS index in the title.
func NightFigure(h *annot.Hypnogram, st sleep.Stats, res *Result, start time.Time, title string) *plot.Figure {
	f := sleep.Hypnogram(h, st, start, title)
	f.Title += ", " + plmsText(res)
	ax := sleep.NewTimeAxis(start)
	f.YMin = -1.6
	f.YTickLabels[-0.6] = "LM"
	f.YTickLabels[-1.2] = "PLM"
	f.Height = 400
	labels := map[string]bool{}
	label := func(s string) string {
		if labels[s] {
			return ""
		}
		labels[s] = true
		return s
	}
	for _, m := range res.Movements {
		if m.Reason == reasonShort {
			continue
		}
		t0, t1 := ax.X(m.Onset), ax.X(m.Onset+m.Duration)
		switch {
		case m.Kind == KindPLM:
			f.LabeledSpan(t0, t1, -1.45, -0.95, colPLM, label("PLM"))
		case m.Candidate:
			f.LabeledSpan(t0, t1, -0.8, -0.4, colCandidate, label("other candidate LM"))
		default:
			f.LabeledSpan(t0, t1, -0.8, -0.4, colOtherLM, label("LM not counted (too long, respiratory or outside lights off–on)"))
		}
	}
	return f
}

func plmsText(res *Result) string {
	if math.IsNaN(res.Measures.PLMSIndex) {
		return "PLMS index n/a"
	}
	return fmt.Sprintf("PLMS index %.1f/h (%s)", res.Measures.PLMSIndex, res.Params.Standard)
}

// RecordingStart returns the start time in the header of the EDF/BDF file
// at path, or the zero time when path is empty or does not open as one
// (then figures show hours from the recording start). When the EDF+
// recording field says the start date is not known ("Startdate X", as
// de-identified files have), the clock time is kept on 1 January of year 0
// (sleep.DateUnknown), which sleep.TimeAxis labels as a time without a
// date.
func RecordingStart(path string) time.Time {
	if path == "" {
		return time.Time{}
	}
	f, err := edf.Open(path, edf.Options{})
	if err != nil {
		return time.Time{}
	}
	defer f.Close()
	if strings.HasPrefix(f.Recording, "Startdate X") {
		s := f.Start
		return time.Date(sleep.DateUnknown, 1, 1, s.Hour(), s.Minute(), s.Second(), s.Nanosecond(), s.Location())
	}
	return f.Start
}
