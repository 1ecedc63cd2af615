package clinical

import (
	"encoding/json"
	"math"
	"strconv"
)

// Kind is the type of a Value.
type Kind int

const (
	// KindMissing is a value that is not available.
	KindMissing Kind = iota
	// KindNumber is a number.
	KindNumber
	// KindString is text.
	KindString
	// KindBool is true or false.
	KindBool
)

// String names the kind ("number", "string", "boolean", "missing").
func (k Kind) String() string {
	switch k {
	case KindNumber:
		return "number"
	case KindString:
		return "string"
	case KindBool:
		return "boolean"
	}
	return "missing"
}

// Value is a score, a participant field or a derived measure: a number, a
// string, a boolean, or missing.
type Value struct {
	Kind Kind
	Num  float64
	Str  string
	Bool bool
}

// Num returns a number value; NaN gives a missing value.
func Num(x float64) Value {
	if math.IsNaN(x) {
		return Value{}
	}
	return Value{Kind: KindNumber, Num: x}
}

// Int returns a number value from an int.
func Int(x int) Value { return Value{Kind: KindNumber, Num: float64(x)} }

// Str returns a string value.
func Str(s string) Value { return Value{Kind: KindString, Str: s} }

// Bool returns a boolean value.
func Bool(b bool) Value { return Value{Kind: KindBool, Bool: b} }

// NA is the missing value.
var NA = Value{}

// IsMissing reports whether v is missing.
func (v Value) IsMissing() bool { return v.Kind == KindMissing }

// String formats v for a TSV cell: numbers in the shortest exact form,
// booleans as true/false, missing as n/a.
func (v Value) String() string {
	switch v.Kind {
	case KindNumber:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	case KindString:
		return v.Str
	case KindBool:
		return strconv.FormatBool(v.Bool)
	}
	return Missing
}

// MarshalJSON writes numbers, strings and booleans as themselves and a
// missing value as null.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.Kind {
	case KindNumber:
		return json.Marshal(v.Num)
	case KindString:
		return json.Marshal(v.Str)
	case KindBool:
		return json.Marshal(v.Bool)
	}
	return []byte("null"), nil
}

// ParseValue reads a TSV cell: "n/a" or empty is missing, "true"/"false"
// booleans, a decimal number a number, anything else a string.
func ParseValue(s string) Value {
	switch s {
	case "", Missing:
		return NA
	case "true", "TRUE", "True":
		return Bool(true)
	case "false", "FALSE", "False":
		return Bool(false)
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(x, 0) && !math.IsNaN(x) {
		return Num(x)
	}
	return Str(s)
}
