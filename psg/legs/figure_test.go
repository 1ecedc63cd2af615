package legs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"glusleep/plot"
	"glusleep/psg/edf"
	"glusleep/psg/legs"
	"glusleep/psg/sleep"
)

// The EMG view draws one panel per PLM series (at most MaxEMGPanels) with
// both tibialis traces, every PLM of the window shaded on its leg's row,
// the stage beneath and clock-time ticks; without EMG it says so and still
// marks the movements. The night figure has clock time and a legend.
func TestEMGAndNightFigures(t *testing.T) {
	h, _, l, r := realisticNight(t, 11, 200, 2)
	res, err := legs.ScoreEMG(l, r, h, legs.DefaultParams(legs.WASM2016))
	if err != nil {
		t.Fatal(err)
	}
	st, err := sleep.Compute(h, sleep.Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 3, 5, 22, 47, 0, 0, time.UTC)
	series := map[int]bool{}
	for _, m := range res.Movements {
		if m.Kind == legs.KindPLM && m.Series > 0 {
			series[m.Series] = true
		}
	}
	if len(series) == 0 {
		t.Fatal("the synthetic night has no PLM series")
	}
	withEMG := legs.EMGFigure(h, res, [][2]*legs.Channel{{l, r}}, start, "sub-01_night-1")
	noEMG := legs.EMGFigure(h, res, nil, start, "sub-01_night-1")
	for name, svg := range map[string]string{"EMG": withEMG, "events only": noEMG} {
		if probs, err := plot.Check(svg, 12); err != nil || len(probs) > 0 {
			t.Errorf("%s: %v %q", name, err, probs[:min(3, len(probs))])
		}
		if got, want := strings.Count(svg, "<svg x="), min(len(series), legs.MaxEMGPanels); got != want {
			t.Errorf("%s: %d panels, want %d (one per PLM series)", name, got, want)
		}
		for _, want := range []string{"left tibialis", "right tibialis", ">PLM<", ">N2<", "PLM series 1 ("} {
			if !strings.Contains(svg, want) {
				t.Errorf("%s: lacks %q", name, want)
			}
		}
		// Ticks in clock time: the recording started 22:47:00.
		if !strings.Contains(svg, ":") || !strings.Contains(svg, "clock time (recording started 5 Mar 2024 22:47:00)") {
			t.Errorf("%s: no clock-time axis", name)
		}
	}
	if !strings.Contains(withEMG, "Leg L ±") || !strings.Contains(noEMG, "no tibialis EMG in the recording") {
		t.Errorf("the notes do not say what is drawn")
	}
	night := legs.NightFigure(h, st, res, start, "sub-01_night-1").SVG()
	if probs, err := plot.Check(night, 12); err != nil || len(probs) > 0 {
		t.Errorf("night figure: %v %q", err, probs)
	}
	for _, want := range []string{">23:00<", ">00:00<", "lights off", "lights on", ">PLM<", "sleep stage", "PLMS index", fmt.Sprintf("%.1f/h", res.Measures.PLMSIndex)} {
		if !strings.Contains(night, want) {
			t.Errorf("night figure lacks %q", want)
		}
	}
}

// RecordingStart reads the EDF header's start, keeping only the clock
// time when the EDF+ start date is de-identified ("Startdate X"); the EMG
// figure of a written EDF with two leg channels draws both traces against
// that clock time.
func TestRecordingStartAndEMGFigureFile(t *testing.T) {
	h, l, r := sharedOneHourNight(t)
	res, err := legs.ScoreEMG(l, r, h, legs.DefaultParams(legs.WASM2016))
	if err != nil {
		t.Fatal(err)
	}
	sig := func(label string, x []float64) edf.SignalData {
		return edf.SignalData{Signal: edf.Signal{Label: label, Dimension: "uV", PhysMin: -3000, PhysMax: 3000, DigMin: -32768, DigMax: 32767, Samples: 200}, Data: x}
	}
	start := time.Date(2024, 3, 5, 22, 47, 13, 0, time.UTC)
	for _, c := range []struct {
		recording, want string
		wantStart       time.Time
	}{
		{"Startdate 05-MAR-2024 X X X", "clock time (recording started 5 Mar 2024 22:47:13)", start},
		{"Startdate X X X X", "clock time (recording started 22:47:13; date not recorded)", time.Date(sleep.DateUnknown, 1, 1, 22, 47, 13, 0, time.UTC)},
	} {
		path := filepath.Join(t.TempDir(), "night.edf")
		fh, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := edf.Write(fh, []edf.SignalData{sig("Leg L", l.Samples), sig("Leg R", r.Samples)}, edf.WriteOptions{Start: start, Recording: c.recording}); err != nil {
			t.Fatal(err)
		}
		fh.Close()
		if got := legs.RecordingStart(path); !got.Equal(c.wantStart) {
			t.Errorf("recording %q: start %v, want %v", c.recording, got, c.wantStart)
		}
		svg, err := legs.EMGFigureFile(path, h, res, "night")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(svg, c.want) || !strings.Contains(svg, "Leg L ±") || !strings.Contains(svg, "Leg R ±") {
			t.Errorf("recording %q: EMG figure lacks %q or the traces", c.recording, c.want)
		}
	}
	if !legs.RecordingStart("no-such.edf").IsZero() || !legs.RecordingStart("").IsZero() {
		t.Errorf("no file: start not zero")
	}
}
