package legs

import (
	"math"
	"testing"

	"glusleep/psg/annot"
)

// night returns a hypnogram of n 30 s epochs of stage st from t = 0, with
// events ev.
func night(n int, st annot.Stage, ev ...annot.Event) *annot.Hypnogram {
	h := &annot.Hypnogram{Epoch: 30, Stages: make([]annot.Stage, n), Events: ev}
	for i := range h.Stages {
		h.Stages[i] = st
	}
	return h
}

// mono returns monolateral LMs of duration d at the given onsets.
func mono(d float64, onsets ...float64) []Interval {
	var out []Interval
	for _, o := range onsets {
		out = append(out, Interval{Onset: o, Offset: o + d, PeakUV: 20})
	}
	return out
}

func withLM(ivs []Interval, on, d float64) []Interval {
	return append(ivs, Interval{Onset: on, Offset: on + d, PeakUV: 20})
}

// Every rule of both standards at and around its threshold: the PLM,
// candidate and series counts are worked out by hand in each case's name.
func TestScoreRules(t *testing.T) {
	apnea := annot.Event{Onset: 100, Duration: 20, Kind: annot.Apnea, Label: "Obstructive apnea"}
	cases := []struct {
		name        string
		std         Standard
		left, right []Interval
		events      []annot.Event
		plm, cand   int
		series      int
		lm          int
	}{
		{"four CLMs 20 s apart: one series", WASM2016, mono(2, 0, 20, 40, 60), nil, nil, 4, 4, 1, 4},
		{"three CLMs: no series", WASM2016, mono(2, 0, 20, 40), nil, nil, 0, 3, 0, 3},
		{"IMI exactly 10 s is periodic", WASM2016, mono(2, 0, 10, 20, 30), nil, nil, 4, 4, 1, 4},
		{"IMI 9.9 s breaks: the last four form the series", WASM2016, mono(2, 0, 9.9, 19.9, 29.9, 39.9), nil, nil, 4, 5, 1, 5},
		{"IMI exactly 90 s is periodic", WASM2016, mono(2, 0, 90, 180, 270), nil, nil, 4, 4, 1, 4},
		{"IMI 90.1 s breaks", WASM2016, mono(2, 0, 90.1, 180.2, 270.3), nil, nil, 0, 4, 0, 4},
		{"monolateral 10 s is a CLM", WASM2016, withLM(mono(2, 0, 20, 60, 80, 100), 40, 10), nil, nil, 6, 6, 1, 6},
		{"monolateral 10.1 s is not a CLM and breaks the series", WASM2016, withLM(mono(2, 0, 20, 60, 80, 100), 40, 10.1), nil, nil, 0, 5, 0, 6},
		{"0.5 s is an LM", WASM2016, withLM(mono(2, 0, 20, 60, 80), 40, 0.5), nil, nil, 5, 5, 1, 5},
		{"0.49 s is no LM and does not break", WASM2016, withLM(mono(2, 0, 20, 60, 80), 40, 0.49), nil, nil, 4, 4, 1, 4},
		{"legs 0.4 s apart: one bilateral CLM", WASM2016, mono(3, 0, 20, 40, 60), mono(2.6, 3.4), nil, 4, 4, 1, 4},
		{"legs 0.5 s apart: two movements; IMI 3.5 s breaks before the second", WASM2016, mono(3, 0, 20, 40, 60), mono(2.5, 3.5), nil, 4, 5, 1, 5},
		{"bilateral 15 s is a CLM", WASM2016, withLM(mono(2, 20, 40, 60), 0, 8), mono(8, 7), nil, 4, 4, 1, 4},
		{"bilateral 15.1 s is not", WASM2016, withLM(mono(2, 20, 40, 60), 0, 8), mono(8.1, 7), nil, 0, 3, 0, 4},
		{"CLM ending 0.1 s before the window: kept", WASM2016, mono(0.9, 60, 80, 117, 137), nil, []annot.Event{apnea}, 4, 4, 1, 4},
		{"CLM reaching into [end−2 s, end+10.25 s]: excluded, breaks", WASM2016, mono(1.1, 60, 80, 97, 117, 137, 157), nil, []annot.Event{apnea}, 0, 5, 0, 6},
		{"CLM at end+10.25 s: excluded", WASM2016, mono(1, 130.25, 150, 170, 190, 210), nil, []annot.Event{apnea}, 4, 4, 1, 5},
		{"CLM at end+10.3 s: counted", WASM2016, mono(1, 130.3, 150, 170, 190), nil, []annot.Event{apnea}, 4, 4, 1, 4},
		// AASM.
		{"AASM: interval exactly 5 s is periodic", AASM, mono(2, 0, 5, 10, 15), nil, nil, 4, 4, 1, 4},
		{"AASM: interval 4.9 s breaks", AASM, mono(1, 0, 4.9, 9.9, 14.9), nil, nil, 0, 4, 0, 4},
		{"AASM: 10.1 s is no LM and does not break", AASM, withLM(mono(2, 0, 20, 60, 80), 40, 10.1), nil, nil, 4, 4, 1, 5},
		{"AASM: onsets 4.9 s apart on two legs count once", AASM, mono(2, 0, 20, 40, 60), mono(2, 4.9), nil, 4, 4, 1, 4},
		{"AASM: onsets 5 s apart on two legs count twice", AASM, mono(2, 0, 20, 40, 60), mono(2, 5), nil, 5, 5, 1, 5},
		{"AASM: within 0.5 s before a respiratory event: excluded", AASM, mono(1, 60, 80, 98.6, 160, 180), nil, []annot.Event{apnea}, 0, 4, 0, 5},
		{"AASM: 0.6 s before: counted (the next, inside the apnea, is not)", AASM, mono(1, 59.9, 79.9, 98.4, 118.9), nil, []annot.Event{apnea}, 0, 3, 0, 4},
		{"AASM: 0.5 s after the end: excluded", AASM, mono(1, 120.5, 140, 160, 180, 200), nil, []annot.Event{apnea}, 4, 4, 1, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := night(40, annot.N2, c.events...)
			res := Score(c.left, c.right, h, DefaultParams(c.std))
			m := res.Measures
			if m.PLMCount != c.plm || m.CLMCount != c.cand || m.Series != c.series || m.LMCount != c.lm {
				t.Errorf("PLM %d CLM %d series %d LM %d; want %d %d %d %d", m.PLMCount, m.CLMCount, m.Series, m.LMCount, c.plm, c.cand, c.series, c.lm)
				for _, mv := range res.Movements {
					t.Logf("  %+v", mv)
				}
			}
		})
	}
}

// In the AASM 0.6 s case above the third LM (98.4–99.4 s) ends 0.6 s
// before the apnea and counts; its intervals (20, 18.5, 20.5 s) make a
// series of four.
func TestAASMRespiratoryBoundarySeries(t *testing.T) {
	res := Score(mono(1, 59.9, 79.9, 98.4, 118.9), nil, night(40, annot.N2, annot.Event{Onset: 100, Duration: 20, Kind: annot.Apnea}), DefaultParams(AASM))
	// 118.9–119.9 lies inside the apnea: excluded (and it breaks the run).
	if res.Movements[3].Excluded != "respiratory" || res.Movements[2].Excluded != "" {
		t.Errorf("movements %+v", res.Movements)
	}
}

// Indices, stages, arousals and the scored time: a night of 2 h of N2, then
// 1 h of W, then 1 h of REM, lights off at 0 and on at 4 h.
func TestMeasures(t *testing.T) {
	h := &annot.Hypnogram{Epoch: 30}
	for i := 0; i < 480; i++ {
		st := annot.N2
		switch {
		case i >= 240 && i < 360:
			st = annot.Wake
		case i >= 360:
			st = annot.REM
		}
		h.Stages = append(h.Stages, st)
	}
	h.Events = []annot.Event{
		{Onset: 0, Kind: annot.LightsOff}, {Onset: 4 * 3600, Kind: annot.LightsOn},
		{Onset: 118, Duration: 5, Kind: annot.Arousal}, // ends 123: the LM at 100–103 is 15 s away; the one at 123.4 within 0.5 s
	}
	var left []Interval
	// Series A: 10 CLMs in N2 from 100 s, 23.4 s apart (2 s long).
	for k := 0; k < 10; k++ {
		left = withLM(left, 100+23.4*float64(k), 2)
	}
	// Series B: 8 CLMs in W from 2.5 h, 30 s apart, 4 s long.
	for k := 0; k < 8; k++ {
		left = withLM(left, 9000+30*float64(k), 4)
	}
	// Isolated CLMs in REM, 200 s apart (no series).
	for k := 0; k < 5; k++ {
		left = withLM(left, 11000+200*float64(k), 1)
	}
	res := Score(left, nil, h, DefaultParams(WASM2016))
	m := res.Measures
	if m.PLMSCount != 10 || m.PLMWCount != 8 || m.PLMCount != 18 || m.CLMCount != 23 || m.Series != 2 {
		t.Fatalf("counts %+v", m)
	}
	if m.TSTHours != 3 || m.WakeHours != 1 {
		t.Errorf("TST %g h, wake %g h; want 3 and 1", m.TSTHours, m.WakeHours)
	}
	if math.Abs(m.PLMSIndex-10.0/3) > 1e-12 || m.PLMWIndex != 8 {
		t.Errorf("PLMS index %g (want 3.333), PLMW index %g (want 8)", m.PLMSIndex, m.PLMWIndex)
	}
	if m.CandidatesPerStage["N2"] != 10 || m.CandidatesPerStage["W"] != 8 || m.CandidatesPerStage["R"] != 5 || m.PLMPerStage["R"] != 0 {
		t.Errorf("per stage %v / %v", m.CandidatesPerStage, m.PLMPerStage)
	}
	// PLM durations: 10 × 2 s and 8 × 4 s → mean 2.889 s; one PLM (123.4 s)
	// with an arousal → 1/18.
	if math.Abs(m.MeanPLMSeconds-(20.0+32)/18) > 1e-12 || math.Abs(m.PLMArousalPercent-100.0/18) > 1e-12 {
		t.Errorf("mean PLM %g s, arousal %g%%", m.MeanPLMSeconds, m.PLMArousalPercent)
	}
	// Sleep IMIs: 9 of 23.4 s (bin 11) in N2 and 4 of 200 s (> 90) in REM
	// (the W movements reset the chain): periodicity 9/13.
	if m.IMIHistogram[11] != 9 || m.IMIHistogram[45] != 4 {
		t.Errorf("IMI histogram %v", m.IMIHistogram)
	}
	if math.Abs(m.PeriodicityIndex-9.0/13) > 1e-12 {
		t.Errorf("periodicity %g, want 9/13", m.PeriodicityIndex)
	}
	if res.Movements[1].Arousal != true || res.Movements[0].Arousal {
		t.Errorf("arousal association: %+v %+v", res.Movements[0], res.Movements[1])
	}
}

// Movements before lights off or in unscored epochs are not counted.
func TestOutsideScoredTime(t *testing.T) {
	h := night(100, annot.N2, annot.Event{Onset: 600, Kind: annot.LightsOff})
	h.Stages[50] = annot.Unscored
	res := Score(mono(2, 100, 1505, 2000), nil, h, DefaultParams(WASM2016))
	if res.Measures.CLMCount != 1 || res.Movements[0].Excluded == "" || res.Movements[1].Excluded == "" {
		t.Errorf("%+v", res.Movements)
	}
}

func TestPeriodicity(t *testing.T) {
	cases := []struct {
		imi  []float64
		want float64
	}{
		{[]float64{20, 20, 20}, 1},
		{[]float64{20, 20}, 0},
		{[]float64{20, 5, 20, 20, 20, 100}, 0.5},
		{[]float64{10, 90, 10}, 1},
		{[]float64{9.99, 90.01}, 0},
	}
	for _, c := range cases {
		if got := periodicity(c.imi); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("periodicity(%v) = %g, want %g", c.imi, got, c.want)
		}
	}
	if !math.IsNaN(periodicity(nil)) {
		t.Error("no intervals: want NaN")
	}
}

func TestParseStandard(t *testing.T) {
	for in, want := range map[string]Standard{"wasm2016": WASM2016, "WASM": WASM2016, "aasm": AASM} {
		if got, err := ParseStandard(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParseStandard("rk"); err == nil {
		t.Error("unknown standard accepted")
	}
}
