package sleep

import (
	"fmt"
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

// Figure draws the hypnogram h (stages against hours from the recording's
// start; REM epochs marked red, lights off to on as a blue bar) with TST,
// WASO and SE of st after title.
func Figure(h *annot.Hypnogram, st Stats, title string) *plot.Figure {
	f := &plot.Figure{Title: fmt.Sprintf("%s — TST %.0f min, WASO %s min, SE %.0f%%", title, st.TST, figNum(st.WASO), st.SE),
		XLabel: "time from recording start (h)", Width: 1000, Height: 300, YMin: -0.3, YMax: 6,
		YTickLabels: map[float64]string{5: "W", 4: "R", 3: "N1", 2: "N2", 1: "N3", 0: "?"}}
	x := make([]float64, 0, len(h.Stages)+1)
	y := make([]float64, 0, len(h.Stages)+1)
	for i, s := range h.Stages {
		x = append(x, (h.Start+float64(i)*h.Epoch)/3600)
		y = append(y, StageLevel(s))
	}
	if len(y) > 0 {
		x = append(x, h.End()/3600)
		y = append(y, y[len(y)-1])
	}
	for i, s := range h.Stages {
		if s == annot.REM {
			t := (h.Start + float64(i)*h.Epoch) / 3600
			f.Span(t, t+h.Epoch/3600, 3.8, 4.2, "#d62728")
		}
	}
	f.Span(st.LightsOff/3600, st.LightsOn/3600, 5.7, 5.9, "#1f77b4")
	f.Step(x, y, "#222222", "")
	return f
}

func figNum(v float64) string { return tsv.Fixed(v, 1) }
