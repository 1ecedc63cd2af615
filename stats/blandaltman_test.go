package stats

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Bland & Altman's (Lancet 1986, Table 1) peak flow data, Wright − mini
// Wright meter, first readings (l/min).
var (
	pefrWright = []float64{494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427}
	pefrMini   = []float64{512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451}
)

// readBlandAltmanRef reads testdata/blandaltman.tsv (written by
// testdata/blandaltman.R).
func readBlandAltmanRef(t *testing.T) map[string]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "blandaltman.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "name\t") {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("blandaltman.tsv: line %q: want name<TAB>value", line)
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			t.Fatalf("blandaltman.tsv: %s: %v", k, err)
		}
		out[k] = x
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBlandAltmanAgainstR(t *testing.T) {
	ref := readBlandAltmanRef(t)
	for _, tc := range []struct {
		prefix string
		f      func(a, b []float64) (Agreement, error)
	}{
		{"pefr", BlandAltman},
		{"pefr_pct", BlandAltmanPercent},
	} {
		got, err := tc.f(pefrWright, pefrMini)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			v    float64
		}{
			{"n", float64(got.N)}, {"bias", got.Bias}, {"sd", got.SD}, {"lower", got.Lower}, {"upper", got.Upper},
			{"bias_low", got.BiasLow}, {"bias_high", got.BiasHigh},
		} {
			want, ok := ref[tc.prefix+"_"+c.name]
			if !ok {
				t.Fatalf("blandaltman.tsv has no %s_%s", tc.prefix, c.name)
			}
			if math.Abs(c.v-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s %s = %.12g, R %.12g", tc.prefix, c.name, c.v, want)
			}
		}
	}
}

// The published values: mean difference −2.1 l/min, SD 38.8 l/min (Bland
// & Altman 1986, who drew the limits at ±2 SD from those rounded values:
// −79.7 to 75.5; unrounded they are −79.65 and 75.41).
func TestBlandAltmanPublished(t *testing.T) {
	got, err := BlandAltman(pefrWright, pefrMini)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.Bias+2.1) > 0.05 || math.Abs(got.SD-38.8) > 0.05 {
		t.Errorf("bias %.3f, SD %.3f; published −2.1, 38.8", got.Bias, got.SD)
	}
	if lo, hi := got.Bias-2*got.SD, got.Bias+2*got.SD; math.Abs(lo+79.7) > 0.1 || math.Abs(hi-75.5) > 0.1 {
		t.Errorf("±2 SD limits %.2f, %.2f; published −79.7, 75.5", lo, hi)
	}
}

func TestBlandAltmanCases(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name    string
		a, b    []float64
		pct     bool
		want    Agreement // N, Bias, SD checked; limits from them
		wantErr error
	}{
		// differences 1, 3: mean 2, SD √2
		{name: "two pairs", a: []float64{2, 5}, b: []float64{1, 2}, want: Agreement{N: 2, Bias: 2, SD: math.Sqrt2}},
		// NaN pairs are left out: differences 1, 3 again
		{name: "NaN dropped", a: []float64{2, nan, 5, 7}, b: []float64{1, 4, 2, nan}, want: Agreement{N: 2, Bias: 2, SD: math.Sqrt2}},
		// equal methods: no bias, no spread
		{name: "identical", a: []float64{1, 2, 3}, b: []float64{1, 2, 3}, want: Agreement{N: 3}},
		// percentage differences 200·(3−1)/4 = 100 and 200·(1−3)/4 = −100: mean 0, SD 100√2
		{name: "percent", a: []float64{3, 1}, b: []float64{1, 3}, pct: true, want: Agreement{N: 2, SD: 100 * math.Sqrt2}},
		{name: "one pair", a: []float64{1}, b: []float64{2}, wantErr: ErrTooFew},
		{name: "lengths differ", a: []float64{1, 2}, b: []float64{1}, wantErr: ErrInput},
		{name: "infinite", a: []float64{1, math.Inf(1)}, b: []float64{1, 2}, wantErr: ErrInput},
		{name: "percent of zero mean", a: []float64{1, -2}, b: []float64{2, 2}, pct: true, wantErr: ErrInput},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := BlandAltman
			if tc.pct {
				f = BlandAltmanPercent
			}
			got, err := f(tc.a, tc.b)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if got.N != w.N || math.Abs(got.Bias-w.Bias) > 1e-12 || math.Abs(got.SD-w.SD) > 1e-12 ||
				math.Abs(got.Lower-(w.Bias-1.96*w.SD)) > 1e-12 || math.Abs(got.Upper-(w.Bias+1.96*w.SD)) > 1e-12 {
				t.Errorf("got %+v, want N %d bias %g SD %g", got, w.N, w.Bias, w.SD)
			}
			if !(got.BiasLow <= got.Bias && got.Bias <= got.BiasHigh) {
				t.Errorf("bias %g outside its CI [%g, %g]", got.Bias, got.BiasLow, got.BiasHigh)
			}
		})
	}
}

// The limits of agreement of two methods on the same items.
func ExampleBlandAltman() {
	wright := []float64{494, 395, 516, 434, 476, 557, 413, 442, 650, 433, 417, 656, 267, 478, 178, 423, 427}
	mini := []float64{512, 430, 520, 428, 500, 600, 364, 380, 658, 445, 432, 626, 260, 477, 259, 350, 451}
	a, err := BlandAltman(wright, mini)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("n %d, bias %.1f l/min, limits %.1f to %.1f l/min\n", a.N, a.Bias, a.Lower, a.Upper)
	// Output: n 17, bias -2.1 l/min, limits -78.1 to 73.9 l/min
}
