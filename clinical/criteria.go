package clinical

import (
	"fmt"
	"math"
	"strings"
)

// CriteriaSet names a set of diagnostic criteria for RLS.
type CriteriaSet string

const (
	// IRLSSG2014Set: the five essential criteria (Allen et al., Sleep Med
	// 2014); clinical course and clinical significance are specifiers and
	// are not required for the diagnosis.
	IRLSSG2014Set CriteriaSet = "IRLSSG2014"
	// ICSD3Set: the same five essential features, and the symptoms must
	// cause concern, distress, sleep disturbance or impairment (ICSD-3).
	ICSD3Set CriteriaSet = "ICSD-3"
	// DSM5Set: urge with its three features, not attributable to another
	// condition, at least 3 times a week for at least 3 months, with
	// clinically significant distress or impairment (DSM-5).
	DSM5Set CriteriaSet = "DSM-5"
)

// RLSAnswers are the answers the diagnostic criteria need. Tri-state
// answers use 1 (yes), 0 (no), -1 (missing); quantities use NaN for missing.
type RLSAnswers struct {
	// Essential holds IRLSSG 2014 essential criteria 1–5; criterion 5 is
	// "not solely accounted for by another condition" (1 = met).
	Essential [5]int
	// NightsPerWeek is how many nights a week symptoms occur (untreated,
	// over the past year), 0–7.
	NightsPerWeek float64
	// DurationMonths is how long symptoms have occurred, in months.
	DurationMonths float64
	// LifetimeEpisodes counts lifetime symptomatic episodes (for the
	// intermittent course), NaN if not asked.
	LifetimeEpisodes float64
	// Significant: symptoms cause significant distress or impairment.
	Significant int
}

// and3 is three-valued conjunction over 1/0/-1: any 0 gives 0, else any
// -1 gives -1, else 1.
func and3(xs ...int) int {
	r := 1
	for _, x := range xs {
		if x == 0 {
			return 0
		}
		if x < 0 {
			r = -1
		}
	}
	return r
}

func cmp3(x, min float64) int {
	if math.IsNaN(x) {
		return -1
	}
	if x >= min {
		return 1
	}
	return 0
}

// Met evaluates the criteria of set: 1 met, 0 not met, -1 undetermined
// because an answer that could change the result is missing.
func (a RLSAnswers) Met(set CriteriaSet) (int, error) {
	e := a.Essential[:]
	switch set {
	case IRLSSG2014Set:
		return and3(e...), nil
	case ICSD3Set:
		return and3(append(append([]int{}, e...), a.Significant)...), nil
	case DSM5Set:
		return and3(append(append([]int{}, e...), a.Significant, cmp3(a.NightsPerWeek, 3), cmp3(a.DurationMonths, 3))...), nil
	}
	return -1, fmt.Errorf("unknown criteria set %q (known: %s, %s, %s)", set, IRLSSG2014Set, ICSD3Set, DSM5Set)
}

// Course returns the IRLSSG 2014 clinical-course specifier: "chronic-persistent"
// when untreated symptoms occur on average at least twice a week over the
// past year, "intermittent" when less often with at least 5 lifetime
// events, "" when it cannot be determined (with the reason).
func (a RLSAnswers) Course() (string, string) {
	switch {
	case math.IsNaN(a.NightsPerWeek):
		return "", "nights per week missing"
	case a.NightsPerWeek >= 2:
		return "chronic-persistent", ""
	case math.IsNaN(a.LifetimeEpisodes):
		return "", "fewer than 2 nights a week and lifetime episodes missing"
	case a.LifetimeEpisodes >= 5:
		return "intermittent", ""
	}
	return "", "fewer than 2 nights a week and fewer than 5 lifetime episodes: no IRLSSG course applies"
}

// IRLSSG2014 scores the RLS diagnostic criteria: irlssg_c1 … irlssg_c5
// (0/1), rls_nights_per_week (0–7), rls_duration_months, rls_lifetime_episodes
// (optional) and rls_significance (0/1). It reports the IRLSSG 2014 result
// with its specifiers and, for comparison, the ICSD-3 and DSM-5 results.
var IRLSSG2014 = &Instrument{
	Name:        "rlsdx",
	Title:       "RLS diagnostic criteria (IRLSSG 2014 consensus, with ICSD-3 and DSM-5 variants)",
	Reference:   "Allen RP et al. Restless legs syndrome/Willis-Ekbom disease diagnostic criteria: updated IRLSSG consensus criteria. Sleep Med 2014;15:860-873",
	MissingRule: "three-valued: a criterion set is false when any of its answered criteria fails, n/a when none fails but one is missing",
	Items: []ItemSpec{
		{Column: "irlssg_c1", Kind: ItemCode, Min: 0, Max: 1, Description: "essential criterion 1 met (urge to move the legs)"},
		{Column: "irlssg_c2", Kind: ItemCode, Min: 0, Max: 1, Description: "essential criterion 2 met (begins or worsens at rest)"},
		{Column: "irlssg_c3", Kind: ItemCode, Min: 0, Max: 1, Description: "essential criterion 3 met (relieved by movement)"},
		{Column: "irlssg_c4", Kind: ItemCode, Min: 0, Max: 1, Description: "essential criterion 4 met (evening or night predominance)"},
		{Column: "irlssg_c5", Kind: ItemCode, Min: 0, Max: 1, Description: "essential criterion 5 met (not solely accounted for by a mimic)"},
		{Column: "rls_nights_per_week", Kind: ItemNumber, Min: 0, Max: 7, Units: "nights per week", Description: "nights a week with symptoms over the past year"},
		{Column: "rls_duration_months", Kind: ItemNumber, Min: 0, Max: 1200, Units: "months", Description: "duration of symptoms"},
		{Column: "rls_lifetime_episodes", Kind: ItemNumber, Min: 0, Max: 1e6, Units: "episodes", Description: "lifetime symptomatic episodes", Optional: true},
		{Column: "rls_significance", Kind: ItemCode, Min: 0, Max: 1, Description: "symptoms cause significant distress or impairment (1) or not (0)"},
	},
	Outputs: []Column{
		{Name: "irlssg2014_met", Description: "all five IRLSSG 2014 essential criteria met"},
		{Name: "rls_course", Description: "IRLSSG 2014 clinical course specifier", Levels: map[string]string{
			"chronic-persistent": "untreated symptoms ≥ 2 days/week on average over the past year",
			"intermittent":       "< 2 days/week over the past year, at least 5 lifetime events"}},
		{Name: "rls_clinically_significant", Description: "IRLSSG 2014 clinical significance specifier"},
		{Name: "icsd3_met", Description: "ICSD-3 criteria met (essential features and clinical significance)"},
		{Name: "dsm5_met", Description: "DSM-5 criteria met (features, ≥ 3 times/week, ≥ 3 months, distress or impairment, not attributable to another condition)"},
		{Name: "rls_nights_per_week", Description: "nights a week with symptoms (copied from the answers)", Units: "nights per week"},
		{Name: "rls_duration_months", Description: "duration of symptoms (copied from the answers)", Units: "months"},
	},
	score: func(in *Instrument, rd *reader) ([]Value, string) {
		it := in.Items
		var a RLSAnswers
		for i := 0; i < 5; i++ {
			a.Essential[i] = rd.code(it[i])
		}
		a.NightsPerWeek = rd.number(it[5], false)
		a.DurationMonths = rd.number(it[6], false)
		a.LifetimeEpisodes = rd.number(it[7], false)
		a.Significant = rd.code(it[8])
		tri := func(x int) Value {
			if x < 0 {
				return NA
			}
			return Bool(x == 1)
		}
		var reasons []string
		m14, _ := a.Met(IRLSSG2014Set)
		mi, _ := a.Met(ICSD3Set)
		md, _ := a.Met(DSM5Set)
		if m14 < 0 {
			reasons = append(reasons, "IRLSSG 2014 n/a: an essential criterion is missing")
		}
		course, why := a.Course()
		cv := NA
		if course != "" {
			cv = Str(course)
		} else {
			reasons = append(reasons, "course n/a: "+why)
		}
		return []Value{tri(m14), cv, tri(a.Significant), tri(mi), tri(md), Num(a.NightsPerWeek), Num(a.DurationMonths)}, strings.Join(reasons, "; ")
	},
}
