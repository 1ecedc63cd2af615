package legs

import (
	"math"
	"slices"
)

// biquad is a second-order IIR section (normalised: a0 = 1).
type biquad struct{ b0, b1, b2, a1, a2 float64 }

// The sections below follow the bilinear-transform designs of R. Bristow-
// Johnson's "Audio EQ Cookbook" (the formulas, not code): f0 in Hz, rate
// in Hz, q the quality factor.
func lowpass(f0, rate, q float64) biquad {
	w := 2 * math.Pi * f0 / rate
	c, al := math.Cos(w), math.Sin(w)/(2*q)
	a0 := 1 + al
	return biquad{(1 - c) / 2 / a0, (1 - c) / a0, (1 - c) / 2 / a0, -2 * c / a0, (1 - al) / a0}
}

func highpass(f0, rate, q float64) biquad {
	w := 2 * math.Pi * f0 / rate
	c, al := math.Cos(w), math.Sin(w)/(2*q)
	a0 := 1 + al
	return biquad{(1 + c) / 2 / a0, -(1 + c) / a0, (1 + c) / 2 / a0, -2 * c / a0, (1 - al) / a0}
}

func notch(f0, rate, q float64) biquad {
	w := 2 * math.Pi * f0 / rate
	c, al := math.Cos(w), math.Sin(w)/(2*q)
	a0 := 1 + al
	return biquad{1 / a0, -2 * c / a0, 1 / a0, -2 * c / a0, (1 - al) / a0}
}

// state is a section's direct-form-II-transposed memory.
type state struct{ z1, z2 float64 }

// steady returns the state a section holds after a long constant input u,
// so that filtering does not ring at the start of a record with an offset.
func (f biquad) steady(u float64) state {
	g := (f.b0 + f.b1 + f.b2) / (1 + f.a1 + f.a2)
	y := g * u
	return state{y - f.b0*u, f.b2*u - f.a2*y}
}

// rectifyPair runs the sections over each source channel (one causal pass,
// as the envelope needs: the sections' group delay in the EMG band is a
// few ms, under the envelope's 1/64 s grid) and writes the absolute value
// of the output to the matching destination. Two channels are filtered in
// one loop: their recursions are independent, so the processor overlaps
// them (the recursion's latency, not arithmetic, bounds this loop). At most
// three sections; identity sections pad fewer.
func rectifyPair(secs []biquad, src, dst [][]float64) {
	var f [3]biquad
	for k := range f {
		f[k] = biquad{b0: 1}
	}
	copy(f[:], secs)
	a0, a1, a2 := f[0], f[1], f[2]
	init := func(u float64) [3]state {
		var st [3]state
		for k := range f {
			st[k] = f[k].steady(u)
			u *= (f[k].b0 + f[k].b1 + f[k].b2) / (1 + f[k].a1 + f[k].a2)
		}
		return st
	}
	x, dx := src[0], dst[0]
	y, dy := src[0], dst[0] // the second channel defaults to a dummy copy of the first
	two := len(src) == 2
	if two {
		y, dy = src[1], dst[1]
	}
	if len(x) == 0 {
		return
	}
	sx, sy := init(x[0]), init(y[0])
	p1, p2, q1, q2, r1, r2 := sx[0].z1, sx[0].z2, sx[1].z1, sx[1].z2, sx[2].z1, sx[2].z2
	u1, u2, v1, v2, w1, w2 := sy[0].z1, sy[0].z2, sy[1].z1, sy[1].z2, sy[2].z1, sy[2].z2
	n := len(x)
	if two {
		n = min(n, len(y))
	}
	y, dy = y[:n], dy[:n]
	x, dx = x[:n], dx[:n]
	for i := range x {
		v := x[i]
		o := a0.b0*v + p1
		p1 = a0.b1*v - a0.a1*o + p2
		p2 = a0.b2*v - a0.a2*o
		v = o
		o = a1.b0*v + q1
		q1 = a1.b1*v - a1.a1*o + q2
		q2 = a1.b2*v - a1.a2*o
		v = o
		o = a2.b0*v + r1
		r1 = a2.b1*v - a2.a1*o + r2
		r2 = a2.b2*v - a2.a2*o
		dx[i] = math.Abs(o)
		if !two {
			continue
		}
		v = y[i]
		o = a0.b0*v + u1
		u1 = a0.b1*v - a0.a1*o + u2
		u2 = a0.b2*v - a0.a2*o
		v = o
		o = a1.b0*v + v1
		v1 = a1.b1*v - a1.a1*o + v2
		v2 = a1.b2*v - a1.a2*o
		v = o
		o = a2.b0*v + w1
		w1 = a2.b1*v - a2.a1*o + w2
		w2 = a2.b2*v - a2.a2*o
		dy[i] = math.Abs(o)
	}
}

// sections returns the conditioning filter for EMG at rate Hz: high-pass
// at p.BandLowHz; low-pass at p.BandHighHz when that is well below the
// Nyquist frequency (rates above 2.67·BandHighHz); a notch at mains Hz
// when mains > 0.
func sections(rate, mains float64, p Params) []biquad {
	secs := []biquad{highpass(p.BandLowHz, rate, 1/math.Sqrt2)}
	if p.BandHighHz < 0.375*rate {
		secs = append(secs, lowpass(p.BandHighHz, rate, 1/math.Sqrt2))
	}
	if mains > 0 {
		secs = append(secs, notch(mains, rate, 10))
	}
	return secs
}

// Envelope conditions raw tibialis EMG (µV, sampled at rate Hz): a
// second-order Butterworth high-pass at p.BandLowHz, a low-pass at
// p.BandHighHz when the rate allows, a notch at the mains frequency (50 or
// 60 Hz) when the recording carries hum there (mainsHz), full-wave
// rectification, and a centred moving average of p.EnvelopeSeconds kept
// every max(1, ⌊rate/64⌋) samples. It returns the envelope (µV) and its
// sampling rate (Hz, 64 Hz or more: onsets are kept to 1/64 s or better).
func Envelope(x []float64, rate float64, p Params) ([]float64, float64) {
	e, _, r := envelopes(x, nil, rate, p)
	return e, r
}

// envelopes conditions one or two channels of the same rate together (y
// may be nil); a notch is applied to both when either carries hum.
func envelopes(x, y []float64, rate float64, p Params) (ex, ey []float64, er float64) {
	mains := mainsHz(x, rate)
	if y != nil && mains == 0 {
		mains = mainsHz(y, rate)
	}
	secs := sections(rate, mains, p)
	src, dst := [][]float64{x}, [][]float64{make([]float64, len(x))}
	if y != nil {
		src, dst = append(src, y), append(dst, make([]float64, len(y)))
	}
	rectifyPair(secs, src, dst)
	step := max(1, int(rate/64))
	w := int(math.Round(p.EnvelopeSeconds * rate))
	ex = movingAverage(dst[0], w, step)
	if y != nil {
		ey = movingAverage(dst[1], w, step)
	}
	return ex, ey, rate / float64(step)
}

// mainsHz returns 50 or 60 when the signal's power at that frequency, in
// 16 two-second segments spread over the recording, exceeds four times the
// power at the neighbouring 45 and 55 (or 55 and 65) Hz; else 0. Frequencies
// at or above 0.45·rate are not tested.
func mainsHz(x []float64, rate float64) float64 {
	seg := int(2 * rate)
	if len(x) < seg || rate <= 0 {
		return 0
	}
	power := func(f float64) float64 {
		if f >= 0.45*rate {
			return math.NaN()
		}
		c := 2 * math.Cos(2*math.Pi*f/rate)
		tot := 0.0
		for k := 0; k < 16; k++ {
			start := (len(x) - seg) * k / 15
			var s1, s2 float64
			for _, v := range x[start : start+seg] {
				s1, s2 = v+c*s1-s2, s1
			}
			tot += s1*s1 + s2*s2 - c*s1*s2
		}
		return tot
	}
	best, bestF := 0.0, 0.0
	for _, f := range []float64{50, 60} {
		pm, lo, hi := power(f), power(f-5), power(f+5)
		if math.IsNaN(pm) || math.IsNaN(hi) {
			continue
		}
		if r := pm / (2 * math.Max(lo, hi)); r > 2 && r > best {
			best, bestF = r, f
		}
	}
	return bestF
}

// movingAverage returns the centred mean of x over w samples (shorter
// windows at the ends) at every step-th sample.
func movingAverage(x []float64, w, step int) []float64 {
	n := len(x)
	w = max(w, 1)
	out := make([]float64, 0, (n+step-1)/step)
	h := w / 2
	// Window of sample i: [i−h, i−h+w) clipped to [0, n).
	sum := 0.0
	for j := 0; j < min(n, w-h); j++ {
		sum += x[j]
	}
	inv := 1 / float64(w)
	for i := 0; i < n; i++ {
		lo, hi := i-h, i-h+w
		if i%step == 0 {
			if lo >= 0 && hi <= n {
				out = append(out, sum*inv)
			} else {
				out = append(out, sum/float64(min(n, hi)-max(0, lo)))
			}
		}
		// Slide: add x[hi], drop x[lo].
		if hi < n {
			sum += x[hi]
		}
		if lo >= 0 {
			sum -= x[lo]
		}
	}
	return out
}

// Baseline estimates the resting EMG under the envelope env (µV, rate Hz):
// the p.BaselinePercentile-th percentile of the means of 0.5 s blocks within
// ±p.BaselineWindowSeconds/2 of each block, interpolated to every sample.
func Baseline(env []float64, rate float64, p Params) []float64 {
	bs := max(1, int(math.Round(0.5*rate)))
	nb := (len(env) + bs - 1) / bs
	if nb == 0 {
		return nil
	}
	means := make([]float64, nb)
	for b := range means {
		lo, hi := b*bs, min(len(env), (b+1)*bs)
		s := 0.0
		for _, v := range env[lo:hi] {
			s += v
		}
		means[b] = s / float64(hi-lo)
	}
	half := max(1, int(math.Round(p.BaselineWindowSeconds/2/0.5)))
	level := make([]float64, nb)
	// A sorted copy of the window, updated as it slides.
	win := slices.Clone(means[:min(nb, half+1)])
	slices.Sort(win)
	for b := range means {
		if b > 0 {
			if in := b + half; in < nb {
				v := means[in]
				k, _ := slices.BinarySearch(win, v)
				win = slices.Insert(win, k, v)
			}
			if outIdx := b - half - 1; outIdx >= 0 {
				k, _ := slices.BinarySearch(win, means[outIdx])
				win = slices.Delete(win, k, k+1)
			}
		}
		k := int(math.Round(p.BaselinePercentile / 100 * float64(len(win)-1)))
		level[b] = win[k]
	}
	out := make([]float64, len(env))
	for i := range out {
		// Block centres at (b+0.5)·bs; linear between them.
		f := (float64(i)+0.5)/float64(bs) - 0.5
		b0 := int(math.Floor(f))
		switch {
		case b0 < 0:
			out[i] = level[0]
		case b0 >= nb-1:
			out[i] = level[nb-1]
		default:
			t := f - float64(b0)
			out[i] = level[b0]*(1-t) + level[b0+1]*t
		}
	}
	return out
}

// Interval is one leg's movement as detected in its EMG.
type Interval struct {
	// Onset and Offset are in seconds from the start of the signal.
	Onset, Offset float64
	// PeakUV is the largest envelope value above the resting EMG (µV).
	PeakUV float64
}

// Duration returns Offset − Onset in seconds.
func (iv Interval) Duration() float64 { return iv.Offset - iv.Onset }

// Detect finds LMs in one leg's envelope env over the resting level base
// (both µV at rate Hz, base nil meaning 0): an LM starts at the first sample
// at least p.OnsetUV above rest and ends at the start of the first run of at
// least p.OffsetQuietSeconds within p.OffsetUV of rest (the end of the
// signal ends an unfinished LM). Every LM is returned, also those shorter
// than p.MinSeconds: Score sorts them out.
func Detect(env, base []float64, rate float64, p Params) []Interval {
	above := func(i int) float64 {
		if base == nil {
			return env[i]
		}
		return env[i] - base[i]
	}
	quiet := int(math.Ceil(p.OffsetQuietSeconds*rate - 1e-9))
	var out []Interval
	for i := 0; i < len(env); i++ {
		if above(i) < p.OnsetUV {
			continue
		}
		on := i
		peak := above(i)
		run, runStart := 0, -1
		j := i + 1
		for ; j < len(env); j++ {
			a := above(j)
			if a < p.OffsetUV {
				if run == 0 {
					runStart = j
				}
				run++
				if run >= quiet {
					break
				}
				continue
			}
			run = 0
			peak = math.Max(peak, a)
		}
		off := len(env)
		if run >= quiet && runStart >= 0 {
			off = runStart
		} else if run > 0 {
			off = runStart
		}
		out = append(out, Interval{Onset: float64(on) / rate, Offset: float64(off) / rate, PeakUV: peak})
		i = off
	}
	return out
}
