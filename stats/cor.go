package stats

import (
	"fmt"
	"math"
	"sort"
	"sync"
)

// CorMethod selects the correlation coefficient.
type CorMethod int

const (
	// Pearson is the product-moment correlation.
	Pearson CorMethod = iota
	// Spearman is Pearson's correlation of the ranks.
	Spearman
	// Kendall is Kendall's tau-b.
	Kendall
)

// String returns R's method name.
func (m CorMethod) String() string {
	switch m {
	case Spearman:
		return "spearman"
	case Kendall:
		return "kendall"
	}
	return "pearson"
}

// MarshalText writes R's method name.
func (m CorMethod) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// ParseCorMethod reads "pearson", "spearman" or "kendall".
func ParseCorMethod(s string) (CorMethod, error) {
	switch s {
	case "pearson", "":
		return Pearson, nil
	case "spearman":
		return Spearman, nil
	case "kendall":
		return Kendall, nil
	}
	return Pearson, fmt.Errorf("%w: correlation method %q (want pearson, spearman or kendall)", ErrInput, s)
}

// CorOptions configures Correlation.
type CorOptions struct {
	Method      CorMethod
	Alternative Alternative
	ConfLevel   float64
	// Exact chooses exact p-values for Spearman and Kendall: nil is R's
	// default (Spearman: exact for n <= 1290 without ties; Kendall: exact
	// for n < 50 without ties). With ties the approximation is always used.
	Exact *bool
	// Continuity applies R's continuity correction for the Kendall and
	// Spearman approximations.
	Continuity bool
}

// CorResult is a correlation with its test, as R's cor.test.
type CorResult struct {
	Method CorMethod `json:"method"`
	// Estimate is r, rho or tau-b.
	Estimate float64 `json:"estimate"`
	// Statistic is t (Pearson, df = n-2), S (Spearman), T (Kendall exact)
	// or z (Kendall approximate); StatName names it.
	Statistic float64 `json:"statistic"`
	StatName  string  `json:"statistic_name"`
	// DF is the t degrees of freedom (Pearson only, else 0).
	DF    float64 `json:"df,omitempty"`
	P     float64 `json:"p"`
	Exact bool    `json:"exact"`
	// CI is the Fisher-z interval (n >= 4): Pearson with standard error
	// 1/sqrt(n-3), as R's cor.test; Spearman with Fieller's sqrt(1.06/(n-3))
	// (R's cor.test gives none); none for Kendall.
	CI          *CI         `json:"ci,omitempty"`
	N           int         `json:"n"`
	Alternative Alternative `json:"alternative"`
	// Note says which approximation was used when not exact.
	Note string `json:"note,omitempty"`
}

func pearsonR(x, y []float64) float64 {
	mx, my := Mean(x), Mean(y)
	sxy, sxx, syy := 0.0, 0.0, 0.0
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	r := sxy / math.Sqrt(sxx*syy)
	return math.Max(-1, math.Min(1, r))
}

// Correlation computes a correlation coefficient of the complete pairs of
// x and y and tests it against zero, as R's cor.test(x, y, method=).
func Correlation(x, y []float64, opt CorOptions) (CorResult, error) {
	xs, ys, err := dropNaNPairs(x, y)
	if err != nil {
		return CorResult{}, err
	}
	if err := checkFiniteXY(xs, ys); err != nil {
		return CorResult{}, err
	}
	cl, err := confLevel(opt.ConfLevel)
	if err != nil {
		return CorResult{}, err
	}
	n := len(xs)
	min := 3
	if opt.Method == Kendall {
		min = 2
	}
	if n < min {
		return CorResult{}, fmt.Errorf("%w: %s correlation needs %d complete pairs, have %d", ErrTooFew, opt.Method, min, n)
	}
	if Variance(xs) == 0 || Variance(ys) == 0 {
		return CorResult{}, fmt.Errorf("%w: a variable has zero variance, correlation undefined", ErrConstant)
	}
	res := CorResult{Method: opt.Method, N: n, Alternative: opt.Alternative}
	fn := float64(n)
	switch opt.Method {
	case Pearson:
		r := pearsonR(xs, ys)
		pearsonTest(&res, r, fn-2, n, cl, opt.Alternative)
	case Spearman:
		r := pearsonR(Rank(xs), Rank(ys))
		res.Estimate = r
		if n > 3 && math.Abs(r) < 1 {
			res.CI = fisherCI(r, spearmanSE(fn), cl, opt.Alternative)
		}
		q := (fn*fn*fn - fn) * (1 - r) / 6
		res.Statistic, res.StatName = q, "S"
		exact := true
		if opt.Exact != nil {
			exact = *opt.Exact
		}
		if hasTies(xs) || hasTies(ys) {
			exact = false
		}
		exact = exact && n <= 1290
		res.Exact = exact && n <= 9
		if exact && n > 9 {
			res.Note = "AS 89 Edgeworth series (R's exact = TRUE for 9 < n <= 1290)"
		} else if !exact {
			res.Note = "t approximation with n-2 df"
		}
		ps := func(lower bool) float64 { return pspearman(q, n, lower, exact, opt.Continuity) }
		switch opt.Alternative {
		case TwoSided:
			var p float64
			if q > (fn*fn*fn-fn)/6 {
				p = ps(false)
			} else {
				p = ps(true)
			}
			res.P = math.Min(2*p, 1)
		case Greater:
			res.P = ps(true)
		case Less:
			res.P = ps(false)
		}
	case Kendall:
		kendallTest(&res, xs, ys, opt)
	}
	return res, nil
}

func pearsonTest(res *CorResult, r, df float64, n int, cl float64, alt Alternative) {
	res.Estimate = r
	res.DF = df
	t := math.Sqrt(df) * r / math.Sqrt(1-r*r)
	res.Statistic, res.StatName = t, "t"
	switch alt {
	case Less:
		res.P = pt(t, df, true)
	case Greater:
		res.P = pt(t, df, false)
	default:
		res.P = 2 * math.Min(pt(t, df, true), pt(t, df, false))
	}
	res.Exact = true
	// Fisher-z interval needs df_z = n - 3 - k >= 1, i.e. df >= 2
	if df-1 > 0 {
		res.CI = fisherCI(r, 1/math.Sqrt(df-1), cl, alt)
	}
}

// fisherCI is the interval tanh(atanh(r) ± q·se) for the alternative.
func fisherCI(r, se, cl float64, alt Alternative) *CI {
	z := math.Atanh(r)
	var ci CI
	switch alt {
	case Less:
		ci = CI{-1, math.Tanh(z + se*qnorm(cl, true)), cl}
	case Greater:
		ci = CI{math.Tanh(z - se*qnorm(cl, true)), 1, cl}
	default:
		d := se * qnorm((1+cl)/2, true)
		ci = CI{math.Tanh(z - d), math.Tanh(z + d), cl}
	}
	return &ci
}

// spearmanSE is the Fisher-z standard error of Spearman's rho of Fieller,
// Hartley & Pearson (1957, Biometrika 44:470), sqrt(1.06 / (m - 3)), m the
// number of pairs less the number of partialled covariates.
func spearmanSE(m float64) float64 { return math.Sqrt(1.06 / (m - 3)) }

// pspearman is R's pspearman: AS 89 (exact enumeration for n <= 9,
// Edgeworth series above) when exact, else the t approximation.
func pspearman(q float64, n int, lower, exact, continuity bool) float64 {
	fn := float64(n)
	if exact && n <= 1290 {
		is := math.RoundToEven(q)
		if lower {
			is += 2
		}
		return prho(n, is, lower)
	}
	den := fn * (fn*fn - 1) / 6
	if continuity {
		den++
	}
	r := 1 - q/den
	return pt(r/math.Sqrt((1-r*r)/(fn-2)), fn-2, !lower)
}

var (
	spearmanMu     sync.Mutex
	spearmanCounts = map[int][]int{}
)

// prho evaluates P(S >= is) (or P(S < is) when lower) for Spearman's
// S = sum of squared rank differences, algorithm AS 89 as modified in R:
// exact by enumerating all n! permutations for n <= 9, otherwise the
// Edgeworth series expansion.
func prho(n int, is float64, lower bool) float64 {
	pv := 1.0
	if lower {
		pv = 0
	}
	if n <= 1 || is <= 0 {
		return pv
	}
	fn := float64(n)
	n3 := fn * (fn*fn - 1) / 3
	if is > n3 {
		return 1 - pv
	}
	if n <= 9 {
		counts := spearmanDist(n) // counts[s] = #perms with sum d² = s
		nfac, ifr := 0, 0
		for s, c := range counts {
			nfac += c
			if is <= float64(s) {
				ifr += c
			}
		}
		if lower {
			return float64(nfac-ifr) / float64(nfac)
		}
		return float64(ifr) / float64(nfac)
	}
	const (
		c1, c2, c3, c4, c5, c6 = .2274, .2531, .1745, .0758, .1033, .3932
		c7, c8, c9, c10, c11   = .0879, .0151, .0072, .0831, .0131
		c12                    = 4.6e-4
	)
	y := fn
	b := 1 / y
	x := (6*(is-1)*b/(y*y-1) - 1) * math.Sqrt(y-1)
	y = x * x
	u := x * b * (c1 + b*(c2+c3*b) + y*(-c4+b*(c5+c6*b)-y*b*(c7+c8*b-y*(c9-c10*b+y*b*(c11-c12*y)))))
	y = u / math.Exp(y/2)
	if lower {
		pv = -y + pnorm(x, true)
	} else {
		pv = y + pnorm(x, false)
	}
	return math.Max(0, math.Min(1, pv))
}

// spearmanDist enumerates the permutations of 1..n (n <= 9) and counts each
// value of the sum of squared differences.
func spearmanDist(n int) []int {
	spearmanMu.Lock()
	defer spearmanMu.Unlock()
	if c, ok := spearmanCounts[n]; ok {
		return c
	}
	max := n * (n*n - 1) / 3
	counts := make([]int, max+1)
	perm := make([]int, n)
	used := make([]bool, n+1)
	var rec func(i, s int)
	rec = func(i, s int) {
		if i == n {
			counts[s]++
			return
		}
		for v := 1; v <= n; v++ {
			if !used[v] {
				used[v] = true
				perm[i] = v
				d := i + 1 - v
				rec(i+1, s+d*d)
				used[v] = false
			}
		}
	}
	rec(0, 0)
	spearmanCounts[n] = counts
	return counts
}

func kendallTest(res *CorResult, x, y []float64, opt CorOptions) {
	n := len(x)
	fn := float64(n)
	// tau-b from pair counts in exact integers (Knight's O(n log n)
	// algorithm)
	sc, n1, n2 := kendallCounts(x, y)
	n0 := int64(n) * int64(n-1) / 2
	s, tx, ty := float64(sc), float64(n0-n1), float64(n0-n2)
	tau := s / math.Sqrt(tx*ty)
	res.Estimate = tau
	ties := hasTies(x) || hasTies(y)
	exact := n < 50
	if opt.Exact != nil {
		exact = *opt.Exact
	}
	if exact && !ties && n > 500 {
		exact = false
		res.Note = "exact Kendall distribution limited to n <= 500; "
	}
	if exact && !ties {
		res.Exact = true
		q := math.RoundToEven((tau + 1) * fn * (fn - 1) / 4)
		res.Statistic, res.StatName = q, "T"
		switch opt.Alternative {
		case TwoSided:
			var p float64
			if q > fn*(fn-1)/4 {
				p = 1 - pkendall(q-1, n)
			} else {
				p = pkendall(q, n)
			}
			res.P = math.Min(2*p, 1)
		case Greater:
			res.P = 1 - pkendall(q-1, n)
		case Less:
			res.P = pkendall(q, n)
		}
		return
	}
	res.Note += "normal approximation with tie-corrected variance"
	xt := tieCounts(x)
	yt := tieCounts(y)
	t0 := fn * (fn - 1) / 2
	sum := func(t []float64, f func(float64) float64) float64 {
		a := 0.0
		for _, v := range t {
			if v > 1 {
				a += f(v)
			}
		}
		return a
	}
	t1 := sum(xt, func(v float64) float64 { return v * (v - 1) / 2 })
	t2 := sum(yt, func(v float64) float64 { return v * (v - 1) / 2 })
	S := tau * math.Sqrt((t0-t1)*(t0-t2))
	v0 := fn * (fn - 1) * (2*fn + 5)
	vt := sum(xt, func(v float64) float64 { return v * (v - 1) * (2*v + 5) })
	vu := sum(yt, func(v float64) float64 { return v * (v - 1) * (2*v + 5) })
	v1 := sum(xt, func(v float64) float64 { return v * (v - 1) }) * sum(yt, func(v float64) float64 { return v * (v - 1) })
	v2 := sum(xt, func(v float64) float64 { return v * (v - 1) * (v - 2) }) * sum(yt, func(v float64) float64 { return v * (v - 1) * (v - 2) })
	varS := (v0-vt-vu)/18 + v1/(2*fn*(fn-1)) + v2/(9*fn*(fn-1)*(fn-2))
	if opt.Continuity {
		S = sign(S) * (math.Abs(S) - 1)
	}
	z := S / math.Sqrt(varS)
	res.Statistic, res.StatName = z, "z"
	res.P = normalP(z, opt.Alternative)
}

// kendallCounts returns S = concordant - discordant pairs and the numbers
// of pairs tied in x and in y, by sorting on (x, y) and counting the
// exchanges of a merge sort on y (Knight 1966).
func kendallCounts(x, y []float64) (s, tiesX, tiesY int64) {
	n := len(x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		i, j := idx[a], idx[b]
		if x[i] != x[j] {
			return x[i] < x[j]
		}
		return y[i] < y[j]
	})
	var n3 int64 // pairs tied in both
	for i := 0; i < n; {
		j := i + 1
		for j < n && x[idx[j]] == x[idx[i]] {
			j++
		}
		tiesX += int64(j-i) * int64(j-i-1) / 2
		for k := i; k < j; {
			l := k + 1
			for l < j && y[idx[l]] == y[idx[k]] {
				l++
			}
			n3 += int64(l-k) * int64(l-k-1) / 2
			k = l
		}
		i = j
	}
	ys := make([]float64, n)
	for i, k := range idx {
		ys[i] = y[k]
	}
	buf := make([]float64, n)
	var swaps int64
	var msort func(lo, hi int)
	msort = func(lo, hi int) {
		if hi-lo < 2 {
			return
		}
		mid := (lo + hi) / 2
		msort(lo, mid)
		msort(mid, hi)
		i, j, k := lo, mid, lo
		for i < mid && j < hi {
			if ys[j] < ys[i] {
				swaps += int64(mid - i)
				buf[k] = ys[j]
				j++
			} else {
				buf[k] = ys[i]
				i++
			}
			k++
		}
		k += copy(buf[k:], ys[i:mid])
		copy(buf[k:], ys[j:hi])
		copy(ys[lo:hi], buf[lo:hi])
	}
	msort(0, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && ys[j] == ys[i] {
			j++
		}
		tiesY += int64(j-i) * int64(j-i-1) / 2
		i = j
	}
	n0 := int64(n) * int64(n-1) / 2
	s = n0 - tiesX - tiesY + n3 - 2*swaps
	return s, tiesX, tiesY
}

func sign(v float64) float64 {
	if v > 0 {
		return 1
	} else if v < 0 {
		return -1
	}
	return 0
}

// pkendall returns P(T <= q) for T the number of concordant pairs among n
// untied observations: the distribution of inversions of a random
// permutation (R's ckendall).
func pkendall(q float64, n int) float64 {
	if q < 0 {
		return 0
	}
	m := n * (n - 1) / 2
	if q >= float64(m) {
		return 1
	}
	// probabilities of k inversions, built by inserting elements 1..n
	p := []float64{1}
	for i := 2; i <= n; i++ {
		np := make([]float64, len(p)+i-1)
		w := 1 / float64(i)
		// np[k] = (1/i) sum_{j=0}^{i-1} p[k-j]; a direct sum of positive
		// terms keeps the tails' relative precision
		for k := range np {
			acc := 0.0
			for j := 0; j < i && j <= k; j++ {
				if k-j < len(p) {
					acc += p[k-j]
				}
			}
			np[k] = acc * w
		}
		p = np
	}
	s := 0.0
	for k := 0; k <= int(q); k++ {
		s += p[k]
	}
	return s
}
