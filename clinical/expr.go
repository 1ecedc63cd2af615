package clinical

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Truth is a three-valued logical result.
type Truth int

const (
	// Unknown: a value the rule needs is missing.
	Unknown Truth = iota
	// False: the rule does not hold.
	False
	// True: the rule holds.
	True
)

// String returns "pass", "fail" or "unknown".
func (t Truth) String() string {
	switch t {
	case True:
		return "pass"
	case False:
		return "fail"
	}
	return "unknown"
}

func truthOf(b bool) Truth {
	if b {
		return True
	}
	return False
}

// Expr is a parsed eligibility rule.
//
// The language: comparisons (==, !=, <, <=, >, >=) between fields and
// literals (numbers, "strings", true, false); membership (x in [1, 2],
// x not in ["a"]); missing(x); and, or, not (also &&, ||, !); parentheses.
// Field names are letters, digits, '_' and '.', starting with a letter or
// '_'. Logic is three-valued (Kleene): a comparison with a missing value is
// unknown, "false and unknown" is false, "true or unknown" is true.
type Expr struct {
	src  string
	root node
}

// Source returns the rule text.
func (e *Expr) Source() string { return e.src }

// Fields returns the field names the rule reads, sorted.
func (e *Expr) Fields() []string {
	set := map[string]bool{}
	e.root.fields(set)
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Eval evaluates the rule with field values from get (absent fields are
// missing). An error means the rule cannot be applied to these values (a
// type mismatch such as comparing a string with a number).
func (e *Expr) Eval(get func(string) Value) (Truth, error) {
	v, err := e.root.eval(get)
	if err != nil {
		return Unknown, err
	}
	switch v.Kind {
	case KindBool:
		return truthOf(v.Bool), nil
	case KindMissing:
		return Unknown, nil
	}
	return Unknown, fmt.Errorf("rule %q gives a %s, not true or false", e.src, v.Kind)
}

// ParseError is a syntax error in a rule, with its 1-based column.
type ParseError struct {
	Rule   string
	Column int
	Msg    string
}

// Error gives the rule, the 1-based column and what was expected.
func (e *ParseError) Error() string {
	return fmt.Sprintf("rule %q, column %d: %s", e.Rule, e.Column, e.Msg)
}

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tNum
	tStr
	tOp
	tLParen
	tRParen
	tLBrack
	tRBrack
	tComma
)

type token struct {
	kind tokKind
	text string
	num  float64
	pos  int // 0-based byte offset
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of rule"
	case tStr:
		return strconv.Quote(t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	perr := func(pos int, format string, args ...any) error {
		return &ParseError{Rule: src, Column: pos + 1, Msg: fmt.Sprintf(format, args...)}
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "(", 0, i})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")", 0, i})
			i++
		case c == '[':
			toks = append(toks, token{tLBrack, "[", 0, i})
			i++
		case c == ']':
			toks = append(toks, token{tRBrack, "]", 0, i})
			i++
		case c == ',':
			toks = append(toks, token{tComma, ",", 0, i})
			i++
		case strings.ContainsRune("=!<>&|", rune(c)):
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "==", "!=", "<=", ">=", "&&", "||":
				toks = append(toks, token{tOp, two, 0, i})
				i += 2
				continue
			}
			switch c {
			case '<', '>', '!':
				toks = append(toks, token{tOp, string(c), 0, i})
				i++
			case '=':
				return nil, perr(i, "single '=': use '==' to compare")
			default:
				return nil, perr(i, "single %q: use %q", string(c), string(c)+string(c))
			}
		case c == '"' || c == '\'':
			j := i + 1
			var b strings.Builder
			for j < len(src) && src[j] != c {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
				j++
			}
			if j >= len(src) {
				return nil, perr(i, "string not closed")
			}
			toks = append(toks, token{tStr, b.String(), 0, i})
			i = j + 1
		case c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+':
			j := i + 1
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || src[j] == 'e' || src[j] == 'E' ||
				(src[j] == '-' || src[j] == '+') && (src[j-1] == 'e' || src[j-1] == 'E')) {
				j++
			}
			x, err := strconv.ParseFloat(src[i:j], 64)
			if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
				return nil, perr(i, "bad number %q", src[i:j])
			}
			toks = append(toks, token{tNum, src[i:j], x, i})
			i = j
		case c == '_' || c < 128 && unicode.IsLetter(rune(c)):
			j := i + 1
			for j < len(src) && (src[j] == '_' || src[j] == '.' || src[j] < 128 && (unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j])))) {
				j++
			}
			toks = append(toks, token{tIdent, src[i:j], 0, i})
			i = j
		default:
			return nil, perr(i, "unexpected character %q", rune(c))
		}
	}
	return append(toks, token{tEOF, "", 0, len(src)}), nil
}

type parser struct {
	src  string
	toks []token
	p    int
}

func (ps *parser) peek() token { return ps.toks[ps.p] }
func (ps *parser) next() token { t := ps.toks[ps.p]; ps.p++; return t }
func (ps *parser) errAt(t token, format string, args ...any) error {
	return &ParseError{Rule: ps.src, Column: t.pos + 1, Msg: fmt.Sprintf(format, args...)}
}
func (ps *parser) isWord(w string) bool {
	t := ps.peek()
	return t.kind == tIdent && t.text == w
}

// ParseExpr parses a rule of the eligibility language (see Expr).
func ParseExpr(src string) (*Expr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &ParseError{Rule: src, Column: 1, Msg: "empty rule"}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	ps := &parser{src: src, toks: toks}
	n, err := ps.or()
	if err != nil {
		return nil, err
	}
	if t := ps.peek(); t.kind != tEOF {
		return nil, ps.errAt(t, "unexpected %s after a complete rule (missing 'and' or 'or'?)", describe(t))
	}
	return &Expr{src: src, root: n}, nil
}

func (ps *parser) or() (node, error) {
	l, err := ps.and()
	if err != nil {
		return nil, err
	}
	for ps.isWord("or") || ps.peek().kind == tOp && ps.peek().text == "||" {
		ps.next()
		r, err := ps.and()
		if err != nil {
			return nil, err
		}
		l = &logic{op: "or", l: l, r: r}
	}
	return l, nil
}

func (ps *parser) and() (node, error) {
	l, err := ps.not()
	if err != nil {
		return nil, err
	}
	for ps.isWord("and") || ps.peek().kind == tOp && ps.peek().text == "&&" {
		ps.next()
		r, err := ps.not()
		if err != nil {
			return nil, err
		}
		l = &logic{op: "and", l: l, r: r}
	}
	return l, nil
}

func (ps *parser) not() (node, error) {
	if ps.isWord("not") || ps.peek().kind == tOp && ps.peek().text == "!" {
		ps.next()
		x, err := ps.not()
		if err != nil {
			return nil, err
		}
		return &notNode{x}, nil
	}
	return ps.cmp()
}

func (ps *parser) cmp() (node, error) {
	l, err := ps.primary()
	if err != nil {
		return nil, err
	}
	t := ps.peek()
	if t.kind == tOp {
		switch t.text {
		case "==", "!=", "<", "<=", ">", ">=":
			ps.next()
			r, err := ps.primary()
			if err != nil {
				return nil, err
			}
			return &compare{op: t.text, l: l, r: r}, nil
		}
	}
	neg := false
	if ps.isWord("not") && ps.toks[ps.p+1].kind == tIdent && ps.toks[ps.p+1].text == "in" {
		ps.next()
		neg = true
	}
	if ps.isWord("in") {
		ps.next()
		list, err := ps.list()
		if err != nil {
			return nil, err
		}
		var n node = &inNode{x: l, list: list}
		if neg {
			n = &notNode{n}
		}
		return n, nil
	}
	return l, nil
}

func (ps *parser) list() ([]Value, error) {
	t := ps.next()
	if t.kind != tLBrack {
		return nil, ps.errAt(t, "expected '[' to start the list after 'in', found %s", describe(t))
	}
	var out []Value
	if ps.peek().kind == tRBrack {
		ps.next()
		return out, nil
	}
	for {
		t := ps.next()
		switch {
		case t.kind == tNum:
			out = append(out, Num(t.num))
		case t.kind == tStr:
			out = append(out, Str(t.text))
		case t.kind == tIdent && (t.text == "true" || t.text == "false"):
			out = append(out, Bool(t.text == "true"))
		default:
			return nil, ps.errAt(t, "expected a number, string, true or false in the list, found %s", describe(t))
		}
		t = ps.next()
		if t.kind == tRBrack {
			return out, nil
		}
		if t.kind != tComma {
			return nil, ps.errAt(t, "expected ',' or ']' in the list, found %s", describe(t))
		}
	}
}

var reserved = map[string]bool{"and": true, "or": true, "not": true, "in": true}

func (ps *parser) primary() (node, error) {
	t := ps.next()
	switch t.kind {
	case tNum:
		return lit{Num(t.num)}, nil
	case tStr:
		return lit{Str(t.text)}, nil
	case tLParen:
		n, err := ps.or()
		if err != nil {
			return nil, err
		}
		if c := ps.next(); c.kind != tRParen {
			return nil, ps.errAt(c, "expected ')' to close the '(' at column %d, found %s", t.pos+1, describe(c))
		}
		return n, nil
	case tIdent:
		switch {
		case t.text == "true" || t.text == "false":
			return lit{Bool(t.text == "true")}, nil
		case t.text == "missing" && ps.peek().kind == tLParen:
			ps.next()
			f := ps.next()
			if f.kind != tIdent || reserved[f.text] {
				return nil, ps.errAt(f, "missing() takes a field name, found %s", describe(f))
			}
			if c := ps.next(); c.kind != tRParen {
				return nil, ps.errAt(c, "expected ')' after the field name in missing(), found %s", describe(c))
			}
			return &missingNode{f.text}, nil
		case reserved[t.text]:
			return nil, ps.errAt(t, "expected a field or value, found the keyword %q", t.text)
		}
		return field{t.text}, nil
	}
	return nil, ps.errAt(t, "expected a field or value, found %s", describe(t))
}

type node interface {
	eval(get func(string) Value) (Value, error)
	fields(map[string]bool)
}

type lit struct{ v Value }

func (n lit) eval(func(string) Value) (Value, error) { return n.v, nil }
func (n lit) fields(map[string]bool)                 {}

type field struct{ name string }

func (n field) eval(get func(string) Value) (Value, error) { return get(n.name), nil }
func (n field) fields(s map[string]bool)                   { s[n.name] = true }

type missingNode struct{ name string }

func (n *missingNode) eval(get func(string) Value) (Value, error) {
	return Bool(get(n.name).IsMissing()), nil
}
func (n *missingNode) fields(s map[string]bool) { s[n.name] = true }

func toTruth(v Value, what string) (Truth, error) {
	switch v.Kind {
	case KindMissing:
		return Unknown, nil
	case KindBool:
		return truthOf(v.Bool), nil
	}
	return Unknown, fmt.Errorf("%s needs true or false, got the %s %s", what, v.Kind, v)
}

type notNode struct{ x node }

func (n *notNode) eval(get func(string) Value) (Value, error) {
	v, err := n.x.eval(get)
	if err != nil {
		return NA, err
	}
	t, err := toTruth(v, "'not'")
	if err != nil {
		return NA, err
	}
	switch t {
	case True:
		return Bool(false), nil
	case False:
		return Bool(true), nil
	}
	return NA, nil
}
func (n *notNode) fields(s map[string]bool) { n.x.fields(s) }

type logic struct {
	op   string
	l, r node
}

func (n *logic) eval(get func(string) Value) (Value, error) {
	lv, err := n.l.eval(get)
	if err != nil {
		return NA, err
	}
	rv, err := n.r.eval(get)
	if err != nil {
		return NA, err
	}
	a, err := toTruth(lv, "'"+n.op+"'")
	if err != nil {
		return NA, err
	}
	b, err := toTruth(rv, "'"+n.op+"'")
	if err != nil {
		return NA, err
	}
	if n.op == "and" {
		switch {
		case a == False || b == False:
			return Bool(false), nil
		case a == True && b == True:
			return Bool(true), nil
		}
		return NA, nil
	}
	switch {
	case a == True || b == True:
		return Bool(true), nil
	case a == False && b == False:
		return Bool(false), nil
	}
	return NA, nil
}
func (n *logic) fields(s map[string]bool) { n.l.fields(s); n.r.fields(s) }

type compare struct {
	op   string
	l, r node
}

func (n *compare) eval(get func(string) Value) (Value, error) {
	a, err := n.l.eval(get)
	if err != nil {
		return NA, err
	}
	b, err := n.r.eval(get)
	if err != nil {
		return NA, err
	}
	if a.IsMissing() || b.IsMissing() {
		return NA, nil
	}
	if a.Kind != b.Kind {
		return NA, fmt.Errorf("cannot compare the %s %s with the %s %s", a.Kind, a, b.Kind, b)
	}
	var c int
	switch a.Kind {
	case KindNumber:
		c = cmpFloat(a.Num, b.Num)
	case KindString:
		c = strings.Compare(a.Str, b.Str)
	case KindBool:
		if n.op != "==" && n.op != "!=" {
			return NA, fmt.Errorf("booleans can only be compared with == or !=")
		}
		if a.Bool != b.Bool {
			c = 1
		}
	}
	var r bool
	switch n.op {
	case "==":
		r = c == 0
	case "!=":
		r = c != 0
	case "<":
		r = c < 0
	case "<=":
		r = c <= 0
	case ">":
		r = c > 0
	case ">=":
		r = c >= 0
	}
	return Bool(r), nil
}
func (n *compare) fields(s map[string]bool) { n.l.fields(s); n.r.fields(s) }

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

type inNode struct {
	x    node
	list []Value
}

func (n *inNode) eval(get func(string) Value) (Value, error) {
	v, err := n.x.eval(get)
	if err != nil {
		return NA, err
	}
	if v.IsMissing() {
		return NA, nil
	}
	for _, e := range n.list {
		if e.Kind == v.Kind && e.String() == v.String() {
			return Bool(true), nil
		}
	}
	return Bool(false), nil
}
func (n *inNode) fields(s map[string]bool) { n.x.fields(s) }
