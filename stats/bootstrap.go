package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// BootOptions configures a nonparametric bootstrap.
type BootOptions struct {
	// R is the number of resamples (0 means 2000).
	R int
	// Seed makes the resampling reproducible (PCG generator).
	Seed      uint64
	ConfLevel float64
}

// BootResult holds a bootstrap distribution and its intervals, computed as
// R's boot::boot.ci with types "perc" and "bca" (order statistics
// interpolated on the normal quantile scale, boot's norm.inter; BCa
// acceleration from jackknife influence values, boot's empinf type "jack").
type BootResult struct {
	// Estimate is the statistic on the original data; Bias and SE come from
	// the replicates.
	Estimate   float64 `json:"estimate"`
	Bias       float64 `json:"bias"`
	SE         float64 `json:"se"`
	Percentile CI      `json:"percentile"`
	BCa        CI      `json:"bca"`
	// Z0 is the bias correction, Accel the acceleration of BCa.
	Z0    float64 `json:"z0"`
	Accel float64 `json:"acceleration"`
	R     int     `json:"r"`
	Seed  uint64  `json:"seed"`
	// Replicates are the R bootstrap statistics in resampling order.
	Replicates []float64 `json:"-"`
}

// Bootstrap resamples n observations (by index, with replacement) and
// evaluates stat on each resample; stat receives the indices of the
// observations in the resample (for paired data index both columns).
func Bootstrap(n int, stat func(idx []int) float64, opt BootOptions) (BootResult, error) {
	cl, err := confLevel(opt.ConfLevel)
	if err != nil {
		return BootResult{}, err
	}
	if n < 2 {
		return BootResult{}, fmt.Errorf("%w: bootstrap needs 2 observations, have %d", ErrTooFew, n)
	}
	R := opt.R
	if R == 0 {
		R = 2000
	}
	if R < 10 {
		return BootResult{}, fmt.Errorf("%w: %d bootstrap resamples", ErrInput, R)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	res := BootResult{R: R, Seed: opt.Seed, Estimate: stat(idx)}
	if math.IsNaN(res.Estimate) || math.IsInf(res.Estimate, 0) {
		return BootResult{}, fmt.Errorf("%w: statistic on the original data is %g", ErrInput, res.Estimate)
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
	t := make([]float64, R)
	for b := 0; b < R; b++ {
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
		t[b] = stat(idx)
	}
	res.Replicates = t
	// jackknife influence values
	L := make([]float64, n)
	jidx := make([]int, n-1)
	for i := 0; i < n; i++ {
		k := 0
		for j := 0; j < n; j++ {
			if j != i {
				jidx[k] = j
				k++
			}
		}
		L[i] = stat(jidx)
	}
	if err := res.intervals(L, cl); err != nil {
		return BootResult{}, err
	}
	return res, nil
}

// BootCI computes the bias, SE, percentile and BCa intervals from given
// bootstrap replicates and the leave-one-out (jackknife) statistics of the
// original data, e.g. replicates made elsewhere (R's boot) or stored.
func BootCI(estimate float64, replicates, jackknife []float64, conf float64) (BootResult, error) {
	cl, err := confLevel(conf)
	if err != nil {
		return BootResult{}, err
	}
	if len(jackknife) < 2 {
		return BootResult{}, fmt.Errorf("%w: %d jackknife values", ErrTooFew, len(jackknife))
	}
	res := BootResult{Estimate: estimate, R: len(replicates), Replicates: replicates}
	if err := res.intervals(append([]float64(nil), jackknife...), cl); err != nil {
		return BootResult{}, err
	}
	return res, nil
}

// intervals computes bias, SE, percentile and BCa intervals from
// res.Replicates and the leave-one-out statistics jack (replaced by the
// influence values).
func (res *BootResult) intervals(jack []float64, cl float64) error {
	var t []float64
	for _, v := range res.Replicates {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			t = append(t, v)
		}
	}
	if len(t) < 10 {
		return fmt.Errorf("%w: only %d finite bootstrap statistics", ErrConstant, len(t))
	}
	res.Bias = Mean(t) - res.Estimate
	res.SE = math.Sqrt(Variance(t))
	n := float64(len(jack))
	mj := Mean(jack)
	for i, v := range jack {
		jack[i] = (n - 1) * (mj - v)
	}
	sorted := append([]float64(nil), t...)
	sort.Float64s(sorted)
	alpha := [2]float64{(1 - cl) / 2, (1 + cl) / 2}
	res.Percentile = CI{normInter(sorted, alpha[0]), normInter(sorted, alpha[1]), cl}
	below := 0
	for _, v := range t {
		if v < res.Estimate {
			below++
		}
	}
	w := qnorm(float64(below)/float64(len(t)), true)
	if math.IsInf(w, 0) {
		return fmt.Errorf("%w: all bootstrap statistics on one side of the estimate; BCa undefined", ErrConstant)
	}
	s2, s3 := 0.0, 0.0
	for _, l := range jack {
		s2 += l * l
		s3 += l * l * l
	}
	if s2 == 0 {
		return fmt.Errorf("%w: jackknife influence values are all zero; BCa undefined", ErrConstant)
	}
	a := s3 / (6 * math.Pow(s2, 1.5))
	res.Z0, res.Accel = w, a
	var adj [2]float64
	for k, al := range alpha {
		z := qnorm(al, true)
		adj[k] = pnorm(w+(w+z)/(1-a*(w+z)), true)
	}
	res.BCa = CI{normInter(sorted, adj[0]), normInter(sorted, adj[1]), cl}
	return nil
}

// normInter is boot's norm.inter: the (R+1)α-th order statistic,
// interpolated on the normal quantile scale between neighbours.
func normInter(sorted []float64, alpha float64) float64 {
	R := len(sorted)
	rk := float64(R+1) * alpha
	k := int(math.Trunc(rk))
	switch {
	case k <= 0:
		return sorted[0]
	case k >= R:
		return sorted[R-1]
	case float64(k) == rk:
		return sorted[k-1]
	}
	t1 := qnorm(alpha, true)
	t2 := qnorm(float64(k)/float64(R+1), true)
	t3 := qnorm(float64(k+1)/float64(R+1), true)
	tk, tk1 := sorted[k-1], sorted[k]
	return tk + (t1-t2)/(t3-t2)*(tk1-tk)
}
