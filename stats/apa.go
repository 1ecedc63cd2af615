package stats

import (
	"fmt"
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
