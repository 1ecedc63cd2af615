package clinical

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ItemKind says how an item's response is coded.
type ItemKind int

const (
	// ItemCode is an integer response code in [Min, Max].
	ItemCode ItemKind = iota
	// ItemClock is a clock time "HH:MM" (24 h), stored as minutes after midnight.
	ItemClock
	// ItemNumber is a non-negative quantity in Units within [Min, Max].
	ItemNumber
	// ItemText is free text; only its presence is used, its content never
	// read or written.
	ItemText
)

// ItemSpec describes one column of an instrument: its name, how it is
// coded and its allowed range. It never holds item wording.
type ItemSpec struct {
	// Column is the column name, e.g. "irls_03".
	Column string
	Kind   ItemKind
	// Min and Max bound codes and quantities (inclusive).
	Min, Max float64
	// Units of a quantity ("minutes", "hours"), or "hh:mm" for clock times.
	Units string
	// Description is a neutral description (no licensed wording).
	Description string
	// Optional items do not make a score unavailable when missing.
	Optional bool
}

var (
	intRE   = regexp.MustCompile(`^[+]?[0-9]+$`)
	clockRE = regexp.MustCompile(`^([0-9]{1,2}):([0-9]{2})(:([0-9]{2}))?(\s*([AaPp])\.?[Mm]\.?)?$`)
	rangeRE = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:-|–|to)\s*([0-9]+(?:\.[0-9]+)?)\s*$`)
)

// reader pulls validated item values out of a record and collects issues.
type reader struct {
	inst   string
	r      *Record
	issues []Issue
}

func (rd *reader) add(col, val string, sev Severity, format string, args ...any) {
	rd.issues = append(rd.issues, Issue{Participant: rd.r.ID, Instrument: rd.inst, Column: col, Value: val,
		Severity: sev, Message: fmt.Sprintf(format, args...), Source: rd.r.Source[col]})
}

// answer returns the item's answer; false (with an issue unless the
// item is optional or the value was already found invalid) when there is
// none to read.
func (rd *reader) answer(s ItemSpec) (string, bool) {
	if rd.r.Invalid[s.Column] {
		return "", false
	}
	v, ok := rd.r.Get(s.Column)
	if !ok && !s.Optional {
		rd.add(s.Column, rawOrNA(rd.r, s.Column), SeverityError, "missing answer")
	}
	return v, ok
}

// code returns an integer code in [spec.Min, spec.Max], or -1 when missing
// or invalid (with an issue).
func (rd *reader) code(s ItemSpec) int {
	v, ok := rd.answer(s)
	if !ok {
		return -1
	}
	if !intRE.MatchString(v) {
		rd.add(s.Column, v, SeverityError, "not an integer response code (expected %g–%g)", s.Min, s.Max)
		return -1
	}
	n, err := strconv.Atoi(strings.TrimPrefix(v, "+"))
	if err != nil || float64(n) < s.Min || float64(n) > s.Max {
		rd.add(s.Column, v, SeverityError, "response out of range (expected %g–%g)", s.Min, s.Max)
		return -1
	}
	return n
}

// clock returns minutes after midnight, or NaN.
func (rd *reader) clock(s ItemSpec) float64 {
	v, ok := rd.answer(s)
	if !ok {
		return math.NaN()
	}
	m, err := ParseClock(v)
	if err != nil {
		rd.add(s.Column, v, SeverityError, "%v", err)
		return math.NaN()
	}
	return m
}

// number returns a quantity in [Min, Max], or NaN. When allowRange is set,
// a range answer "30-60" is replaced by its midpoint with a note (the PSQI
// instruction "split the difference").
func (rd *reader) number(s ItemSpec, allowRange bool) float64 {
	v, ok := rd.answer(s)
	if !ok {
		return math.NaN()
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		if m := rangeRE.FindStringSubmatch(v); allowRange && m != nil {
			a, _ := strconv.ParseFloat(m[1], 64)
			b, _ := strconv.ParseFloat(m[2], 64)
			if a > b {
				rd.add(s.Column, v, SeverityError, "range answer with lower bound above upper bound")
				return math.NaN()
			}
			x = (a + b) / 2
			rd.add(s.Column, v, SeverityNote, "range answer replaced by its midpoint %g %s (published instruction: split the difference)", x, s.Units)
		} else {
			rd.add(s.Column, v, SeverityError, "not a number of %s", s.Units)
			return math.NaN()
		}
	}
	if x < s.Min || x > s.Max {
		rd.add(s.Column, v, SeverityError, "out of range (expected %g–%g %s)", s.Min, s.Max, s.Units)
		return math.NaN()
	}
	return x
}

// present reports whether a free-text column has content; the content is
// never copied into issues or outputs.
func (rd *reader) present(col string) bool {
	_, ok := rd.r.Get(col)
	return ok
}

func rawOrNA(r *Record, col string) string {
	if v, ok := r.Values[col]; ok && strings.TrimSpace(v) != "" {
		return v
	}
	return Missing
}

// ParseClock reads a clock time "HH:MM" or "HH:MM:SS" (24 hours), or a
// 12-hour time with AM or PM ("11:30 PM", "12:15 am"), and returns minutes
// after midnight.
func ParseClock(s string) (float64, error) {
	m := clockRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return math.NaN(), fmt.Errorf("not a clock time HH:MM (24 h) or H:MM AM/PM")
	}
	h, _ := strconv.Atoi(m[1])
	if m[6] != "" {
		if h < 1 || h > 12 {
			return math.NaN(), fmt.Errorf("12-hour clock time with hour %d (expected 1–12)", h)
		}
		h %= 12
		if m[6] == "P" || m[6] == "p" {
			h += 12
		}
	}
	mi, _ := strconv.Atoi(m[2])
	sec := 0
	if m[4] != "" {
		sec, _ = strconv.Atoi(m[4])
	}
	if h > 23 || mi > 59 || sec > 59 {
		return math.NaN(), fmt.Errorf("clock time out of range (00:00–23:59)")
	}
	return float64(h*60+mi) + float64(sec)/60, nil
}

func codeItems(prefix string, n int, lo, hi float64, desc string) []ItemSpec {
	items := make([]ItemSpec, n)
	for i := range items {
		items[i] = ItemSpec{Column: fmt.Sprintf("%s_%02d", prefix, i+1), Kind: ItemCode, Min: lo, Max: hi,
			Description: fmt.Sprintf("%s item %d response code (%g–%g)", desc, i+1, lo, hi)}
	}
	return items
}

// checkCodes reports whether a set of declared codes (REDCap choices, BIDS
// Levels) for a known item column are exactly the instrument's scores. A
// form coded 1–5 for an item scored 0–4 would otherwise be scored one point
// per item too high without any value being out of range.
func checkCodes(col string, codes []string) error {
	spec, ok := ItemSpecOf(col)
	if !ok || spec.Kind != ItemCode {
		return nil
	}
	want := map[string]bool{}
	for v := int(spec.Min); v <= int(spec.Max); v++ {
		want[strconv.Itoa(v)] = true
	}
	got := map[string]bool{}
	for _, c := range codes {
		got[c] = true
	}
	same := len(got) == len(want)
	for c := range got {
		if !want[c] {
			same = false
		}
	}
	if !same {
		sorted := append([]string(nil), codes...)
		sort.Strings(sorted)
		return fmt.Errorf("column %s declares codes %s, but the instrument scores it %g–%g: recode the form so that each code is the published item score", col, strings.Join(sorted, ", "), spec.Min, spec.Max)
	}
	return nil
}
