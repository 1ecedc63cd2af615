package cli

import (
	"errors"
	"flag"

	"glusleep/stats"
)

// StatsCommand is one `stats NAME` command: group statistics on a TSV
// table (BIDS participants.tsv style, "n/a" for missing values) or on
// numbers given as flags, whose flags (AddFlags) fill a stats.Request
// that stats.Run runs.
type StatsCommand struct {
	// Name is the analysis (stats.AnalysisTTest, …) and the command's
	// word; Usage its one-line synopsis, Summary a sentence.
	Name, Usage, Summary string
	// conf adds --conf; table takes TABLE.tsv (else a file is refused).
	conf, table bool
	// flags defines the command's own flags into r and returns what
	// completes r after parsing (nil: nothing).
	flags func(fs *flag.FlagSet, r *stats.Request) func() error
}

// StatsCommands are the stats commands, one per analysis of stats.Run.
var StatsCommands = []StatsCommand{
	{Name: stats.AnalysisTTest, conf: true, table: true, flags: ttestFlags, Summary: "Student/Welch/paired t-test (also from summary statistics)",
		Usage: "stats ttest (TABLE.tsv --value COL --group COL [--levels A,B] | TABLE.tsv --paired --x COL --y COL | --summary-x M,SD,N --summary-y M,SD,N) [--mu D] [--alternative two.sided|greater|less] [--var-equal] [--conf P] [--json]"},
	{Name: stats.AnalysisMWU, conf: true, table: true, flags: mwuFlags, Summary: "Mann–Whitney U (Wilcoxon rank-sum) test",
		Usage: "stats mwu TABLE.tsv --value COL --group COL [--levels A,B] [--exact|--normal] [--no-correct] [--conf-int] [--alternative two.sided|greater|less] [--conf P] [--json]"},
	{Name: stats.AnalysisCorr, conf: true, table: true, flags: corrFlags, Summary: "correlation test, partial correlation, per group",
		Usage: "stats corr TABLE.tsv --x COL --y COL [--method pearson|spearman|kendall] [--covariates A,B] [--by COL] [--boot N [--seed N]] [--alternative two.sided|greater|less] [--conf P] [--json]"},
	{Name: stats.AnalysisLM, conf: true, table: true, flags: lmFlags, Summary: "linear model with type I/II/III ANOVA",
		Usage: "stats lm TABLE.tsv --formula 'y ~ a * b + c' [--coding treatment|sum] [--factors A,B] [--ref F=LEVEL,...] [--alternative two.sided|greater|less] [--conf P] [--json]"},
	{Name: stats.AnalysisCompareCorr, conf: true, flags: compareFlags, Summary: "compare independent (Fisher z) or dependent (Steiger) correlations",
		Usage: "stats compare-corr (--r1 R --n1 N --r2 R --n2 N | --r12 R --r13 R --r23 R --n N) [--alternative two.sided|greater|less] [--conf P] [--json]"},
	{Name: stats.AnalysisPower, flags: powerFlags, Summary: "power and sample size of a t-test or correlation test",
		Usage: "stats power --test t|r [--type two.sample|one.sample|paired] [--n N | --power P] [--delta D --sd S | --r R] [--sig-level A] [--alternative two.sided|greater|less] [--json]"},
}

// StatsFlags are the flags of a stats command, filling its request.
type StatsFlags struct {
	c        StatsCommand
	req      stats.Request
	alt      *string
	complete func() error
	// JSON is --json: print the full result as JSON.
	JSON *bool
}

// AddFlags defines the flags of the command c: --alternative, --json,
// --conf where the analysis has a confidence level, and its own.
func (c StatsCommand) AddFlags(fs *flag.FlagSet) *StatsFlags {
	f := &StatsFlags{c: c, req: stats.Request{Analysis: c.Name}}
	f.alt = fs.String("alternative", "two.sided", "alternative hypothesis: two.sided, greater or less")
	f.JSON = fs.Bool("json", false, "print the full result as JSON")
	if c.conf {
		fs.Float64Var(&f.req.ConfLevel, "conf", 0.95, "confidence level, a fraction")
	}
	f.complete = c.flags(fs, &f.req)
	return f
}

// Request returns the request the parsed flags give and the table to read
// ("" when the request needs none), from the positional arguments pos;
// a flag value that does not parse, a file given to a command that takes
// none or a missing table is an ErrUsage error.
func (f *StatsFlags) Request(pos []string) (stats.Request, string, error) {
	var err error
	if !f.c.table && len(pos) > 0 {
		return f.req, "", Usagef("%s takes no file", f.c.Name)
	}
	if f.req.Alternative, err = stats.ParseAlternative(*f.alt); err != nil {
		return f.req, "", Usage(err)
	}
	if f.complete != nil {
		if err := f.complete(); err != nil {
			return f.req, "", Usage(err)
		}
	}
	if !f.req.NeedsTable() {
		return f.req, "", nil
	}
	if len(pos) != 1 {
		return f.req, "", Usagef("need exactly one TABLE.tsv, got %d arguments", len(pos))
	}
	return f.req, pos[0], nil
}

// groupFlags are --value, --group and --levels (two-group tests).
func groupFlags(fs *flag.FlagSet, r *stats.Request, levels string) {
	fs.StringVar(&r.Value, "value", "", "numeric column to compare")
	fs.StringVar(&r.Group, "group", "", "grouping column")
	fs.Var((*List)(&r.Levels), "levels", levels)
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
	fs.Var((*List)(&r.Covariates), "covariates", "comma-separated columns to partial out")
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
	fs.Var((*List)(&r.LM.Factors), "factors", "comma-separated numeric columns to treat as factors")
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
