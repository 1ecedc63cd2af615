package clinical

import (
	"fmt"
	"math"
	"strings"
)

// PSQIAnswers are the scored PSQI answers. Clock times are minutes after
// midnight, NaN when missing; codes are 0–3 or -1 when missing.
type PSQIAnswers struct {
	// Bedtime (question 1) and GetUp (question 3), minutes after midnight.
	Bedtime, GetUp float64
	// LatencyMin is question 2, minutes to fall asleep.
	LatencyMin float64
	// SleepHours is question 4, hours of actual sleep per night.
	SleepHours float64
	// Q5 holds questions 5a … 5j (index 0 … 9), codes 0–3.
	Q5 [10]int
	// Q5jDescribed tells whether the "other reason" of 5j was described.
	Q5jDescribed bool
	// Q6 (sleep quality), Q7 (medication), Q8 (staying awake), Q9
	// (enthusiasm), codes 0–3.
	Q6, Q7, Q8, Q9 int
}

// PSQIScore is the result of ScorePSQI. Components are 0–3, -1 when not
// available; Global is 0–21, -1 when not available.
type PSQIScore struct {
	// Components 1 … 7: subjective quality, latency, duration, habitual
	// efficiency, disturbances, medication use, daytime dysfunction.
	Components [7]int
	Global     int
	// EfficiencyPercent is 100 × hours asleep / hours in bed (NaN if n/a).
	EfficiencyPercent float64
	// Poor is Global > 5.
	Poor bool
	// Reasons say why components are n/a; Notes record applied rules.
	Reasons, Notes []string
}

// PSQIPoor is the global score above which sleep quality is poor.
const PSQIPoor = 5

// PSQILatencyScore maps question 2 (minutes) to 0–3: ≤15 → 0, 16–30 → 1,
// 31–60 → 2, >60 → 3 (fractional minutes fall in the band above the
// integer they exceed).
func PSQILatencyScore(min float64) int {
	switch {
	case min <= 15:
		return 0
	case min <= 30:
		return 1
	case min <= 60:
		return 2
	}
	return 3
}

// PSQIDurationScore maps question 4 (hours) to component 3: > 7 → 0,
// 6–7 → 1, 5–6 → 2, < 5 → 3. Shared boundaries go to the better band
// (7 → 1 because "> 7" excludes it; 6 → 1; 5 → 2).
func PSQIDurationScore(h float64) int {
	switch {
	case h > 7:
		return 0
	case h >= 6:
		return 1
	case h >= 5:
		return 2
	}
	return 3
}

// PSQIEfficiencyScore maps habitual sleep efficiency (percent) to component
// 4: ≥ 85 → 0, 75–84 → 1, 65–74 → 2, < 65 → 3; the published integer bands
// are read as half-open intervals [85, ∞), [75, 85), [65, 75), (−∞, 65).
func PSQIEfficiencyScore(pct float64) int {
	switch {
	case pct >= 85:
		return 0
	case pct >= 75:
		return 1
	case pct >= 65:
		return 2
	}
	return 3
}

// psqiSum3 maps a 0–6 sum to 0–3: 0 → 0, 1–2 → 1, 3–4 → 2, 5–6 → 3
// (components 2 and 7).
func psqiSum3(s int) int { return (s + 1) / 2 }

// PSQIDisturbanceScore maps the sum of 5b … 5j (0–27) to component 5:
// 0 → 0, 1–9 → 1, 10–18 → 2, 19–27 → 3.
func PSQIDisturbanceScore(sum int) int {
	switch {
	case sum == 0:
		return 0
	case sum <= 9:
		return 1
	case sum <= 18:
		return 2
	}
	return 3
}

// TimeInBedHours returns the hours from bedtime to getting-up time (both
// minutes after midnight), wrapping over midnight.
func TimeInBedHours(bed, getUp float64) float64 {
	d := math.Mod(getUp-bed, 24*60)
	if d < 0 {
		d += 24 * 60
	}
	return d / 60
}

// ScorePSQI applies the scoring of Buysse et al. (1989) with the
// Pittsburgh scoring instructions: questions 1–9 may not be missing, and a
// component that needs a missing answer is n/a, as is then the global score;
// question 5j counts 0 when either its frequency or its description is
// missing (instruction of D. J. Buysse, 20 May 2005).
func ScorePSQI(a PSQIAnswers) PSQIScore {
	s := PSQIScore{Global: -1, EfficiencyPercent: math.NaN()}
	for i := range s.Components {
		s.Components[i] = -1
	}
	na := func(format string, args ...any) { s.Reasons = append(s.Reasons, fmt.Sprintf(format, args...)) }
	ok3 := func(v int) bool { return v >= 0 && v <= 3 }
	// 1 subjective sleep quality
	if ok3(a.Q6) {
		s.Components[0] = a.Q6
	} else {
		na("component 1 n/a: question 6 missing")
	}
	// 2 latency
	if !math.IsNaN(a.LatencyMin) && ok3(a.Q5[0]) {
		s.Components[1] = psqiSum3(PSQILatencyScore(a.LatencyMin) + a.Q5[0])
	} else {
		na("component 2 n/a: question 2 or 5a missing")
	}
	// 3 duration
	if !math.IsNaN(a.SleepHours) {
		s.Components[2] = PSQIDurationScore(a.SleepHours)
	} else {
		na("component 3 n/a: question 4 missing")
	}
	// 4 habitual efficiency
	if !math.IsNaN(a.SleepHours) && !math.IsNaN(a.Bedtime) && !math.IsNaN(a.GetUp) {
		tib := TimeInBedHours(a.Bedtime, a.GetUp)
		switch {
		case tib == 0:
			na("component 4 n/a: bedtime equals getting-up time (no time in bed)")
		case a.SleepHours > tib:
			na("component 4 n/a: hours asleep (%g) exceed hours in bed (%g)", a.SleepHours, tib)
		default:
			s.EfficiencyPercent = 100 * a.SleepHours / tib
			s.Components[3] = PSQIEfficiencyScore(s.EfficiencyPercent)
		}
	} else {
		na("component 4 n/a: question 1, 3 or 4 missing")
	}
	// 5 disturbances
	sum, okAll := 0, true
	for i := 1; i <= 8; i++ {
		if !ok3(a.Q5[i]) {
			okAll = false
		} else {
			sum += a.Q5[i]
		}
	}
	j := a.Q5[9]
	if !ok3(j) || !a.Q5jDescribed {
		if ok3(j) && j > 0 {
			s.Notes = append(s.Notes, "question 5j counted as 0: its reason was not described")
		}
		j = 0
	}
	if okAll {
		s.Components[4] = PSQIDisturbanceScore(sum + j)
	} else {
		na("component 5 n/a: one of questions 5b–5i missing")
	}
	// 6 medication
	if ok3(a.Q7) {
		s.Components[5] = a.Q7
	} else {
		na("component 6 n/a: question 7 missing")
	}
	// 7 daytime dysfunction
	if ok3(a.Q8) && ok3(a.Q9) {
		s.Components[6] = psqiSum3(a.Q8 + a.Q9)
	} else {
		na("component 7 n/a: question 8 or 9 missing")
	}
	g := 0
	for _, c := range s.Components {
		if c < 0 {
			return s
		}
		g += c
	}
	s.Global = g
	s.Poor = g > PSQIPoor
	return s
}

var psqiItems = func() []ItemSpec {
	it := []ItemSpec{
		{Column: "psqi_01", Kind: ItemClock, Units: "hh:mm", Description: "PSQI question 1: usual bedtime (24 h clock)"},
		{Column: "psqi_02", Kind: ItemNumber, Min: 0, Max: 1440, Units: "minutes", Description: "PSQI question 2: minutes to fall asleep"},
		{Column: "psqi_03", Kind: ItemClock, Units: "hh:mm", Description: "PSQI question 3: usual getting-up time (24 h clock)"},
		{Column: "psqi_04", Kind: ItemNumber, Min: 0, Max: 24, Units: "hours", Description: "PSQI question 4: hours of actual sleep per night"},
	}
	for c := 'a'; c <= 'j'; c++ {
		s := ItemSpec{Column: fmt.Sprintf("psqi_05%c", c), Kind: ItemCode, Min: 0, Max: 3, Description: fmt.Sprintf("PSQI question 5%c frequency code (0–3)", c)}
		if c == 'j' {
			s.Optional = true
		}
		it = append(it, s)
	}
	it = append(it, ItemSpec{Column: "psqi_05j_text", Kind: ItemText, Optional: true, Description: "PSQI question 5j: whether another reason was described (content never read)"})
	for q := 6; q <= 9; q++ {
		it = append(it, ItemSpec{Column: fmt.Sprintf("psqi_%02d", q), Kind: ItemCode, Min: 0, Max: 3, Description: fmt.Sprintf("PSQI question %d code (0–3)", q)})
	}
	return it
}()

// PSQI is the Pittsburgh Sleep Quality Index: psqi_01 (bedtime HH:MM),
// psqi_02 (minutes), psqi_03 (getting-up time HH:MM), psqi_04 (hours),
// psqi_05a … psqi_05j and psqi_06 … psqi_09 (codes 0–3), psqi_05j_text.
// The bed-partner questions (10a–10e) do not enter the score and are not read.
var PSQI = &Instrument{
	Name:        "psqi",
	Title:       "Pittsburgh Sleep Quality Index (PSQI)",
	Reference:   "Buysse DJ, Reynolds CF, Monk TH, Berman SR, Kupfer DJ. The Pittsburgh Sleep Quality Index: a new instrument for psychiatric practice and research. Psychiatry Res 1989;28:193-213",
	MissingRule: "questions 1–9 may not be missing: a component needing a missing answer is n/a and so is the global score; 5j counts 0 if its frequency or its description is missing (Buysse, 2005); a range answer to questions 2 or 4 is replaced by its midpoint",
	Items:       psqiItems,
	Outputs: []Column{
		{Name: "psqi_c1_quality", Description: "component 1, subjective sleep quality", Units: "points (0–3)"},
		{Name: "psqi_c2_latency", Description: "component 2, sleep latency", Units: "points (0–3)"},
		{Name: "psqi_c3_duration", Description: "component 3, sleep duration", Units: "points (0–3)"},
		{Name: "psqi_c4_efficiency", Description: "component 4, habitual sleep efficiency", Units: "points (0–3)"},
		{Name: "psqi_c5_disturbance", Description: "component 5, sleep disturbances", Units: "points (0–3)"},
		{Name: "psqi_c6_medication", Description: "component 6, use of sleeping medication", Units: "points (0–3)"},
		{Name: "psqi_c7_daytime", Description: "component 7, daytime dysfunction", Units: "points (0–3)"},
		{Name: "psqi_efficiency_percent", Description: "habitual sleep efficiency, 100 × hours asleep / hours in bed", Units: "percent"},
		{Name: "psqi_global", Description: "PSQI global score, sum of the seven components", Units: "points (0–21)"},
		{Name: "psqi_poor", Description: "poor sleep quality: global score > 5", Levels: map[string]string{"true": "global > 5", "false": "global ≤ 5"}},
	},
	score: func(in *Instrument, rd *reader) ([]Value, string) {
		it := in.Items
		a := PSQIAnswers{
			Bedtime:    rd.clock(it[0]),
			LatencyMin: rd.number(it[1], true),
			GetUp:      rd.clock(it[2]),
			SleepHours: rd.number(it[3], true),
		}
		for i := 0; i < 10; i++ {
			a.Q5[i] = rd.code(it[4+i])
		}
		a.Q5jDescribed = rd.present("psqi_05j_text")
		if a.Q5[9] >= 0 && !a.Q5jDescribed && a.Q5[9] > 0 {
			rd.add("psqi_05j", fmt.Sprint(a.Q5[9]), SeverityNote, "counted as 0: no other reason described (psqi_05j_text empty), as the Pittsburgh scoring instructions say")
		} else if a.Q5[9] < 0 && a.Q5jDescribed {
			rd.add("psqi_05j", rawOrNA(rd.r, "psqi_05j"), SeverityNote, "counted as 0: a reason was described but its frequency is missing, as the Pittsburgh scoring instructions say")
		}
		a.Q6, a.Q7, a.Q8, a.Q9 = rd.code(it[15]), rd.code(it[16]), rd.code(it[17]), rd.code(it[18])
		s := ScorePSQI(a)
		out := make([]Value, 10)
		for i, c := range s.Components {
			if c >= 0 {
				out[i] = Int(c)
			}
		}
		out[7] = Num(s.EfficiencyPercent)
		if s.Global >= 0 {
			out[8], out[9] = Int(s.Global), Bool(s.Poor)
		}
		return out, strings.Join(s.Reasons, "; ")
	},
}
