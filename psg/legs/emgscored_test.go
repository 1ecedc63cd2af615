package legs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"glusleep/psg/edf"
	"glusleep/psg/legs"
	"glusleep/psg/sleep"
)

// The EMG figure WriteOutputs draws for a night ScoreFile scored shows
// the EMG scored, not the file read again: the channels named (labels
// FindChannel would not find) are drawn, and a file changed since (here
// its legs swapped) does not change the figure, which is the one
// EMGFigureFile drew from the file as scored.
func TestWriteOutputsDrawsScoredEMG(t *testing.T) {
	h, l, r := sharedOneHourNight(t)
	sig := func(label string, x []float64) edf.SignalData {
		return edf.SignalData{Signal: edf.Signal{Label: label, Dimension: "uV", PhysMin: -3000, PhysMax: 3000, DigMin: -32768, DigMax: 32767, Samples: 200}, Data: x}
	}
	p := legs.DefaultParams(legs.WASM2016)
	for _, c := range []struct {
		left, right string // channel labels
		named       bool   // given to ScoreFile
	}{
		{"Leg L", "Leg R", false},
		{"Ch7", "Ch8", true},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "night.edf")
		write := func(a, b []float64) {
			fh, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			err = edf.Write(fh, []edf.SignalData{sig(c.left, a), sig(c.right, b)},
				edf.WriteOptions{Start: time.Date(2024, 3, 5, 22, 47, 13, 0, time.UTC)})
			fh.Close()
			if err != nil {
				t.Fatal(err)
			}
		}
		write(l.Samples, r.Samples)
		f, err := edf.Open(path, edf.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ll, rl := "", ""
		if c.named {
			ll, rl = c.left, c.right
		}
		res, err := legs.ScoreFile(f, h, ll, rl, p)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var want string
		if !c.named {
			if want, err = legs.EMGFigureFile(path, h, res, "night"); err != nil {
				t.Fatal(err)
			}
			write(r.Samples, l.Samples)
		}
		base := filepath.Join(dir, "night")
		if err := legs.WriteOutputs(base, path, res, h, sleep.Stats{}); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(base + "_legs_emg.svg")
		if err != nil {
			t.Fatal(err)
		}
		for _, note := range []string{c.left + " ±", c.right + " ±"} {
			if !strings.Contains(string(got), note) {
				t.Errorf("%s/%s: the EMG figure lacks the trace note %q", c.left, c.right, note)
			}
		}
		if !c.named && string(got) != want {
			t.Errorf("%s/%s: the figure is not that of the EMG scored", c.left, c.right)
		}
	}
}
