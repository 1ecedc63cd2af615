package main

import (
	"errors"
	"flag"
	"fmt"

	"glusleep/internal/cli"
	"glusleep/stats"
)

// Commands `glusleep stats ...`: group statistics on a TSV table (BIDS
// participants.tsv style, "n/a" for missing values), each printing a
// one-line APA-style result or, with --json, the full result. Each
// command's flags fill a stats.Request, which stats.Run runs.

// statsCommand is one `glusleep stats NAME` command.
type statsCommand struct {
	name, usage, summary string
	// conf adds --conf; table takes TABLE.tsv (else a file is refused).
	conf, table bool
	// flags defines the command's own flags into r and returns what
	// completes r after parsing (nil: nothing).
	flags func(fs *flag.FlagSet, r *stats.Request) func() error
}

var statsCommands = []statsCommand{
	{name: stats.AnalysisTTest, conf: true, table: true, flags: ttestFlags, summary: "Student/Welch/paired t-test (also from summary statistics)",
		usage: "stats ttest (TABLE.tsv --value COL --group COL [--levels A,B] | TABLE.tsv --paired --x COL --y COL | --summary-x M,SD,N --summary-y M,SD,N) [--mu D] [--alternative two.sided|greater|less] [--var-equal] [--conf P] [--json]"},
	{name: stats.AnalysisMWU, conf: true, table: true, flags: mwuFlags, summary: "Mann–Whitney U (Wilcoxon rank-sum) test",
		usage: "stats mwu TABLE.tsv --value COL --group COL [--levels A,B] [--exact|--normal] [--no-correct] [--conf-int] [--alternative two.sided|greater|less] [--conf P] [--json]"},
	{name: stats.AnalysisCorr, conf: true, table: true, flags: corrFlags, summary: "correlation test, partial correlation, per group",
		usage: "stats corr TABLE.tsv --x COL --y COL [--method pearson|spearman|kendall] [--covariates A,B] [--by COL] [--boot N [--seed N]] [--alternative two.sided|greater|less] [--conf P] [--json]"},
	{name: stats.AnalysisLM, conf: true, table: true, flags: lmFlags, summary: "linear model with type I/II/III ANOVA",
		usage: "stats lm TABLE.tsv --formula 'y ~ a * b + c' [--coding treatment|sum] [--factors A,B] [--ref F=LEVEL,...] [--alternative two.sided|greater|less] [--conf P] [--json]"},
	{name: stats.AnalysisCompareCorr, conf: true, flags: compareFlags, summary: "compare independent (Fisher z) or dependent (Steiger) correlations",
		usage: "stats compare-corr (--r1 R --n1 N --r2 R --n2 N | --r12 R --r13 R --r23 R --n N) [--alternative two.sided|greater|less] [--conf P] [--json]"},
	{name: stats.AnalysisPower, flags: powerFlags, summary: "power and sample size of a t-test or correlation test",
		usage: "stats power --test t|r [--type two.sample|one.sample|paired] [--n N | --power P] [--delta D --sd S | --r R] [--sig-level A] [--alternative two.sided|greater|less] [--json]"},
}

func init() {
	for _, sc := range statsCommands {
		register(&command{path: "stats " + sc.name, usage: sc.usage, summary: sc.summary,
			run: func(env *cmdEnv, args []string) error { return runStatsCommand(env, sc, args) }})
	}
}

// runStatsCommand parses a stats command's flags into a request, reads the
// table and prints the result.
func runStatsCommand(env *cmdEnv, sc statsCommand, args []string) error {
	fs := newFlagSet(env, "stats "+sc.name)
	req := stats.Request{Analysis: sc.name}
	alt := fs.String("alternative", "two.sided", "alternative hypothesis: two.sided, greater or less")
	asJSON := fs.Bool("json", false, "print the full result as JSON")
	if sc.conf {
		fs.Float64Var(&req.ConfLevel, "conf", 0.95, "confidence level, a fraction")
	}
	complete := sc.flags(fs, &req)
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if !sc.table && len(pos) > 0 {
		return cli.Usagef("%s takes no file", sc.name)
	}
	if req.Alternative, err = stats.ParseAlternative(*alt); err != nil {
		return cli.Usage(err)
	}
	if complete != nil {
		if err := complete(); err != nil {
			return cli.Usage(err)
		}
	}
	var t *stats.Table
	if req.NeedsTable() {
		if len(pos) != 1 {
			return cli.Usagef("need exactly one TABLE.tsv, got %d arguments", len(pos))
		}
		if t, err = stats.ReadTableFile(pos[0]); err != nil {
			return err
		}
	}
	rep, err := stats.Run(t, req)
	switch {
	case errors.Is(err, stats.ErrNotTwoGroups):
		return cli.Usagef("%w; choose two with --levels A,B", err)
	case errors.Is(err, stats.ErrRequest):
		return cli.Usage(err)
	case err != nil:
		return err
	case !*asJSON:
		_, err = fmt.Fprint(env.stdout, rep.Text)
		return err
	}
	b, err := rep.JSON()
	if err != nil {
		return err
	}
	_, err = env.stdout.Write(b)
	return err
}

// groupFlags are --value, --group and --levels (two-group tests).
func groupFlags(fs *flag.FlagSet, r *stats.Request, levels string) {
	fs.StringVar(&r.Value, "value", "", "numeric column to compare")
	fs.StringVar(&r.Group, "group", "", "grouping column")
	fs.Var((*cli.List)(&r.Levels), "levels", levels)
}

func ttestFlags(fs *flag.FlagSet, r *stats.Request) func() error {
	groupFlags(fs, r, "the two groups, first minus second (default: sorted levels)")
	fs.BoolVar(&r.TTest.VarEqual, "var-equal", false, "Student's pooled-variance test (default Welch)")
	fs.BoolVar(&r.Paired, "paired", false, "paired test of columns --x minus --y")
	fs.StringVar(&r.X, "x", "", "first column (paired)")
	fs.StringVar(&r.Y, "y", "", "second column (paired)")
	fs.Float64Var(&r.TTest.Mu, "mu", 0, "hypothesized difference, in the value column's unit")
	sx := fs.String("summary-x", "", "first group's MEAN,SD,N (no table)")
	sy := fs.String("summary-y", "", "second group's MEAN,SD,N (no table)")
	return func() error {
		if *sx == "" && *sy == "" {
			return nil
		}
		x, err := stats.ParseSummary(*sx)
		if err != nil {
			return err
		}
		y, err := stats.ParseSummary(*sy)
		r.SummaryX, r.SummaryY = &x, &y
		return err
	}
}

func mwuFlags(fs *flag.FlagSet, r *stats.Request) func() error {
	groupFlags(fs, r, "the two groups (default: sorted levels)")
	exact := fs.Bool("exact", false, "exact p-value, also with ties")
	normal := fs.Bool("normal", false, "normal approximation")
	fs.BoolVar(&r.MWU.NoCorrect, "no-correct", false, "no continuity correction")
	fs.BoolVar(&r.MWU.ConfInt, "conf-int", false, "Hodges–Lehmann shift and interval")
	return func() error {
		switch {
		case *exact && *normal:
			return errors.New("--exact and --normal exclude each other")
		case *exact:
			r.MWU.Method = stats.MWUExact
		case *normal:
			r.MWU.Method = stats.MWUNormal
		}
		return nil
	}
}

func corrFlags(fs *flag.FlagSet, r *stats.Request) func() error {
	fs.StringVar(&r.X, "x", "", "first column")
	fs.StringVar(&r.Y, "y", "", "second column")
	method := fs.String("method", "pearson", "pearson, spearman or kendall")
	fs.Var((*cli.List)(&r.Covariates), "covariates", "comma-separated columns to partial out")
	fs.StringVar(&r.By, "by", "", "run separately within each level of this column")
	fs.IntVar(&r.Boot.R, "boot", 0, "bootstrap resamples (count) for percentile and BCa intervals of the coefficient (0: none)")
	fs.Uint64Var(&r.Boot.Seed, "seed", 1, "bootstrap seed")
	return func() (err error) {
		r.Method, err = stats.ParseCorMethod(*method)
		return err
	}
}

func lmFlags(fs *flag.FlagSet, r *stats.Request) func() error {
	fs.StringVar(&r.Formula, "formula", "", "model formula, e.g. 'wake ~ glx * group + age + sex'")
	coding := fs.String("coding", "treatment", "contrast coding of factors: treatment or sum")
	fs.Var((*cli.List)(&r.LM.Factors), "factors", "comma-separated numeric columns to treat as factors")
	ref := fs.String("ref", "", "reference levels, e.g. group=control,sex=F (default: first sorted level)")
	return func() (err error) {
		if r.Formula == "" {
			return errors.New("need --formula")
		}
		if r.LM.Coding, err = stats.ParseCoding(*coding); err != nil {
			return err
		}
		r.References, err = stats.ParseReferences(*ref)
		return err
	}
}

func compareFlags(fs *flag.FlagSet, r *stats.Request) func() error {
	c := &r.Compare
	fs.Float64Var(&c.R1, "r1", 0, "first correlation (independent samples), dimensionless")
	fs.IntVar(&c.N1, "n1", 0, "first sample size (count)")
	fs.Float64Var(&c.R2, "r2", 0, "second correlation, dimensionless")
	fs.IntVar(&c.N2, "n2", 0, "second sample size (count)")
	fs.Float64Var(&c.R12, "r12", 0, "correlation r(j,k) (dependent, shared variable j), dimensionless")
	fs.Float64Var(&c.R13, "r13", 0, "correlation r(j,h), dimensionless")
	fs.Float64Var(&c.R23, "r23", 0, "correlation r(k,h), dimensionless")
	fs.IntVar(&c.N, "n", 0, "sample size (dependent; count)")
	return nil
}

func powerFlags(fs *flag.FlagSet, r *stats.Request) func() error {
	p := &r.Power
	fs.StringVar(&p.Test, "test", "t", "t (two-sample t-test unless --type) or r (correlation)")
	fs.StringVar(&p.Type, "type", "two.sample", "t-test design: two.sample, one.sample or paired")
	fs.Float64Var(&p.N, "n", 0, "sample size as a count (per group for two.sample); omit to solve for it")
	fs.Float64Var(&p.Power, "power", 0, "target power when solving for n, a fraction")
	fs.Float64Var(&p.Delta, "delta", 0, "true mean difference (t), in the value's unit")
	fs.Float64Var(&p.SD, "sd", 1, "standard deviation (t), in the value's unit")
	fs.Float64Var(&p.R, "r", 0, "true correlation (r), dimensionless")
	fs.Float64Var(&p.SigLevel, "sig-level", 0.05, "type I error rate, a fraction")
	return nil
}
