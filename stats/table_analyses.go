package stats

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrNotTwoGroups is returned by TwoGroups when the grouping column does
// not have exactly two groups.
var ErrNotTwoGroups = errors.New("stats: not two groups")

// ParseSummary reads group summary statistics written "MEAN,SD,N" (as the
// published tables give them), e.g. "1.20,0.73,28".
func ParseSummary(s string) (Summary, error) {
	p := strings.Split(s, ",")
	if len(p) != 3 {
		return Summary{}, fmt.Errorf("%w: summary %q, want MEAN,SD,N", ErrInput, s)
	}
	m, err1 := strconv.ParseFloat(strings.TrimSpace(p[0]), 64)
	sd, err2 := strconv.ParseFloat(strings.TrimSpace(p[1]), 64)
	n, err3 := strconv.Atoi(strings.TrimSpace(p[2]))
	if err := errors.Join(err1, err2, err3); err != nil {
		return Summary{}, fmt.Errorf("%w: summary %q, want MEAN,SD,N: %v", ErrInput, s, err)
	}
	return Summary{Mean: m, SD: sd, N: n}, nil
}

// TwoGroups returns the values of column value in the two groups of
// column group: levels choose and order them (x is the first), else the
// column must have exactly two levels, taken in sorted order.
func (t *Table) TwoGroups(value, group string, levels []string) (names []string, x, y []float64, err error) {
	names, g, err := t.Split(value, group, levels...)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(g) != 2 {
		return nil, nil, nil, fmt.Errorf("%w: %s: column %q has %d groups (%s)", ErrNotTwoGroups, t.Source, group, len(g), strings.Join(names, ", "))
	}
	return names, g[0], g[1], nil
}

// LevelsWithReference returns the column's levels with ref first (the
// reference level of treatment coding), the others in sorted order.
func (c *Column) LevelsWithReference(ref string) ([]string, error) {
	levels := []string{ref}
	found := false
	for _, l := range c.Levels() {
		if l == ref {
			found = true
		} else {
			levels = append(levels, l)
		}
	}
	if !found {
		return nil, fmt.Errorf("%w: column %q has no level %q (levels: %s)", ErrInput, c.Name, ref, strings.Join(c.Levels(), ", "))
	}
	return levels, nil
}

// CorSpec is a correlation analysis of table columns (CorrelationTable).
type CorSpec struct {
	// X and Y are the columns correlated; Covariates are partialled out.
	X, Y       string
	Covariates []string
	// By, when set, runs the analysis within each level of this column.
	By string
	// Options are the test's options.
	Options CorOptions
	// Boot, with Boot.R > 0, adds bootstrap intervals of the coefficient
	// (not with covariates).
	Boot BootOptions
}

// SubsetCorrelation is the correlation in one subset of a table.
type SubsetCorrelation struct {
	// Subset is the level of CorSpec.By ("" for the whole table); Label
	// names the analysis: "x, y | covariates [by = level]".
	Subset string
	Label  string
	Result CorResult
	// Bootstrap holds the bootstrap intervals (nil without).
	Bootstrap *BootResult
}

// CorrelationTable runs the correlation (partial with covariates, Pearson,
// Spearman or Kendall) of spec.X and spec.Y in t, in each level of spec.By.
func CorrelationTable(t *Table, spec CorSpec) ([]SubsetCorrelation, error) {
	cols := append([]string{spec.X, spec.Y}, spec.Covariates...)
	if spec.Boot.R > 0 && len(spec.Covariates) > 0 {
		return nil, fmt.Errorf("%w: bootstrap intervals are not available with covariates", ErrInput)
	}
	data := make([][]float64, len(cols))
	for i, name := range cols {
		var err error
		if data[i], err = t.Float(name); err != nil {
			return nil, err
		}
	}
	subsets := []string{""}
	var groupCol *Column
	if spec.By != "" {
		var err error
		if groupCol, err = t.Column(spec.By); err != nil {
			return nil, err
		}
		subsets = groupCol.Levels()
	}
	var out []SubsetCorrelation
	for _, level := range subsets {
		sub := make([][]float64, len(cols))
		for i := range cols {
			for r := 0; r < t.Rows; r++ {
				if groupCol == nil || groupCol.Str[r] == level {
					sub[i] = append(sub[i], data[i][r])
				}
			}
		}
		sc := SubsetCorrelation{Subset: level, Label: spec.X + ", " + spec.Y}
		if len(spec.Covariates) > 0 {
			sc.Label += " | " + strings.Join(spec.Covariates, ", ")
		}
		if level != "" {
			sc.Label += fmt.Sprintf(" [%s = %s]", spec.By, level)
		}
		var err error
		if len(spec.Covariates) > 0 {
			sc.Result, err = PartialCorrelation(sub[0], sub[1], sub[2:], spec.Options)
		} else {
			sc.Result, err = Correlation(sub[0], sub[1], spec.Options)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sc.Label, err)
		}
		if spec.Boot.R > 0 {
			b, err := BootstrapCorrelation(sub[0], sub[1], spec.Options.Method, spec.Boot)
			if err != nil {
				return nil, fmt.Errorf("%s: bootstrap: %w", sc.Label, err)
			}
			sc.Bootstrap = &b
		}
		out = append(out, sc)
	}
	return out, nil
}

// BootstrapCorrelation bootstraps the correlation coefficient of x and y
// (pairs resampled; coefficients by method, without exact p-values) for
// percentile and BCa intervals.
func BootstrapCorrelation(x, y []float64, method CorMethod, opt BootOptions) (BootResult, error) {
	if len(x) != len(y) {
		return BootResult{}, fmt.Errorf("%w: %d x values, %d y values", ErrInput, len(x), len(y))
	}
	return Bootstrap(len(x), func(idx []int) float64 {
		bx := make([]float64, len(idx))
		by := make([]float64, len(idx))
		for k, i := range idx {
			bx[k], by[k] = x[i], y[i]
		}
		r, err := Correlation(bx, by, CorOptions{Method: method, Exact: new(bool)})
		if err != nil {
			return math.NaN()
		}
		return r.Estimate
	}, opt)
}

// Influence summarises a linear model's diagnostics: the largest
// leverage (and the mean, p/n), the largest absolute studentized residual
// and the largest Cook's distance with its row among the complete rows
// (from 0).
type Influence struct {
	// MaxLeverage and MeanLeverage are the largest and the mean hat value.
	MaxLeverage, MeanLeverage float64
	// MaxAbsStudentized is the largest |externally studentized residual|.
	MaxAbsStudentized float64
	// MaxCooksD is the largest Cook's distance, at complete row
	// MaxCooksRow (from 0).
	MaxCooksD   float64
	MaxCooksRow int
}

// Influence returns the summary of r's diagnostics (NaN entries, at
// leverage 1, are skipped).
func (r *LMResult) Influence() Influence {
	var in Influence
	if r.N > 0 {
		in.MeanLeverage = float64(len(r.Coefs)) / float64(r.N)
	}
	for i := range r.Diag.Leverage {
		in.MaxLeverage = max(in.MaxLeverage, r.Diag.Leverage[i])
		if r.Diag.CooksD[i] > in.MaxCooksD {
			in.MaxCooksD, in.MaxCooksRow = r.Diag.CooksD[i], i
		}
		if st := math.Abs(r.Diag.Studentized[i]); st > in.MaxAbsStudentized {
			in.MaxAbsStudentized = st
		}
	}
	return in
}
