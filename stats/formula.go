package stats

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Formula is a parsed model formula such as "wake ~ glx * group + age".
type Formula struct {
	// Response is the left-hand variable.
	Response string
	// Terms are the right-hand terms ordered as R orders them: by degree
	// (main effects, then two-way interactions, ...), each degree in order
	// of appearance; a term's variables are in order of first appearance.
	Terms []Term
	// Intercept is false after "- 1" or "+ 0".
	Intercept bool
}

// Term is a main effect (one variable) or an interaction (several).
type Term []string

// Label is R's term label, variables joined by ":".
func (t Term) Label() string { return strings.Join(t, ":") }

// ParseFormula parses a formula with the operators +, -, *, : and
// parentheses, and the intercept terms 1 and 0: "y ~ a * b" expands to
// a + b + a:b, "y ~ (a + b):c" to a:c + b:c, "- 1" removes the intercept.
func ParseFormula(s string) (Formula, error) {
	lhs, rhs, ok := strings.Cut(s, "~")
	if !ok {
		return Formula{}, fmt.Errorf("%w: formula %q has no '~'", ErrInput, s)
	}
	f := Formula{Response: strings.TrimSpace(lhs), Intercept: true}
	if !isIdent(f.Response) {
		return Formula{}, fmt.Errorf("%w: formula %q: response %q is not a variable name", ErrInput, s, f.Response)
	}
	p := &fparser{src: rhs}
	if err := p.lex(); err != nil {
		return Formula{}, fmt.Errorf("%w: formula %q: %v", ErrInput, s, err)
	}
	terms, err := p.sum(&f)
	if err != nil {
		return Formula{}, fmt.Errorf("%w: formula %q: %v", ErrInput, s, err)
	}
	if p.pos != len(p.toks) {
		return Formula{}, fmt.Errorf("%w: formula %q: unexpected %q", ErrInput, s, p.toks[p.pos])
	}
	// order variables by first appearance
	order := map[string]int{}
	for _, t := range p.toks {
		if isIdent(t) {
			if _, ok := order[t]; !ok {
				order[t] = len(order)
			}
		}
	}
	for _, t := range terms {
		sort.Slice(t, func(i, j int) bool { return order[t[i]] < order[t[j]] })
		if len(t) > 0 {
			f.Terms = append(f.Terms, t)
		}
	}
	sort.SliceStable(f.Terms, func(i, j int) bool { return len(f.Terms[i]) < len(f.Terms[j]) })
	for _, t := range f.Terms {
		for _, v := range t {
			if v == f.Response {
				return Formula{}, fmt.Errorf("%w: formula %q: response %q also on the right", ErrInput, s, v)
			}
		}
	}
	if len(f.Terms) == 0 && !f.Intercept {
		return Formula{}, fmt.Errorf("%w: formula %q has no terms", ErrInput, s)
	}
	return f, nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(unicode.IsLetter(r) || r == '_' || r == '.' || (i > 0 && unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

type fparser struct {
	src  string
	toks []string
	pos  int
}

func (p *fparser) lex() error {
	rs := []rune(p.src)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case strings.ContainsRune("+-*:()", r):
			p.toks = append(p.toks, string(r))
			i++
		case unicode.IsLetter(r) || r == '_' || r == '.' || unicode.IsDigit(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_' || rs[j] == '.') {
				j++
			}
			tok := string(rs[i:j])
			if !isIdent(tok) && tok != "0" && tok != "1" {
				return fmt.Errorf("bad token %q", tok)
			}
			p.toks = append(p.toks, tok)
			i = j
		default:
			return fmt.Errorf("unexpected character %q", r)
		}
	}
	if len(p.toks) == 0 {
		return fmt.Errorf("empty right-hand side")
	}
	return nil
}

func (p *fparser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

// term sets are lists of variable sets; intercept markers are handled in sum.
type termSet []Term

func addTerm(ts termSet, t Term) termSet {
	for _, u := range ts {
		if sameVars(u, t) {
			return ts
		}
	}
	return append(ts, t)
}

func sameVars(a, b Term) bool {
	if len(a) != len(b) {
		return false
	}
	for _, v := range a {
		found := false
		for _, w := range b {
			if v == w {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (p *fparser) sum(f *Formula) (termSet, error) {
	var out termSet
	sign := "+"
	if p.peek() == "-" {
		sign = "-"
		p.pos++
	}
	for {
		if tok := p.peek(); tok == "0" || tok == "1" {
			p.pos++
			f.Intercept = (tok == "1") == (sign == "+")
		} else {
			ts, err := p.prod(f)
			if err != nil {
				return nil, err
			}
			for _, t := range ts {
				if sign == "+" {
					out = addTerm(out, t)
				} else {
					var keep termSet
					for _, u := range out {
						if !sameVars(u, t) {
							keep = append(keep, u)
						}
					}
					out = keep
				}
			}
		}
		switch p.peek() {
		case "+", "-":
			sign = p.peek()
			p.pos++
		default:
			return out, nil
		}
	}
}

func (p *fparser) prod(f *Formula) (termSet, error) {
	a, err := p.inter(f)
	if err != nil {
		return nil, err
	}
	for p.peek() == "*" {
		p.pos++
		b, err := p.inter(f)
		if err != nil {
			return nil, err
		}
		var out termSet
		for _, t := range a {
			out = addTerm(out, t)
		}
		for _, t := range b {
			out = addTerm(out, t)
		}
		for _, t := range cross(a, b) {
			out = addTerm(out, t)
		}
		a = out
	}
	return a, nil
}

func cross(a, b termSet) termSet {
	var out termSet
	for _, t := range a {
		for _, u := range b {
			m := append(Term(nil), t...)
			for _, v := range u {
				dup := false
				for _, w := range m {
					if w == v {
						dup = true
					}
				}
				if !dup {
					m = append(m, v)
				}
			}
			out = addTerm(out, m)
		}
	}
	return out
}

func (p *fparser) inter(f *Formula) (termSet, error) {
	a, err := p.atom(f)
	if err != nil {
		return nil, err
	}
	for p.peek() == ":" {
		p.pos++
		b, err := p.atom(f)
		if err != nil {
			return nil, err
		}
		a = cross(a, b)
	}
	return a, nil
}

func (p *fparser) atom(f *Formula) (termSet, error) {
	tok := p.peek()
	switch {
	case tok == "(":
		p.pos++
		ts, err := p.sum(f)
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, fmt.Errorf("missing ')'")
		}
		p.pos++
		return ts, nil
	case isIdent(tok):
		p.pos++
		return termSet{Term{tok}}, nil
	case tok == "":
		return nil, fmt.Errorf("unexpected end")
	}
	return nil, fmt.Errorf("unexpected %q", tok)
}
