package preproc

import (
	"fmt"
	"math"
	"math/cmplx"
	"sort"

	"glusleep/internal/fft"
	"glusleep/mrs"
)

// AlignOptions control spectral registration. Zero values take defaults.
type AlignOptions struct {
	// PPMLow and PPMHigh bound the chemical-shift window compared (default
	// 1.8–4.2 ppm, NAA to creatine's CH2 with the water peak left out).
	PPMLow, PPMHigh float64
	// MaxShift bounds the frequency search in Hz (default 20 Hz).
	MaxShift float64
	// Reference is the target FID; nil aligns to the mean of the
	// transients, refined once with the mean of the aligned ones.
	Reference []complex128
	// Broadening is an exponential line broadening in Hz applied to the
	// copies used for estimation (not to the output): a matched filter that
	// weights the early, signal-rich part of the FID. 0 means 4 Hz;
	// negative disables it.
	Broadening float64
	// RejectZ rejects transients whose residual to the aligned mean exceeds
	// the median by more than RejectZ robust standard deviations (1.4826 ×
	// median absolute deviation); 0 means 3, negative disables rejection.
	RejectZ float64
}

// Alignment is the result of Align.
type Alignment struct {
	// Hz and Phase are each transient's estimated frequency shift (Hz) and
	// zero-order phase (radians) relative to the reference: the transient
	// equals the reference multiplied by exp(i(2π·Hz·t + Phase)). Applying
	// Shift(fid, dwell, −Hz, −Phase) aligns it.
	Hz, Phase []float64
	// Residual is each aligned transient's root-mean-square difference to
	// the aligned mean over the window (data units).
	Residual []float64
	// Rejected lists the indices of outlier transients, ascending.
	Rejected []int
	// Aligned holds the corrected transients (all of them, rejected too).
	Aligned [][]complex128
}

// Accepted returns the aligned transients that were not rejected.
func (a *Alignment) Accepted() [][]complex128 {
	out := make([][]complex128, 0, len(a.Aligned))
	r := 0
	for i, f := range a.Aligned {
		if r < len(a.Rejected) && a.Rejected[r] == i {
			r++
			continue
		}
		out = append(out, f)
	}
	return out
}

// Align estimates and removes the frequency and phase shift of each
// transient by spectral registration: a Gauss–Newton least-squares fit of
// the shifted transient's spectrum to the reference's over the ppm window,
// started from the best integer-bin cross-correlation of magnitude spectra.
func Align(fids [][]complex128, p mrs.Params, opt AlignOptions) (*Alignment, error) {
	if err := checkFIDs("align", fids); err != nil {
		return nil, err
	}
	if !(p.Dwell > 0) || !(p.SpectrometerFrequency > 0) {
		return nil, fmt.Errorf("preproc: align: dwell %g s and frequency %g MHz must be positive", p.Dwell, p.SpectrometerFrequency)
	}
	if opt.PPMLow == 0 && opt.PPMHigh == 0 {
		opt.PPMLow, opt.PPMHigh = 1.8, 4.2
	}
	if opt.MaxShift == 0 {
		opt.MaxShift = 20
	}
	if opt.RejectZ == 0 {
		opt.RejectZ = 3
	}
	if opt.Broadening == 0 {
		opt.Broadening = 4
	}
	est := fids
	n := len(fids[0])
	if opt.Broadening > 0 {
		// Estimate on the part of the FID the filter leaves above 2%:
		// shorter transforms, same information.
		keep := nextPow2(int(math.Log(50) / (math.Pi * opt.Broadening * p.Dwell)))
		n = min(n, max(keep, 256))
		est = make([][]complex128, len(fids))
		for i, f := range fids {
			est[i] = Apodize(f[:n], p.Dwell, opt.Broadening, 0)
		}
	}
	r := newRegistrar(n, p, opt.PPMLow, opt.PPMHigh)
	if r.hi-r.lo < 8 {
		return nil, fmt.Errorf("preproc: align: window %g–%g ppm holds %d points, want at least 8", opt.PPMLow, opt.PPMHigh, r.hi-r.lo)
	}
	a := &Alignment{Hz: make([]float64, len(fids)), Phase: make([]float64, len(fids)),
		Residual: make([]float64, len(fids)), Aligned: make([][]complex128, len(fids))}
	ref := opt.Reference
	passes := 1
	if ref == nil {
		ref = mrs.Average(est)
		passes = 2
	} else if len(ref) != len(fids[0]) {
		return nil, fmt.Errorf("preproc: align: reference has %d points, transients %d", len(ref), len(fids[0]))
	} else if opt.Broadening > 0 {
		ref = Apodize(ref[:n], p.Dwell, opt.Broadening, 0)
	}
	shifted := make([][]complex128, len(fids))
	maxBins := int(math.Ceil(opt.MaxShift * float64(n) * p.Dwell))
	for pass := 0; pass < passes; pass++ {
		r.setReference(ref)
		for i, f := range est {
			hz, ph := r.register(f, maxBins, pass > 0, -a.Hz[i], -a.Phase[i])
			a.Hz[i], a.Phase[i] = -hz, -ph
			shifted[i] = Shift(f, p.Dwell, hz, ph)
		}
		ref = mrs.Average(shifted)
	}
	for i, f := range fids {
		a.Aligned[i] = Shift(f, p.Dwell, -a.Hz[i], -a.Phase[i])
	}
	// Residuals to the aligned mean, and outliers.
	r.setReference(ref)
	for i, f := range shifted {
		a.Residual[i] = r.rms(f)
	}
	if opt.RejectZ > 0 && len(fids) >= 4 {
		med := median(a.Residual)
		dev := make([]float64, len(a.Residual))
		for i, v := range a.Residual {
			dev[i] = math.Abs(v - med)
		}
		sd := 1.4826 * median(dev)
		for i, v := range a.Residual {
			if sd > 0 && (v-med)/sd > opt.RejectZ {
				a.Rejected = append(a.Rejected, i)
			}
		}
	}
	return a, nil
}

// registrar holds the reference spectrum window and FFT workspace.
type registrar struct {
	n      int
	dwell  float64
	plan   *fft.Plan
	lo, hi int // window in fftshifted spectral indices [lo, hi)
	ref    []complex128
	buf    []complex128
	spec   []complex128
	tbuf   []complex128
}

func newRegistrar(n int, p mrs.Params, ppmLo, ppmHi float64) *registrar {
	lo, hi := window(p, n, ppmLo, ppmHi)
	hi = max(hi, lo)
	return &registrar{n: n, dwell: p.Dwell, plan: fft.New(n), lo: lo, hi: hi,
		buf: make([]complex128, n), spec: make([]complex128, n), tbuf: make([]complex128, n)}
}

// window returns the fftshifted spectrum of fid over [lo, hi) in dst.
func (r *registrar) window(dst, fid []complex128) {
	r.plan.Forward(r.spec, fid)
	h := r.n / 2
	for i := r.lo; i < r.hi; i++ {
		dst[i-r.lo] = r.spec[(i-h+r.n)%r.n]
	}
}

func (r *registrar) setReference(ref []complex128) {
	r.ref = make([]complex128, r.hi-r.lo)
	r.window(r.ref, ref)
}

func (r *registrar) rms(fid []complex128) float64 {
	w := make([]complex128, r.hi-r.lo)
	r.window(w, fid)
	s := 0.0
	for i, v := range w {
		d := v - r.ref[i]
		s += real(d)*real(d) + imag(d)*imag(d)
	}
	return math.Sqrt(s/float64(len(w))) / float64(r.n)
}

// register returns the correction (hz, phase) that maps fid onto the
// reference. With warm, it starts from (hz0, ph0) instead of searching.
func (r *registrar) register(fid []complex128, maxBins int, warm bool, hz0, ph0 float64) (float64, float64) {
	m := r.hi - r.lo
	w := make([]complex128, m)
	hz, ph := hz0, ph0
	if !warm {
		// Coarse frequency: magnitude cross-correlation over whole bins,
		// with a parabola through the best three.
		r.plan.Forward(r.spec, fid)
		h := r.n / 2
		scores := make([]float64, 2*maxBins+1)
		m := r.hi - r.lo
		ra := make([]float64, m)
		mean := 0.0
		for i := range ra {
			ra[i] = cmplx.Abs(r.ref[i])
			mean += ra[i]
		}
		mean /= float64(m)
		for i := range ra {
			ra[i] -= mean
		}
		sa := make([]float64, m)
		for s := -maxBins; s <= maxBins; s++ {
			// Pearson correlation of magnitudes: insensitive to the broad
			// background (water tail, baseline) that would otherwise pull
			// the search to an edge.
			mean := 0.0
			for i := r.lo; i < r.hi; i++ {
				j := min(max(i-s, 0), r.n-1) // corrected[i] = original[i−s]
				sa[i-r.lo] = cmplx.Abs(r.spec[(j-h+r.n)%r.n])
				mean += sa[i-r.lo]
			}
			mean /= float64(m)
			var sxy, syy float64
			for i, v := range sa {
				v -= mean
				sxy += v * ra[i]
				syy += v * v
			}
			sum := 0.0
			if syy > 0 {
				sum = sxy / math.Sqrt(syy)
			}
			scores[s+maxBins] = sum
		}
		hz = (argmaxVertex(scores) - float64(maxBins)) / (float64(r.n) * r.dwell)
		shiftInto(r.buf, fid, r.dwell, hz, 0)
		r.window(w, r.buf)
		var dot complex128
		for i, v := range w {
			dot += cmplx.Conj(v) * r.ref[i]
		}
		ph = cmplx.Phase(dot)
	}
	// Gauss–Newton (Levenberg–Marquardt damped) on (hz, ph).
	dw := make([]complex128, m)
	cost := func(hz, ph float64) float64 {
		shiftInto(r.buf, fid, r.dwell, hz, ph)
		r.window(w, r.buf)
		s := 0.0
		for i, v := range w {
			d := r.ref[i] - v
			s += real(d)*real(d) + imag(d)*imag(d)
		}
		return s
	}
	c0 := cost(hz, ph)
	lambda := 1e-3
	for it := 0; it < 30; it++ {
		// w holds the current shifted window; derivative w.r.t. hz is the
		// spectrum of i·2π·t·shifted fid.
		for k := range r.tbuf {
			r.tbuf[k] = r.buf[k] * complex(0, 2*math.Pi*float64(k)*r.dwell)
		}
		r.window(dw, r.tbuf)
		var a11, a12, a22, b1, b2 float64
		for i, v := range w {
			d := r.ref[i] - v
			j1 := dw[i]
			j2 := complex(-imag(v), real(v)) // i·v
			a11 += real(j1)*real(j1) + imag(j1)*imag(j1)
			a22 += real(j2)*real(j2) + imag(j2)*imag(j2)
			a12 += real(j1)*real(j2) + imag(j1)*imag(j2)
			b1 += real(j1)*real(d) + imag(j1)*imag(d)
			b2 += real(j2)*real(d) + imag(j2)*imag(d)
		}
		improved := false
		for try := 0; try < 10; try++ {
			m11, m22 := a11*(1+lambda), a22*(1+lambda)
			det := m11*m22 - a12*a12
			if det == 0 {
				break
			}
			dh := (m22*b1 - a12*b2) / det
			dp := (m11*b2 - a12*b1) / det
			c1 := cost(hz+dh, ph+dp)
			if c1 <= c0 {
				hz, ph, c0 = hz+dh, ph+dp, c1
				lambda = math.Max(lambda/10, 1e-9)
				improved = true
				if math.Abs(dh) < 1e-3 && math.Abs(dp) < 1e-4 {
					return hz, wrap(ph)
				}
				break
			}
			lambda *= 10
		}
		if !improved {
			break
		}
	}
	return hz, wrap(ph)
}

// wrap maps a phase to (−π, π].
func wrap(ph float64) float64 {
	ph = math.Mod(ph, 2*math.Pi)
	if ph > math.Pi {
		ph -= 2 * math.Pi
	} else if ph <= -math.Pi {
		ph += 2 * math.Pi
	}
	return ph
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
