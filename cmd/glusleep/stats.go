package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"glusleep/stats"
)

// Commands `glusleep stats ...`: group statistics on a TSV table (BIDS
// participants.tsv style, "n/a" for missing values), each printing a
// one-line APA-style result or, with --json, the full result.

func init() {
	register(&command{path: "stats ttest", usage: "stats ttest (TABLE.tsv --value COL --group COL [--levels A,B] | TABLE.tsv --paired --x COL --y COL | --summary-x M,SD,N --summary-y M,SD,N) [--mu D] [--alternative two.sided|greater|less] [--var-equal] [--conf P] [--json]",
		summary: "Student/Welch/paired t-test (also from summary statistics)", run: runStatsTTest})
	register(&command{path: "stats mwu", usage: "stats mwu TABLE.tsv --value COL --group COL [--levels A,B] [--exact|--normal] [--no-correct] [--conf-int] [--alternative two.sided|greater|less] [--conf P] [--json]",
		summary: "Mann–Whitney U (Wilcoxon rank-sum) test", run: runStatsMWU})
	register(&command{path: "stats corr", usage: "stats corr TABLE.tsv --x COL --y COL [--method pearson|spearman|kendall] [--covariates A,B] [--by COL] [--boot N [--seed N]] [--alternative two.sided|greater|less] [--conf P] [--json]",
		summary: "correlation test, partial correlation, per group", run: runStatsCorr})
	register(&command{path: "stats lm", usage: "stats lm TABLE.tsv --formula 'y ~ a * b + c' [--coding treatment|sum] [--factors A,B] [--ref F=LEVEL,...] [--alternative two.sided|greater|less] [--conf P] [--json]",
		summary: "linear model with type I/II/III ANOVA", run: runStatsLM})
	register(&command{path: "stats compare-corr", usage: "stats compare-corr (--r1 R --n1 N --r2 R --n2 N | --r12 R --r13 R --r23 R --n N) [--alternative two.sided|greater|less] [--conf P] [--json]",
		summary: "compare independent (Fisher z) or dependent (Steiger) correlations", run: runStatsCompare})
	register(&command{path: "stats power", usage: "stats power --test t|r [--type two.sample|one.sample|paired] [--n N | --power P] [--delta D --sd S | --r R] [--sig-level A] [--alternative two.sided|greater|less] [--json]",
		summary: "power and sample size of a t-test or correlation test", run: runStatsPower})
}

type statsCommon struct {
	alt     *string
	conf    *float64
	jsonOut *bool
}

// addCommon defines --alternative, --json and, when withConf, --conf.
func addCommon(fs *flag.FlagSet, withConf bool) statsCommon {
	c := statsCommon{
		alt:     fs.String("alternative", "two.sided", "alternative hypothesis: two.sided, greater or less"),
		jsonOut: fs.Bool("json", false, "print the full result as JSON"),
	}
	if withConf {
		c.conf = fs.Float64("conf", 0.95, "confidence level, a fraction")
	}
	return c
}

func (c statsCommon) alternative() (stats.Alternative, error) {
	a, err := stats.ParseAlternative(*c.alt)
	if err != nil {
		return a, fmt.Errorf("%w: %v", errUsage, err)
	}
	return a, nil
}

func readStatsTable(path string) (*stats.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return stats.ReadTable(f, path)
}

func oneTable(pos []string) (*stats.Table, error) {
	if len(pos) != 1 {
		return nil, fmt.Errorf("%w: need exactly one TABLE.tsv, got %d arguments", errUsage, len(pos))
	}
	return readStatsTable(pos[0])
}

func emit(env *cmdEnv, asJSON bool, apa string, v any) error {
	if !asJSON {
		_, err := fmt.Fprintln(env.stdout, apa)
		return err
	}
	b, err := json.MarshalIndent(map[string]any{"apa": apa, "result": v}, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	_, err = fmt.Fprintln(env.stdout, string(b))
	return err
}

func parseSummary(s string) (stats.Summary, error) {
	sum, err := stats.ParseSummary(s)
	if err != nil {
		return sum, fmt.Errorf("%w: %v", errUsage, err)
	}
	return sum, nil
}

// groups splits --value by --group, with optional --levels "a,b" choosing
// and ordering the two groups (x is the first).
func groups(t *stats.Table, value, group, levels string) ([]string, [][]float64, error) {
	if value == "" || group == "" {
		return nil, nil, fmt.Errorf("%w: need --value and --group", errUsage)
	}
	var lv []string
	if levels != "" {
		lv = strings.Split(levels, ",")
	}
	names, x, y, err := t.TwoGroups(value, group, lv)
	if errors.Is(err, stats.ErrNotTwoGroups) {
		return nil, nil, fmt.Errorf("%w: %v; choose two with --levels A,B", errUsage, err)
	}
	if err != nil {
		return nil, nil, err
	}
	return names, [][]float64{x, y}, nil
}

func runStatsTTest(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "stats ttest")
	c := addCommon(fs, true)
	value := fs.String("value", "", "numeric column to compare")
	group := fs.String("group", "", "grouping column")
	levels := fs.String("levels", "", "the two groups, first minus second (default: sorted levels)")
	varEqual := fs.Bool("var-equal", false, "Student's pooled-variance test (default Welch)")
	paired := fs.Bool("paired", false, "paired test of columns --x minus --y")
	xcol := fs.String("x", "", "first column (paired)")
	ycol := fs.String("y", "", "second column (paired)")
	mu := fs.Float64("mu", 0, "hypothesized difference, in the value column's unit")
	sx := fs.String("summary-x", "", "first group's MEAN,SD,N (no table)")
	sy := fs.String("summary-y", "", "second group's MEAN,SD,N (no table)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	alt, err := c.alternative()
	if err != nil {
		return err
	}
	opt := stats.TTestOptions{Alternative: alt, VarEqual: *varEqual, Mu: *mu, ConfLevel: *c.conf}
	var r stats.TTestResult
	label := ""
	switch {
	case *sx != "" || *sy != "":
		a, err := parseSummary(*sx)
		if err != nil {
			return err
		}
		b, err := parseSummary(*sy)
		if err != nil {
			return err
		}
		if r, err = stats.TTestSummary(a, b, opt); err != nil {
			return err
		}
		es, err := stats.CohensDSummary(a, b, *c.conf)
		if err != nil {
			return err
		}
		return emit(env, *c.jsonOut, r.Method+", "+r.APA()+"; "+es.APA(), map[string]any{"test": r, "effect_size": es})
	case *paired:
		t, err := oneTable(pos)
		if err != nil {
			return err
		}
		x, err := t.Float(*xcol)
		if err != nil {
			return err
		}
		y, err := t.Float(*ycol)
		if err != nil {
			return err
		}
		if r, err = stats.PairedTTest(x, y, opt); err != nil {
			return err
		}
		label = fmt.Sprintf("%s - %s: ", *xcol, *ycol)
	default:
		t, err := oneTable(pos)
		if err != nil {
			return err
		}
		names, g, err := groups(t, *value, *group, *levels)
		if err != nil {
			return err
		}
		if r, err = stats.TTest(g[0], g[1], opt); err != nil {
			return err
		}
		label = fmt.Sprintf("%s, %s (M = %.2f, n = %d) vs %s (M = %.2f, n = %d): ", *value, names[0], r.MeanX, r.NX, names[1], r.MeanY, r.NY)
		es, err := stats.CohensD(g[0], g[1], *c.conf)
		if err != nil {
			return err
		}
		return emit(env, *c.jsonOut, label+r.Method+", "+r.APA()+"; "+es.APA(), map[string]any{"test": r, "effect_size": es})
	}
	return emit(env, *c.jsonOut, label+r.Method+", "+r.APA(), map[string]any{"test": r})
}

func runStatsMWU(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "stats mwu")
	c := addCommon(fs, true)
	value := fs.String("value", "", "numeric column to compare")
	group := fs.String("group", "", "grouping column")
	levels := fs.String("levels", "", "the two groups (default: sorted levels)")
	exact := fs.Bool("exact", false, "exact p-value, also with ties")
	normal := fs.Bool("normal", false, "normal approximation")
	noCorrect := fs.Bool("no-correct", false, "no continuity correction")
	confInt := fs.Bool("conf-int", false, "Hodges–Lehmann shift and interval")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	alt, err := c.alternative()
	if err != nil {
		return err
	}
	if *exact && *normal {
		return fmt.Errorf("%w: --exact and --normal exclude each other", errUsage)
	}
	t, err := oneTable(pos)
	if err != nil {
		return err
	}
	names, g, err := groups(t, *value, *group, *levels)
	if err != nil {
		return err
	}
	opt := stats.MWUOptions{Alternative: alt, NoCorrect: *noCorrect, ConfInt: *confInt, ConfLevel: *c.conf}
	if *exact {
		opt.Method = stats.MWUExact
	} else if *normal {
		opt.Method = stats.MWUNormal
	}
	r, err := stats.MannWhitney(g[0], g[1], opt)
	if err != nil {
		return err
	}
	return emit(env, *c.jsonOut, fmt.Sprintf("%s, %s vs %s: %s, %s", *value, names[0], names[1], r.Method, r.APA()), r)
}

func runStatsCorr(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "stats corr")
	c := addCommon(fs, true)
	xcol := fs.String("x", "", "first column")
	ycol := fs.String("y", "", "second column")
	method := fs.String("method", "pearson", "pearson, spearman or kendall")
	covs := fs.String("covariates", "", "comma-separated columns to partial out")
	by := fs.String("by", "", "run separately within each level of this column")
	boot := fs.Int("boot", 0, "bootstrap resamples (count) for percentile and BCa intervals of the coefficient (0: none)")
	seed := fs.Uint64("seed", 1, "bootstrap seed")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	alt, err := c.alternative()
	if err != nil {
		return err
	}
	m, err := stats.ParseCorMethod(*method)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	t, err := oneTable(pos)
	if err != nil {
		return err
	}
	if *xcol == "" || *ycol == "" {
		return fmt.Errorf("%w: need --x and --y", errUsage)
	}
	spec := stats.CorSpec{X: *xcol, Y: *ycol, By: *by, Options: stats.CorOptions{Method: m, Alternative: alt, ConfLevel: *c.conf},
		Boot: stats.BootOptions{R: *boot, Seed: *seed, ConfLevel: *c.conf}}
	if *covs != "" {
		spec.Covariates = strings.Split(*covs, ",")
		if *boot > 0 {
			return fmt.Errorf("%w: --boot is not available with --covariates", errUsage)
		}
	}
	subsets, err := stats.CorrelationTable(t, spec)
	if err != nil {
		return err
	}
	var results []map[string]any
	var lines []string
	for _, sc := range subsets {
		entry := map[string]any{"subset": sc.Subset, "result": sc.Result, "apa": sc.APA()}
		if sc.Bootstrap != nil {
			entry["bootstrap"] = *sc.Bootstrap
		}
		lines = append(lines, sc.APA())
		results = append(results, entry)
	}
	if *c.jsonOut {
		b, err := json.MarshalIndent(results, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(env.stdout, string(b))
		return err
	}
	_, err = fmt.Fprintln(env.stdout, strings.Join(lines, "\n"))
	return err
}

func runStatsLM(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "stats lm")
	c := addCommon(fs, true)
	formula := fs.String("formula", "", "model formula, e.g. 'wake ~ glx * group + age + sex'")
	coding := fs.String("coding", "treatment", "contrast coding of factors: treatment or sum")
	factors := fs.String("factors", "", "comma-separated numeric columns to treat as factors")
	ref := fs.String("ref", "", "reference levels, e.g. group=control,sex=F (default: first sorted level)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *formula == "" {
		return fmt.Errorf("%w: need --formula", errUsage)
	}
	t, err := oneTable(pos)
	if err != nil {
		return err
	}
	opt := stats.LMOptions{ConfLevel: *c.conf}
	switch *coding {
	case "treatment":
	case "sum":
		opt.Coding = stats.Sum
	default:
		return fmt.Errorf("%w: --coding %q, want treatment or sum", errUsage, *coding)
	}
	if *factors != "" {
		opt.Factors = strings.Split(*factors, ",")
	}
	if *ref != "" {
		opt.Levels = map[string][]string{}
		for _, kv := range strings.Split(*ref, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("%w: --ref %q, want VAR=LEVEL[,VAR=LEVEL]", errUsage, *ref)
			}
			col, err := t.Column(k)
			if err != nil {
				return err
			}
			levels, err := col.LevelsWithReference(v)
			if err != nil {
				return fmt.Errorf("%w: --ref: %v", errUsage, err)
			}
			opt.Levels[k] = levels
		}
	}
	r, err := stats.LM(*formula, t, opt)
	if err != nil {
		return err
	}
	if *c.jsonOut {
		return emit(env, true, r.APA(), r)
	}
	return r.WriteSummary(env.stdout)
}

func runStatsCompare(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "stats compare-corr")
	c := addCommon(fs, true)
	r1 := fs.Float64("r1", 0, "first correlation (independent samples), dimensionless")
	n1 := fs.Int("n1", 0, "first sample size (count)")
	r2 := fs.Float64("r2", 0, "second correlation, dimensionless")
	n2 := fs.Int("n2", 0, "second sample size (count)")
	r12 := fs.Float64("r12", 0, "correlation r(j,k) (dependent, shared variable j), dimensionless")
	r13 := fs.Float64("r13", 0, "correlation r(j,h), dimensionless")
	r23 := fs.Float64("r23", 0, "correlation r(k,h), dimensionless")
	n := fs.Int("n", 0, "sample size (dependent; count)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: compare-corr takes no file", errUsage)
	}
	alt, err := c.alternative()
	if err != nil {
		return err
	}
	var r stats.CompareResult
	switch {
	case *n1 > 0 || *n2 > 0:
		r, err = stats.CompareIndependent(*r1, *n1, *r2, *n2, alt)
	case *n > 0:
		r, err = stats.CompareDependent(*r12, *r13, *r23, *n, alt)
	default:
		return fmt.Errorf("%w: give --r1 --n1 --r2 --n2 or --r12 --r13 --r23 --n", errUsage)
	}
	if err != nil {
		return err
	}
	return emit(env, *c.jsonOut, r.APA(), r)
}

func runStatsPower(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "stats power")
	c := addCommon(fs, false)
	test := fs.String("test", "t", "t (two-sample t-test unless --type) or r (correlation)")
	typ := fs.String("type", "two.sample", "t-test design: two.sample, one.sample or paired")
	n := fs.Float64("n", 0, "sample size as a count (per group for two.sample); omit to solve for it")
	pw := fs.Float64("power", 0, "target power when solving for n, a fraction")
	delta := fs.Float64("delta", 0, "true mean difference (t), in the value's unit")
	sd := fs.Float64("sd", 1, "standard deviation (t), in the value's unit")
	r := fs.Float64("r", 0, "true correlation (r), dimensionless")
	sig := fs.Float64("sig-level", 0.05, "type I error rate, a fraction")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: power takes no file", errUsage)
	}
	alt, err := c.alternative()
	if err != nil {
		return err
	}
	if (*n == 0) == (*pw == 0) {
		return fmt.Errorf("%w: give exactly one of --n and --power", errUsage)
	}
	out := map[string]any{"test": *test, "sig_level": *sig, "alternative": alt.String()}
	var rep stats.PowerReport
	switch *test {
	case "t":
		o := stats.PowerTOptions{N: *n, Delta: *delta, SD: *sd, SigLevel: *sig, OneSided: alt != stats.TwoSided}
		if o.Type, err = stats.ParseTTestType(*typ); err != nil {
			return fmt.Errorf("%w: --type: %v", errUsage, err)
		}
		out["delta"], out["sd"], out["type"] = *delta, *sd, *typ
		rep, err = stats.SolvePowerT(o, *pw)
	case "r":
		out["r"] = *r
		rep, err = stats.SolvePowerCorrelation(*r, *n, *sig, *pw, alt)
	default:
		return fmt.Errorf("%w: --test %q, want t or r", errUsage, *test)
	}
	if err != nil {
		return err
	}
	out["n"], out["power"] = rep.N, rep.Power
	return emit(env, *c.jsonOut, rep.Line, out)
}
