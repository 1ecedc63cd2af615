package stats

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

func FuzzReadTable(f *testing.F) {
	f.Add("participant_id\tage\tgroup\nsub-01\t54\tRLS\nsub-02\tn/a\tcontrol\n")
	f.Add("a\tb\n1\t2\n3\n")
	f.Add("\ufeffx\r\n1e308\r\nNaN\r\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		tb, err := ReadTable(strings.NewReader(s), "fuzz.tsv")
		if err != nil {
			return
		}
		for _, n := range tb.Names {
			c, err := tb.Column(n)
			if err != nil || len(c.Str) != tb.Rows {
				t.Fatalf("column %q: %v", n, err)
			}
			if c.Numeric && len(c.Num) != tb.Rows {
				t.Fatalf("numeric column %q has %d values for %d rows", n, len(c.Num), tb.Rows)
			}
		}
	})
}

func FuzzParseFormula(f *testing.F) {
	for _, s := range []string{"wake ~ glx * group + age + sex", "y ~ (a + b):c - 1", "y ~ 0 + a", "y~", "~a", "y ~ ((a)", "y ~ a*b*c*d - a:b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := ParseFormula(s)
		if err != nil {
			return
		}
		for _, tm := range fm.Terms {
			if len(tm) == 0 {
				t.Fatalf("%q: empty term", s)
			}
			seen := map[string]bool{}
			for _, v := range tm {
				if seen[v] || !isIdent(v) {
					t.Fatalf("%q: bad term %v", s, tm)
				}
				seen[v] = true
			}
		}
	})
}

func FuzzMannWhitney(f *testing.F) {
	f.Add([]byte{1, 5, 3, 9, 2, 2, 7}, uint8(3))
	f.Add([]byte{4, 4, 4, 4}, uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		if len(data) < 2 || len(data) > 40 {
			return
		}
		k := 1 + int(split)%(len(data)-1)
		x := make([]float64, k)
		y := make([]float64, len(data)-k)
		for i, b := range data {
			if i < k {
				x[i] = float64(b % 16)
			} else {
				y[i-k] = float64(b % 16)
			}
		}
		for _, m := range []MWUMethod{MWUAuto, MWUExact, MWUNormal} {
			r, err := MannWhitney(x, y, MWUOptions{Method: m, ConfInt: true})
			if err != nil {
				continue
			}
			if !(r.P >= 0 && r.P <= 1+1e-12) || math.IsNaN(r.Estimate) {
				t.Fatalf("method %d: p = %g, estimate %g for x=%v y=%v", m, r.P, r.Estimate, x, y)
			}
		}
	})
}

func FuzzLM(f *testing.F) {
	f.Add([]byte{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4}, "y ~ x * g")
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1}, "y ~ g + x - 1")
	f.Add([]byte{9, 0, 9, 0, 255, 7, 1, 2, 3}, "y ~ x:g")
	f.Fuzz(func(t *testing.T, data []byte, formula string) {
		if len(data) < 3 || len(data) > 90 || len(formula) > 60 {
			return
		}
		var b strings.Builder
		b.WriteString("y\tx\tg\n")
		for i := 0; i+2 < len(data); i += 3 {
			y := "n/a"
			if data[i] != 255 {
				y = strconv.Itoa(int(data[i]))
			}
			fmt.Fprintf(&b, "%s\t%d\t%c\n", y, data[i+1]%7, 'a'+rune(data[i+2]%3))
		}
		tb, err := ReadTable(strings.NewReader(b.String()), "fuzz.tsv")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []Coding{Treatment, Sum} {
			r, err := LM(formula, tb, LMOptions{Coding: c})
			if err != nil {
				continue
			}
			for _, cf := range r.Coefs {
				if math.IsNaN(cf.Estimate) || math.IsNaN(cf.SE) {
					t.Fatalf("%q: NaN coefficient %+v", formula, cf)
				}
			}
			if r.N+r.Dropped != tb.Rows || r.DF <= 0 {
				t.Fatalf("%q: n %d dropped %d rows %d df %d", formula, r.N, r.Dropped, tb.Rows, r.DF)
			}
		}
	})
}
