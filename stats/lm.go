package stats

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Coding is the contrast coding of categorical predictors.
type Coding int

const (
	// Treatment coding (R's contr.treatment, the default): one indicator per
	// level after the first (reference) level, named variable+level.
	Treatment Coding = iota
	// Sum coding (R's contr.sum): level k of K < K is e_k, the last level
	// -1 in every column; columns named variable+k. Use it for type III
	// tests with the conventional (SAS) meaning.
	Sum
)

// LMOptions configures LM.
type LMOptions struct {
	Coding    Coding
	ConfLevel float64
	// Factors names numeric columns to treat as categorical.
	Factors []string
	// Levels fixes the level order of categorical predictors (first is the
	// reference); by default levels are sorted (byte order, R's C locale).
	Levels map[string][]string
}

// Coef is one regression coefficient.
type Coef struct {
	Name     string  `json:"name"`
	Estimate float64 `json:"estimate"`
	SE       float64 `json:"se"`
	T        float64 `json:"t"`
	P        float64 `json:"p"`
	Lower    float64 `json:"lower"`
	Upper    float64 `json:"upper"`
}

// AnovaRow is one term of an ANOVA table.
type AnovaRow struct {
	Term string  `json:"term"`
	DF   float64 `json:"df"`
	SS   float64 `json:"ss"`
	// F and P are 0 (omitted in JSON) on the Residuals row.
	F float64 `json:"f,omitempty"`
	P float64 `json:"p,omitempty"`
}

// Diagnostics are per-observation regression diagnostics, as R's
// hatvalues, rstandard, rstudent and cooks.distance.
type Diagnostics struct {
	Fitted    []float64 `json:"fitted"`
	Residuals []float64 `json:"residuals"`
	Leverage  []float64 `json:"leverage"`
	// Standardized are internally studentized residuals (rstandard),
	// Studentized externally studentized ones (rstudent).
	Standardized []float64 `json:"standardized"`
	Studentized  []float64 `json:"studentized"`
	CooksD       []float64 `json:"cooks_distance"`
	// Normality is the Shapiro–Wilk test of the residuals (zero when
	// n > 5000).
	Normality NormalityResult `json:"normality"`
}

// LMResult is an ordinary least squares fit, as R's lm with summary,
// anova (type I) and car::Anova (types II and III).
type LMResult struct {
	Formula string `json:"formula"`
	// N is the number of complete rows used, Dropped the rows with a
	// missing value in a model variable.
	N       int    `json:"n"`
	Dropped int    `json:"dropped"`
	Coefs   []Coef `json:"coefficients"`
	// Sigma is the residual standard error, DF the residual df.
	Sigma float64 `json:"sigma"`
	DF    int     `json:"df_residual"`
	RSS   float64 `json:"rss"`
	R2    float64 `json:"r_squared"`
	AdjR2 float64 `json:"adj_r_squared"`
	// F is the overall F statistic on FDF1 and DF degrees of freedom.
	F     float64 `json:"f"`
	FDF1  int     `json:"f_df1"`
	FP    float64 `json:"f_p"`
	Level float64 `json:"conf_level"`
	// AnovaI is the sequential table (R's anova), AnovaII and AnovaIII the
	// type II and type III tables (car::Anova; type III includes the
	// intercept and depends on the coding). Each ends with a "Residuals"
	// row.
	AnovaI   []AnovaRow `json:"anova_type1"`
	AnovaII  []AnovaRow `json:"anova_type2"`
	AnovaIII []AnovaRow `json:"anova_type3"`
	// ResidualNormality is the Shapiro–Wilk test of the residuals (also in
	// Diag; zero when n > 5000).
	ResidualNormality NormalityResult `json:"residual_normality"`
	// Diag is left out of JSON (it has n entries per field and NaN where
	// a leverage is 1).
	Diag Diagnostics `json:"-"`
	// Names of the model matrix columns; Assign maps each to its term
	// index (0 the intercept, i the i-th term).
	Names  []string `json:"-"`
	Assign []int    `json:"-"`
	Terms  []Term   `json:"-"`
}

type predictor struct {
	numeric bool
	num     []float64 // complete rows
	levels  []string
	codes   []int // level index per complete row
}

// LM fits the formula to the table by ordinary least squares.
func LM(formula string, t *Table, opt LMOptions) (*LMResult, error) {
	f, err := ParseFormula(formula)
	if err != nil {
		return nil, err
	}
	cl, err := confLevel(opt.ConfLevel)
	if err != nil {
		return nil, err
	}
	vars := f.variables()
	forced := map[string]bool{}
	for _, v := range opt.Factors {
		forced[v] = true
	}
	cols := make([]*Column, len(vars))
	for i, v := range vars {
		if cols[i], err = t.Column(v); err != nil {
			return nil, fmt.Errorf("formula %q: %w", formula, err)
		}
	}
	if !cols[0].Numeric || forced[vars[0]] {
		return nil, fmt.Errorf("%w: response %q is not numeric", ErrInput, vars[0])
	}
	rows := completeRows(t.Rows, cols)
	n := len(rows)
	preds := map[string]*predictor{}
	for k, v := range vars[1:] {
		if preds[v], err = newPredictor(v, cols[k+1], rows, forced[v], opt.Levels[v]); err != nil {
			return nil, err
		}
	}
	y := make([]float64, n)
	for i, r := range rows {
		y[i] = cols[0].Num[r]
	}
	xcols, names, assign := modelMatrix(&f, preds, n, opt.Coding)
	p := len(xcols)
	if n <= p {
		return nil, fmt.Errorf("%w: %d complete rows for %d coefficients", ErrTooFew, n, p)
	}
	res := &LMResult{Formula: formula, N: n, Dropped: t.Rows - n, Names: names, Assign: assign, Terms: f.Terms, Level: cl}
	fit, err := olsFit(xcols, y, allCols(p), true)
	if err != nil {
		return nil, fmt.Errorf("formula %q: %w", formula, err)
	}
	res.coefficients(fit, n-p)
	if err := res.goodnessOfFit(&f, y, fit); err != nil {
		return nil, err
	}
	res.diagnostics(fit)
	if err := res.anova(&f, xcols, y, fit); err != nil {
		return nil, err
	}
	return res, nil
}

// variables returns the response, then every predictor variable once, in
// order of first appearance.
func (f *Formula) variables() []string {
	vars := []string{f.Response}
	seen := map[string]bool{f.Response: true}
	for _, tm := range f.Terms {
		for _, v := range tm {
			if !seen[v] {
				seen[v] = true
				vars = append(vars, v)
			}
		}
	}
	return vars
}

// completeRows returns the rows where no column is missing.
func completeRows(nrows int, cols []*Column) []int {
	var rows []int
	for i := 0; i < nrows; i++ {
		ok := true
		for _, c := range cols {
			if c.Str[i] == "" {
				ok = false
			}
		}
		if ok {
			rows = append(rows, i)
		}
	}
	return rows
}

// newPredictor reads column c (variable v) at the complete rows: numeric,
// or a factor (when c is not numeric or forced) with the given levels in
// order, else its sorted levels among the complete rows.
func newPredictor(v string, c *Column, rows []int, forced bool, levels []string) (*predictor, error) {
	n := len(rows)
	p := &predictor{}
	if c.Numeric && !forced {
		p.numeric = true
		p.num = make([]float64, n)
		for i, r := range rows {
			p.num[i] = c.Num[r]
		}
		return p, nil
	}
	if levels == nil {
		sub := &Column{Numeric: c.Numeric}
		for _, r := range rows {
			sub.Str = append(sub.Str, c.Str[r])
		}
		levels = sub.Levels()
	} else {
		present := map[string]bool{}
		for _, r := range rows {
			present[c.Str[r]] = true
		}
		var keep []string
		for _, l := range levels {
			if present[l] {
				keep = append(keep, l)
			}
		}
		levels = keep
	}
	idx := map[string]int{}
	for i, l := range levels {
		idx[l] = i
	}
	p.levels = levels
	p.codes = make([]int, n)
	for i, r := range rows {
		k, ok := idx[c.Str[r]]
		if !ok {
			return nil, fmt.Errorf("%w: column %q value %q is not among the given levels %v", ErrInput, v, c.Str[r], levels)
		}
		p.codes[i] = k
	}
	if len(levels) < 2 {
		return nil, fmt.Errorf("%w: factor %q has %d level(s) among complete rows, need 2", ErrConstant, v, len(levels))
	}
	return p, nil
}

// modelMatrix builds the model matrix columns, their names and the term
// each belongs to (0 the intercept), as R's model.matrix: a factor gets
// full indicator coding when the term without it is not in the model, else
// its contrasts (treatment or sum).
func modelMatrix(f *Formula, preds map[string]*predictor, n int, coding Coding) (xcols [][]float64, names []string, assign []int) {
	if f.Intercept {
		one := make([]float64, n)
		for i := range one {
			one[i] = 1
		}
		xcols = append(xcols, one)
		names = append(names, "(Intercept)")
		assign = append(assign, 0)
	}
	inModel := func(vs []string) bool {
		if len(vs) == 0 {
			return f.Intercept
		}
		for _, tm := range f.Terms {
			if sameVars(tm, Term(vs)) {
				return true
			}
		}
		return false
	}
	for ti, tm := range f.Terms {
		// columns of the term: product over variables, first varying fastest
		cur := [][]float64{nil}
		curNames := []string{""}
		for vi, v := range tm {
			rest := append(append([]string(nil), tm[:vi]...), tm[vi+1:]...)
			vc, vn := preds[v].columns(v, !inModel(rest), coding, n)
			cur, curNames = interact(cur, curNames, vc, vn, n)
		}
		xcols = append(xcols, cur...)
		names = append(names, curNames...)
		for range cur {
			assign = append(assign, ti+1)
		}
	}
	return xcols, names, assign
}

// columns returns the model matrix columns of one variable: itself when
// numeric, else the factor's indicators (full) or contrasts.
func (p *predictor) columns(v string, full bool, coding Coding, n int) ([][]float64, []string) {
	if p.numeric {
		return [][]float64{p.num}, []string{v}
	}
	var vc [][]float64
	var vn []string
	K := len(p.levels)
	indicator := func(k int, neg int) []float64 {
		c := make([]float64, n)
		for i, code := range p.codes {
			if code == k {
				c[i] = 1
			} else if code == neg {
				c[i] = -1
			}
		}
		return c
	}
	switch {
	case full:
		for k := 0; k < K; k++ {
			vc, vn = append(vc, indicator(k, -1)), append(vn, v+p.levels[k])
		}
	case coding == Sum:
		for k := 0; k < K-1; k++ {
			vc, vn = append(vc, indicator(k, K-1)), append(vn, v+strconv.Itoa(k+1))
		}
	default:
		for k := 1; k < K; k++ {
			vc, vn = append(vc, indicator(k, -1)), append(vn, v+p.levels[k])
		}
	}
	return vc, vn
}

// interact multiplies every column so far (cur; nil is the empty product)
// by every column of the next variable, the earlier columns varying
// fastest, and names the products "a:b".
func interact(cur [][]float64, curNames []string, vc [][]float64, vn []string, n int) ([][]float64, []string) {
	var next [][]float64
	var nextNames []string
	for j, b := range vc {
		for i, a := range cur {
			c := make([]float64, n)
			for r := range c {
				if a == nil {
					c[r] = b[r]
				} else {
					c[r] = a[r] * b[r]
				}
			}
			next = append(next, c)
			if curNames[i] == "" {
				nextNames = append(nextNames, vn[j])
			} else {
				nextNames = append(nextNames, curNames[i]+":"+vn[j])
			}
		}
	}
	return next, nextNames
}

// coefficients sets the residual degrees of freedom, RSS, σ̂ and the
// coefficient table with t tests and confidence intervals at res.Level.
func (res *LMResult) coefficients(fit *olsOut, df int) {
	res.DF = df
	res.RSS = fit.rss
	res.Sigma = math.Sqrt(fit.rss / float64(df))
	tq := qt(1-(1-res.Level)/2, float64(df), true)
	for j, b := range fit.beta {
		se := res.Sigma * math.Sqrt(fit.xtxinvDiag[j])
		tv := b / se
		res.Coefs = append(res.Coefs, Coef{Name: res.Names[j], Estimate: b, SE: se, T: tv,
			P: 2 * pt(-math.Abs(tv), float64(df), true), Lower: b - tq*se, Upper: b + tq*se})
	}
}

// goodnessOfFit sets R², adjusted R² and the overall F test.
func (res *LMResult) goodnessOfFit(f *Formula, y []float64, fit *olsOut) error {
	var tss float64
	if f.Intercept {
		m := Mean(y)
		for _, v := range y {
			tss += (v - m) * (v - m)
		}
	} else {
		for _, v := range y {
			tss += v * v
		}
	}
	if tss == 0 {
		return fmt.Errorf("%w: response %q is constant", ErrConstant, f.Response)
	}
	dfInt := 0
	if f.Intercept {
		dfInt = 1
	}
	res.R2 = 1 - fit.rss/tss
	res.AdjR2 = 1 - (1-res.R2)*float64(res.N-dfInt)/float64(res.DF)
	res.FDF1 = len(fit.beta) - dfInt
	if res.FDF1 > 0 {
		res.F = ((tss - fit.rss) / float64(res.FDF1)) / (res.Sigma * res.Sigma)
		res.FP = pfUpper(res.F, float64(res.FDF1), float64(res.DF))
	}
	return nil
}

// diagnostics sets the per-observation diagnostics and the residuals'
// Shapiro–Wilk test (n ≤ 5000).
func (res *LMResult) diagnostics(fit *olsOut) {
	n, p, s2 := res.N, len(fit.beta), res.Sigma*res.Sigma
	d := &res.Diag
	d.Fitted, d.Residuals, d.Leverage = fit.fitted, fit.resid, fit.hat
	d.Standardized = make([]float64, n)
	d.Studentized = make([]float64, n)
	d.CooksD = make([]float64, n)
	for i := 0; i < n; i++ {
		e, h := fit.resid[i], fit.hat[i]
		if h >= 1-1e-10 {
			d.Standardized[i], d.Studentized[i], d.CooksD[i] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		d.Standardized[i] = e / (res.Sigma * math.Sqrt(1-h))
		si := math.Sqrt((fit.rss - e*e/(1-h)) / float64(res.DF-1))
		d.Studentized[i] = e / (si * math.Sqrt(1-h))
		d.CooksD[i] = e * e * h / (float64(p) * s2 * (1 - h) * (1 - h))
	}
	if n <= 5000 {
		if sw, err := ShapiroWilk(fit.resid); err == nil {
			d.Normality = sw
			res.ResidualNormality = sw
		}
	}
}

// anovaFits refits submodels for the ANOVA tables.
type anovaFits struct {
	xcols  [][]float64
	y      []float64
	assign []int
	s2, df float64
}

// rss is the residual sum of squares of the submodel of the columns whose
// term satisfies keep (no columns: Σy²).
func (a *anovaFits) rss(keep func(term int) bool) (float64, error) {
	var cols []int
	for j, t := range a.assign {
		if keep(t) {
			cols = append(cols, j)
		}
	}
	if len(cols) == 0 {
		ss := 0.0
		for _, v := range a.y {
			ss += v * v
		}
		return ss, nil
	}
	r, err := olsFit(a.xcols, a.y, cols, false)
	if err != nil {
		return 0, err
	}
	return r.rss, nil
}

func (a *anovaFits) row(label string, dfT int, ss float64) AnovaRow {
	F := (ss / float64(dfT)) / a.s2
	return AnovaRow{Term: label, DF: float64(dfT), SS: ss, F: F, P: pfUpper(F, float64(dfT), a.df)}
}

// termContains reports whether every variable of small is in big.
func termContains(big, small Term) bool {
	for _, v := range small {
		if !slices.Contains(big, v) {
			return false
		}
	}
	return true
}

// anova sets the type I (sequential), II (each term against the model
// without it and the terms containing it) and III (each term's columns
// dropped from the full model) ANOVA tables.
func (res *LMResult) anova(f *Formula, xcols [][]float64, y []float64, fit *olsOut) error {
	a := &anovaFits{xcols: xcols, y: y, assign: res.Assign, s2: res.Sigma * res.Sigma, df: float64(res.DF)}
	resid := AnovaRow{Term: "Residuals", DF: float64(res.DF), SS: fit.rss}
	nterm := len(f.Terms)
	termDF := make([]int, nterm+1)
	for _, t := range res.Assign {
		termDF[t]++
	}
	prev, err := a.rss(func(t int) bool { return t == 0 && f.Intercept })
	if err != nil {
		return err
	}
	for ti := 1; ti <= nterm; ti++ {
		r, err := a.rss(func(t int) bool { return t <= ti })
		if err != nil {
			return err
		}
		res.AnovaI = append(res.AnovaI, a.row(f.Terms[ti-1].Label(), termDF[ti], prev-r))
		prev = r
	}
	res.AnovaI = append(res.AnovaI, resid)
	for ti := 1; ti <= nterm; ti++ {
		T := f.Terms[ti-1]
		excl := func(t int) bool { return t > 0 && t != ti && termContains(f.Terms[t-1], T) }
		r1, err := a.rss(func(t int) bool { return !excl(t) })
		if err != nil {
			return err
		}
		r0, err := a.rss(func(t int) bool { return !excl(t) && t != ti })
		if err != nil {
			return err
		}
		res.AnovaII = append(res.AnovaII, a.row(T.Label(), termDF[ti], r0-r1))
	}
	res.AnovaII = append(res.AnovaII, resid)
	for ti := 0; ti <= nterm; ti++ {
		if ti == 0 && !f.Intercept {
			continue
		}
		r0, err := a.rss(func(t int) bool { return t != ti })
		if err != nil {
			return err
		}
		label := "(Intercept)"
		if ti > 0 {
			label = f.Terms[ti-1].Label()
		}
		res.AnovaIII = append(res.AnovaIII, a.row(label, termDF[ti], r0-fit.rss))
	}
	res.AnovaIII = append(res.AnovaIII, resid)
	return nil
}

func allCols(p int) []int {
	k := make([]int, p)
	for i := range k {
		k[i] = i
	}
	return k
}

type olsOut struct {
	beta, fitted, resid, hat []float64
	xtxinvDiag               []float64
	rss                      float64
}

// olsFit solves least squares on the chosen columns by Householder QR. With
// full, it also returns fitted values, residuals, leverages and the
// diagonal of (X'X)⁻¹.
func olsFit(xcols [][]float64, y []float64, keep []int, full bool) (*olsOut, error) {
	n, p := len(y), len(keep)
	X := mat.NewDense(n, p, nil)
	for j, c := range keep {
		for i := 0; i < n; i++ {
			X.Set(i, j, xcols[c][i])
		}
	}
	// column norms for the rank tolerance (as R's dqrdc2, tol 1e-7)
	var qr mat.QR
	qr.Factorize(X)
	var R mat.Dense
	qr.RTo(&R)
	for j := 0; j < p; j++ {
		norm := 0.0
		for i := 0; i < n; i++ {
			norm += X.At(i, j) * X.At(i, j)
		}
		if math.Abs(R.At(j, j)) <= 1e-7*math.Sqrt(norm) || norm == 0 {
			return nil, fmt.Errorf("%w: column %d of the design is (nearly) a combination of the others", ErrSingular, keep[j]+1)
		}
	}
	var b mat.Dense
	if err := qr.SolveTo(&b, false, mat.NewDense(n, 1, y)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSingular, err)
	}
	out := &olsOut{beta: make([]float64, p)}
	for j := 0; j < p; j++ {
		out.beta[j] = b.At(j, 0)
	}
	out.fitted = make([]float64, n)
	out.resid = make([]float64, n)
	for i := 0; i < n; i++ {
		s := 0.0
		for j := 0; j < p; j++ {
			s += X.At(i, j) * out.beta[j]
		}
		out.fitted[i] = s
		out.resid[i] = y[i] - s
		out.rss += out.resid[i] * out.resid[i]
	}
	if !full {
		return out, nil
	}
	// Rinv of the p×p upper triangle
	Rp := mat.NewTriDense(p, mat.Upper, nil)
	for i := 0; i < p; i++ {
		for j := i; j < p; j++ {
			Rp.SetTri(i, j, R.At(i, j))
		}
	}
	var Rinv mat.TriDense
	if err := Rinv.InverseTri(Rp); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSingular, err)
	}
	out.xtxinvDiag = make([]float64, p)
	for j := 0; j < p; j++ {
		s := 0.0
		for k := j; k < p; k++ {
			v := Rinv.At(j, k)
			s += v * v
		}
		out.xtxinvDiag[j] = s
	}
	out.hat = make([]float64, n)
	row := make([]float64, p)
	for i := 0; i < n; i++ {
		h := 0.0
		for k := 0; k < p; k++ {
			s := 0.0
			for j := 0; j <= k; j++ {
				s += X.At(i, j) * Rinv.At(j, k)
			}
			row[k] = s
			h += s * s
		}
		out.hat[i] = h
	}
	return out, nil
}

// Coef returns the named coefficient.
func (r *LMResult) Coef(name string) (Coef, error) {
	for _, c := range r.Coefs {
		if c.Name == name {
			return c, nil
		}
	}
	return Coef{}, fmt.Errorf("%w: no coefficient %q (have %s)", ErrInput, name, strings.Join(r.Names, ", "))
}
