package synth

import (
	"bytes"
	"math"
	"sync"
	"testing"

	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/sleep"
)

// sharedNight is a 3-hour night at the default rates (256 Hz EEG), built
// once for the tests that need real signals.
var sharedNight = struct {
	once sync.Once
	spec NightSpec
	n    *Night
	err  error
}{spec: NightSpec{Seed: 4, InBedHours: 3}}

func threeHourNight(t *testing.T) *Night {
	t.Helper()
	sharedNight.once.Do(func() { sharedNight.n, sharedNight.err = NewNight(sharedNight.spec) })
	if sharedNight.err != nil {
		t.Fatal(sharedNight.err)
	}
	return sharedNight.n
}

// The night's hypnogram has exactly the requested architecture: the sleep
// statistics of the truth give the requested SOL, WASO and TIB. The
// hypnogram does not depend on the signals' rate (it is drawn first), so
// the 8-hour defaults are checked at 16 Hz under -short and at the default
// 256 Hz otherwise; the shared 3-hour night covers the default rates there.
func TestNightTruth(t *testing.T) {
	t.Parallel()
	defaults := NightSpec{Seed: 1}
	if testing.Short() {
		defaults.EEGRate = 16
	}
	cases := []NightSpec{
		defaults,
		{Seed: 2, InBedHours: 7, SleepOnsetMinutes: 30, WASOMinutes: 90, FinalWakeMinutes: 12, EEGRate: 16},
		{Seed: 3, InBedHours: 5, WASOMinutes: 0, EEGRate: 16},
		sharedNight.spec,
	}
	for i, spec := range cases {
		var n *Night
		var err error
		if i == len(cases)-1 {
			n = threeHourNight(t)
		} else if n, err = NewNight(spec); err != nil {
			t.Fatal(err)
		}
		s, err := sleep.Compute(n.Hypnogram, sleep.Options{})
		if err != nil {
			t.Fatal(err)
		}
		d := spec.withDefaults()
		if s.TIB != d.InBedHours*60 || s.SOL != d.SleepOnsetMinutes || s.WASO != d.WASOMinutes || s.WakeAfterFinalAwakening != d.FinalWakeMinutes {
			t.Errorf("spec %+v: TIB %g SOL %g WASO %g final wake %g", spec, s.TIB, s.SOL, s.WASO, s.WakeAfterFinalAwakening)
		}
		if s.N3 == 0 || s.R == 0 || s.N2 == 0 {
			t.Errorf("spec %+v: missing stages: %+v", spec, s)
		}
		if n.Channel("Leg L") == nil || len(n.Channel("EEG C3-M2").Data) != len(n.Hypnogram.Stages)*30*d.EEGRate ||
			len(n.Channel("EOG E1-M2").Data) != len(n.Hypnogram.Stages)*30*d.EEGRate/2 {
			t.Errorf("spec %+v: signals not as documented", spec)
		}
	}
	if _, err := NewNight(NightSpec{InBedHours: 2, WASOMinutes: 200}); err == nil {
		t.Error("impossible spec accepted")
	}
}

// The hypnogram is drawn before the signals, so it does not depend on
// their rate.
func TestNightHypnogramIndependentOfRate(t *testing.T) {
	t.Parallel()
	a, err := NewNight(NightSpec{Seed: 4, InBedHours: 3, EEGRate: 8})
	if err != nil {
		t.Fatal(err)
	}
	b := threeHourNight(t)
	if len(a.Hypnogram.Stages) != len(b.Hypnogram.Stages) {
		t.Fatalf("%d epochs at 8 Hz, %d at 256 Hz", len(a.Hypnogram.Stages), len(b.Hypnogram.Stages))
	}
	for i := range a.Hypnogram.Stages {
		if a.Hypnogram.Stages[i] != b.Hypnogram.Stages[i] {
			t.Fatalf("epoch %d: %v at 8 Hz, %v at 256 Hz", i, a.Hypnogram.Stages[i], b.Hypnogram.Stages[i])
		}
	}
}

// Delta (0.5–2 Hz) power is larger in N3 than in wake: the signals follow
// the stages.
func TestNightSignalsFollowStages(t *testing.T) {
	t.Parallel()
	n := threeHourNight(t)
	eeg := n.Channel("EEG C3-M2").Data
	power := map[annot.Stage][]float64{}
	for e, st := range n.Hypnogram.Stages {
		seg := eeg[e*30*256 : (e+1)*30*256]
		// Crude low-pass: 0.5 s moving average, then variance.
		var sum, sumsq float64
		win := 128
		acc := 0.0
		for i, v := range seg {
			acc += v
			if i >= win {
				acc -= seg[i-win]
			}
			m := acc / float64(win)
			sum += m
			sumsq += m * m
		}
		k := float64(len(seg))
		power[st] = append(power[st], sumsq/k-(sum/k)*(sum/k))
	}
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	if !(mean(power[annot.N3]) > 4*mean(power[annot.Wake])) {
		t.Errorf("slow-wave power N3 %.1f vs W %.1f", mean(power[annot.N3]), mean(power[annot.Wake]))
	}
}

// Written as EDF+, the night reads back with its hypnogram.
func TestNightEDFRoundTrip(t *testing.T) {
	t.Parallel()
	n := threeHourNight(t)
	var buf bytes.Buffer
	if err := edf.Write(&buf, n.Signals, edf.WriteOptions{RecordDuration: 1, Annotations: n.Annotations()}); err != nil {
		t.Fatal(err)
	}
	f, err := edf.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "night", edf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Signals hold Samples per second: one-second records keep the rates.
	if d := f.Duration(); d != n.Hypnogram.End() {
		t.Errorf("recording lasts %g s, the hypnogram %g s", d, n.Hypnogram.End())
	}
	if i := f.Signal("Leg L"); i < 0 || f.Signals[i].Rate(f.RecordDuration) != 256 {
		t.Errorf("Leg L signal %d at %g Hz, want 256 Hz", i, f.Signals[max(i, 0)].Rate(f.RecordDuration))
	}
	h, err := annot.FromAnnotations(f.Annotations(), 30)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Stages) != len(n.Hypnogram.Stages) {
		t.Fatalf("%d epochs read, %d written", len(h.Stages), len(n.Hypnogram.Stages))
	}
	for i := range h.Stages {
		if h.Stages[i] != n.Hypnogram.Stages[i] {
			t.Fatalf("epoch %d: %v, wrote %v", i, h.Stages[i], n.Hypnogram.Stages[i])
		}
	}
	if off, _ := h.LightsOff(); math.Abs(off-n.LightsOff) > 1e-9 {
		t.Errorf("lights off %g, want %g", off, n.LightsOff)
	}
}
