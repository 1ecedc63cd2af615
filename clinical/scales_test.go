package clinical

import (
	"math"
	"strings"
	"testing"
)

// irlsItems spreads a total over ten items (fill items in order, 4 each).
func irlsItems(total int) [10]int {
	var it [10]int
	for i := range it {
		it[i] = min(4, total)
		total -= it[i]
	}
	return it
}

// Band boundaries of the IRLS total (Walters et al. 2003): hand-worked.
func TestIRLSBandBoundaries(t *testing.T) {
	cases := []struct {
		total int
		band  string
	}{
		{0, BandNone}, {1, BandMild}, {10, BandMild}, {11, BandModerate}, {20, BandModerate},
		{21, BandSevere}, {30, BandSevere}, {31, BandVerySevere}, {40, BandVerySevere},
	}
	for _, c := range cases {
		s, err := ScoreIRLS(irlsItems(c.total))
		if err != nil {
			t.Fatal(err)
		}
		if s.Total != c.total || s.Band != c.band {
			t.Errorf("total %d: got total %d band %q, want band %q", c.total, s.Total, s.Band, c.band)
		}
	}
	for _, bad := range []int{-1, 41} {
		if _, err := IRLSBand(bad); err == nil {
			t.Errorf("IRLSBand(%d): no error", bad)
		}
	}
}

// Item 3 is added as its published score (4 = no relief … 0 = no symptoms):
// a form with every item at its most severe option totals 40, and a form
// that differs only in item 3 (complete relief, score 1) totals 37. A
// scorer that reversed item 3 (4 − x) would give 36 and 39.
func TestIRLSItem3NotReversed(t *testing.T) {
	all4 := [10]int{4, 4, 4, 4, 4, 4, 4, 4, 4, 4}
	s, _ := ScoreIRLS(all4)
	if s.Total != 40 {
		t.Fatalf("all 4: total %d, want 40", s.Total)
	}
	relief := all4
	relief[2] = 1
	s, _ = ScoreIRLS(relief)
	if s.Total != 37 || s.Band != BandVerySevere {
		t.Fatalf("item 3 = 1: total %d band %s, want 37 very severe", s.Total, s.Band)
	}
}

func TestIRLSSubscalesAndMissing(t *testing.T) {
	// items 1..10 = 1,2,3,4,0,1,2,3,4,0 → symptoms (1,2,4,6,7,8) = 1+2+4+1+2+3 = 13,
	// impact (5,9,10) = 0+4+0 = 4, total 20.
	it := [10]int{1, 2, 3, 4, 0, 1, 2, 3, 4, 0}
	s, _ := ScoreIRLS(it)
	if s.Total != 20 || s.Symptoms != 13 || s.Impact != 4 || s.Band != BandModerate {
		t.Fatalf("got %+v", s)
	}
	it[2] = -1 // item 3 is in neither subscale
	s, _ = ScoreIRLS(it)
	if s.Total != -1 || s.Band != "" || s.Symptoms != 13 || s.Impact != 4 || len(s.Missing) != 1 || s.Missing[0] != 3 {
		t.Fatalf("item 3 missing: got %+v", s)
	}
	it[8] = -1
	s, _ = ScoreIRLS(it)
	if s.Impact != -1 || s.Symptoms != 13 {
		t.Fatalf("item 9 missing: got %+v", s)
	}
	if _, err := ScoreIRLS([10]int{5}); err == nil {
		t.Fatal("item score 5 accepted")
	}
}

func TestESSBoundary(t *testing.T) {
	cases := []struct {
		items [8]int
		total int
		ex    bool
	}{
		{[8]int{3, 3, 3, 1, 0, 0, 0, 0}, 10, false},
		{[8]int{3, 3, 3, 2, 0, 0, 0, 0}, 11, true},
		{[8]int{}, 0, false},
		{[8]int{3, 3, 3, 3, 3, 3, 3, 3}, 24, true},
	}
	for _, c := range cases {
		tot, ex, ok, err := ScoreESS(c.items)
		if err != nil || !ok || tot != c.total || ex != c.ex {
			t.Errorf("%v: got %d %t %t %v", c.items, tot, ex, ok, err)
		}
	}
	if _, _, ok, _ := ScoreESS([8]int{1, 1, 1, -1, 1, 1, 1, 1}); ok {
		t.Error("missing item gave a total")
	}
	if _, _, _, err := ScoreESS([8]int{4}); err == nil {
		t.Error("item 4 accepted")
	}
}

func TestJHRLSS(t *testing.T) {
	clk := func(s string) float64 {
		m, err := ParseClock(s)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	cases := []struct {
		sym        bool
		onset, bed string
		want       int
	}{
		{false, "", "", 0},
		{true, "17:59", "23:00", 3},
		{true, "18:00", "23:00", 2},
		{true, "21:59", "23:00", 2},
		{true, "22:00", "23:00", 1}, // exactly one hour before bed
		{true, "23:30", "23:00", 1},
		{true, "00:30", "23:00", 1}, // after midnight: the same night
		{true, "23:30", "00:30", 1}, // bed after midnight, onset within the hour
		{true, "22:00", "00:30", 2},
		{true, "09:00", "22:00", 3},
	}
	for _, c := range cases {
		on, bed := math.NaN(), math.NaN()
		if c.sym {
			on, bed = clk(c.onset), clk(c.bed)
		}
		got, err := ScoreJHRLSS(c.sym, on, bed)
		if err != nil || got != c.want {
			t.Errorf("%v %s %s: got %d %v, want %d", c.sym, c.onset, c.bed, got, err, c.want)
		}
	}
	if _, err := ScoreJHRLSS(true, math.NaN(), 600); err == nil {
		t.Error("missing onset accepted")
	}
}

func rec(id string, kv ...string) *Record {
	r := &Record{ID: id, Values: map[string]string{}, Source: map[string]string{}, Invalid: map[string]bool{}}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Values[kv[i]] = kv[i+1]
	}
	return r
}

// Bad input through the instrument: each bad value gives one issue naming
// participant, column and value, and the score is n/a with its reason.
func TestInstrumentIssues(t *testing.T) {
	r := rec("sub-07", "irls_01", "2", "irls_02", "5", "irls_03", "x", "irls_04", "2.0", "irls_05", "n/a",
		"irls_06", "1", "irls_07", "1", "irls_08", "1", "irls_09", "1", "irls_10", "-1")
	row, iss := IRLS.Score(r)
	if !row.Values[0].IsMissing() || !strings.Contains(row.Reason, "2, 3, 4, 5, 10") {
		t.Fatalf("row %+v", row)
	}
	want := map[string]string{"irls_02": "5", "irls_03": "x", "irls_04": "2.0", "irls_05": "n/a", "irls_10": "-1"}
	if len(iss) != len(want) {
		t.Fatalf("issues %v", iss)
	}
	for _, i := range iss {
		if i.Participant != "sub-07" || want[i.Column] != i.Value || i.Severity != SeverityError {
			t.Errorf("issue %v", i)
		}
	}
	// RLS-6: a missing scale leaves the others
	r = rec("sub-08", "rls6_01", "10", "rls6_02", "0", "rls6_03", "11", "rls6_04", "3", "rls6_05", "4", "rls6_06", "5")
	row, iss = RLS6.Score(r)
	if row.Values[0].Num != 10 || !row.Values[2].IsMissing() || row.Values[5].Num != 5 || len(iss) != 1 || iss[0].Column != "rls6_03" {
		t.Fatalf("rls6 %+v %v", row, iss)
	}
}

func TestCriteriaSets(t *testing.T) {
	full := RLSAnswers{Essential: [5]int{1, 1, 1, 1, 1}, NightsPerWeek: 2, DurationMonths: 2, LifetimeEpisodes: math.NaN(), Significant: 0}
	want := map[CriteriaSet]int{IRLSSG2014Set: 1, ICSD3Set: 0, DSM5Set: 0}
	for set, w := range want {
		if got, _ := full.Met(set); got != w {
			t.Errorf("%s: %d, want %d", set, got, w)
		}
	}
	full.Significant, full.NightsPerWeek, full.DurationMonths = 1, 3, 3
	for _, set := range []CriteriaSet{IRLSSG2014Set, ICSD3Set, DSM5Set} {
		if got, _ := full.Met(set); got != 1 {
			t.Errorf("%s not met with everything present", set)
		}
	}
	// three-valued: a failing criterion decides even when another is missing
	a := RLSAnswers{Essential: [5]int{1, 0, -1, 1, 1}, NightsPerWeek: math.NaN(), DurationMonths: math.NaN(), Significant: -1}
	if got, _ := a.Met(IRLSSG2014Set); got != 0 {
		t.Errorf("failing criterion: %d", got)
	}
	a.Essential[1] = 1
	if got, _ := a.Met(IRLSSG2014Set); got != -1 {
		t.Errorf("missing criterion: %d", got)
	}
	if _, err := a.Met("RLS-99"); err == nil {
		t.Error("unknown set accepted")
	}
	courses := []struct {
		nights, episodes float64
		want             string
	}{{2, math.NaN(), "chronic-persistent"}, {1.9, 5, "intermittent"}, {1, 4, ""}, {math.NaN(), 10, ""}, {0.5, math.NaN(), ""}}
	for _, c := range courses {
		if got, _ := (RLSAnswers{NightsPerWeek: c.nights, LifetimeEpisodes: c.episodes}).Course(); got != c.want {
			t.Errorf("course(%g, %g) = %q, want %q", c.nights, c.episodes, got, c.want)
		}
	}
}

func TestMPI(t *testing.T) {
	base := AugmentationAnswers{A1: 1, A2: 1, A3: 1, B: 0, OnsetAdvanceHours: 0, C2: [4]int{0, 0, 0, 0}}
	cases := []struct {
		name string
		mod  func(*AugmentationAnswers)
		want int
	}{
		{"A only", func(a *AugmentationAnswers) {}, 0},
		{"A+B", func(a *AugmentationAnswers) { a.B = 1 }, 1},
		{"A+C1 4h", func(a *AugmentationAnswers) { a.OnsetAdvanceHours = 4 }, 1},
		{"A+3.9h alone", func(a *AugmentationAnswers) { a.OnsetAdvanceHours = 3.9 }, 0},
		{"A+2h+spread", func(a *AugmentationAnswers) { a.OnsetAdvanceHours = 2; a.C2[1] = 1 }, 1},
		{"A+1.9h+spread", func(a *AugmentationAnswers) { a.OnsetAdvanceHours = 1.9; a.C2[1] = 1 }, 0},
		{"A1 no, B yes", func(a *AugmentationAnswers) { a.A1 = 0; a.B = 1 }, 0},
		{"B missing, C no", func(a *AugmentationAnswers) { a.B = -1 }, -1},
		{"B missing, C yes", func(a *AugmentationAnswers) { a.B = -1; a.OnsetAdvanceHours = 5 }, 1},
		{"A3 missing", func(a *AugmentationAnswers) { a.A3 = -1; a.B = 1 }, -1},
		{"onset missing, B no", func(a *AugmentationAnswers) { a.OnsetAdvanceHours = math.NaN() }, -1},
	}
	for _, c := range cases {
		a := base
		c.mod(&a)
		if got := ScoreMPI(a).Augmentation; got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

func TestParseClock(t *testing.T) {
	good := map[string]float64{"00:00": 0, "7:05": 425, "23:59": 1439, "12:30:30": 750.5,
		"11:30 PM": 1410, "12:15 am": 15, "12:00 PM": 720, "6:45a.m.": 405}
	for s, w := range good {
		if got, err := ParseClock(s); err != nil || got != w {
			t.Errorf("%q: %g %v", s, got, err)
		}
	}
	for _, s := range []string{"24:00", "12:60", "1230", "", "12:3", "-1:00", "13:00 PM", "0:30 AM", "12:00 xm"} {
		if _, err := ParseClock(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
