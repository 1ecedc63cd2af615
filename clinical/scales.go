package clinical

import (
	"fmt"
	"math"
	"strings"
)

// IRLS severity bands of the total score (Walters et al., Sleep Med 2003).
const (
	BandNone       = "none"
	BandMild       = "mild"
	BandModerate   = "moderate"
	BandSevere     = "severe"
	BandVerySevere = "very severe"
)

// IRLSBand returns the severity band of an IRLS total (0–40): 0 none,
// 1–10 mild, 11–20 moderate, 21–30 severe, 31–40 very severe.
func IRLSBand(total int) (string, error) {
	switch {
	case total < 0 || total > 40:
		return "", fmt.Errorf("IRLS total %d outside 0–40", total)
	case total == 0:
		return BandNone, nil
	case total <= 10:
		return BandMild, nil
	case total <= 20:
		return BandModerate, nil
	case total <= 30:
		return BandSevere, nil
	}
	return BandVerySevere, nil
}

// IRLSSymptomItems and IRLSImpactItems are the item numbers (1-based) of
// the two IRLS subscales, symptom severity and symptom impact, from the
// scale's factor analysis in a clinical-trial setting (Abetz L et al., Sleep
// Med 2006;7:340-349). Item 3 belongs to neither. The validation paper
// (Walters et al. 2003) reported one dominant severity factor, so the total
// remains the primary score.
var (
	IRLSSymptomItems = []int{1, 2, 4, 6, 7, 8}
	IRLSImpactItems  = []int{5, 9, 10}
)

// IRLSScore is the result of ScoreIRLS.
type IRLSScore struct {
	// Total is the sum of the ten item scores (0–40), -1 when not available.
	Total int
	// Band is the severity band of Total ("" when not available).
	Band string
	// Symptoms and Impact are the factor subscale sums, -1 when not available.
	Symptoms, Impact int
	// Missing lists the 1-based numbers of missing items.
	Missing []int
}

// ScoreIRLS scores the ten IRLS item scores (0–4 each, -1 for a missing
// answer). Items are the scores printed beside each option of the published
// form: for item 3 (relief by movement) the printed scores already run from
// 4 (no relief) down to 1 (complete or almost complete relief) and 0 (no
// symptoms to relieve), so the published scoring adds item 3 as recorded
// and no arithmetic reversal is applied. No proration rule is published, so
// the total is not available when any item is missing.
func ScoreIRLS(items [10]int) (IRLSScore, error) {
	s := IRLSScore{Total: -1, Symptoms: -1, Impact: -1}
	sum := 0
	for i, v := range items {
		if v < 0 {
			s.Missing = append(s.Missing, i+1)
			continue
		}
		if v > 4 {
			return s, fmt.Errorf("IRLS item %d score %d outside 0–4", i+1, v)
		}
		sum += v
	}
	sub := func(idx []int) int {
		t := 0
		for _, k := range idx {
			if items[k-1] < 0 {
				return -1
			}
			t += items[k-1]
		}
		return t
	}
	s.Symptoms, s.Impact = sub(IRLSSymptomItems), sub(IRLSImpactItems)
	if len(s.Missing) == 0 {
		s.Total = sum
		s.Band, _ = IRLSBand(sum)
	}
	return s, nil
}

// IRLS is the International RLS Study Group rating scale: items irls_01 …
// irls_10, each 0–4.
var IRLS = &Instrument{
	Name:        "irls",
	Title:       "International Restless Legs Syndrome Study Group rating scale (IRLS)",
	Reference:   "Walters AS et al. Validation of the International Restless Legs Syndrome Study Group rating scale for restless legs syndrome. Sleep Med 2003;4:121-132",
	MissingRule: "no published proration: the total and band are n/a when any item is missing; a subscale is n/a when one of its items is missing",
	Items:       codeItems("irls", 10, 0, 4, "IRLS"),
	Outputs: []Column{
		{Name: "irls_total", Description: "IRLS total score, sum of items 1–10", Units: "points (0–40)"},
		{Name: "irls_band", Description: "IRLS severity band of the total", Levels: map[string]string{
			BandNone: "0", BandMild: "1–10", BandModerate: "11–20", BandSevere: "21–30", BandVerySevere: "31–40"}},
		{Name: "irls_symptoms", Description: "IRLS symptom-severity factor: sum of items 1, 2, 4, 6, 7, 8", Units: "points (0–24)"},
		{Name: "irls_impact", Description: "IRLS symptom-impact factor: sum of items 5, 9, 10", Units: "points (0–12)"},
	},
	score: func(in *Instrument, rd *reader) ([]Value, string) {
		var items [10]int
		for i, it := range in.Items {
			items[i] = rd.code(it)
		}
		s, _ := ScoreIRLS(items) // codes were range-checked
		out := []Value{NA, NA, NA, NA}
		reason := ""
		if s.Total >= 0 {
			out[0], out[1] = Int(s.Total), Str(s.Band)
		} else {
			reason = "total n/a: missing or invalid items " + intList(s.Missing)
		}
		if s.Symptoms >= 0 {
			out[2] = Int(s.Symptoms)
		}
		if s.Impact >= 0 {
			out[3] = Int(s.Impact)
		}
		return out, reason
	},
}

// ESSExcessive is the ESS total above which daytime sleepiness is excessive.
const ESSExcessive = 10

// ScoreESS sums the eight Epworth item scores (0–3 each, -1 missing). The
// total is not available (ok false) when any item is missing: the ESS has no
// proration rule. Excessive daytime sleepiness is a total above 10.
func ScoreESS(items [8]int) (total int, excessive, ok bool, err error) {
	for i, v := range items {
		if v > 3 {
			return 0, false, false, fmt.Errorf("ESS item %d score %d outside 0–3", i+1, v)
		}
		if v < 0 {
			return 0, false, false, nil
		}
		total += v
	}
	return total, total > ESSExcessive, true, nil
}

// ESS is the Epworth Sleepiness Scale: items ess_01 … ess_08, each 0–3.
var ESS = &Instrument{
	Name:        "ess",
	Title:       "Epworth Sleepiness Scale (ESS)",
	Reference:   "Johns MW. A new method for measuring daytime sleepiness: the Epworth sleepiness scale. Sleep 1991;14:540-545",
	MissingRule: "the total is n/a when any of the eight items is missing (no proration)",
	Items:       codeItems("ess", 8, 0, 3, "ESS"),
	Outputs: []Column{
		{Name: "ess_total", Description: "ESS total, sum of items 1–8", Units: "points (0–24)"},
		{Name: "ess_excessive", Description: "excessive daytime sleepiness: ESS total > 10", Levels: map[string]string{"true": "total > 10", "false": "total ≤ 10"}},
	},
	score: func(in *Instrument, rd *reader) ([]Value, string) {
		var items [8]int
		var miss []int
		for i, it := range in.Items {
			items[i] = rd.code(it)
			if items[i] < 0 {
				miss = append(miss, i+1)
			}
		}
		t, ex, ok, _ := ScoreESS(items)
		if !ok {
			return []Value{NA, NA}, "total n/a: missing or invalid items " + intList(miss)
		}
		return []Value{Int(t), Bool(ex)}, ""
	},
}

// RLS6 is the RLS-6 scales: six separate 0–10 ratings (rls6_01 … rls6_06)
// of sleep satisfaction, severity when falling asleep, during the night,
// during the day at rest, during the day when active, and daytime
// tiredness. The published analysis uses the six scales separately, so no
// total is formed; a missing item leaves only its own scale n/a.
var RLS6 = &Instrument{
	Name:        "rls6",
	Title:       "RLS-6 scales",
	Reference:   "Kohnen R et al., validation of the RLS-6 scales, Sleep Med 2016 (six scales, 0–10 each)",
	MissingRule: "each scale stands alone: a missing item makes only that scale n/a",
	Items:       codeItems("rls6", 6, 0, 10, "RLS-6"),
	Outputs: []Column{
		{Name: "rls6_sleep_satisfaction", Description: "RLS-6 scale 1: (dis)satisfaction with sleep", Units: "points (0–10)"},
		{Name: "rls6_falling_asleep", Description: "RLS-6 scale 2: severity when falling asleep", Units: "points (0–10)"},
		{Name: "rls6_night", Description: "RLS-6 scale 3: severity during the night", Units: "points (0–10)"},
		{Name: "rls6_day_rest", Description: "RLS-6 scale 4: severity during the day at rest", Units: "points (0–10)"},
		{Name: "rls6_day_active", Description: "RLS-6 scale 5: severity during the day when active", Units: "points (0–10)"},
		{Name: "rls6_daytime_tiredness", Description: "RLS-6 scale 6: daytime tiredness or sleepiness", Units: "points (0–10)"},
	},
	score: func(in *Instrument, rd *reader) ([]Value, string) {
		out := make([]Value, 6)
		var miss []int
		for i, it := range in.Items {
			if v := rd.code(it); v >= 0 {
				out[i] = Int(v)
			} else {
				miss = append(miss, i+1)
			}
		}
		if len(miss) > 0 {
			return out, "scales n/a for missing or invalid items " + intList(miss)
		}
		return out, ""
	},
}

// dayClock maps a clock time (minutes after midnight) onto a day that starts
// at 06:00, so that 01:00 falls after 23:00 of the same evening.
func dayClock(m float64) float64 {
	if m < 6*60 {
		return m + 24*60
	}
	return m
}

// ScoreJHRLSS returns the Johns Hopkins RLS Severity Scale score from the
// usual onset time of symptoms (Allen & Earley, Sleep Med 2001): 0 no
// symptoms; 1 onset at bedtime (within the hour before going to bed, or
// later); 2 onset in the evening, at or after 18:00 but more than an hour
// before bedtime; 3 onset before 18:00. Times are minutes after midnight;
// times before 06:00 count as the night after the evening.
func ScoreJHRLSS(symptoms bool, onset, bedtime float64) (int, error) {
	if !symptoms {
		return 0, nil
	}
	if math.IsNaN(onset) || math.IsNaN(bedtime) {
		return -1, fmt.Errorf("onset and bedtime are needed when symptoms are present")
	}
	o, b := dayClock(onset), dayClock(bedtime)
	switch {
	case o < 18*60:
		return 3, nil
	case o >= b-60:
		return 1, nil
	}
	return 2, nil
}

// JHRLSS is the Johns Hopkins RLS Severity Scale: jhrlss_symptoms (0/1),
// jhrlss_onset and jhrlss_bedtime (HH:MM).
var JHRLSS = &Instrument{
	Name:        "jhrlss",
	Title:       "Johns Hopkins Restless Legs Severity Scale (JHRLSS)",
	Reference:   "Allen RP, Earley CJ. Validation of the Johns Hopkins restless legs severity scale. Sleep Med 2001;2:239-242",
	MissingRule: "onset time and usual bedtime are required when symptoms are present; otherwise n/a",
	Items: []ItemSpec{
		{Column: "jhrlss_symptoms", Kind: ItemCode, Min: 0, Max: 1, Description: "RLS symptoms present (1) or not (0)"},
		{Column: "jhrlss_onset", Kind: ItemClock, Units: "hh:mm", Description: "usual clock time of symptom onset", Optional: true},
		{Column: "jhrlss_bedtime", Kind: ItemClock, Units: "hh:mm", Description: "usual bedtime", Optional: true},
	},
	Outputs: []Column{
		{Name: "jhrlss", Description: "JHRLSS score by usual time of symptom onset", Units: "points (0–3)", Levels: map[string]string{
			"0": "no symptoms", "1": "onset at bedtime (within 1 h before bed or later)", "2": "onset in the evening (18:00 or later)", "3": "onset before 18:00"}},
	},
	score: func(in *Instrument, rd *reader) ([]Value, string) {
		sym := rd.code(in.Items[0])
		if sym < 0 {
			return []Value{NA}, "symptom presence missing or invalid"
		}
		if sym == 0 {
			return []Value{Int(0)}, ""
		}
		req := func(s ItemSpec) ItemSpec { s.Optional = false; return s }
		on := rd.clock(req(in.Items[1]))
		bed := rd.clock(req(in.Items[2]))
		s, err := ScoreJHRLSS(true, on, bed)
		if err != nil {
			return []Value{NA}, err.Error()
		}
		return []Value{Int(s)}, ""
	},
}

func intList(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ", ")
}
