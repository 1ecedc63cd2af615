package lcmodel

import (
	"fmt"
	"strconv"
	"strings"
)

// Namelist is one Fortran namelist group as LCModel writes them:
// `$NAME key=value, key=value $END` (or `/` as terminator). Keys are
// upper-cased; values keep their text with quotes removed.
type Namelist struct {
	// Name is the group name, upper-case (e.g. "NMID", "SEQPAR").
	Name string
	// Values maps upper-case keys to their values.
	Values map[string]string
	// Order lists the keys in file order.
	Order []string
}

// Float returns the numeric value of key, or def when absent.
func (n Namelist) Float(key string, def float64) (float64, error) {
	v, ok := n.Values[strings.ToUpper(key)]
	if !ok || strings.TrimSpace(v) == "" {
		return def, nil
	}
	f, err := parseFortranFloat(strings.Fields(v)[0])
	if err != nil {
		return def, fmt.Errorf("namelist $%s: %s = %q is not a number", n.Name, key, v)
	}
	return f, nil
}

// String returns the text value of key ("" when absent).
func (n Namelist) String(key string) string { return n.Values[strings.ToUpper(key)] }

// parseFortranFloat parses a Fortran real, accepting D exponents.
func parseFortranFloat(s string) (float64, error) {
	s = strings.TrimSpace(s)
	s = strings.Map(func(r rune) rune {
		if r == 'D' || r == 'd' {
			return 'E'
		}
		return r
	}, s)
	return strconv.ParseFloat(s, 64)
}

// parseNamelist parses the namelist that starts at text[0] == '$' or '&'.
// It returns the namelist and the number of bytes consumed.
func parseNamelist(text string) (Namelist, int, error) {
	if len(text) == 0 || (text[0] != '$' && text[0] != '&') {
		return Namelist{}, 0, fmt.Errorf("namelist does not start with $ or &")
	}
	i := 1
	for i < len(text) && !isSpace(text[i]) {
		i++
	}
	nl := Namelist{Name: strings.ToUpper(text[1:i]), Values: map[string]string{}}
	if nl.Name == "" {
		return Namelist{}, 0, fmt.Errorf("namelist without a name")
	}
	// Tokenise until $END / &END / '/'.
	for {
		for i < len(text) && (isSpace(text[i]) || text[i] == ',') {
			i++
		}
		if i >= len(text) {
			return Namelist{}, 0, fmt.Errorf("namelist $%s has no $END", nl.Name)
		}
		rest := text[i:]
		if len(rest) >= 4 && (rest[0] == '$' || rest[0] == '&') && strings.EqualFold(rest[1:4], "END") {
			return nl, i + 4, nil
		}
		if rest[0] == '/' {
			return nl, i + 1, nil
		}
		// key
		j := i
		for j < len(text) && text[j] != '=' && text[j] != '$' && text[j] != '&' && text[j] != '\n' {
			j++
		}
		if j >= len(text) || text[j] != '=' {
			return Namelist{}, 0, fmt.Errorf("namelist $%s: expected key = value near %q", nl.Name, clip(text[i:]))
		}
		key := strings.ToUpper(strings.TrimSpace(text[i:j]))
		i = j + 1
		// value: quoted string, or up to the next key/terminator.
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
		var val strings.Builder
		for i < len(text) {
			c := text[i]
			if c == '\'' || c == '"' {
				q := c
				i++
				for i < len(text) {
					if text[i] == q {
						if i+1 < len(text) && text[i+1] == q {
							val.WriteByte(q)
							i += 2
							continue
						}
						break
					}
					val.WriteByte(text[i])
					i++
				}
				if i >= len(text) {
					return Namelist{}, 0, fmt.Errorf("namelist $%s: unterminated string for %s", nl.Name, key)
				}
				i++
				continue
			}
			if c == '$' || c == '&' || c == '/' {
				break
			}
			if c == ',' || c == '\n' {
				// A comma or newline ends the value unless more numbers of an
				// array follow (lookahead: next token without '=').
				k := i + 1
				for k < len(text) && (isSpace(text[k]) || text[k] == ',') {
					k++
				}
				m := k
				for m < len(text) && text[m] != '=' && text[m] != ',' && text[m] != '\n' && text[m] != '$' && text[m] != '&' {
					m++
				}
				if m < len(text) && text[m] == '=' || k >= len(text) || text[k] == '$' || text[k] == '&' || text[k] == '/' {
					break
				}
				val.WriteByte(' ')
				i = k
				continue
			}
			val.WriteByte(c)
			i++
		}
		if _, dup := nl.Values[key]; !dup {
			nl.Order = append(nl.Order, key)
		}
		nl.Values[key] = strings.TrimSpace(val.String())
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func clip(s string) string {
	if len(s) > 30 {
		return s[:30] + "…"
	}
	return s
}

// fortranFormat is a parsed repeated real edit descriptor such as (8E13.5).
type fortranFormat struct {
	perLine, width int
	// exp is true for E and D descriptors, which always write an exponent.
	exp bool
}

// parseFormat understands the formats LCModel files use: (nEw.d), (nFw.d),
// (nGw.d), with optional 1P; anything else means free format (ok false).
func parseFormat(s string) (fortranFormat, bool) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	s = strings.TrimPrefix(s, "(")
	s = strings.TrimSuffix(s, ")")
	s = strings.TrimPrefix(s, "1P")
	s = strings.TrimPrefix(s, ",")
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n := 1
	if i > 0 {
		n, _ = strconv.Atoi(s[:i])
	}
	if i >= len(s) || !strings.ContainsRune("EFGD", rune(s[i])) {
		return fortranFormat{}, false
	}
	rest := s[i+1:]
	dot := strings.IndexByte(rest, '.')
	if dot < 0 {
		return fortranFormat{}, false
	}
	w, err := strconv.Atoi(rest[:dot])
	if err != nil || w <= 0 || n <= 0 {
		return fortranFormat{}, false
	}
	return fortranFormat{perLine: n, width: w, exp: s[i] == 'E' || s[i] == 'D'}, true
}

// readReals reads count reals from text written with format f (fixed
// width) or, when the format is unknown or a line does not fit it, as
// whitespace-separated values. It returns the values and the bytes used.
func readReals(text string, count int, f fortranFormat, fixed bool) ([]float64, int, error) {
	out := make([]float64, 0, count)
	pos := 0
	line := 0
	// whole is true while every data line so far is a whole number of
	// fixed-width fields: then a last line that is not is cut short.
	whole := fixed
	for len(out) < count {
		if pos >= len(text) {
			return out, pos, fmt.Errorf("data end after %d of %d values", len(out), count)
		}
		end := strings.IndexByte(text[pos:], '\n')
		var l string
		next := 0
		if end < 0 {
			l, next = text[pos:], len(text)
		} else {
			l, next = text[pos:pos+end], pos+end+1
		}
		line++
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			pos = next
			continue
		}
		var vals []string
		if fixed && len(strings.Fields(l)) != (len(l)+f.width-1)/f.width {
			for k := 0; k < len(l); k += f.width {
				e := min(k+f.width, len(l))
				if v := strings.TrimSpace(l[k:e]); v != "" {
					vals = append(vals, v)
				}
			}
		} else {
			vals = strings.Fields(l)
		}
		trimmed := strings.TrimRight(l, " \t")
		for _, v := range vals {
			if len(out) == count {
				break
			}
			x, err := parseFortranFloat(v)
			if err != nil {
				return out, pos, fmt.Errorf("data line %d: %q is not a number", line, v)
			}
			if len(out) == count-1 && fixed {
				// The last value: a number cut mid-way (-4.08200E+01 →
				// -4.082) still parses, so check its form.
				if f.exp && !strings.ContainsAny(v, "EeDd") {
					return out, pos, fmt.Errorf("data line %d: the last value %q has no exponent, which its format's E descriptor always writes: the file is cut short", line, v)
				}
				if whole && len(trimmed)%f.width != 0 {
					return out, pos, fmt.Errorf("data line %d: %d characters, not whole %d-character fields as on every line before: the file is cut short", line, len(trimmed), f.width)
				}
			}
			out = append(out, x)
		}
		if len(trimmed)%max(f.width, 1) != 0 {
			whole = false
		}
		pos = next
	}
	return out, pos, nil
}
