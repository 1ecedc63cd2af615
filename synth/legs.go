package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"glusleep/psg/annot"
)

// LegMovement is a true leg movement to synthesize.
type LegMovement struct {
	// Onset and Duration in seconds from the recording start (for a
	// bilateral movement, of the left leg's burst).
	Onset, Duration float64
	// Side is "left", "right" or "bilateral".
	Side string
	// AmplitudeUV is the SD of the burst's EMG (µV).
	AmplitudeUV float64
	// RightLag and RightDuration place a bilateral movement's right-leg
	// burst (onset Onset+RightLag; RightDuration 0 means Duration).
	RightLag, RightDuration float64
}

// End returns the end of the movement over both legs (s).
func (m LegMovement) End() float64 {
	e := m.Onset + m.Duration
	if m.Side == "bilateral" {
		d := m.RightDuration
		if d == 0 {
			d = m.Duration
		}
		e = math.Max(e, m.Onset+m.RightLag+d)
	}
	return e
}

// Start returns the earliest onset over both legs (s).
func (m LegMovement) Start() float64 {
	if m.Side == "bilateral" {
		return math.Min(m.Onset, m.Onset+m.RightLag)
	}
	return m.Onset
}

// LegEMGSpec describes two channels of tibialis anterior EMG.
type LegEMGSpec struct {
	// Rate is the sampling rate (Hz) and Seconds the length.
	Rate, Seconds float64
	// NoiseUV is the resting EMG's SD (µV, default 1); RestChange makes it
	// drift over the recording by up to this fraction (a slow sine).
	NoiseUV, RestChange float64
	// DriftUV is the amplitude of slow electrode drift (0.05–0.3 Hz, µV).
	DriftUV float64
	// ECGUV is the amplitude of QRS-like spikes at about 65 beats/min.
	ECGUV float64
	// MainsUV and MainsHz add mains hum.
	MainsUV, MainsHz float64
	// Movements are the true movements.
	Movements []LegMovement
	// Seed makes the signals reproducible.
	Seed uint64
}

// LegEMG renders the spec's left and right tibialis EMG (µV): resting
// noise, drift, ECG and hum, plus the movements' bursts (AddLegMovements).
func LegEMG(spec LegEMGSpec) (left, right []float64, err error) {
	if !(spec.Rate > 0) || !(spec.Seconds > 0) {
		return nil, nil, fmt.Errorf("synth: leg EMG rate %g Hz and length %g s must be positive", spec.Rate, spec.Seconds)
	}
	if spec.NoiseUV == 0 {
		spec.NoiseUV = 1
	}
	n := int(math.Round(spec.Rate * spec.Seconds))
	rng := rand.New(rand.NewPCG(spec.Seed, 0x1e95))
	left, right = make([]float64, n), make([]float64, n)
	fr := spec.Rate
	ph := rng.Float64() * 2 * math.Pi
	beat := 0.0
	for i := range left {
		t := float64(i) / fr
		sd := spec.NoiseUV * (1 + spec.RestChange*math.Sin(2*math.Pi*t/(3*3600)+ph))
		left[i] = sd * rng.NormFloat64()
		right[i] = sd * rng.NormFloat64()
		common := spec.DriftUV*(math.Sin(2*math.Pi*0.07*t+ph)+0.5*math.Sin(2*math.Pi*0.23*t)) +
			spec.MainsUV*math.Sin(2*math.Pi*spec.MainsHz*t)
		if spec.ECGUV != 0 {
			// QRS: a 40 ms biphasic spike each beat (0.92 s, jittered).
			if t >= beat {
				beat += 0.92 + 0.04*rng.NormFloat64()
			}
			dt := t - (beat - 0.92)
			if dt >= 0 && dt < 0.04 {
				common += spec.ECGUV * math.Sin(2*math.Pi*dt/0.04)
			}
		}
		left[i] += common
		right[i] += 0.8 * common
	}
	if err := AddLegMovements(left, right, fr, spec.Movements, rng); err != nil {
		return nil, nil, err
	}
	return left, right, nil
}

// AddLegMovements adds the movements' EMG bursts to the two legs' signals
// (µV at rate Hz, from the recording start): each burst is noise band-
// limited to 20–90 Hz (a sum of 32 sinusoids of random frequency and
// phase, so its level does not depend on the sampling rate) of the
// movement's SD, under a window with 50 ms raised-cosine edges.
func AddLegMovements(left, right []float64, rate float64, ms []LegMovement, rng *rand.Rand) error {
	burst := func(x []float64, on, dur, sd float64) {
		n := len(x)
		i0 := int(math.Round(on * rate))
		i1 := int(math.Round((on + dur) * rate))
		ramp := 0.05 * rate
		const k = 32
		var f, phi [k]float64
		for j := range f {
			f[j] = 2 * math.Pi * (20 + 70*rng.Float64()) / rate
			phi[j] = 2 * math.Pi * rng.Float64()
		}
		a := sd * math.Sqrt(2.0/k)
		for i := max(0, i0); i < min(n, i1); i++ {
			w := 1.0
			if d := float64(i - i0); d < ramp {
				w = 0.5 - 0.5*math.Cos(math.Pi*d/ramp)
			}
			if d := float64(i1 - 1 - i); d < ramp {
				w = math.Min(w, 0.5-0.5*math.Cos(math.Pi*d/ramp))
			}
			v := 0.0
			for j := range f {
				v += math.Sin(f[j]*float64(i) + phi[j])
			}
			x[i] += w * a * v
		}
	}
	for _, m := range ms {
		switch m.Side {
		case "left":
			burst(left, m.Onset, m.Duration, m.AmplitudeUV)
		case "right":
			burst(right, m.Onset, m.Duration, m.AmplitudeUV)
		case "bilateral":
			burst(left, m.Onset, m.Duration, m.AmplitudeUV)
			d := m.RightDuration
			if d == 0 {
				d = m.Duration
			}
			burst(right, m.Onset+m.RightLag, d, m.AmplitudeUV)
		default:
			return fmt.Errorf("synth: leg movement side %q (want left, right or bilateral)", m.Side)
		}
	}
	return nil
}

// PLMSpec shapes the leg movements of a night.
type PLMSpec struct {
	// Series is the number of PLM series in sleep; each has 4–SeriesMax
	// movements (default 30) with intervals IMIMin–IMIMax s (default
	// 15–40).
	Series, SeriesMax int
	IMIMin, IMIMax    float64
	// SeriesLengths, when set, gives each series' number of movements
	// (≥ 4) instead of Series and SeriesMax.
	SeriesLengths []int
	// Isolated movements are scattered over the time in bed (≥ 100 s from
	// any other); LongInWake are 12–20 s movements during wake.
	Isolated, LongInWake int
	// Respiratory is the number of apneas in sleep, each followed 1 s after
	// its end by a movement.
	Respiratory int
	// BilateralShare is the share of movements on both legs (default 0.3).
	BilateralShare float64
}

// PLMNight draws leg movements and respiratory events for the hypnogram h:
// PLM series in N1–N3 (on stages as scored), isolated movements, long
// movements in wake and respiratory-related movements, none closer than
// 3 s (end to onset) to another. Amplitudes are 15–60 µV SD.
func PLMNight(h *annot.Hypnogram, spec PLMSpec, rng *rand.Rand) ([]LegMovement, []annot.Event) {
	if spec.SeriesMax == 0 {
		spec.SeriesMax = 30
	}
	if spec.IMIMin == 0 {
		spec.IMIMin, spec.IMIMax = 15, 40
	}
	if spec.BilateralShare == 0 {
		spec.BilateralShare = 0.3
	}
	var out []LegMovement
	free := func(a, b float64) bool {
		for _, m := range out {
			if a < m.End()+3 && m.Start() < b+3 {
				return false
			}
		}
		return true
	}
	sleepEpochs, wakeEpochs := []int{}, []int{}
	lo, hi := h.Start, h.End()
	if t, ok := h.LightsOff(); ok {
		lo = t
	}
	if t, ok := h.LightsOn(); ok {
		hi = t
	}
	for i, st := range h.Stages {
		t := h.Start + float64(i)*h.Epoch
		if t < lo || t+h.Epoch > hi {
			continue
		}
		switch st {
		case annot.N1, annot.N2, annot.N3:
			sleepEpochs = append(sleepEpochs, i)
		case annot.Wake:
			wakeEpochs = append(wakeEpochs, i)
		}
	}
	mk := func(on, dur float64) LegMovement {
		m := LegMovement{Onset: on, Duration: dur, AmplitudeUV: 15 + 45*rng.Float64(), Side: "left"}
		switch r := rng.Float64(); {
		case r < spec.BilateralShare:
			m.Side, m.RightLag, m.RightDuration = "bilateral", 0.4*rng.Float64()-0.2, math.Max(0.6, dur+0.6*rng.Float64()-0.3)
		case r < (1+spec.BilateralShare)/2:
			m.Side = "right"
		}
		return m
	}
	stageOK := func(t float64) bool {
		st := h.StageAt(t)
		return st == annot.N1 || st == annot.N2 || st == annot.N3
	}
	lengths := spec.SeriesLengths
	if lengths == nil {
		for s := 0; s < spec.Series; s++ {
			lengths = append(lengths, 4+rng.IntN(spec.SeriesMax-3))
		}
	}
	for _, k := range lengths {
		if len(sleepEpochs) == 0 {
			break
		}
		for try := 0; try < 200; try++ {
			t := h.Start + float64(sleepEpochs[rng.IntN(len(sleepEpochs))])*h.Epoch + 30*rng.Float64()
			var ser []LegMovement
			ok := true
			for j := 0; j < k; j++ {
				m := mk(t, 1+3*rng.Float64())
				if !stageOK(m.Start()) || !stageOK(m.End()) || !free(m.Start(), m.End()) {
					ok = false
					break
				}
				ser = append(ser, m)
				t += spec.IMIMin + (spec.IMIMax-spec.IMIMin)*rng.Float64()
			}
			if ok {
				out = append(out, ser...)
				break
			}
		}
	}
	var resp []annot.Event
	for r := 0; r < spec.Respiratory && len(sleepEpochs) > 0; r++ {
		for try := 0; try < 50; try++ {
			on := h.Start + float64(sleepEpochs[rng.IntN(len(sleepEpochs))])*h.Epoch + 30*rng.Float64()
			d := 12 + 20*rng.Float64()
			m := mk(on+d+1, 1+2*rng.Float64())
			if !stageOK(on) || !stageOK(m.End()) || !free(on-15, m.End()+15) {
				continue
			}
			resp = append(resp, annot.Event{Onset: on, Duration: d, Kind: annot.Apnea, Label: "Obstructive apnea"})
			out = append(out, m)
			break
		}
	}
	place := func(epochs []int, dmin, dmax float64, gap float64) {
		if len(epochs) == 0 {
			return
		}
		for try := 0; try < 100; try++ {
			t := h.Start + float64(epochs[rng.IntN(len(epochs))])*h.Epoch + 30*rng.Float64()
			m := mk(t, dmin+(dmax-dmin)*rng.Float64())
			if m.End() < hi && free(m.Start()-gap, m.End()+gap) {
				out = append(out, m)
				return
			}
		}
	}
	all := append(append([]int(nil), sleepEpochs...), wakeEpochs...)
	for k := 0; k < spec.Isolated; k++ {
		place(all, 0.8, 6, 100)
	}
	for k := 0; k < spec.LongInWake; k++ {
		place(wakeEpochs, 12, 20, 100)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start() < out[j].Start() })
	sort.Slice(resp, func(i, j int) bool { return resp[i].Onset < resp[j].Onset })
	return out, resp
}
