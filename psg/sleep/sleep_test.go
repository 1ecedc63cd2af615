package sleep

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/psg/annot"
)

func stages(t *testing.T, s string) []annot.Stage {
	t.Helper()
	var out []annot.Stage
	for _, f := range strings.Fields(s) {
		st, err := annot.ParseStage(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, st)
	}
	return out
}

// Expected values worked by hand from the AASM definitions in the package
// comment (30 s epochs: 1 epoch = 0.5 min).
func TestEdgeCases(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name   string
		stages string
		events []annot.Event
		want   Stats
	}{
		{"no sleep at all", "W W W W", nil,
			Stats{TIB: 2, TST: 0, SE: 0, SOL: nan, REMLatency: nan, SPT: nan, WASO: nan, WakeAfterFinalAwakening: nan, Awakenings: 0, StageShifts: 0, Epochs: 4}},
		{"REM never reached", "W N1 N2 N2 W N2 W W", nil,
			Stats{TIB: 4, TST: 2, SE: 50, SOL: 0.5, REMLatency: nan, SPT: 2.5, WASO: 0.5, WakeAfterFinalAwakening: 1, Awakenings: 1, StageShifts: 5, Epochs: 8}},
		{"unscored epochs", "? W N2 ? N2 R W ?", nil,
			Stats{TIB: 3, TST: 1.5, SE: 50, SOL: 0.5, REMLatency: 1.5, SPT: 2, WASO: 0, WakeAfterFinalAwakening: 0.5, Awakenings: 0, StageShifts: 3, Epochs: 6, UnscoredInSPT: 0.5}},
		{"lights off and on inside the recording", "W W W N1 N2 N2 R W W W",
			[]annot.Event{{Onset: 45, Kind: annot.LightsOff}, {Onset: 255, Kind: annot.LightsOn}},
			Stats{TIB: 3.5, TST: 2, SE: 100 * 2 / 3.5, SOL: 0.75, REMLatency: 1.5, SPT: 2, WASO: 0, WakeAfterFinalAwakening: 1, Awakenings: 0, StageShifts: 4, Epochs: 7}},
	}
	for _, c := range cases {
		h := &annot.Hypnogram{Epoch: 30, Stages: stages(t, c.stages), Events: c.events}
		got, err := Compute(h, Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		check := func(field string, g, w float64) {
			if math.IsNaN(w) != math.IsNaN(g) || (!math.IsNaN(w) && math.Abs(g-w) > 1e-9) {
				t.Errorf("%s: %s = %v, want %v", c.name, field, g, w)
			}
		}
		check("TIB", got.TIB, c.want.TIB)
		check("TST", got.TST, c.want.TST)
		check("SE", got.SE, c.want.SE)
		check("SOL", got.SOL, c.want.SOL)
		check("REM latency", got.REMLatency, c.want.REMLatency)
		check("SPT", got.SPT, c.want.SPT)
		check("WASO", got.WASO, c.want.WASO)
		check("wake after final awakening", got.WakeAfterFinalAwakening, c.want.WakeAfterFinalAwakening)
		if c.want.UnscoredInSPT != 0 {
			check("unscored in SPT", got.UnscoredInSPT, c.want.UnscoredInSPT)
		}
		if got.Awakenings != c.want.Awakenings || got.StageShifts != c.want.StageShifts || got.Epochs != c.want.Epochs {
			t.Errorf("%s: awakenings %d shifts %d epochs %d; want %d %d %d", c.name, got.Awakenings, got.StageShifts, got.Epochs,
				c.want.Awakenings, c.want.StageShifts, c.want.Epochs)
		}
	}
}

func TestOptionsOverrideWindow(t *testing.T) {
	h := &annot.Hypnogram{Epoch: 30, Stages: stages(t, "W W N2 N2 W W")}
	off, on := 60.0, 120.0
	s, err := Compute(h, Options{LightsOff: &off, LightsOn: &on})
	if err != nil {
		t.Fatal(err)
	}
	if s.TIB != 1 || s.TST != 1 || s.SE != 100 || s.WindowFrom != "options" {
		t.Errorf("%+v", s)
	}
	bad := 10.0
	if _, err := Compute(h, Options{LightsOff: &on, LightsOn: &bad}); err == nil {
		t.Error("lights on before lights off accepted")
	}
}

// SC4001EC's hypnogram against an independent computation written in
// Python from the same AASM definitions (testdata/aasm_reference.py).
func TestSleepEDFAgainstReference(t *testing.T) {
	h, err := annot.Read(shareddata.Path(t, "psg/mne/SC4001EC-Hypnogram.edf"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Compute(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "sc4001ec_stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Epochs     int                `json:"epochs"`
		TIB        float64            `json:"tib_min"`
		TST        float64            `json:"tst_min"`
		SPT        float64            `json:"spt_min"`
		SOL        float64            `json:"sleep_onset_latency_min"`
		REM        float64            `json:"rem_latency_min"`
		WASO       float64            `json:"waso_min"`
		WAFA       float64            `json:"wake_after_final_awakening_min"`
		SE         float64            `json:"sleep_efficiency_pct"`
		Stage      map[string]float64 `json:"stage_min"`
		Awakenings int                `json:"awakenings"`
		Shifts     int                `json:"stage_shifts"`
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	pairs := []struct {
		name      string
		got, want float64
	}{
		{"TIB", got.TIB, want.TIB}, {"TST", got.TST, want.TST}, {"SPT", got.SPT, want.SPT}, {"SOL", got.SOL, want.SOL},
		{"REM latency", got.REMLatency, want.REM}, {"WASO", got.WASO, want.WASO}, {"WAFA", got.WakeAfterFinalAwakening, want.WAFA},
		{"SE", got.SE, want.SE}, {"W", got.W, want.Stage["W"]}, {"N1", got.N1, want.Stage["N1"]}, {"N2", got.N2, want.Stage["N2"]},
		{"N3", got.N3, want.Stage["N3"]}, {"R", got.R, want.Stage["R"]},
		{"awakenings", float64(got.Awakenings), float64(want.Awakenings)}, {"stage shifts", float64(got.StageShifts), float64(want.Shifts)},
		{"epochs", float64(got.Epochs), float64(want.Epochs)},
	}
	for _, p := range pairs {
		if math.Abs(p.got-p.want) > 1e-9 {
			t.Errorf("%s = %v, reference %v", p.name, p.got, p.want)
		}
	}
}
