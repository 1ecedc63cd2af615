package bidsschema

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
)

// checkValue checks a JSON value against a schema definition (the JSON
// Schema subset the BIDS schema uses: type, anyOf, enum, items, minItems,
// maxItems, minimum, exclusiveMinimum, maximum, pattern, format,
// additionalProperties, properties). It returns "" when the value fits.
func (s *Schema) checkValue(v any, def map[string]any) string {
	if alts, ok := def["anyOf"].([]any); ok {
		var why []string
		for _, a := range alts {
			ad, _ := a.(map[string]any)
			msg := s.checkValue(v, ad)
			if msg == "" {
				return ""
			}
			why = append(why, msg)
		}
		return "matches none of: " + strings.Join(why, "; ")
	}
	if enum, ok := def["enum"].([]any); ok && !contains(enum, v) {
		return fmt.Sprintf("value %v is not one of %v", v, enum)
	}
	typ, _ := def["type"].(string)
	switch typ {
	case "":
		return ""
	case "string":
		str, ok := v.(string)
		if !ok {
			return fmt.Sprintf("%v is a %s, want a string", v, kind(v))
		}
		return s.checkString(str, def)
	case "number", "integer":
		x, ok := v.(float64)
		if !ok {
			return fmt.Sprintf("%v is a %s, want a %s", v, kind(v), typ)
		}
		if typ == "integer" && x != math.Trunc(x) {
			return fmt.Sprintf("%v is not an integer", x)
		}
		return checkRange(x, def)
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Sprintf("%v is a %s, want a boolean", v, kind(v))
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Sprintf("%v is a %s, want an array", v, kind(v))
		}
		if n, ok := def["minItems"].(float64); ok && float64(len(a)) < n {
			return fmt.Sprintf("%d items, want at least %g", len(a), n)
		}
		if n, ok := def["maxItems"].(float64); ok && float64(len(a)) > n {
			return fmt.Sprintf("%d items, want at most %g", len(a), n)
		}
		if it, ok := def["items"].(map[string]any); ok {
			for i, x := range a {
				if msg := s.checkValue(x, it); msg != "" {
					return fmt.Sprintf("item %d: %s", i, msg)
				}
			}
		}
	case "object":
		o, ok := v.(map[string]any)
		if !ok {
			return fmt.Sprintf("%v is a %s, want an object", v, kind(v))
		}
		props, _ := def["properties"].(map[string]any)
		add, _ := def["additionalProperties"].(map[string]any)
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			pd, ok := props[k].(map[string]any)
			if !ok {
				pd = add
			}
			if pd == nil {
				continue
			}
			if msg := s.checkValue(o[k], pd); msg != "" {
				return fmt.Sprintf("%s: %s", k, msg)
			}
		}
	default:
		return fmt.Sprintf("schema type %q is not supported by this checker", typ)
	}
	return ""
}

func (s *Schema) checkString(str string, def map[string]any) string {
	if pat, ok := def["pattern"].(string); ok {
		re, err := regexp.Compile(pat)
		if err != nil {
			return fmt.Sprintf("schema pattern %q: %v", pat, err)
		}
		if !re.MatchString(str) {
			return fmt.Sprintf("%q does not match %s", str, pat)
		}
	}
	if f, ok := def["format"].(string); ok {
		pat, known := s.Formats[f]
		if !known {
			return fmt.Sprintf("format %q is not in the compiled schema", f)
		}
		// Go's regexp has no lookahead: the relative-path formats that
		// use it are checked without their (?!...) parts.
		pat = regexp.MustCompile(`\(\?![^)]*\)`).ReplaceAllString(pat, "")
		re, err := regexp.Compile("^(?:" + pat + ")$")
		if err != nil {
			return fmt.Sprintf("format %s pattern: %v", f, err)
		}
		if !re.MatchString(str) {
			return fmt.Sprintf("%q is not a %s", str, f)
		}
	}
	return ""
}

func checkRange(x float64, def map[string]any) string {
	if m, ok := def["minimum"].(float64); ok && x < m {
		return fmt.Sprintf("%v is below the minimum %v", x, m)
	}
	if m, ok := def["exclusiveMinimum"].(float64); ok && x <= m {
		return fmt.Sprintf("%v is not above %v", x, m)
	}
	if m, ok := def["maximum"].(float64); ok && x > m {
		return fmt.Sprintf("%v is above the maximum %v", x, m)
	}
	return ""
}

func kind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
