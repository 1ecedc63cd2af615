package clinical

import (
	"math"
	"strings"
	"testing"
)

// The component cut points of Buysse et al. (1989), checked one unit each
// side (hand-worked).
func TestPSQICutPoints(t *testing.T) {
	lat := []struct {
		min  float64
		want int
	}{{0, 0}, {15, 0}, {15.5, 1}, {16, 1}, {30, 1}, {31, 2}, {60, 2}, {61, 3}, {180, 3}}
	for _, c := range lat {
		if got := PSQILatencyScore(c.min); got != c.want {
			t.Errorf("latency %g min: %d, want %d", c.min, got, c.want)
		}
	}
	dur := []struct {
		h    float64
		want int
	}{{9, 0}, {7.5, 0}, {7, 1}, {6.5, 1}, {6, 1}, {5.5, 2}, {5, 2}, {4.5, 3}, {0, 3}}
	for _, c := range dur {
		if got := PSQIDurationScore(c.h); got != c.want {
			t.Errorf("duration %g h: %d, want %d", c.h, got, c.want)
		}
	}
	eff := []struct {
		pct  float64
		want int
	}{{100, 0}, {85, 0}, {84.9, 1}, {75, 1}, {74.9, 2}, {65, 2}, {64.9, 3}, {10, 3}}
	for _, c := range eff {
		if got := PSQIEfficiencyScore(c.pct); got != c.want {
			t.Errorf("efficiency %g%%: %d, want %d", c.pct, got, c.want)
		}
	}
	dist := []struct{ sum, want int }{{0, 0}, {1, 1}, {9, 1}, {10, 2}, {18, 2}, {19, 3}, {27, 3}}
	for _, c := range dist {
		if got := PSQIDisturbanceScore(c.sum); got != c.want {
			t.Errorf("disturbance sum %d: %d, want %d", c.sum, got, c.want)
		}
	}
	sum3 := []int{0, 1, 1, 2, 2, 3, 3} // components 2 and 7: 0, 1–2, 3–4, 5–6
	for s, w := range sum3 {
		if got := psqiSum3(s); got != w {
			t.Errorf("sum %d: %d, want %d", s, got, w)
		}
	}
}

// answers builds PSQI answers from the hand-worked case of the README:
// bed 23:00, 20 min, up 07:00, 7 h, 5a=2, 5b–5i = 1,0,2,0,0,1,0,1, 5j=2
// described, Q6=1, Q7=0, Q8=1, Q9=2.
func psqiCaseA() PSQIAnswers {
	return PSQIAnswers{Bedtime: 23 * 60, LatencyMin: 20, GetUp: 7 * 60, SleepHours: 7,
		Q5: [10]int{2, 1, 0, 2, 0, 0, 1, 0, 1, 2}, Q5jDescribed: true, Q6: 1, Q7: 0, Q8: 1, Q9: 2}
}

func TestPSQIHandWorked(t *testing.T) {
	s := ScorePSQI(psqiCaseA())
	// C1 = 1; C2: 20 min → 1, + 5a 2 = 3 → 2; C3: 7 h → 1; C4: 7/8 = 87.5% → 0;
	// C5: 1+0+2+0+0+1+0+1 + 2 = 7 → 1; C6 = 0; C7: 1 + 2 = 3 → 2. Global 7.
	want := [7]int{1, 2, 1, 0, 1, 0, 2}
	if s.Components != want || s.Global != 7 || !s.Poor || s.EfficiencyPercent != 87.5 {
		t.Fatalf("got %+v", s)
	}
}

// The global 5/6 boundary: 5 is not poor, 6 is.
func TestPSQIGlobalBoundary(t *testing.T) {
	a := psqiCaseA()
	a.Q9 = 1 // C7: 1+1 = 2 → 1, global 6
	s := ScorePSQI(a)
	if s.Global != 6 || !s.Poor {
		t.Fatalf("global 6: %+v", s)
	}
	a.Q6 = 0 // C1 0 → global 5
	s = ScorePSQI(a)
	if s.Global != 5 || s.Poor {
		t.Fatalf("global 5: %+v", s)
	}
}

// Habitual efficiency at exact binary cut points: 10 h in bed (21:00–07:00).
func TestPSQIEfficiencyCuts(t *testing.T) {
	for _, c := range []struct {
		h    float64
		want int
	}{{8.5, 0}, {8.25, 1}, {7.5, 1}, {7.25, 2}, {6.5, 2}, {6.25, 3}} {
		a := psqiCaseA()
		a.Bedtime, a.GetUp, a.SleepHours = 21*60, 7*60, c.h
		s := ScorePSQI(a)
		if s.Components[3] != c.want {
			t.Errorf("%g h of 10: efficiency %g%%, C4 %d, want %d", c.h, s.EfficiencyPercent, s.Components[3], c.want)
		}
	}
	// more sleep than time in bed: n/a, not coerced to 100 %
	a := psqiCaseA()
	a.SleepHours = 9
	s := ScorePSQI(a)
	if s.Components[3] != -1 || s.Global != -1 || !strings.Contains(strings.Join(s.Reasons, ";"), "exceed") {
		t.Fatalf("sleep > bed: %+v", s)
	}
}

// The Pittsburgh missing-data rules.
func TestPSQIMissing(t *testing.T) {
	// 5j counts 0 when its reason is not described (2005 rule): C5 sum 5 → 1
	a := psqiCaseA()
	a.Q5[9], a.Q5jDescribed = 3, false
	a.Q5[1], a.Q5[3] = 3, 3 // 5b–5i sum = 3+0+3+0+0+1+0+1 = 8; with 5j=3 it would be 11 → 2
	s := ScorePSQI(a)
	if s.Components[4] != 1 || len(s.Notes) != 1 {
		t.Fatalf("5j undescribed: %+v", s)
	}
	a.Q5jDescribed = true
	if s = ScorePSQI(a); s.Components[4] != 2 {
		t.Fatalf("5j described: %+v", s)
	}
	// 5j missing with description → 0
	a.Q5[9] = -1
	if s = ScorePSQI(a); s.Components[4] != 1 || s.Global < 0 {
		t.Fatalf("5j missing: %+v", s)
	}
	// any of questions 1–9 missing makes its component and the global n/a
	miss := []struct {
		name string
		mod  func(*PSQIAnswers)
		comp []int
	}{
		{"Q1", func(a *PSQIAnswers) { a.Bedtime = math.NaN() }, []int{3}},
		{"Q2", func(a *PSQIAnswers) { a.LatencyMin = math.NaN() }, []int{1}},
		{"Q4", func(a *PSQIAnswers) { a.SleepHours = math.NaN() }, []int{2, 3}},
		{"Q5a", func(a *PSQIAnswers) { a.Q5[0] = -1 }, []int{1}},
		{"Q5e", func(a *PSQIAnswers) { a.Q5[4] = -1 }, []int{4}},
		{"Q6", func(a *PSQIAnswers) { a.Q6 = -1 }, []int{0}},
		{"Q7", func(a *PSQIAnswers) { a.Q7 = -1 }, []int{5}},
		{"Q9", func(a *PSQIAnswers) { a.Q9 = -1 }, []int{6}},
	}
	for _, m := range miss {
		a := psqiCaseA()
		m.mod(&a)
		s := ScorePSQI(a)
		if s.Global != -1 || len(s.Reasons) != len(m.comp) {
			t.Errorf("%s missing: %+v", m.name, s)
		}
		for _, c := range m.comp {
			if s.Components[c] != -1 {
				t.Errorf("%s missing: component %d = %d", m.name, c+1, s.Components[c])
			}
		}
	}
}

func TestTimeInBed(t *testing.T) {
	for _, c := range []struct{ bed, up, want float64 }{{23 * 60, 7 * 60, 8}, {22*60 + 30, 6*60 + 15, 7.75}, {1 * 60, 9 * 60, 8}, {21 * 60, 21 * 60, 0}} {
		if got := TimeInBedHours(c.bed, c.up); got != c.want {
			t.Errorf("%g→%g: %g, want %g", c.bed, c.up, got, c.want)
		}
	}
}

// Through the instrument: a range answer is replaced by its midpoint with a
// note, and 5j without description gives a note naming the column.
func TestPSQIRecord(t *testing.T) {
	r := rec("sub-03", "psqi_01", "23:00", "psqi_02", "15-25", "psqi_03", "07:00", "psqi_04", "7",
		"psqi_05a", "2", "psqi_05b", "1", "psqi_05c", "0", "psqi_05d", "2", "psqi_05e", "0", "psqi_05f", "0",
		"psqi_05g", "1", "psqi_05h", "0", "psqi_05i", "1", "psqi_05j", "2", "psqi_05j_text", "n/a",
		"psqi_06", "1", "psqi_07", "0", "psqi_08", "1", "psqi_09", "2")
	row, iss := PSQI.Score(r)
	// latency 20 (midpoint) → same as case A except 5j → 0: C5 sum 5 → 1 still. Global 7.
	if g := row.Values[PSQI.Output("psqi_global")]; g.Num != 7 {
		t.Fatalf("global %v, row %+v, issues %v", g, row, iss)
	}
	if len(iss) != 2 || iss[0].Column != "psqi_02" || iss[0].Severity != SeverityNote || iss[1].Column != "psqi_05j" {
		t.Fatalf("issues %v", iss)
	}
	r.Values["psqi_04"] = "25"
	row, iss = PSQI.Score(r)
	if !row.Values[PSQI.Output("psqi_global")].IsMissing() || !strings.Contains(row.Reason, "question 4") {
		t.Fatalf("out of range hours: %+v", row)
	}
	found := false
	for _, i := range iss {
		if i.Column == "psqi_04" && i.Value == "25" && i.Severity == SeverityError {
			found = true
		}
	}
	if !found {
		t.Fatalf("no issue for psqi_04=25: %v", iss)
	}
}
