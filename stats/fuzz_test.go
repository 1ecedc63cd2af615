package stats

import (
	"math"
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
