package stats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"glusleep/internal/errkind"
)

// ErrRequest reports a Request that is incomplete or contradictory (a
// missing column, two options that exclude each other): the caller asked
// for something that cannot be run, whatever the data. The errors that
// wrap it read as their message alone.
var ErrRequest = errors.New("stats: invalid request")

// requestErrorf returns the formatted error marked as ErrRequest.
func requestErrorf(format string, a ...any) error {
	return errkind.Errorf(ErrRequest, format, a...)
}

// The analyses Run runs, by name.
const (
	// AnalysisTTest is Student's, Welch's or the paired t-test, from table
	// columns or from summary statistics, with Cohen's d for two groups.
	AnalysisTTest = "ttest"
	// AnalysisMWU is the Mann–Whitney U (Wilcoxon rank-sum) test.
	AnalysisMWU = "mwu"
	// AnalysisCorr is a (partial) correlation test, per subset (CorSpec).
	AnalysisCorr = "corr"
	// AnalysisLM is a linear model with its ANOVA tables.
	AnalysisLM = "lm"
	// AnalysisCompareCorr compares two correlations (Fisher z or Steiger).
	AnalysisCompareCorr = "compare-corr"
	// AnalysisPower is the power or sample size of a t-test or a
	// correlation test.
	AnalysisPower = "power"
)

// Request is one named analysis (Analysis, one of the Analysis*
// constants) of a Table's columns, or of summary statistics, as a command
// line or an analysis plan states it. Fields the analysis does not use
// are ignored; ConfLevel 0 is 0.95.
type Request struct {
	Analysis    string
	Alternative Alternative
	// ConfLevel is the confidence level of intervals, a fraction.
	ConfLevel float64

	// Value is the numeric column compared between the groups of column
	// Group (ttest, mwu); Levels choose and order the two groups (the
	// first minus the second), by default the column's two sorted levels.
	Value, Group string
	Levels       []string
	// X and Y are the columns of a paired t-test (X minus Y, with Paired)
	// or of a correlation.
	X, Y   string
	Paired bool
	// SummaryX and SummaryY, when set, run the t-test from the two groups'
	// summary statistics (no table).
	SummaryX, SummaryY *Summary
	// TTest are the t-test's options (Alternative and ConfLevel are the
	// request's).
	TTest TTestOptions
	// MWU are the Mann–Whitney test's options (likewise).
	MWU MWUOptions

	// Covariates are partialled out of a correlation; By runs it in each
	// level of that column; Method and Boot as in CorSpec.
	Covariates []string
	By         string
	Method     CorMethod
	Boot       BootOptions

	// Formula is the linear model ("wake ~ glx * group + age"); LM its
	// options; References name each factor's reference level (the first
	// of its levels, the others sorted), overriding LM.Levels.
	Formula    string
	LM         LMOptions
	References map[string]string

	// Compare holds the correlations of a compare-corr request: R1, N1,
	// R2, N2 for independent samples, or R12, R13, R23 and N for
	// dependent ones (with a shared variable).
	Compare CompareRequest

	// Power is a power request: its test ("t" or "r") and the quantities
	// it is solved from.
	Power PowerRequest
}

// CompareRequest are the correlations (dimensionless) and sample sizes
// (counts) compared by AnalysisCompareCorr: independent samples when N1
// or N2 is set, else dependent ones.
type CompareRequest struct {
	R1, R2, R12, R13, R23 float64
	N1, N2, N             int
}

// PowerRequest is an AnalysisPower request: Test "t" (Type the t-test's
// design; Delta and SD in the value's unit) or "r" (R the true
// correlation); exactly one of N (a count, per group for two.sample) and
// Power (a fraction) is given and the other is solved for; SigLevel is
// the type I error rate.
type PowerRequest struct {
	Test, Type                       string
	N, Power, Delta, SD, R, SigLevel float64
}

// Report is a finished analysis as glusleep prints it.
type Report struct {
	// Text is the human-readable result ending in a newline: APA-style
	// lines, or a linear model's summary.
	Text string
	// Doc is the full result, encoded by JSON: {"apa": ..., "result":
	// ...}, or for correlations a list with one entry per subset.
	Doc any
}

// JSON returns the report's Doc as indented JSON ending in a newline.
func (r *Report) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r.Doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("stats: encoding JSON: %w", err)
	}
	return append(b, '\n'), nil
}

// apaReport is the report of a result described by one APA line.
func apaReport(line string, result any) *Report {
	return &Report{Text: line + "\n", Doc: map[string]any{"apa": line, "result": result}}
}

// NeedsTable reports whether the request reads a table (every analysis
// but the t-test from summary statistics, compare-corr and power).
func (r *Request) NeedsTable() bool {
	switch r.Analysis {
	case AnalysisCompareCorr, AnalysisPower:
		return false
	case AnalysisTTest:
		return r.SummaryX == nil && r.SummaryY == nil
	}
	return true
}

// Run runs the analysis r names on table t (nil when !r.NeedsTable()).
// Errors wrap ErrRequest when the request itself cannot be run (it names
// what is missing or contradictory), else the analysis's or table's error.
func Run(t *Table, r Request) (*Report, error) {
	if r.ConfLevel == 0 {
		r.ConfLevel = 0.95
	}
	switch r.Analysis {
	case AnalysisTTest, AnalysisMWU, AnalysisCorr, AnalysisLM, AnalysisCompareCorr, AnalysisPower:
	default:
		return nil, requestErrorf("unknown analysis %q", r.Analysis)
	}
	if r.NeedsTable() && t == nil {
		return nil, requestErrorf("%s needs a table", r.Analysis)
	}
	switch r.Analysis {
	case AnalysisTTest:
		return r.ttest(t)
	case AnalysisMWU:
		return r.mwu(t)
	case AnalysisCorr:
		return r.corr(t)
	case AnalysisLM:
		return r.lm(t)
	case AnalysisCompareCorr:
		return r.compare()
	}
	return r.power()
}

// groups returns the two groups of r.Value by r.Group (an error wrapping
// ErrNotTwoGroups when Group does not have two and Levels do not choose).
func (r *Request) groups(t *Table) ([]string, []float64, []float64, error) {
	if r.Value == "" || r.Group == "" {
		return nil, nil, nil, requestErrorf("need a value and a group column")
	}
	return t.TwoGroups(r.Value, r.Group, r.Levels)
}

func (r *Request) ttest(t *Table) (*Report, error) {
	opt := r.TTest
	opt.Alternative, opt.ConfLevel = r.Alternative, r.ConfLevel
	switch {
	case t == nil:
		if r.SummaryX == nil || r.SummaryY == nil {
			return nil, requestErrorf("need both groups' summary statistics")
		}
		res, err := TTestSummary(*r.SummaryX, *r.SummaryY, opt)
		if err != nil {
			return nil, err
		}
		es, err := CohensDSummary(*r.SummaryX, *r.SummaryY, r.ConfLevel)
		if err != nil {
			return nil, err
		}
		return apaReport(res.Method+", "+res.APA()+"; "+es.APA(), map[string]any{"test": res, "effect_size": es}), nil
	case r.Paired:
		x, err := t.Float(r.X)
		if err != nil {
			return nil, err
		}
		y, err := t.Float(r.Y)
		if err != nil {
			return nil, err
		}
		res, err := PairedTTest(x, y, opt)
		if err != nil {
			return nil, err
		}
		return apaReport(fmt.Sprintf("%s - %s: %s, %s", r.X, r.Y, res.Method, res.APA()), map[string]any{"test": res}), nil
	}
	names, x, y, err := r.groups(t)
	if err != nil {
		return nil, err
	}
	res, err := TTest(x, y, opt)
	if err != nil {
		return nil, err
	}
	es, err := CohensD(x, y, r.ConfLevel)
	if err != nil {
		return nil, err
	}
	line := fmt.Sprintf("%s, %s (M = %.2f, n = %d) vs %s (M = %.2f, n = %d): %s, %s; %s",
		r.Value, names[0], res.MeanX, res.NX, names[1], res.MeanY, res.NY, res.Method, res.APA(), es.APA())
	return apaReport(line, map[string]any{"test": res, "effect_size": es}), nil
}

func (r *Request) mwu(t *Table) (*Report, error) {
	names, x, y, err := r.groups(t)
	if err != nil {
		return nil, err
	}
	opt := r.MWU
	opt.Alternative, opt.ConfLevel = r.Alternative, r.ConfLevel
	res, err := MannWhitney(x, y, opt)
	if err != nil {
		return nil, err
	}
	return apaReport(fmt.Sprintf("%s, %s vs %s: %s, %s", r.Value, names[0], names[1], res.Method, res.APA()), res), nil
}

func (r *Request) corr(t *Table) (*Report, error) {
	if r.X == "" || r.Y == "" {
		return nil, requestErrorf("need the x and y columns")
	}
	if r.Boot.R > 0 && len(r.Covariates) > 0 {
		return nil, requestErrorf("bootstrap intervals are not available with covariates")
	}
	boot := r.Boot
	boot.ConfLevel = r.ConfLevel
	subsets, err := CorrelationTable(t, CorSpec{X: r.X, Y: r.Y, Covariates: r.Covariates, By: r.By,
		Options: CorOptions{Method: r.Method, Alternative: r.Alternative, ConfLevel: r.ConfLevel}, Boot: boot})
	if err != nil {
		return nil, err
	}
	var doc []map[string]any
	var text strings.Builder
	for _, sc := range subsets {
		entry := map[string]any{"subset": sc.Subset, "result": sc.Result, "apa": sc.APA()}
		if sc.Bootstrap != nil {
			entry["bootstrap"] = *sc.Bootstrap
		}
		doc = append(doc, entry)
		text.WriteString(sc.APA() + "\n")
	}
	if len(subsets) == 0 {
		text.WriteString("\n")
	}
	return &Report{Text: text.String(), Doc: doc}, nil
}

func (r *Request) lm(t *Table) (*Report, error) {
	if r.Formula == "" {
		return nil, requestErrorf("need a model formula")
	}
	opt := r.LM
	opt.ConfLevel = r.ConfLevel
	if len(r.References) > 0 {
		opt.Levels = map[string][]string{}
		for k, v := range r.LM.Levels {
			opt.Levels[k] = v
		}
		vars := make([]string, 0, len(r.References))
		for k := range r.References {
			vars = append(vars, k)
		}
		sort.Strings(vars)
		for _, k := range vars {
			col, err := t.Column(k)
			if err != nil {
				return nil, err
			}
			levels, err := col.LevelsWithReference(r.References[k])
			if err != nil {
				return nil, requestErrorf("reference level: %w", err)
			}
			opt.Levels[k] = levels
		}
	}
	res, err := LM(r.Formula, t, opt)
	if err != nil {
		return nil, err
	}
	var text bytes.Buffer
	if err := res.WriteSummary(&text); err != nil {
		return nil, err
	}
	return &Report{Text: text.String(), Doc: map[string]any{"apa": res.APA(), "result": res}}, nil
}

func (r *Request) compare() (*Report, error) {
	c := r.Compare
	var res CompareResult
	var err error
	switch {
	case c.N1 > 0 || c.N2 > 0:
		res, err = CompareIndependent(c.R1, c.N1, c.R2, c.N2, r.Alternative)
	case c.N > 0:
		res, err = CompareDependent(c.R12, c.R13, c.R23, c.N, r.Alternative)
	default:
		return nil, requestErrorf("need r1, n1, r2, n2 (independent) or r12, r13, r23, n (dependent)")
	}
	if err != nil {
		return nil, err
	}
	return apaReport(res.APA(), res), nil
}

func (r *Request) power() (*Report, error) {
	p := r.Power
	if (p.N == 0) == (p.Power == 0) {
		return nil, requestErrorf("give exactly one of n and power")
	}
	out := map[string]any{"test": p.Test, "sig_level": p.SigLevel, "alternative": r.Alternative.String()}
	var rep PowerReport
	var err error
	switch p.Test {
	case "t":
		o := PowerTOptions{N: p.N, Delta: p.Delta, SD: p.SD, SigLevel: p.SigLevel, OneSided: r.Alternative != TwoSided}
		if o.Type, err = ParseTTestType(p.Type); err != nil {
			return nil, errkind.Wrap(ErrRequest, err)
		}
		out["delta"], out["sd"], out["type"] = p.Delta, p.SD, p.Type
		rep, err = SolvePowerT(o, p.Power)
	case "r":
		out["r"] = p.R
		rep, err = SolvePowerCorrelation(p.R, p.N, p.SigLevel, p.Power, r.Alternative)
	default:
		return nil, requestErrorf("power test %q, want t or r", p.Test)
	}
	if err != nil {
		return nil, err
	}
	out["n"], out["power"] = rep.N, rep.Power
	return apaReport(rep.Line, out), nil
}

// ParseCoding reads a contrast coding: "treatment" or "sum".
func ParseCoding(s string) (Coding, error) {
	switch s {
	case "treatment":
		return Treatment, nil
	case "sum":
		return Sum, nil
	}
	return Treatment, fmt.Errorf("%w: coding %q, want treatment or sum", ErrInput, s)
}

// ParseReferences reads reference levels written "VAR=LEVEL[,VAR=LEVEL]"
// (e.g. "group=control,sex=F"); "" gives none.
func ParseReferences(s string) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("%w: reference levels %q, want VAR=LEVEL[,VAR=LEVEL]", ErrInput, s)
		}
		m[k] = v
	}
	return m, nil
}
