package legs

import (
	"glusleep/plot"
	"glusleep/psg/annot"
	"glusleep/psg/sleep"
)

// Figure draws the night's hypnogram (sleep.Figure, with st's TST, WASO
// and SE in the title) and, below it, the scored movements against hours
// from the recording start: PLMs in red on the lower row, other candidates
// grey and non-candidate LMs light grey on the upper row.
func Figure(h *annot.Hypnogram, st sleep.Stats, res *Result, title string) *plot.Figure {
	f := sleep.Figure(h, st, title)
	f.YMin = -1.6
	if f.YTickLabels == nil {
		f.YTickLabels = map[float64]string{}
	}
	f.YTickLabels[-0.6] = "LM"
	f.YTickLabels[-1.2] = "PLM"
	f.Height = 360
	for _, m := range res.Movements {
		if m.Reason == reasonShort {
			continue
		}
		t0, t1 := m.Onset/3600, (m.Onset+m.Duration)/3600
		switch {
		case m.Kind == KindPLM:
			f.Span(t0, t1, -1.45, -0.95, "#d62728")
		case m.Candidate:
			f.Span(t0, t1, -0.8, -0.4, "#555555")
		default:
			f.Span(t0, t1, -0.8, -0.4, "#bbbbbb")
		}
	}
	return f
}
