package bidsschema

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The schema's selectors are expressions of a small language
// (src/schema/meta/expression_tests.yaml): literals, lists, names with
// fields (entities.run), ==, !=, in, !, &&, || and function calls. This
// evaluator supports the subset the compiled rules use and reports
// anything else as an error, so that an unsupported selector can never
// silently select nothing.

type token struct {
	kind string // "str", "num", "id", "op"
	text string
}

func tokenize(src string) ([]token, error) {
	var out []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(src[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("unterminated string in %q", src)
			}
			out = append(out, token{"str", src[i+1 : i+1+j]})
			i += j + 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			out = append(out, token{"num", src[i:j]})
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(src) && (src[j] == '_' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			out = append(out, token{"id", src[i:j]})
			i = j
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "==", "!=", "&&", "||":
				out = append(out, token{"op", two})
				i += 2
				continue
			}
			if strings.IndexByte("!()[],.", c) < 0 {
				return nil, fmt.Errorf("unexpected %q in %q", c, src)
			}
			out = append(out, token{"op", string(c)})
			i++
		}
	}
	return out, nil
}

// env is what a selector can see about a file.
type env struct {
	vars   map[string]any
	exists func(path, scope string) bool
}

type parser struct {
	toks []token
	pos  int
	env  *env
	src  string
}

// evaluate parses and evaluates one selector expression.
func evaluate(src string, e *env) (any, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, env: e, src: src}
	v, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(toks) {
		return nil, fmt.Errorf("selector %q: unexpected %q", src, toks[p.pos].text)
	}
	return v, nil
}

func (p *parser) peek(text string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind != "str" && p.toks[p.pos].text == text
}

func (p *parser) expect(text string) error {
	if !p.peek(text) {
		return fmt.Errorf("selector %q: want %q", p.src, text)
	}
	p.pos++
	return nil
}

func (p *parser) or() (any, error) {
	l, err := p.and()
	for err == nil && p.peek("||") {
		p.pos++
		var r any
		r, err = p.and()
		l = truthy(l) || truthy(r)
	}
	return l, err
}

func (p *parser) and() (any, error) {
	l, err := p.cmp()
	for err == nil && p.peek("&&") {
		p.pos++
		var r any
		r, err = p.cmp()
		l = truthy(l) && truthy(r)
	}
	return l, err
}

func (p *parser) cmp() (any, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	switch {
	case p.peek("=="), p.peek("!="):
		op := p.toks[p.pos].text
		p.pos++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		eq := fmt.Sprint(l) == fmt.Sprint(r) && (l == nil) == (r == nil)
		return eq == (op == "=="), nil
	case p.peek("in"):
		p.pos++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		return contains(r, l), nil
	}
	return l, nil
}

func (p *parser) unary() (any, error) {
	if p.peek("!") {
		p.pos++
		v, err := p.unary()
		return !truthy(v), err
	}
	return p.primary()
}

func (p *parser) primary() (any, error) {
	if p.pos >= len(p.toks) {
		return nil, fmt.Errorf("selector %q: unexpected end", p.src)
	}
	t := p.toks[p.pos]
	p.pos++
	switch {
	case t.kind == "str":
		return t.text, nil
	case t.kind == "num":
		return strconv.ParseFloat(t.text, 64)
	case t.text == "(":
		v, err := p.or()
		if err != nil {
			return nil, err
		}
		return v, p.expect(")")
	case t.text == "[":
		var list []any
		for !p.peek("]") {
			v, err := p.or()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			if !p.peek("]") {
				if err := p.expect(","); err != nil {
					return nil, err
				}
			}
		}
		p.pos++
		return list, nil
	case t.kind == "id" && p.peek("("):
		p.pos++
		var args []any
		for !p.peek(")") {
			v, err := p.or()
			if err != nil {
				return nil, err
			}
			args = append(args, v)
			if !p.peek(")") {
				if err := p.expect(","); err != nil {
					return nil, err
				}
			}
		}
		p.pos++
		return p.call(t.text, args)
	case t.kind == "id":
		v, ok := p.env.vars[t.text]
		if !ok {
			return nil, fmt.Errorf("selector %q: unknown name %q", p.src, t.text)
		}
		for p.peek(".") {
			p.pos++
			if p.pos >= len(p.toks) || p.toks[p.pos].kind != "id" {
				return nil, fmt.Errorf("selector %q: want a field name after '.'", p.src)
			}
			m, _ := v.(map[string]any)
			v = m[p.toks[p.pos].text]
			p.pos++
		}
		return v, nil
	}
	return nil, fmt.Errorf("selector %q: unexpected %q", p.src, t.text)
}

func (p *parser) call(name string, args []any) (any, error) {
	switch {
	case name == "match" && len(args) == 2:
		s, ok1 := args[0].(string)
		pat, ok2 := args[1].(string)
		if !ok2 {
			return nil, fmt.Errorf("selector %q: match wants a pattern string", p.src)
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, fmt.Errorf("selector %q: %w", p.src, err)
		}
		return ok1 && re.MatchString(s), nil
	case name == "intersects" && len(args) == 2:
		a, _ := args[0].([]any)
		for _, x := range a {
			if contains(args[1], x) {
				return true, nil
			}
		}
		return false, nil
	case name == "exists" && len(args) == 2:
		path, _ := args[0].(string)
		scope, _ := args[1].(string)
		return p.env.exists(path, scope), nil
	}
	return nil, fmt.Errorf("selector %q: function %s with %d arguments is not supported", p.src, name, len(args))
}

func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// contains reports whether list or object c holds x (a key of an object).
func contains(c, x any) bool {
	switch cc := c.(type) {
	case []any:
		for _, y := range cc {
			if fmt.Sprint(y) == fmt.Sprint(x) {
				return true
			}
		}
	case map[string]any:
		s, ok := x.(string)
		_, has := cc[s]
		return ok && has
	case string:
		s, ok := x.(string)
		return ok && strings.Contains(cc, s)
	}
	return false
}
