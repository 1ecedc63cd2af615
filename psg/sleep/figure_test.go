package sleep

import (
	"strings"
	"testing"
	"time"

	"glusleep/plot"
	"glusleep/psg/annot"
)

// The hypnogram is drawn against clock time from the recording start, with
// lights off and on named in the legend, a y-axis title, and WASO under
// both definitions: a night scored W×2, N2×4, W×2, N2×2, W×3 between
// lights off (epoch 1) and on (end) has WASO 1 min within the sleep
// period and 2.5 min to lights on.
func TestHypnogramClockTime(t *testing.T) {
	S := []annot.Stage{annot.Wake, annot.Wake, annot.N2, annot.N2, annot.N2, annot.N2, annot.Wake, annot.Wake, annot.N2, annot.REM, annot.Wake, annot.Wake, annot.Wake}
	h := &annot.Hypnogram{Epoch: 30, Stages: S, Events: []annot.Event{{Onset: 30, Kind: annot.LightsOff}, {Onset: 390, Kind: annot.LightsOn}}}
	st, err := Compute(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.WASO != 1 || st.WakeAfterFinalAwakening != 1.5 {
		t.Fatalf("WASO %g, after final awakening %g", st.WASO, st.WakeAfterFinalAwakening)
	}
	start := time.Date(2024, 3, 5, 23, 58, 0, 0, time.UTC)
	s := Hypnogram(h, st, start, "night").SVG()
	for _, want := range []string{">00:00:00<", "lights off 23:58<", "lights on 00:04<", "sleep stage",
		"clock time (recording started 5 Mar 2024 23:58:00)", "WASO within the sleep period", "1.0 min", "WASO to lights on", "2.5 min", "REM sleep (R)"} {
		if !strings.Contains(s, want) {
			t.Errorf("hypnogram lacks %q", want)
		}
	}
	if probs, err := plot.Check(s, 12); err != nil || len(probs) > 0 {
		t.Errorf("%v %q", err, probs)
	}
	if s2 := Hypnogram(h, st, time.Date(DateUnknown, 1, 1, 22, 30, 0, 0, time.UTC), "night").SVG(); !strings.Contains(s2, "clock time (recording started 22:30:00; date not recorded)") || !strings.Contains(s2, ">22:32:00<") {
		t.Errorf("a start without a date: no clock-time axis")
	}
	// Without lights events the window is the scored period, and the
	// legend says so.
	h2 := &annot.Hypnogram{Epoch: 30, Stages: S}
	st2, err := Compute(h2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s2 := Hypnogram(h2, st2, start, "night").SVG(); !strings.Contains(s2, "lights off 23:58 (not recorded: scoring start)") || !strings.Contains(s2, "(not recorded: scoring end)") {
		t.Errorf("scored-period window not explained")
	}
	if s2 := Hypnogram(h, st, time.Date(DateUnknown, 1, 1, 0, 0, 0, 0, time.UTC), "night").SVG(); !strings.Contains(s2, "recording started 00:00:00; date not recorded") {
		t.Errorf("a start at midnight without a date is not a clock time")
	}
	if s2 := Figure(h, st, "night").SVG(); !strings.Contains(s2, "time from recording start (h)") {
		t.Errorf("without a start time the axis is not hours from the start")
	}
}
