package preproc

import (
	"fmt"
	"math"
	"math/cmplx"

	"glusleep/internal/fft"
)

// CoilOptions control coil combination. Zero values take defaults.
type CoilOptions struct {
	// WeightPoints is the number of leading FID points averaged to estimate
	// each coil's signal (default 4).
	WeightPoints int
	// NoiseFraction is the fraction of spectral points, half at each edge
	// of the spectrum, taken as noise for the coil noise covariance
	// (default 0.25).
	NoiseFraction float64
	// NoWhitening skips noise decorrelation: only the noise variances
	// weight the coils.
	NoWhitening bool
}

// Coils describes a combination: the weights applied to the (whitened)
// channels and the noise statistics they were based on.
type Coils struct {
	// Weights are the complex combination weights of the whitened channels.
	Weights []complex128
	// NoiseSD is each channel's noise standard deviation (data units).
	NoiseSD []float64
	// Correlation is the largest absolute noise correlation coefficient
	// between two channels.
	Correlation float64
	// whiten is the lower-triangular inverse Cholesky factor (row-major)
	// applied before the weights; nil without whitening.
	whiten [][]complex128
	// scale brings the combined signal back to data units.
	scale float64
}

// EstimateCoils derives combination weights. ref[c] holds the FIDs of
// channel c from which signal is estimated (the water reference, or the
// suppressed transients); noise[c] holds FIDs of channel c whose tails are
// noise (usually the same as ref, or the suppressed data). Weights follow
// Roemer et al. (1990): after whitening with the noise covariance C = LLᴴ,
// channel c is weighted by the conjugate of its signal s_c, so the
// combination Σ conj(s_c)·y_c / Σ|s_c|² maximises SNR.
func EstimateCoils(ref, noise [][][]complex128, opt CoilOptions) (*Coils, error) {
	nc := len(ref)
	if nc == 0 || len(noise) != nc {
		return nil, fmt.Errorf("preproc: coil combination: %d reference channels and %d noise channels", nc, len(noise))
	}
	if opt.WeightPoints <= 0 {
		opt.WeightPoints = 4
	}
	if opt.NoiseFraction <= 0 || opt.NoiseFraction >= 1 {
		opt.NoiseFraction = 0.25
	}
	for c := range ref {
		if err := checkFIDs(fmt.Sprintf("coil %d reference", c), ref[c]); err != nil {
			return nil, err
		}
		if len(noise[c]) == 0 || len(noise[c]) != len(noise[0]) {
			return nil, fmt.Errorf("preproc: coil combination: channel %d has %d noise FIDs, channel 0 %d", c, len(noise[c]), len(noise[0]))
		}
	}
	cov, err := noiseCovariance(noise, opt.NoiseFraction)
	if err != nil {
		return nil, err
	}
	co, err := newCoils(cov, opt.NoWhitening)
	if err != nil {
		return nil, err
	}
	if err := co.setWeights(ref, opt.WeightPoints); err != nil {
		return nil, err
	}
	return co, nil
}

// noiseCovariance estimates the channels' noise covariance (nc×nc,
// Hermitian, data units squared) from the outer spectral points of
// noise[c] (fraction of them, half at each edge; at least 8 each), where
// only the smooth tails of peaks remain: a quadratic removed per edge and
// channel leaves the noise. (FID tails are not noise for long T2* water
// signals: they made channels look 99% correlated.)
func noiseCovariance(noise [][][]complex128, fraction float64) ([][]complex128, error) {
	nc := len(noise)
	n := len(noise[0][0])
	plan := fft.New(n)
	edge := max(int(float64(n)*fraction/2), 8)
	cov := make([][]complex128, nc)
	for i := range cov {
		cov[i] = make([]complex128, nc)
	}
	cnt := 0
	res := make([][]complex128, nc)
	spec := make([]complex128, n)
	// About 4096 noise samples per channel are plenty for the covariance:
	// use that many FIDs, spread over the acquisition.
	nf := len(noise[0])
	use := min(nf, max(1, (4096+2*edge-1)/(2*edge)))
	for u := 0; u < use; u++ {
		f := u * nf / use
		for c := 0; c < nc; c++ {
			if len(noise[c][f]) != n {
				return nil, fmt.Errorf("preproc: coil combination: channel %d FID %d has %d points, want %d", c, f, len(noise[c][f]), n)
			}
			if err := checkFIDs(fmt.Sprintf("coil %d", c), noise[c][f:f+1]); err != nil {
				return nil, err
			}
			plan.Forward(spec, noise[c][f])
			// Unshifted FFT: the outer frequencies are the middle indices.
			mid := n / 2
			res[c] = append(res[c][:0], detrend(spec[mid-edge:mid])...)
			res[c] = append(res[c], detrend(spec[mid:mid+edge])...)
		}
		for i := 0; i < nc; i++ {
			for j := 0; j <= i; j++ {
				var s complex128
				for k, v := range res[i] {
					s += v * cmplx.Conj(res[j][k])
				}
				cov[i][j] += s / complex(float64(n), 0)
			}
		}
		cnt += len(res[0]) - 6
	}
	for i := 0; i < nc; i++ {
		for j := 0; j <= i; j++ {
			cov[i][j] /= complex(float64(cnt), 0)
			cov[j][i] = cmplx.Conj(cov[i][j])
		}
	}
	return cov, nil
}

// newCoils returns the noise statistics of the noise covariance cov and
// the whitening they give: the inverse Cholesky factor of cov, or with
// noWhitening only each channel's noise SD.
func newCoils(cov [][]complex128, noWhitening bool) (*Coils, error) {
	nc := len(cov)
	co := &Coils{NoiseSD: make([]float64, nc)}
	for i := 0; i < nc; i++ {
		if !(real(cov[i][i]) > 0) {
			return nil, fmt.Errorf("preproc: coil combination: channel %d has no noise (variance %g)", i, real(cov[i][i]))
		}
		co.NoiseSD[i] = math.Sqrt(real(cov[i][i]))
	}
	for i := 0; i < nc; i++ {
		for j := 0; j < i; j++ {
			co.Correlation = math.Max(co.Correlation, cmplx.Abs(cov[i][j])/(co.NoiseSD[i]*co.NoiseSD[j]))
		}
	}
	meanVar := 0.0
	for _, s := range co.NoiseSD {
		meanVar += s * s
	}
	meanVar /= float64(nc)
	if noWhitening {
		co.whiten = make([][]complex128, nc)
		for i := range co.whiten {
			co.whiten[i] = make([]complex128, nc)
			co.whiten[i][i] = complex(1/co.NoiseSD[i], 0)
		}
	} else {
		l, err := cholesky(cov)
		if err != nil {
			return nil, fmt.Errorf("preproc: coil combination: noise covariance: %w", err)
		}
		co.whiten = lowerInverse(l)
	}
	// Whitened channels have unit noise; the combination has unit noise
	// too. Scale back so the noise SD is that of an average channel.
	co.scale = math.Sqrt(meanVar)
	return co, nil
}

// setWeights sets the weights to the conjugate of each whitened channel's
// signal, the sum of the first points points of every FID in ref[c],
// normalised to unit length.
func (co *Coils) setWeights(ref [][][]complex128, points int) error {
	nc := len(ref)
	sig := make([]complex128, nc)
	for c := 0; c < nc; c++ {
		for _, f := range ref[c] {
			for k := 0; k < points && k < len(f); k++ {
				sig[c] += f[k]
			}
		}
	}
	ws := co.apply(sig)
	var norm float64
	for _, v := range ws {
		norm += real(v)*real(v) + imag(v)*imag(v)
	}
	if !(norm > 0) {
		return fmt.Errorf("preproc: coil combination: reference has no signal")
	}
	co.Weights = make([]complex128, nc)
	for c, v := range ws {
		co.Weights[c] = cmplx.Conj(v) / complex(math.Sqrt(norm), 0)
	}
	return nil
}

// apply returns the whitened channel vector of x.
func (co *Coils) apply(x []complex128) []complex128 {
	y := make([]complex128, len(x))
	for i, row := range co.whiten {
		var s complex128
		for j := 0; j <= i; j++ {
			s += row[j] * x[j]
		}
		y[i] = s
	}
	return y
}

// Combine returns the weighted combination of channels fids[c] (one FID
// per channel, equal lengths).
func (co *Coils) Combine(fids [][]complex128) ([]complex128, error) {
	nc := len(co.Weights)
	if len(fids) != nc {
		return nil, fmt.Errorf("preproc: coil combination: %d channels, weights for %d", len(fids), nc)
	}
	// Effective weight per raw channel: wᵀ·W (W lower triangular).
	eff := make([]complex128, nc)
	for i, row := range co.whiten {
		for j := 0; j <= i; j++ {
			eff[j] += co.Weights[i] * row[j]
		}
	}
	n := len(fids[0])
	out := make([]complex128, n)
	for c, f := range fids {
		if len(f) != n {
			return nil, fmt.Errorf("preproc: coil combination: channel %d has %d points, channel 0 %d", c, len(f), n)
		}
		w := eff[c] * complex(co.scale, 0)
		for k, v := range f {
			out[k] += w * v
		}
	}
	return out, nil
}

// cholesky returns L with a = L·Lᴴ for a Hermitian positive-definite a.
func cholesky(a [][]complex128) ([][]complex128, error) {
	n := len(a)
	l := make([][]complex128, n)
	for i := range l {
		l[i] = make([]complex128, n)
	}
	for j := 0; j < n; j++ {
		d := real(a[j][j])
		for k := 0; k < j; k++ {
			d -= real(l[j][k])*real(l[j][k]) + imag(l[j][k])*imag(l[j][k])
		}
		if !(d > 1e-12*real(a[j][j])) {
			return nil, fmt.Errorf("not positive definite at channel %d (channels linearly dependent?)", j)
		}
		l[j][j] = complex(math.Sqrt(d), 0)
		for i := j + 1; i < n; i++ {
			s := a[i][j]
			for k := 0; k < j; k++ {
				s -= l[i][k] * cmplx.Conj(l[j][k])
			}
			l[i][j] = s / l[j][j]
		}
	}
	return l, nil
}

// lowerInverse inverts a lower-triangular matrix.
func lowerInverse(l [][]complex128) [][]complex128 {
	n := len(l)
	inv := make([][]complex128, n)
	for i := range inv {
		inv[i] = make([]complex128, n)
	}
	for j := 0; j < n; j++ {
		inv[j][j] = 1 / l[j][j]
		for i := j + 1; i < n; i++ {
			var s complex128
			for k := j; k < i; k++ {
				s += l[i][k] * inv[k][j]
			}
			inv[i][j] = -s / l[i][i]
		}
	}
	return inv
}
