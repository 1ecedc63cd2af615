package clinical

import (
	"errors"
	"strings"
	"testing"
)

func env(m map[string]Value) func(string) Value { return func(k string) Value { return m[k] } }

func TestExprEval(t *testing.T) {
	vals := map[string]Value{
		"nights": Num(6), "months": Num(5.5), "met": Bool(true), "group": Str("rls"), "plm": NA, "sex": Str("F"),
	}
	cases := []struct {
		rule string
		want Truth
	}{
		{"nights >= 6", True},
		{"nights > 6", False},
		{"nights == 6.0", True},
		{"nights != 6", False},
		{"months < 6", True},
		{"months <= 5.5 and nights >= 6", True},
		{"met == true", True},
		{"met", True},
		{"not met", False},
		{"!met || nights < 1", False},
		{"group == \"rls\"", True},
		{"group == 'control'", False},
		{"group in [\"rls\", \"control\"]", True},
		{"nights in [6, 7]", True},
		{"nights not in [6, 7]", False},
		{"sex in []", False},
		{"plm >= 20", Unknown},
		{"plm >= 20 and nights > 6", False}, // false and unknown = false
		{"plm >= 20 or nights >= 6", True},  // unknown or true = true
		{"plm >= 20 or nights > 6", Unknown},
		{"not (plm >= 20)", Unknown},
		{"missing(plm)", True},
		{"missing(nights)", False},
		{"missing(plm) or plm < 20", True},
		{"plm in [1]", Unknown},
		{"(nights >= 6 and (months >= 6 or met)) && sex == \"F\"", True},
		{"-1 < nights", True},
		{"nights >= 6e0", True},
		{"undefined_field == 1", Unknown},
	}
	for _, c := range cases {
		e, err := ParseExpr(c.rule)
		if err != nil {
			t.Errorf("%q: %v", c.rule, err)
			continue
		}
		got, err := e.Eval(env(vals))
		if err != nil || got != c.want {
			t.Errorf("%q: %v %v, want %v", c.rule, got, err, c.want)
		}
	}
}

func TestExprTypeErrors(t *testing.T) {
	vals := map[string]Value{"n": Num(1), "s": Str("a"), "b": Bool(true)}
	for _, rule := range []string{"n == \"1\"", "s > 1", "b < true", "n and b", "not s", "n"} {
		e, err := ParseExpr(rule)
		if err != nil {
			t.Fatalf("%q: %v", rule, err)
		}
		if _, err := e.Eval(env(vals)); err == nil {
			t.Errorf("%q: no type error", rule)
		}
	}
}

func TestExprParseErrors(t *testing.T) {
	cases := []struct {
		rule string
		col  int
		msg  string
	}{
		{"", 1, "empty rule"},
		{"nights = 6", 8, "'=='"},
		{"nights >= ", 11, "end of rule"},
		{"nights >= 6 months", 13, "after a complete rule"},
		{"(nights >= 6", 13, "')'"},
		{"nights in 6", 11, "'['"},
		{"nights in [6 7]", 14, "',' or ']'"},
		{"nights in [x]", 12, "in the list"},
		{"group == \"rls", 10, "not closed"},
		{"a & b", 3, "\"&&\""},
		{"nights >= 6 and", 16, "end of rule"},
		{"missing(6)", 9, "field name"},
		{"missing(x", 10, "')'"},
		{"x # 1", 3, "unexpected character"},
		{"and == 1", 1, "keyword"},
		{"x == 1..2", 6, "bad number"},
	}
	for _, c := range cases {
		_, err := ParseExpr(c.rule)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v is not a ParseError", c.rule, err)
			continue
		}
		if pe.Column != c.col || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%q: column %d %q, want column %d containing %q", c.rule, pe.Column, pe.Msg, c.col, c.msg)
		}
	}
}

func TestExprFields(t *testing.T) {
	e, err := ParseExpr("a >= 1 and (b in [1] or missing(c)) and not d == e")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.Fields(), ","); got != "a,b,c,d,e" {
		t.Fatalf("fields %s", got)
	}
}

func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{"a >= 6", "not (x in [1, \"a\", true]) or missing(y)", "a && b || !c", "x == 'q'", "((", "1e309 < a", "a not in []"} {
		f.Add(s)
	}
	vals := map[string]Value{"a": Num(1), "b": Bool(false), "x": Str("q")}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseExpr(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Column < 1 || pe.Column > len(s)+1 {
				t.Fatalf("%q: bad error %v", s, err)
			}
			return
		}
		e.Eval(env(vals))
		e.Fields()
	})
}
