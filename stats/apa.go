package stats

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"
)

// FormatP formats a p-value in APA style: "p = .015", "p < .001".
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p = NA"
	case p < 0.001:
		return "p < .001"
	}
	return "p = " + noLeadingZero(fmt.Sprintf("%.3f", p))
}

// noLeadingZero drops the zero before the decimal point, as APA style does
// for values that cannot exceed 1 (p, r).
func noLeadingZero(s string) string {
	if strings.HasPrefix(s, "0.") {
		return s[1:]
	}
	if strings.HasPrefix(s, "-0.") {
		return "-" + s[2:]
	}
	return s
}

func fmtNum(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	}
	return fmt.Sprintf("%.2f", v)
}

func fmtR(v float64) string { return noLeadingZero(fmt.Sprintf("%.2f", v)) }

func tails(a Alternative) string {
	if a == TwoSided {
		return ""
	}
	return fmt.Sprintf(" (one-tailed, %s)", a)
}

func fmtDF(df float64) string {
	if df == math.Trunc(df) {
		return fmt.Sprintf("%.0f", df)
	}
	return fmt.Sprintf("%.2f", df)
}

// APA returns a one-line APA-style report, e.g.
// "t(46) = 2.23, p = .015 (one-tailed, greater), difference = 0.40, 95% CI [0.10, ∞]".
func (r TTestResult) APA() string {
	return fmt.Sprintf("t(%s) = %.2f, %s%s, difference = %s, %.0f%% CI [%s, %s]",
		fmtDF(r.DF), r.T, FormatP(r.P), tails(r.Alternative), fmtNum(r.Estimate), r.CI.Level*100, fmtNum(r.CI.Lower), fmtNum(r.CI.Upper))
}

// APA returns a one-line APA-style report of the rank-sum test.
func (r MWUResult) APA() string {
	kind := "exact"
	if !r.Exact {
		kind = fmt.Sprintf("normal approximation, z = %.2f", r.Z)
	}
	s := fmt.Sprintf("U = %g, %s%s (%s), n = %d and %d, rank-biserial r = %s", r.W, FormatP(r.P), tails(r.Alternative), kind, r.NX, r.NY, fmtR(r.R))
	if r.CI != nil {
		s += fmt.Sprintf(", shift = %s, %.0f%% CI [%s, %s]", fmtNum(r.Estimate), r.CI.Level*100, fmtNum(r.CI.Lower), fmtNum(r.CI.Upper))
	}
	return s
}

// APA returns a one-line APA-style report of the correlation test.
func (r CorResult) APA() string {
	var s string
	switch r.Method {
	case Pearson:
		s = fmt.Sprintf("r(%s) = %s, %s%s", fmtDF(r.DF), fmtR(r.Estimate), FormatP(r.P), tails(r.Alternative))
		if r.CI != nil {
			s += fmt.Sprintf(", %.0f%% CI [%s, %s]", r.CI.Level*100, fmtR(r.CI.Lower), fmtR(r.CI.Upper))
		}
	case Spearman:
		s = fmt.Sprintf("rs(%d) = %s, %s%s", r.N-2, fmtR(r.Estimate), FormatP(r.P), tails(r.Alternative))
		if r.CI != nil {
			s += fmt.Sprintf(", %.0f%% CI [%s, %s]", r.CI.Level*100, fmtR(r.CI.Lower), fmtR(r.CI.Upper))
		}
	case Kendall:
		s = fmt.Sprintf("τb = %s, %s%s", fmtR(r.Estimate), FormatP(r.P), tails(r.Alternative))
	}
	return s + fmt.Sprintf(", n = %d", r.N)
}

// APA returns a one-line APA-style report of the model fit.
func (r *LMResult) APA() string {
	return fmt.Sprintf("R² = %s, adjusted R² = %s, F(%d, %d) = %.2f, %s, n = %d",
		fmtR(r.R2), fmtR(r.AdjR2), r.FDF1, r.DF, r.F, FormatP(r.FP), r.N)
}

// APA returns a one-line report of the comparison.
func (r CompareResult) APA() string {
	return fmt.Sprintf("z = %.2f, %s%s (%s)", r.Z, FormatP(r.P), tails(r.Alternative), r.Method)
}

// APA returns the effect sizes as one line: "d = …, Hedges' g = …, 95% CI
// [lower, upper]" (the interval is Hedges' g's).
func (e EffectSize) APA() string {
	return fmt.Sprintf("d = %.2f, Hedges' g = %.2f, %.0f%% CI [%.2f, %.2f]", e.D, e.G, e.GCI.Level*100, e.GCI.Lower, e.GCI.Upper)
}

// APA returns the bootstrap's intervals as one line: R, seed, percentile
// and BCa intervals.
func (b BootResult) APA() string {
	return fmt.Sprintf("bootstrap (R = %d, seed %d) %.0f%% CI percentile [%.2f, %.2f], BCa [%.2f, %.2f]",
		b.R, b.Seed, b.BCa.Level*100, b.Percentile.Lower, b.Percentile.Upper, b.BCa.Lower, b.BCa.Upper)
}

// WriteSummary writes the model as a text report, as R's summary() and
// Anova() print it: the fit's APA line, the coefficient table with
// confidence intervals, residual and influence diagnostics, and the type
// II and type III ANOVA tables.
func (r *LMResult) WriteSummary(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s: %s (%d rows dropped for missing values)\n", r.Formula, r.APA(), r.Dropped)
	fmt.Fprintf(bw, "%-24s %10s %10s %8s %10s  %.0f%% CI\n", "coefficient", "estimate", "SE", "t", "p", r.Level*100)
	for _, cf := range r.Coefs {
		fmt.Fprintf(bw, "%-24s %10.4g %10.4g %8.3f %10.4g  [%.4g, %.4g]\n", cf.Name, cf.Estimate, cf.SE, cf.T, cf.P, cf.Lower, cf.Upper)
	}
	in := r.Influence()
	fmt.Fprintf(bw, "residuals: sigma = %.4g on %d df; max leverage %.3f (mean %.3f); max |studentized residual| %.2f; max Cook's distance %.3f (complete row %d); Shapiro–Wilk W = %.3f, %s\n",
		r.Sigma, r.DF, in.MaxLeverage, in.MeanLeverage, in.MaxAbsStudentized, in.MaxCooksD, in.MaxCooksRow+1, r.Diag.Normality.W, FormatP(r.Diag.Normality.P))
	writeAnova(bw, "type II", r.AnovaII)
	writeAnova(bw, "type III", r.AnovaIII)
	return bw.Flush()
}

func writeAnova(w io.Writer, title string, rows []AnovaRow) {
	fmt.Fprintf(w, "ANOVA (%s)\n%-24s %6s %12s %10s %10s\n", title, "term", "df", "SS", "F", "p")
	for _, r := range rows {
		if r.Term == "Residuals" {
			fmt.Fprintf(w, "%-24s %6g %12.5g\n", r.Term, r.DF, r.SS)
			continue
		}
		fmt.Fprintf(w, "%-24s %6g %12.5g %10.4f %10.4g\n", r.Term, r.DF, r.SS, r.F, r.P)
	}
}

// APA returns the subset's analysis as one line: its label, the
// correlation and, when computed, the bootstrap intervals.
func (sc SubsetCorrelation) APA() string {
	line := sc.Label + ": " + sc.Result.APA()
	if sc.Bootstrap != nil {
		line += "; " + sc.Bootstrap.APA()
	}
	return line
}
