package stats

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The reference values in testdata/reference.tsv were written by
// testdata/reference.R (see testdata/README.md). Every value must be
// checked by some test: TestMain fails the run when a full run leaves any
// unchecked.

type refValue struct {
	v, tol float64
}

var (
	refs     map[string]refValue
	refsUsed = map[string]bool{}
	refsMu   sync.Mutex
)

func loadRefs() error {
	f, err := os.Open(filepath.Join("testdata", "reference.tsv"))
	if err != nil {
		return err
	}
	defer f.Close()
	refs = map[string]refValue{}
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 3 {
			return fmt.Errorf("bad reference line %q", sc.Text())
		}
		v, err1 := strconv.ParseFloat(p[1], 64)
		tol, err2 := strconv.ParseFloat(p[2], 64)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("bad reference line %q", sc.Text())
		}
		refs[p[0]] = refValue{v, tol}
	}
	return sc.Err()
}

func TestMain(m *testing.M) {
	flag.Parse()
	if err := loadRefs(); err != nil {
		fmt.Fprintln(os.Stderr, "loading reference values:", err)
		os.Exit(1)
	}
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && !testing.Short() {
		var missed []string
		for id := range refs {
			if !refsUsed[id] {
				missed = append(missed, id)
			}
		}
		if len(missed) > 0 {
			sort.Strings(missed)
			if len(missed) > 20 {
				missed = append(missed[:20], "...")
			}
			fmt.Fprintf(os.Stderr, "reference values never checked: %v\n", missed)
			code = 1
		}
	}
	os.Exit(code)
}

// hasRef reports whether the reference id exists (without marking it).
func hasRef(id string) bool {
	_, ok := refs[id]
	return ok
}

// near checks got against reference id with the stored tolerance
// (relative, with an absolute floor of tol for values near zero).
func near(t *testing.T, id string, got float64) {
	t.Helper()
	r, ok := refs[id]
	if !ok {
		t.Errorf("%s: no reference value", id)
		return
	}
	refsMu.Lock()
	refsUsed[id] = true
	refsMu.Unlock()
	tol := r.tol
	if math.IsNaN(r.v) || math.IsNaN(got) {
		// R's NaN (e.g. rstandard at leverage 1) must be matched by NaN
		if !(math.IsNaN(r.v) && math.IsNaN(got)) {
			t.Errorf("%s = %.17g, R %.17g", id, got, r.v)
		}
		return
	}
	if tol == 0 {
		if got != r.v {
			t.Errorf("%s = %.17g, R %.17g", id, got, r.v)
		}
		return
	}
	d := math.Abs(got - r.v)
	// absolute floor: tol·1e-3 for exact values near zero; for values R
	// finds by uniroot (tol >= 1e-6) the root's absolute tolerance
	floor := tol * 1e-3
	if tol >= 1e-6 {
		floor = tol
	}
	if !(d <= tol*math.Max(math.Abs(r.v), 1e-300) || d <= floor) {
		t.Errorf("%s = %.17g, R %.17g (rel err %.2g > %g)", id, got, r.v, d/math.Abs(r.v), tol)
	}
}

// nearVec checks got against id/1, id/2, ... and that R has no more.
func nearVec(t *testing.T, id string, got []float64) {
	t.Helper()
	if len(got) == 1 && hasRef(id) {
		near(t, id, got[0])
		return
	}
	for i, g := range got {
		near(t, fmt.Sprintf("%s/%d", id, i+1), g)
	}
	if hasRef(fmt.Sprintf("%s/%d", id, len(got)+1)) {
		t.Errorf("%s: R has more than %d values", id, len(got))
	}
}

func finiteCI(c CI) []float64 {
	var v []float64
	if !math.IsInf(c.Lower, 0) {
		v = append(v, c.Lower)
	}
	if !math.IsInf(c.Upper, 0) {
		v = append(v, c.Upper)
	}
	return v
}

func readTestTable(t testing.TB, name string) *Table {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := ReadTable(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func twoSample(t testing.TB, name string) (x, y []float64) {
	tb := readTestTable(t, "two_"+name+".tsv")
	_, g, err := tb.Split("value", "group")
	if err != nil {
		t.Fatal(err)
	}
	return g[0], g[1]
}

var twoNames = []string{"small", "tiny", "ties", "ties5", "large", "big"}
var alternatives = []Alternative{TwoSided, Greater, Less}

func TestTTestAgainstR(t *testing.T) {
	for _, nm := range twoNames {
		x, y := twoSample(t, nm)
		for _, alt := range alternatives {
			for _, ve := range []bool{true, false} {
				r, err := TTest(x, y, TTestOptions{Alternative: alt, VarEqual: ve, ConfLevel: 0.9})
				if err != nil {
					t.Fatal(err)
				}
				kind := "welch"
				if ve {
					kind = "student"
				}
				id := fmt.Sprintf("ttest/%s/%s/%s", nm, kind, alt)
				near(t, id+"/t", r.T)
				near(t, id+"/df", r.DF)
				near(t, id+"/p", r.P)
				nearVec(t, id+"/ci", finiteCI(r.CI))
			}
			r, err := OneSampleTTest(x, TTestOptions{Alternative: alt, Mu: 1})
			if err != nil {
				t.Fatal(err)
			}
			id := fmt.Sprintf("ttest/%s/one/%s", nm, alt)
			near(t, id+"/t", r.T)
			near(t, id+"/p", r.P)
			nearVec(t, id+"/ci", finiteCI(r.CI))
		}
	}
	tb := readTestTable(t, "paired.tsv")
	px, _ := tb.Float("x")
	py, _ := tb.Float("y")
	for _, alt := range alternatives {
		r, err := PairedTTest(px, py, TTestOptions{Alternative: alt, Mu: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("ttest/paired/%s", alt)
		near(t, id+"/t", r.T)
		near(t, id+"/df", r.DF)
		near(t, id+"/p", r.P)
		nearVec(t, id+"/ci", finiteCI(r.CI))
	}
}

func TestPaperSummary(t *testing.T) {
	r, err := TTestSummary(Summary{1.20, 0.73, 28}, Summary{0.80, 0.39, 20}, TTestOptions{Alternative: Greater, VarEqual: true})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "paper/t", r.T)
	near(t, "paper/df", r.DF)
	near(t, "paper/p", r.P)
	// published: t = 2.229, df = 46, one-tailed p = 0.0154
	if math.Abs(r.T-2.229) > 0.0005 || r.DF != 46 || math.Abs(r.P-0.0154) > 0.00005 {
		t.Errorf("paper check: t = %.4f df = %g p = %.5f, published 2.229, 46, 0.0154", r.T, r.DF, r.P)
	}
}

func TestMannWhitneyAgainstR(t *testing.T) {
	for _, nm := range twoNames {
		x, y := twoSample(t, nm)
		for _, alt := range alternatives {
			for _, nc := range []bool{false, true} {
				r, err := MannWhitney(x, y, MWUOptions{Alternative: alt, NoCorrect: nc, ConfInt: true})
				if err != nil {
					t.Fatal(nm, err)
				}
				kind := "default"
				if nc {
					kind = "nocorrect"
				}
				id := fmt.Sprintf("mwu/%s/%s/%s", nm, kind, alt)
				near(t, id+"/w", r.W)
				near(t, id+"/p", r.P)
				ex := 0.0
				if r.Exact {
					ex = 1
				}
				near(t, id+"/exact", ex)
				near(t, id+"/estimate", r.Estimate)
				nearVec(t, id+"/ci", finiteCI(*r.CI))
			}
			r, err := MannWhitney(x, y, MWUOptions{Alternative: alt, Method: MWUNormal})
			if err != nil {
				t.Fatal(err)
			}
			near(t, fmt.Sprintf("mwu/%s/normal/%s/p", nm, alt), r.P)
			r, err = MannWhitney(x, y, MWUOptions{Alternative: alt, Mu: 0.3, ConfInt: true})
			if err != nil {
				t.Fatal(err)
			}
			near(t, fmt.Sprintf("mwu/%s/mu/%s/w", nm, alt), r.W)
			near(t, fmt.Sprintf("mwu/%s/mu/%s/p", nm, alt), r.P)
			nearVec(t, fmt.Sprintf("mwu/%s/mu/%s/ci", nm, alt), finiteCI(*r.CI))
			id := fmt.Sprintf("mwuexact/%s/%s", nm, alt)
			if hasRef(id) {
				r, err := MannWhitney(x, y, MWUOptions{Alternative: alt, Method: MWUExact})
				if err != nil {
					t.Fatal(err)
				}
				near(t, id, r.P)
			}
		}
	}
}

func TestShapiroWilkAgainstR(t *testing.T) {
	for _, nm := range twoNames {
		x, y := twoSample(t, nm)
		for g, v := range map[string][]float64{"x": x, "y": y} {
			r, err := ShapiroWilk(v)
			if err != nil {
				t.Fatal(err)
			}
			nearVec(t, fmt.Sprintf("shapiro/%s/%s", nm, g), []float64{r.W, r.P})
		}
	}
}

func TestEffectSizeAgainstR(t *testing.T) {
	for _, nm := range twoNames {
		x, y := twoSample(t, nm)
		e, err := CohensD(x, y, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "effect/"+nm+"/d", e.D)
		near(t, "effect/"+nm+"/g", e.G)
		nearVec(t, "effect/"+nm+"/dci", []float64{e.DCI.Lower, e.DCI.Upper})
	}
}

var corNames = []string{"n5", "n8", "n20", "ties30", "n60"}

func TestCorrelationAgainstR(t *testing.T) {
	f := false
	for _, nm := range corNames {
		tb := readTestTable(t, "cor_"+nm+".tsv")
		x, _ := tb.Float("x")
		y, _ := tb.Float("y")
		z1, _ := tb.Float("z1")
		z2, _ := tb.Float("z2")
		for _, alt := range alternatives {
			for _, m := range []CorMethod{Pearson, Spearman, Kendall} {
				r, err := Correlation(x, y, CorOptions{Method: m, Alternative: alt})
				if err != nil {
					t.Fatal(err)
				}
				id := fmt.Sprintf("cor/%s/%s/%s", nm, m, alt)
				near(t, id+"/estimate", r.Estimate)
				near(t, id+"/statistic", r.Statistic)
				near(t, id+"/p", r.P)
				if r.CI != nil {
					nearVec(t, id+"/ci", []float64{r.CI.Lower, r.CI.Upper})
				}
			}
			r, err := Correlation(x, y, CorOptions{Method: Spearman, Alternative: alt, Exact: &f})
			if err != nil {
				t.Fatal(err)
			}
			near(t, fmt.Sprintf("cor/%s/spearman_approx/%s/p", nm, alt), r.P)
			r, err = Correlation(x, y, CorOptions{Method: Kendall, Alternative: alt, Exact: &f})
			if err != nil {
				t.Fatal(err)
			}
			near(t, fmt.Sprintf("cor/%s/kendall_approx/%s/p", nm, alt), r.P)
			near(t, fmt.Sprintf("cor/%s/kendall_approx/%s/z", nm, alt), r.Statistic)
			r, err = Correlation(x, y, CorOptions{Method: Kendall, Alternative: alt, Exact: &f, Continuity: true})
			if err != nil {
				t.Fatal(err)
			}
			near(t, fmt.Sprintf("cor/%s/kendall_cc/%s/p", nm, alt), r.P)
			r, err = Correlation(x, y, CorOptions{Method: Spearman, Alternative: alt, Exact: &f, Continuity: true})
			if err != nil {
				t.Fatal(err)
			}
			near(t, fmt.Sprintf("cor/%s/spearman_cc/%s/p", nm, alt), r.P)
			for k := 1; k <= 2; k++ {
				cov := [][]float64{z1, z2}[:k]
				for _, m := range []CorMethod{Pearson, Spearman} {
					id := fmt.Sprintf("pcor/%s/%s/k%d/%s", nm, m, k, alt)
					if hasRef(id + "/degenerate") {
						_, err := PartialCorrelation(x, y, cov, CorOptions{Method: m, Alternative: alt})
						if !errors.Is(err, ErrConstant) {
							t.Errorf("%s: want ErrConstant for an exactly explained variable, got %v", id, err)
						}
						near(t, id+"/degenerate", 1)
						continue
					}
					if !hasRef(id + "/p") {
						continue
					}
					r, err := PartialCorrelation(x, y, cov, CorOptions{Method: m, Alternative: alt})
					if err != nil {
						t.Fatal(err)
					}
					near(t, id+"/estimate", r.Estimate)
					near(t, id+"/estimate_inv", r.Estimate)
					near(t, id+"/t", r.Statistic)
					near(t, id+"/p", r.P)
					nearVec(t, id+"/ci", []float64{r.CI.Lower, r.CI.Upper})
				}
			}
		}
	}
}

func TestCompareCorrelationsAgainstR(t *testing.T) {
	ind := [][4]float64{{0.61, 28, 0.10, 20}, {-0.2, 50, 0.45, 60}, {0.3, 10, 0.29, 12}}
	for i, v := range ind {
		r, err := CompareIndependent(v[0], int(v[1]), v[2], int(v[3]), TwoSided)
		if err != nil {
			t.Fatal(err)
		}
		near(t, fmt.Sprintf("cmpind/%d/z", i+1), r.Z)
		near(t, fmt.Sprintf("cmpind/%d/p", i+1), r.P)
		g, _ := CompareIndependent(v[0], int(v[1]), v[2], int(v[3]), Greater)
		near(t, fmt.Sprintf("cmpind/%d/pgreater", i+1), g.P)
	}
	dep := [][4]float64{{0.61, 0.35, 0.42, 28}, {0.2, 0.5, -0.1, 100}, {-0.3, 0.1, 0.7, 40}}
	for i, v := range dep {
		r, err := CompareDependent(v[0], v[1], v[2], int(v[3]), TwoSided)
		if err != nil {
			t.Fatal(err)
		}
		near(t, fmt.Sprintf("cmpdep/%d/z", i+1), r.Z)
		near(t, fmt.Sprintf("cmpdep/%d/p", i+1), r.P)
	}
}

func TestPAdjustAgainstR(t *testing.T) {
	p := []float64{0.01, 0.02, 0.03, 0.04, 0.05, 0.5, 0.02, math.NaN(), 0.001, 0.9}
	for _, m := range []AdjustMethod{Bonferroni, Holm, Hochberg, BH, BY} {
		adj, err := PAdjust(p, m)
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsNaN(adj[7]) {
			t.Errorf("%s: NaN input gave %g", m, adj[7])
		}
		nearVec(t, "padjust/"+string(m), dropNaN(adj))
	}
}

func TestPowerAgainstR(t *testing.T) {
	cases := []struct {
		id string
		o  PowerTOptions
	}{
		{"power/t/two", PowerTOptions{N: 20, Delta: 0.5, SD: 1}},
		{"power/t/one", PowerTOptions{N: 20, Delta: 0.5, SD: 1, OneSided: true}},
		{"power/t/paired", PowerTOptions{N: 15, Delta: 0.3, SD: 0.5, Type: Paired}},
		{"power/t/onesample_strict", PowerTOptions{N: 8, Delta: 0.4, SD: 0.7, Type: OneSample, Strict: true}},
		{"power/t/paper", PowerTOptions{N: 24, Delta: 0.4, SD: 0.59, OneSided: true}},
	}
	for _, c := range cases {
		p, err := PowerTTest(c.o)
		if err != nil {
			t.Fatal(err)
		}
		near(t, c.id, p)
	}
	n, err := SampleSizeTTest(PowerTOptions{Delta: 0.5, SD: 1}, 0.8)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "power/t/n80", n)
	n, err = SampleSizeTTest(PowerTOptions{Delta: 0.4, SD: 0.59, OneSided: true}, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "power/t/n90one", n)
	pr := func(r, n, s float64, a Alternative) float64 {
		p, err := PowerCorrelation(r, n, s, a)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	near(t, "power/r/two", pr(0.61, 28, 0.05, TwoSided))
	near(t, "power/r/greater", pr(0.3, 20, 0.05, Greater))
	near(t, "power/r/less", pr(-0.25, 40, 0.01, Less))
	n, err = SampleSizeCorrelation(0.3, 0.05, 0.8, TwoSided)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "power/r/n80", n)
}

func TestLMAgainstR(t *testing.T) {
	cohort := readTestTable(t, "cohort.tsv")
	small := readTestTable(t, "lm_small.tsv")
	forms := map[string]string{"m1": "wake ~ glx * group + age + sex", "m2": "wake ~ glx + group", "m3": "wake ~ group * site + glx", "m4": "wake ~ glx * age", "m5": "wake ~ site",
		"s1": "y ~ f * g", "s2": "y ~ x * f", "s3": "y ~ x + f - 1", "s4": "y ~ x + f:x", "s5": "y ~ 0 + x"}
	for mn, fo := range forms {
		tb := cohort
		if mn[0] == 's' {
			tb = small
		}
		for _, coding := range []Coding{Treatment, Sum} {
			cname := "treatment"
			if coding == Sum {
				cname = "sum"
			}
			r, err := LM(fo, tb, LMOptions{Coding: coding})
			if err != nil {
				t.Fatalf("%s: %v", fo, err)
			}
			id := fmt.Sprintf("lm/%s/%s", mn, cname)
			near(t, id+"/n", float64(r.N))
			var b, se, tv, p, ci []float64
			for _, c := range r.Coefs {
				b = append(b, c.Estimate)
				se = append(se, c.SE)
				tv = append(tv, c.T)
				p = append(p, c.P)
				ci = append(ci, c.Lower, c.Upper)
			}
			nearVec(t, id+"/coef", b)
			nearVec(t, id+"/se", se)
			nearVec(t, id+"/t", tv)
			nearVec(t, id+"/p", p)
			nearVec(t, id+"/ci", ci)
			near(t, id+"/sigma", r.Sigma)
			near(t, id+"/r2", r.R2)
			near(t, id+"/adjr2", r.AdjR2)
			near(t, id+"/f", r.F)
			near(t, id+"/fp", r.FP)
			for k, tab := range [][]AnovaRow{r.AnovaI, r.AnovaII, r.AnovaIII} {
				var ss, f, pp []float64
				for _, row := range tab {
					if row.Term == "Residuals" {
						if k == 0 {
							ss = append(ss, row.SS)
						}
						continue
					}
					ss = append(ss, row.SS)
					f = append(f, row.F)
					pp = append(pp, row.P)
				}
				a := fmt.Sprintf("%s/anova%d", id, k+1)
				nearVec(t, a+"/ss", ss)
				nearVec(t, a+"/f", f)
				nearVec(t, a+"/p", pp)
			}
			if coding == Treatment {
				nearVec(t, id+"/hat", r.Diag.Leverage)
				nearVec(t, id+"/rstandard", r.Diag.Standardized)
				nearVec(t, id+"/rstudent", r.Diag.Studentized)
				nearVec(t, id+"/cooks", r.Diag.CooksD)
				nearVec(t, id+"/shapiro", []float64{r.Diag.Normality.W, r.Diag.Normality.P})
			}
			if mn == "m2" && coding == Treatment {
				near(t, id+"/anova2check/ss", r.AnovaII[0].SS)
				near(t, id+"/anova2check/f", r.AnovaII[0].F)
			}
		}
	}
}

func readFloats(t *testing.T, name string) []float64 {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var v []float64
	for _, s := range strings.Fields(string(b)) {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		v = append(v, x)
	}
	return v
}

func TestBootCIAgainstR(t *testing.T) {
	for _, c := range []struct {
		name string
		conf float64
	}{{"mean", 0.9}, {"cor", 0.95}} {
		reps := readFloats(t, "boot_"+c.name+"_replicates.txt")
		jack := readFloats(t, "boot_"+c.name+"_jackknife.txt")
		t0 := refs["boot/"+c.name+"/t0"].v
		near(t, "boot/"+c.name+"/t0", t0)
		r, err := BootCI(t0, reps, jack, c.conf)
		if err != nil {
			t.Fatal(err)
		}
		nearVec(t, "boot/"+c.name+"/perc", []float64{r.Percentile.Lower, r.Percentile.Upper})
		nearVec(t, "boot/"+c.name+"/bca", []float64{r.BCa.Lower, r.BCa.Upper})
	}
}
