package stats

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestDegenerateInputErrors(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"t one value per group", func() error { _, err := TTest([]float64{1}, []float64{2}, TTestOptions{}); return err }, ErrTooFew},
		{"t all NaN", func() error {
			_, err := TTest([]float64{nan, nan}, []float64{1, 2}, TTestOptions{VarEqual: true})
			return err
		}, ErrTooFew},
		{"t constant", func() error {
			_, err := TTest([]float64{2, 2, 2}, []float64{2, 2}, TTestOptions{VarEqual: true})
			return err
		}, ErrConstant},
		{"t infinite", func() error {
			_, err := TTest([]float64{1, math.Inf(1)}, []float64{2, 3}, TTestOptions{})
			return err
		}, ErrInput},
		{"t bad conf", func() error {
			_, err := TTest([]float64{1, 2}, []float64{2, 4}, TTestOptions{ConfLevel: 1.5})
			return err
		}, ErrInput},
		{"paired length", func() error { _, err := PairedTTest([]float64{1, 2}, []float64{1}, TTestOptions{}); return err }, ErrInput},
		{"paired constant diff", func() error {
			_, err := PairedTTest([]float64{1, 2, 3}, []float64{0, 1, 2}, TTestOptions{})
			return err
		}, ErrConstant},
		{"mwu empty", func() error { _, err := MannWhitney(nil, []float64{1}, MWUOptions{}); return err }, ErrTooFew},
		{"mwu all tied", func() error {
			_, err := MannWhitney([]float64{1, 1}, []float64{1, 1, 1}, MWUOptions{Method: MWUNormal})
			return err
		}, ErrConstant},
		{"cor too few", func() error { _, err := Correlation([]float64{1, 2}, []float64{3, 4}, CorOptions{}); return err }, ErrTooFew},
		{"cor constant", func() error {
			_, err := Correlation([]float64{1, 1, 1, 1}, []float64{1, 2, 3, 4}, CorOptions{Method: Spearman})
			return err
		}, ErrConstant},
		{"pcor too few", func() error {
			_, err := PartialCorrelation([]float64{1, 2, 3, 4}, []float64{2, 1, 4, 3}, [][]float64{{1, 3, 2, 4}}, CorOptions{})
			return err
		}, ErrTooFew},
		{"pcor collinear covariates", func() error {
			z := []float64{1, 2, 3, 4, 5, 6, 7}
			z2 := []float64{2, 4, 6, 8, 10, 12, 14}
			_, err := PartialCorrelation([]float64{1, 3, 2, 5, 4, 7, 6}, []float64{2, 1, 4, 3, 6, 5, 7}, [][]float64{z, z2}, CorOptions{})
			return err
		}, ErrSingular},
		{"compare r out of range", func() error { _, err := CompareIndependent(1, 10, 0.2, 10, TwoSided); return err }, ErrInput},
		{"steiger n", func() error { _, err := CompareDependent(0.1, 0.2, 0.3, 3, TwoSided); return err }, ErrTooFew},
		{"padjust range", func() error { _, err := PAdjust([]float64{0.1, 1.2}, Holm); return err }, ErrInput},
		{"padjust method", func() error { _, err := PAdjust([]float64{0.1}, "sidak"); return err }, ErrInput},
		{"power n", func() error { _, err := PowerTTest(PowerTOptions{N: 1, Delta: 1}); return err }, ErrTooFew},
		{"sample size zero delta", func() error { _, err := SampleSizeTTest(PowerTOptions{}, 0.8); return err }, ErrInput},
		{"boot constant", func() error {
			x := []float64{3, 3, 3, 3}
			_, err := Bootstrap(4, func(i []int) float64 { return x[i[0]] }, BootOptions{R: 50})
			return err
		}, ErrConstant},
		{"shapiro too few", func() error { _, err := ShapiroWilk([]float64{1, 2, nan}); return err }, ErrTooFew},
		{"shapiro identical", func() error { _, err := ShapiroWilk([]float64{1, 1, 1, 1}); return err }, ErrConstant},
		{"effect size constant", func() error { _, err := CohensD([]float64{1, 1}, []float64{1, 1}, 0); return err }, ErrConstant},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			if !errors.Is(err, c.want) {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestLMErrors(t *testing.T) {
	tsv := "y\tx\tg\tc\tx2\n1\t1\ta\tk\t2\n2\t2\tb\tk\t4\n3\t3\ta\tk\t6\n5\t4\tb\tk\t8\n4\tn/a\ta\tk\t10\n"
	tb, err := ReadTable(strings.NewReader(tsv), "t.tsv")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		formula string
		want    error
		msg     string
	}{
		{"y ~ x + x2", ErrSingular, "combination"},
		{"y ~ c", ErrConstant, `factor "c"`},
		{"y ~ nosuch", ErrInput, `no column "nosuch"`},
		{"y ~ x * g + x2", ErrTooFew, "complete rows"},
		{"y ~ x +", ErrInput, "unexpected end"},
		{"y x", ErrInput, "no '~'"},
		{"g ~ x", ErrInput, "not numeric"},
		{"y ~ y", ErrInput, "also on the right"},
	}
	for _, c := range cases {
		_, err := LM(c.formula, tb, LMOptions{})
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want %v mentioning %q", c.formula, err, c.want, c.msg)
		}
	}
}

func TestParseFormula(t *testing.T) {
	cases := []struct {
		in        string
		terms     string
		intercept bool
	}{
		{"wake ~ glx * group + age + sex", "glx group age sex glx:group", true},
		{"y ~ a*b*c", "a b c a:b a:c b:c a:b:c", true},
		{"y ~ (a + b):c - 1", "a:c b:c", false},
		{"y ~ a + b - a", "b", true},
		{"y ~ 0 + a", "a", false},
		{"y ~ b:a + a", "a b:a", true}, // as R: variables ordered by first appearance
		{"y ~ a*b - a:b", "a b", true},
	}
	for _, c := range cases {
		f, err := ParseFormula(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		var labels []string
		for _, tm := range f.Terms {
			labels = append(labels, tm.Label())
		}
		if strings.Join(labels, " ") != c.terms || f.Intercept != c.intercept {
			t.Errorf("%s: terms %v intercept %v, want %s %v", c.in, labels, f.Intercept, c.terms, c.intercept)
		}
	}
}

func TestReadTable(t *testing.T) {
	tsv := "participant_id\tage\tgroup\tglx\r\nsub-01\t54\tRLS\t1.2\r\nsub-02\tn/a\tcontrol\tNA\r\n\r\nsub-03\t61\tcontrol\t0.7\r\n"
	tb, err := ReadTable(strings.NewReader(tsv), "p.tsv")
	if err != nil {
		t.Fatal(err)
	}
	age, err := tb.Float("age")
	if err != nil || tb.Rows != 3 || age[0] != 54 || !math.IsNaN(age[1]) {
		t.Fatalf("age %v rows %d err %v", age, tb.Rows, err)
	}
	if _, err := tb.Float("group"); err == nil || !strings.Contains(err.Error(), `p.tsv:2:11: column "group": "RLS" is not a number`) {
		t.Errorf("non-numeric column: %v", err)
	}
	lv, g, err := tb.Split("glx", "group")
	if err != nil || strings.Join(lv, ",") != "RLS,control" || len(g[1]) != 2 || !math.IsNaN(g[1][0]) {
		t.Errorf("split %v %v %v", lv, g, err)
	}
	for _, bad := range []string{"", "a\tb\n1\n", "a\ta\n1\t2\n", "a\t\n1\t2\n"} {
		if _, err := ReadTable(strings.NewReader(bad), "bad.tsv"); err == nil || !strings.Contains(err.Error(), "bad.tsv") {
			t.Errorf("%q: got %v", bad, err)
		}
	}
}

// Closed-form checks of the exact null distributions.
func TestExactDistributions(t *testing.T) {
	// Mann–Whitney m = 2, n = 2: W in {0,1,2,2,3,4}/6
	d := newWilcoxDist(2, 2)
	want := []float64{1, 1, 2, 1, 1}
	for k, w := range want {
		if math.Abs(d.prob[k]-w/6) > 1e-15 {
			t.Errorf("P(W=%d) = %g, want %g", k, d.prob[k], w/6)
		}
	}
	// Spearman: counts over all n! permutations, S = 0 once
	for n := 2; n <= 7; n++ {
		c := spearmanDist(n)
		tot := 0
		for _, v := range c {
			tot += v
		}
		f := 1
		for i := 2; i <= n; i++ {
			f *= i
		}
		if tot != f || c[0] != 1 || c[n*(n*n-1)/3] != 1 {
			t.Errorf("n = %d: total %d (want %d), S=0: %d", n, tot, f, c[0])
		}
	}
	// Kendall n = 3: inversions 0,1,1,2,2,3 of 6 permutations
	for q, want := range []float64{1.0 / 6, 3.0 / 6, 5.0 / 6, 1} {
		if got := pkendall(float64(q), 3); math.Abs(got-want) > 1e-15 {
			t.Errorf("pkendall(%d, 3) = %g, want %g", q, got, want)
		}
	}
	// exact with ties reduces to the no-ties distribution when there are none
	x, y := []float64{1.5, 3.2, 0.4, 2.8}, []float64{2.1, 0.9, 4.4, 5.1, 3.9}
	a, _ := MannWhitney(x, y, MWUOptions{})
	b, _ := MannWhitney(x, y, MWUOptions{Method: MWUExact})
	if math.Abs(a.P-b.P) > 1e-14 {
		t.Errorf("exact test without ties: %g vs %g", a.P, b.P)
	}
}

func TestBootstrapSeeded(t *testing.T) {
	x := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 0.9, 2.2, 1.1}
	mean := func(idx []int) float64 {
		s := 0.0
		for _, i := range idx {
			s += x[i]
		}
		return s / float64(len(idx))
	}
	a, err := Bootstrap(len(x), mean, BootOptions{R: 999, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Bootstrap(len(x), mean, BootOptions{R: 999, Seed: 5})
	c, _ := Bootstrap(len(x), mean, BootOptions{R: 999, Seed: 6})
	if a.BCa != b.BCa || a.Percentile != b.Percentile {
		t.Error("same seed gave different intervals")
	}
	if a.Percentile == c.Percentile {
		t.Error("different seeds gave identical intervals")
	}
	// the bootstrap SE of a mean approaches sd/sqrt(n) (plug-in, n-1 → n)
	se := math.Sqrt(Variance(x)*float64(len(x)-1)/float64(len(x))) / math.Sqrt(float64(len(x)))
	if math.Abs(a.SE-se)/se > 0.1 || !(a.BCa.Lower < a.Estimate && a.Estimate < a.BCa.Upper) {
		t.Errorf("SE %g (plug-in %g), BCa %+v", a.SE, se, a.BCa)
	}
}

func TestConcurrentUse(t *testing.T) {
	x := []float64{0.91, 1.32, 0.75, 1.60, 1.05, 1.21, 0.68, 1.44}
	y := []float64{33, 41, 20, 75, 38, 52, 29, 48}
	want, err := Correlation(x, y, CorOptions{Method: Spearman})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan float64)
	for i := 0; i < 4; i++ {
		go func() {
			r, _ := Correlation(x, y, CorOptions{Method: Spearman})
			done <- r.P
		}()
	}
	for i := 0; i < 4; i++ {
		if p := <-done; p != want.P {
			t.Errorf("concurrent p %g, want %g", p, want.P)
		}
	}
}
