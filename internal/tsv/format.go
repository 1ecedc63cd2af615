package tsv

import (
	"math"
	"strconv"
	"strings"
)

// NA is the BIDS spelling of a missing value.
const NA = "n/a"

// Num formats v for a table: NaN and ±Inf as "n/a", else with the 'g'
// format's shortest representation that reads back as v (as
// strconv.FormatFloat(v, 'g', -1, 64)).
func Num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return NA
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Fixed formats v with prec digits after the decimal point ('f' format),
// NaN and ±Inf as "n/a".
func Fixed(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return NA
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// Sig formats v with prec significant digits ('g' format), NaN and ±Inf as
// "n/a".
func Sig(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return NA
	}
	return strconv.FormatFloat(v, 'g', prec, 64)
}

// OrNil returns v, or nil for NaN and ±Inf: JSON's null for a missing
// number.
func OrNil(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// Ptr returns a pointer to v, or nil for NaN and ±Inf (an omitted or null
// JSON field).
func Ptr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// cellBreaks are what cannot stand in a cell.
var cellBreaks = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

// Clean makes s fit in one table cell: tabs and line breaks become
// spaces.
func Clean(s string) string { return cellBreaks.Replace(s) }

// Text is Clean(s) for a text cell, or "n/a" when s is empty or blank.
func Text(s string) string {
	if strings.TrimSpace(s) == "" {
		return NA
	}
	return Clean(s)
}
