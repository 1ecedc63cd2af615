package legs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"glusleep/psg/annot"
	"glusleep/psg/sleep"
)

// A night scored with and without its respiratory events and arousals:
// the labels say which exclusions were applied, and the counts change as
// worked out by hand. Ten monolateral CLMs of 2 s, 20 s apart from 600 s
// (600, 620, …, 780 s) in two hours of N2. An obstructive apnea from 667 s
// to 682 s: under WASM 2016 its window runs from 680 s (2 s before its end)
// to 692.25 s, which the CLM at 680–682 s touches (the one at 660–662 s
// does not). That CLM is excluded and ends the run: 600–660 s (4 CLMs) and
// 700–780 s (5 CLMs) are two series, 9 PLMs. An arousal at 701–704 s
// overlaps the CLM at 700 s: 1 of 9 PLMs (11.1 %) with an arousal. Without
// the events: one series of 10 PLMs, no exclusion, and the arousal share
// is not assessed (null).
func TestRespiratoryEventsPresentAndAbsent(t *testing.T) {
	var onsets []float64
	for k := 0; k < 10; k++ {
		onsets = append(onsets, 600+20*float64(k))
	}
	apnea := annot.Event{Onset: 667, Duration: 15, Kind: annot.Apnea, Label: "SRO:ObstructiveApnea"}
	arousal := annot.Event{Onset: 701, Duration: 3, Kind: annot.Arousal, Label: "SRO:Arousal"}
	cases := []struct {
		name                string
		events              []annot.Event
		plm, series, excl   int
		respJSON, arousJSON any
		label               string
		applied             int
	}{
		{"with events", []annot.Event{apnea, arousal}, 9, 2, 1, 1.0, 1.0, "PLM with the respiratory exclusion", 2},
		{"without events", nil, 10, 1, 0, "absent", "absent", "PLM without the respiratory exclusion (no respiratory events)", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := night(240, annot.N2, c.events...)
			res := Score(mono(2, onsets...), nil, h, DefaultParams(WASM2016))
			m := res.Measures
			if m.PLMCount != c.plm || m.Series != c.series || m.RespiratoryExcluded != c.excl {
				t.Errorf("PLM %d, series %d, excluded %d; want %d, %d, %d", m.PLMCount, m.Series, m.RespiratoryExcluded, c.plm, c.series, c.excl)
			}
			for _, mv := range res.Movements {
				if mv.Onset == 680 && (mv.Excluded == "respiratory") != (c.excl == 1) {
					t.Errorf("CLM at 680 s excluded %q", mv.Excluded)
				}
			}
			if c.excl == 1 && (m.PLMArousalPercent < 11.11 || m.PLMArousalPercent > 11.12) {
				t.Errorf("PLM with arousal %.3f%%, want 1/9 = 11.111%%", m.PLMArousalPercent)
			}
			dir := t.TempDir()
			if err := WriteOutputs(filepath.Join(dir, "n"), "n.edf", res, h, sleep.Stats{}); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(filepath.Join(dir, "n_legs.json"))
			var js map[string]any
			if err := json.Unmarshal(b, &js); err != nil {
				t.Fatal(err)
			}
			if js["respiratory_events"] != c.respJSON || js["arousal_events"] != c.arousJSON || js["plm_label"] != c.label {
				t.Errorf("respiratory_events %v, arousal_events %v, plm_label %q; want %v, %v, %q",
					js["respiratory_events"], js["arousal_events"], js["plm_label"], c.respJSON, c.arousJSON, c.label)
			}
			if got := len(js["exclusions_applied"].([]any)); got != c.applied {
				t.Errorf("exclusions_applied %v", js["exclusions_applied"])
			}
			if got := len(js["exclusions_not_applied"].([]any)); got != 2-c.applied {
				t.Errorf("exclusions_not_applied %v", js["exclusions_not_applied"])
			}
			if c.excl == 0 && js["plm_arousal_percent"] != nil {
				t.Errorf("plm_arousal_percent %v without arousals, want null", js["plm_arousal_percent"])
			}
		})
	}
}
