package stats

import (
	"fmt"
	"math"
	"sort"
)

// MWUMethod selects how the Mann–Whitney p-value is computed.
type MWUMethod int

const (
	// MWUAuto is R's default: exact when both n < 50 and there are no
	// ties, otherwise the normal approximation.
	MWUAuto MWUMethod = iota
	// MWUExact is the exact permutation distribution of the rank sum: without
	// ties the Mann–Whitney distribution (R's pwilcox); with ties the exact
	// permutation distribution of the sum of mid-ranks conditional on the
	// tie pattern, counted by a dynamic program over the doubled (integer)
	// mid-ranks — the same distribution as Streitberg & Röhmel's shift
	// algorithm used by R's coin::wilcox_test(distribution = "exact"), which
	// is not installed here; the tests compare with brute-force enumeration
	// in R. The two-sided p-value with ties is P(|W - E W| >= |w - E W|),
	// coin's definition. Limited to 100 observations with ties.
	MWUExact
	// MWUNormal is the normal approximation with tie-corrected variance
	// (and continuity correction unless NoCorrect), as R with exact = FALSE.
	MWUNormal
)

// MWUOptions configures MannWhitney.
type MWUOptions struct {
	Alternative Alternative
	// Mu is the hypothesized location shift x - y.
	Mu     float64
	Method MWUMethod
	// NoCorrect turns off the continuity correction of the normal
	// approximation (R's correct = FALSE).
	NoCorrect bool
	// ConfInt requests the Hodges–Lehmann shift estimate and its interval.
	ConfInt   bool
	ConfLevel float64
}

// MWUResult is the outcome of the Wilcoxon rank-sum (Mann–Whitney) test.
type MWUResult struct {
	Method string `json:"method"`
	// W is R's statistic: rank sum of x minus nx(nx+1)/2 (= Mann–Whitney U
	// of x).
	W float64 `json:"w"`
	P float64 `json:"p"`
	// Z is the standardized statistic of the normal approximation (0 for
	// exact tests, and then omitted in JSON).
	Z     float64 `json:"z,omitempty"`
	Exact bool    `json:"exact"`
	Ties  bool    `json:"ties"`
	// R is the rank-biserial correlation 2W/(nx ny) - 1.
	R float64 `json:"rank_biserial"`
	// Estimate is the Hodges–Lehmann shift (median of pairwise differences
	// x_i - y_j) with exact p-values, or the root of the standardized
	// statistic with approximate ones, as R; CI its interval. Both only when
	// ConfInt.
	Estimate    float64     `json:"estimate,omitempty"`
	CI          *CI         `json:"ci,omitempty"`
	NX          int         `json:"n_x"`
	NY          int         `json:"n_y"`
	Alternative Alternative `json:"alternative"`
}

// MannWhitney runs the two-sample Wilcoxon rank-sum test of x against y, as
// R's wilcox.test(x, y, ...), or with an exact test under ties (MWUExact).
func MannWhitney(x, y []float64, opt MWUOptions) (MWUResult, error) {
	x, y = dropNaN(x), dropNaN(y)
	if len(x) < 1 || len(y) < 1 {
		return MWUResult{}, fmt.Errorf("%w: rank-sum test needs values in both groups, have %d and %d", ErrTooFew, len(x), len(y))
	}
	if err := checkFiniteXY(x, y); err != nil {
		return MWUResult{}, err
	}
	cl, err := confLevel(opt.ConfLevel)
	if err != nil {
		return MWUResult{}, err
	}
	nx, ny := len(x), len(y)
	all := make([]float64, 0, nx+ny)
	for _, v := range x {
		all = append(all, v-opt.Mu)
	}
	all = append(all, y...)
	r := Rank(all)
	w := 0.0
	for i := 0; i < nx; i++ {
		w += r[i]
	}
	w -= float64(nx*(nx+1)) / 2
	res := MWUResult{W: w, NX: nx, NY: ny, Alternative: opt.Alternative}
	res.R = 2*w/float64(nx*ny) - 1
	res.Ties = hasTies(all)
	exact := false
	switch opt.Method {
	case MWUAuto:
		exact = nx < 50 && ny < 50 && !res.Ties
	case MWUExact:
		exact = true
		if (res.Ties && nx+ny > 100) || nx*ny > 10000 {
			return MWUResult{}, fmt.Errorf("%w: exact test limited to nx·ny <= 10000 (and 100 observations with ties), have %d and %d; use the normal approximation", ErrInput, nx, ny)
		}
	}
	fx, fy := float64(nx), float64(ny)
	switch {
	case exact && !res.Ties:
		res.Method = "Wilcoxon rank sum exact test"
		res.Exact = true
		d := newWilcoxDist(nx, ny)
		switch opt.Alternative {
		case TwoSided:
			var p float64
			if w > fx*fy/2 {
				p = d.upper(w - 1)
			} else {
				p = d.cdf(w)
			}
			res.P = math.Min(2*p, 1)
		case Greater:
			res.P = d.upper(w - 1)
		case Less:
			res.P = d.cdf(w)
		}
		if opt.ConfInt {
			diffs := pairDiffs(x, y)
			alpha := 1 - cl
			var ci CI
			switch opt.Alternative {
			case TwoSided:
				qu := d.quantile(alpha / 2)
				if qu == 0 {
					qu = 1
				}
				ql := nx*ny - qu
				ci = CI{diffs[qu-1], diffs[ql], cl}
			case Greater:
				qu := d.quantile(alpha)
				if qu == 0 {
					qu = 1
				}
				ci = CI{diffs[qu-1], math.Inf(1), cl}
			case Less:
				qu := d.quantile(alpha)
				if qu == 0 {
					qu = 1
				}
				ci = CI{math.Inf(-1), diffs[nx*ny-qu], cl}
			}
			res.CI = &ci
			res.Estimate = median(diffs)
		}
		return res, nil
	case exact:
		res.Method = "Exact Wilcoxon-Mann-Whitney test (conditional on ties)"
		res.Exact = true
		res.P = exactTiesP(r, nx, opt.Alternative)
	default:
		res.Method = "Wilcoxon rank sum test"
		sigma := rankSumSigma(all, nx, ny)
		if sigma == 0 {
			return MWUResult{}, fmt.Errorf("%w: all observations are tied", ErrConstant)
		}
		z := w - fx*fy/2
		corr := 0.0
		if !opt.NoCorrect {
			res.Method += " with continuity correction"
			corr = continuity(z, opt.Alternative)
		}
		z = (z - corr) / sigma
		res.Z = z
		res.P = normalP(z, opt.Alternative)
	}
	if opt.ConfInt {
		if err := mwuApproxCI(x, y, opt, cl, &res); err != nil {
			return MWUResult{}, err
		}
	}
	return res, nil
}

func continuity(z float64, alt Alternative) float64 {
	switch alt {
	case Greater:
		return 0.5
	case Less:
		return -0.5
	}
	if z > 0 {
		return 0.5
	} else if z < 0 {
		return -0.5
	}
	return 0
}

func rankSumSigma(all []float64, nx, ny int) float64 {
	fx, fy := float64(nx), float64(ny)
	n := fx + fy
	t := 0.0
	for _, c := range tieCounts(all) {
		t += c*c*c - c
	}
	return math.Sqrt((fx * fy / 12) * ((n + 1) - t/(n*(n-1))))
}

// mwuApproxCI reproduces R's asymptotic interval and estimate: the shifts d
// where the continuity-corrected standardized statistic of x - d against y
// crosses the normal quantiles. R locates these with uniroot (tolerance
// 1e-4); here they are located by bisection to full precision.
func mwuApproxCI(x, y []float64, opt MWUOptions, cl float64, res *MWUResult) error {
	nx, ny := len(x), len(y)
	fx, fy := float64(nx), float64(ny)
	xs := append([]float64(nil), x...)
	ys := append([]float64(nil), y...)
	sort.Float64s(xs)
	sort.Float64s(ys)
	correct := !opt.NoCorrect
	// W(d) is R's standardized statistic of x - d against y. The rank sum
	// of x is nx(nx+1)/2 + U(d), U(d) = #{x_i - d > y_j} + #{x_i - d = y_j}/2,
	// and the tie sizes of the combined sample come from the same merge of
	// the sorted samples: O(nx + ny) per evaluation.
	W := func(d float64, alt Alternative, corr bool) float64 {
		u, ties := 0.0, 0.0
		i, j := 0, 0
		for i < nx || j < ny {
			var v float64
			switch {
			case i == nx:
				v = ys[j]
			case j == ny:
				v = xs[i] - d
			default:
				v = math.Min(xs[i]-d, ys[j])
			}
			below := float64(j)
			cx, cy := 0.0, 0.0
			for i < nx && xs[i]-d == v {
				cx++
				i++
			}
			for j < ny && ys[j] == v {
				cy++
				j++
			}
			u += cx*below + 0.5*cx*cy
			t := cx + cy
			ties += t*t*t - t
		}
		dz := u - fx*fy/2
		c := 0.0
		if corr {
			c = continuity(dz, alt)
		}
		n := fx + fy
		s := math.Sqrt((fx * fy / 12) * ((n + 1) - ties/(n*(n-1))))
		return (dz - c) / s
	}
	mumin := xs[0] - ys[ny-1]
	mumax := xs[nx-1] - ys[0]
	alt := opt.Alternative
	root := func(zq float64) float64 {
		if W(mumin, alt, correct)-zq <= 0 {
			return mumin
		}
		if W(mumax, alt, correct)-zq >= 0 {
			return mumax
		}
		return bisect(func(d float64) float64 { return W(d, alt, correct) - zq }, mumin, mumax)
	}
	alpha := 1 - cl
	var ci CI
	switch alt {
	case TwoSided:
		ci = CI{root(qnorm(alpha/2, false)), root(qnorm(alpha/2, true)), cl}
	case Greater:
		ci = CI{root(qnorm(alpha, false)), math.Inf(1), cl}
	case Less:
		ci = CI{math.Inf(-1), root(qnorm(alpha, true)), cl}
	}
	res.CI = &ci
	// R sets correct <- FALSE before the estimate's uniroot of W.
	w0 := func(d float64) float64 { return W(d, alt, false) }
	est := bisect(w0, mumin, mumax)
	// When the statistic is exactly zero over an interval between two
	// pairwise differences, any point of it is a root (R returns the one its
	// uniroot meets); report the interval's midpoint, which is then the
	// Hodges–Lehmann median of the pairwise differences.
	if w0(est) == 0 {
		lo := bisect(func(d float64) float64 {
			if w0(d) > 0 {
				return 1
			}
			return -1
		}, mumin, est)
		hi := bisect(func(d float64) float64 {
			if w0(d) >= 0 {
				return 1
			}
			return -1
		}, est, mumax)
		est = lo + (hi-lo)/2
	}
	res.Estimate = est
	return nil
}

func pairDiffs(x, y []float64) []float64 {
	d := make([]float64, 0, len(x)*len(y))
	for _, a := range x {
		for _, b := range y {
			d = append(d, a-b)
		}
	}
	sort.Float64s(d)
	return d
}

// wilcoxDist is the null distribution of the Mann–Whitney statistic for
// sizes m, n without ties: prob[k] = P(W = k), k = 0..mn.
type wilcoxDist struct {
	prob []float64
}

func newWilcoxDist(m, n int) *wilcoxDist {
	// p_{i,j}(k) = i/(i+j) p_{i-1,j}(k-j) + j/(i+j) p_{i,j-1}(k): the
	// largest of the i+j values belongs to x (then it exceeds all j values
	// of y) or to y. All terms are positive, so tails keep full relative
	// precision. Rows i = 0..m are built over j = 0..n.
	prev := make([][]float64, n+1) // p_{i-1, j}
	for j := range prev {
		prev[j] = []float64{1} // p_{0,j}: W = 0
	}
	for i := 1; i <= m; i++ {
		cur := make([][]float64, n+1)
		cur[0] = []float64{1} // p_{i,0}
		for j := 1; j <= n; j++ {
			c := make([]float64, i*j+1)
			a := float64(i) / float64(i+j)
			b := float64(j) / float64(i+j)
			for k, v := range prev[j] {
				c[k+j] += a * v
			}
			for k, v := range cur[j-1] {
				c[k] += b * v
			}
			cur[j] = c
		}
		prev = cur
	}
	return &wilcoxDist{prob: prev[n]}
}

// tails returns P(W <= q) and P(W > q), summing the shorter tail, as R
// does, for accuracy.
func (d *wilcoxDist) tails(q float64) (lower, upper float64) {
	q = math.Floor(q + 1e-7)
	n := len(d.prob) - 1
	switch {
	case q < 0:
		return 0, 1
	case int(q) >= n:
		return 1, 0
	}
	s := 0.0
	if int(q) <= n/2 {
		for k := 0; k <= int(q); k++ {
			s += d.prob[k]
		}
		return s, 1 - s
	}
	for k := int(q) + 1; k <= n; k++ {
		s += d.prob[k]
	}
	return 1 - s, s
}

// cdf returns P(W <= q).
func (d *wilcoxDist) cdf(q float64) float64 {
	lower, _ := d.tails(q)
	return lower
}

// upper returns P(W > q).
func (d *wilcoxDist) upper(q float64) float64 {
	_, upper := d.tails(q)
	return upper
}

// quantile returns the smallest q with P(W <= q) >= p, as R's qwilcox.
func (d *wilcoxDist) quantile(p float64) int {
	s := 0.0
	for k, v := range d.prob {
		s += v
		if s >= p*(1-64*2.220446049250313e-16) {
			return k
		}
	}
	return len(d.prob) - 1
}

// exactTiesP computes the exact conditional p-value of the rank sum of the
// first nx of the given mid-ranks.
func exactTiesP(ranks []float64, nx int, alt Alternative) float64 {
	n := len(ranks)
	// doubled mid-ranks are integers
	s := make([]int, n)
	obs := 0
	total := 0
	for i, r := range ranks {
		s[i] = int(math.Round(2 * r))
		total += s[i]
		if i < nx {
			obs += s[i]
		}
	}
	maxSum := 0
	sorted := append([]int(nil), s...)
	sort.Sort(sort.Reverse(sort.IntSlice(sorted)))
	for i := 0; i < nx; i++ {
		maxSum += sorted[i]
	}
	// dp[j][t]: probability-weighted count of subsets of size j with sum t,
	// normalised by C(n, nx) through a running scale.
	dp := make([][]float64, nx+1)
	for j := range dp {
		dp[j] = make([]float64, maxSum+1)
	}
	dp[0][0] = 1
	for i := 0; i < n; i++ {
		v := s[i]
		top := nx
		if i+1 < top {
			top = i + 1
		}
		for j := top; j >= 1; j-- {
			src, dst := dp[j-1], dp[j]
			for t := maxSum - v; t >= 0; t-- {
				if src[t] != 0 {
					dst[t+v] += src[t]
				}
			}
		}
	}
	dist := dp[nx]
	tot := 0.0
	for _, v := range dist {
		tot += v
	}
	mean2 := float64(total) * float64(nx) / float64(n) // E of doubled sum
	le, ge, two := 0.0, 0.0, 0.0
	dev := math.Abs(float64(obs) - mean2)
	for t, v := range dist {
		if v == 0 {
			continue
		}
		if t <= obs {
			le += v
		}
		if t >= obs {
			ge += v
		}
		if math.Abs(float64(t)-mean2) >= dev-1e-7 {
			two += v
		}
	}
	switch alt {
	case Greater:
		return ge / tot
	case Less:
		return le / tot
	}
	return math.Min(two/tot, 1)
}
