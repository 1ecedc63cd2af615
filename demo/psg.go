package demo

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"

	"glusleep/internal/atomicfile"
	"glusleep/internal/tsv"
	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/legs"
	"glusleep/psg/night"
	"glusleep/synth"
)

// PSGNightResult is what PSGNight wrote and planted.
type PSGNightResult struct {
	// EDF is the night's EDF+ with its hypnogram as annotations.
	EDF string
	// Hypnogram is the same hypnogram (with scored apneas) as BIDS events.
	Hypnogram string
	// SleepJSON holds the sleep statistics computed from EDF.
	SleepJSON string
	// LegTruth are the leg movements put into the leg EMG channels.
	LegTruth []synth.LegMovement
}

// PSGNight synthesizes a night (cfg.NightHours in bed, 7.5 h by default;
// sleep onset 20 min, WASO 45 min)
// with leg movements in both tibialis EMG channels and apneas among the
// scored events, writes it to cfg.Out/psg/ as EDF+ and BIDS events, and
// its sleep statistics and hypnogram figure.
func PSGNight(cfg Config) (*PSGNightResult, error) {
	dir := filepath.Join(cfg.Out, "psg")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	hours := cfg.nightHours()
	if hours < 2 {
		return nil, fmt.Errorf("a PSG night of %g h: want at least 2 h in bed", hours)
	}
	n, err := synth.NewNight(synth.NightSpec{Seed: uint64(cfg.Seed), InBedHours: hours, SleepOnsetMinutes: 20, WASOMinutes: 45})
	if err != nil {
		return nil, err
	}
	// Leg movements (PLM series, isolated and long movements, movements
	// after apneas) in the two tibialis channels; the apneas join the
	// scored events.
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 20))
	truth, resp := synth.PLMNight(n.Hypnogram, synth.PLMSpec{Series: 6, Isolated: 20, LongInWake: 3, Respiratory: 8}, rng)
	n.Hypnogram.Events = append(n.Hypnogram.Events, resp...)
	sortEvents(n.Hypnogram.Events)
	ll, lr := n.Channel("Leg L"), n.Channel("Leg R")
	// Night signals hold Samples per second (written as 1 s records).
	if err := synth.AddLegMovements(ll.Data, lr.Data, float64(ll.Signal.Samples), truth, rng); err != nil {
		return nil, err
	}
	r := &PSGNightResult{LegTruth: truth, EDF: filepath.Join(dir, "sub-demo_task-sleep_eeg.edf"),
		Hypnogram: filepath.Join(dir, "sub-demo_task-sleep_events.tsv")}
	if err := writeNight(r.EDF, r.Hypnogram, n, n.Signals); err != nil {
		return nil, err
	}
	nt, err := night.Analyze(night.Input{Hypnogram: r.EDF}, night.Options{Sleep: true})
	if err != nil {
		return nil, err
	}
	if err := nt.WriteSleep(dir); err != nil {
		return nil, err
	}
	base, st := filepath.Join(dir, nt.Stem), nt.Sleep
	r.SleepJSON = base + "_sleep.json"
	fmt.Fprintf(cfg.stdout(), "PSG night: TST %.1f min (truth %.1f), WASO %s min (truth 45.0), SE %.1f%% → %s\n",
		st.TST, hours*60-20-45-5, tsv.Fixed(st.WASO, 1), st.SE, r.SleepJSON)
	return r, nil
}

// sortEvents orders scored events by onset, keeping the order of equal
// onsets.
func sortEvents(ev []annot.Event) {
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].Onset < ev[j].Onset })
}

// writeNight writes the signals of night n with its annotations as EDF+
// (one-second records) at edfPath and its hypnogram as BIDS events at
// eventsPath.
func writeNight(edfPath, eventsPath string, n *synth.Night, signals []edf.SignalData) error {
	err := atomicfile.Write(edfPath, 0o644, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := edf.Write(bw, signals, edf.WriteOptions{RecordDuration: 1, Annotations: n.Annotations()}); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	return atomicfile.Write(eventsPath, 0o644, func(w io.Writer) error { return annot.WriteEventsTSV(w, n.Hypnogram) })
}

// LegsResult is what Legs wrote.
type LegsResult struct {
	// JSON is the WASM 2016 scoring's _legs.json.
	JSON string
	// Measures are the WASM 2016 measures found, Truth those of the
	// planted movements scored by the same rules.
	Measures, Truth legs.Measures
}

// Legs scores the leg movements of PSGNight's night by WASM 2016 and AASM
// (outputs in cfg.Out/psg/, the AASM ones with stem suffix _aasm) and
// compares them with the planted movements scored by the same rules.
func Legs(cfg Config, psg *PSGNightResult) (*LegsResult, error) {
	if psg == nil {
		return nil, fmt.Errorf("the legs step needs the PSG step's night")
	}
	tl, tr := legIntervals(psg.LegTruth)
	var out LegsResult
	for _, std := range []legs.Standard{legs.WASM2016, legs.AASM} {
		p := legs.DefaultParams(std)
		n, err := night.Analyze(night.Input{Recording: psg.EDF, Hypnogram: psg.Hypnogram}, night.Options{Legs: true, LegParams: p})
		if err != nil {
			return nil, err
		}
		if std == legs.AASM {
			n.Stem += "_aasm"
		}
		dir := filepath.Join(cfg.Out, "psg")
		if err := n.WriteLegs(dir); err != nil {
			return nil, err
		}
		base := filepath.Join(dir, n.Stem)
		truth := legs.Score(tl, tr, n.Hypnogram, p).Measures
		m := n.Legs.Measures
		fmt.Fprintf(cfg.stdout(), "legs (%s): %d LM, %d PLM in sleep (truth %d), PLMS index %.1f/h (truth %.1f), PLMW index %s/h → %s\n",
			std, m.LMCount, m.PLMSCount, truth.PLMSCount, m.PLMSIndex, truth.PLMSIndex, tsv.Fixed(m.PLMWIndex, 1), base+"_legs.json")
		if std == legs.WASM2016 {
			out.JSON, out.Measures, out.Truth = base+"_legs.json", m, truth
		}
	}
	return &out, nil
}

// legIntervals returns the left and right leg's movement intervals (s,
// sorted by onset) of planted movements.
func legIntervals(moves []synth.LegMovement) (left, right []legs.Interval) {
	for _, m := range moves {
		if m.Side != "right" {
			left = append(left, legs.Interval{Onset: m.Onset, Offset: m.Onset + m.Duration})
		}
		if m.Side != "left" {
			on, d := rightMovement(m)
			right = append(right, legs.Interval{Onset: on, Offset: on + d})
		}
	}
	sort.Slice(left, func(i, j int) bool { return left[i].Onset < left[j].Onset })
	sort.Slice(right, func(i, j int) bool { return right[i].Onset < right[j].Onset })
	return left, right
}

// rightMovement returns the onset and duration (s) of movement m in the
// right leg: a bilateral movement's right part may lag and last otherwise.
func rightMovement(m synth.LegMovement) (onset, duration float64) {
	onset, duration = m.Onset, m.Duration
	if m.Side == "bilateral" {
		onset += m.RightLag
		if m.RightDuration > 0 {
			duration = m.RightDuration
		}
	}
	return onset, duration
}
