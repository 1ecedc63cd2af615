package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"glusleep/psg/annot"
	"glusleep/psg/edf"
)

// NightSpec describes a synthetic night of polysomnography.
type NightSpec struct {
	// Seed makes the night reproducible.
	Seed uint64
	// InBedHours is the time from lights off to lights on (default 8).
	InBedHours float64
	// MarginMinutes is recorded before lights off and after lights on
	// (default 10).
	MarginMinutes float64
	// SleepOnsetMinutes is the sleep onset latency (default 15).
	SleepOnsetMinutes float64
	// WASOMinutes is the wake after sleep onset to scatter over the night
	// in bouts (default 30).
	WASOMinutes float64
	// FinalWakeMinutes is the wake between the final awakening and lights
	// on (default 5).
	FinalWakeMinutes float64
	// EEGRate is the sampling rate of EEG and leg EMG in Hz (default 256);
	// EOG and chin EMG are sampled at half of it.
	EEGRate int
}

func (s NightSpec) withDefaults() NightSpec {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&s.InBedHours, 8)
	def(&s.MarginMinutes, 10)
	def(&s.SleepOnsetMinutes, 15)
	def(&s.WASOMinutes, 30)
	def(&s.FinalWakeMinutes, 5)
	if s.EEGRate == 0 {
		s.EEGRate = 256
	}
	return s
}

// Night is a synthetic night: its true hypnogram (the truth), lights off
// and on, and the signals.
type Night struct {
	// Hypnogram is the scored truth, 30 s epochs from t = 0 (the recording
	// start), with lights-off and lights-on events.
	Hypnogram *annot.Hypnogram
	// LightsOff and LightsOn are in s from the recording start.
	LightsOff, LightsOn float64
	// Signals are EEG C3-M2, EOG E1-M2, EMG Chin, Leg L and Leg R in µV,
	// each with Samples = its rate in Hz: write them with one-second EDF
	// records.
	// Callers may add to the leg signals (leg movements) before writing.
	Signals []edf.SignalData
}

// Channel returns the signal with the given label, or nil.
func (n *Night) Channel(label string) *edf.SignalData {
	for i := range n.Signals {
		if n.Signals[i].Label == label {
			return &n.Signals[i]
		}
	}
	return nil
}

// NewNight makes a night: a hypnogram of sleep cycles (about 90 min, deep
// sleep early and REM late in the night), wake bouts adding up to the
// requested WASO, and stage-dependent signals: alpha in wake, theta in N1,
// spindles and K-complexes in N2, delta in N3, low-voltage mixed frequency
// with rapid eye movements and low chin tone in R.
func NewNight(spec NightSpec) (*Night, error) {
	spec = spec.withDefaults()
	if spec.InBedHours < 1 || spec.InBedHours > 16 {
		return nil, fmt.Errorf("synth: time in bed %g h, want 1 to 16", spec.InBedHours)
	}
	inBed := int(math.Round(spec.InBedHours * 120)) // epochs
	margin := int(math.Round(spec.MarginMinutes * 2))
	sol := int(math.Round(spec.SleepOnsetMinutes * 2))
	waso := int(math.Round(spec.WASOMinutes * 2))
	final := int(math.Round(spec.FinalWakeMinutes * 2))
	sleepSpan := inBed - sol - final
	if sleepSpan < waso+20 || sol < 0 || waso < 0 || final < 0 {
		return nil, fmt.Errorf("synth: %g h in bed cannot hold %g min sleep latency, %g min WASO and %g min final wake",
			spec.InBedHours, spec.SleepOnsetMinutes, spec.WASOMinutes, spec.FinalWakeMinutes)
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 0x5eed))
	// Sleep architecture over the sleep period (without WASO): cycles.
	asleep := sleepSpan - waso
	var arch []annot.Stage
	cycle := 0
	for len(arch) < asleep {
		cycLen := 170 + rng.IntN(30) // 85–100 min
		n3 := max(0, 50-15*cycle) + rng.IntN(6)
		rem := min(60, 10+12*cycle) + rng.IntN(6)
		n1 := 4 + rng.IntN(4)
		n2 := max(10, cycLen-n3-rem-n1)
		for _, part := range []struct {
			st annot.Stage
			n  int
		}{{annot.N1, n1}, {annot.N2, n2 / 2}, {annot.N3, n3}, {annot.N2, n2 - n2/2}, {annot.REM, rem}} {
			for k := 0; k < part.n; k++ {
				arch = append(arch, part.st)
			}
		}
		cycle++
	}
	arch = arch[:asleep]
	if len(arch) > 0 && arch[len(arch)-1] != annot.REM {
		arch[len(arch)-1] = annot.N2
	}
	// Wake bouts of 1–10 epochs inserted at random places (not first or
	// last, so sleep onset and final awakening stay put).
	var bouts []int
	for left := waso; left > 0; {
		b := min(left, 1+rng.IntN(10))
		bouts = append(bouts, b)
		left -= b
	}
	pos := make([]int, len(bouts))
	for i := range pos {
		pos[i] = 1 + rng.IntN(max(1, len(arch)-2))
	}
	sleepPeriod := make([]annot.Stage, 0, sleepSpan)
	for i, st := range arch {
		for b, p := range pos {
			if p == i {
				for k := 0; k < bouts[b]; k++ {
					sleepPeriod = append(sleepPeriod, annot.Wake)
				}
			}
		}
		sleepPeriod = append(sleepPeriod, st)
	}
	var st []annot.Stage
	for i := 0; i < margin+sol; i++ {
		st = append(st, annot.Wake)
	}
	st = append(st, sleepPeriod...)
	for i := 0; i < final+margin; i++ {
		st = append(st, annot.Wake)
	}
	off := float64(margin) * 30
	on := off + float64(inBed)*30
	h := &annot.Hypnogram{Epoch: 30, Stages: st, Events: []annot.Event{
		{Onset: off, Kind: annot.LightsOff, Label: "Lights off"},
		{Onset: on, Kind: annot.LightsOn, Label: "Lights on"},
	}}
	n := &Night{Hypnogram: h, LightsOff: off, LightsOn: on}
	n.Signals = makeSignals(st, spec.EEGRate, rng)
	return n, nil
}

// makeSignals renders the stage-dependent signals.
func makeSignals(st []annot.Stage, rate int, rng *rand.Rand) []edf.SignalData {
	eegN := len(st) * 30 * rate
	low := rate / 2
	lowN := len(st) * 30 * low
	eeg := make([]float64, eegN)
	eog := make([]float64, lowN)
	chin := make([]float64, lowN)
	legL := make([]float64, eegN)
	legR := make([]float64, eegN)
	fr := float64(rate)
	// Background: AR(1) noise (1/f-like) in every channel.
	ar := func(x []float64, sd, a float64) {
		v := 0.0
		s := sd * math.Sqrt(1-a*a)
		for i := range x {
			v = a*v + s*rng.NormFloat64()
			x[i] += v
		}
	}
	ar(eeg, 8, 0.95)
	ar(eog, 5, 0.98)
	for i := range legL {
		legL[i] = 1.0 * rng.NormFloat64()
		legR[i] = 1.0 * rng.NormFloat64()
	}
	for e, stage := range st {
		t0 := e * 30 * rate
		seg := eeg[t0 : t0+30*rate]
		ph := rng.Float64() * 2 * math.Pi
		wave := func(f, amp float64) {
			for i := range seg {
				seg[i] += amp * math.Sin(2*math.Pi*f*float64(i)/fr+ph)
			}
		}
		chinSeg := chin[e*30*low : (e+1)*30*low]
		tone := 0.0
		switch stage {
		case annot.Wake:
			wave(10, 20)
			tone = 20
		case annot.N1:
			wave(6, 25)
			tone = 10
		case annot.N2:
			wave(5, 20)
			tone = 8
			// Spindles (12–14 Hz, 0.5–1.5 s) and a K-complex.
			for k := 0; k < 2+rng.IntN(3); k++ {
				c := rng.IntN(28*rate) + rate
				d := int((0.5 + rng.Float64()) * fr)
				f := 12 + 2*rng.Float64()
				for i := 0; i < d && c+i < len(seg); i++ {
					env := math.Sin(math.Pi * float64(i) / float64(d))
					seg[c+i] += 25 * env * math.Sin(2*math.Pi*f*float64(i)/fr)
				}
			}
			c := rng.IntN(27 * rate)
			for i := 0; i < rate && c+i < len(seg); i++ {
				seg[c+i] -= 90 * math.Sin(math.Pi*float64(i)/fr) * math.Cos(2*math.Pi*float64(i)/fr)
			}
		case annot.N3:
			wave(1, 90)
			wave(0.7, 40)
			tone = 6
		case annot.REM:
			wave(4, 15)
			tone = 2
			eogSeg := eog[e*30*low : (e+1)*30*low]
			for k := 0; k < 3+rng.IntN(5); k++ {
				c := rng.IntN(29 * low)
				sign := float64(1 - 2*rng.IntN(2))
				for i := 0; i < low/2 && c+i < len(eogSeg); i++ {
					eogSeg[c+i] += sign * 120 * math.Sin(math.Pi*float64(i)/float64(low/2))
				}
			}
		}
		for i := range chinSeg {
			chinSeg[i] += tone * rng.NormFloat64()
		}
	}
	sig := func(label string, samples int, data []float64, rng float64) edf.SignalData {
		return edf.SignalData{Signal: edf.Signal{Label: label, Transducer: "synthetic", Dimension: "uV",
			PhysMin: -rng, PhysMax: rng, DigMin: -32768, DigMax: 32767, Samples: samples}, Data: data}
	}
	return []edf.SignalData{
		sig("EEG C3-M2", rate, eeg, 500),
		sig("EOG E1-M2", low, eog, 500),
		sig("EMG Chin", low, chin, 500),
		sig("Leg L", rate, legL, 500),
		sig("Leg R", rate, legR, 500),
	}
}

// Annotations returns the night's hypnogram as EDF+ annotations: one per run
// of equal stages (Sleep-EDF style labels) plus lights off and on.
func (n *Night) Annotations() []edf.Annotation {
	var out []edf.Annotation
	h := n.Hypnogram
	label := map[annot.Stage]string{annot.Wake: "Sleep stage W", annot.N1: "Sleep stage 1", annot.N2: "Sleep stage 2",
		annot.N3: "Sleep stage 3", annot.REM: "Sleep stage R", annot.Unscored: "Sleep stage ?", annot.Movement: "Movement time"}
	for i := 0; i < len(h.Stages); {
		j := i
		for j < len(h.Stages) && h.Stages[j] == h.Stages[i] {
			j++
		}
		out = append(out, edf.Annotation{Onset: h.Start + float64(i)*h.Epoch, Duration: float64(j-i) * h.Epoch, Text: label[h.Stages[i]]})
		i = j
	}
	for _, e := range h.Events {
		d := e.Duration
		if d <= 0 {
			d = -1 // an instant: no duration field
		}
		out = append(out, edf.Annotation{Onset: e.Onset, Duration: d, Text: e.Label})
	}
	return out
}
