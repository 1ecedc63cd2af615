package main

import (
	"bufio"
	"fmt"
	"glusleep/internal/tsv"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"

	"glusleep/internal/atomicfile"
	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/night"
	"glusleep/synth"
)

func init() {
	register(&command{path: "psg sleep", usage: "psg sleep [RECORDING] --hypnogram FILE [--lights-off S] [--lights-on S] [--stage-map CODE=STAGE,...] [--allow-truncated] [--out DIR]",
		summary: "AASM sleep statistics and a hypnogram figure from a scored night", run: runPSGSleep})
	registerDemoStep(10, "PSG night", demoPSGNight)
}

func runPSGSleep(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg sleep")
	hyp := fs.String("hypnogram", "", "scoring file: EDF+ annotations, NSRR/Compumedics/Embla XML, Luna .annot, CSV/TSV hypnogram, BIDS _events.tsv or a stage list")
	off := fs.Float64("lights-off", -1, "lights off in s from the recording start (default: from the file, else the scored period)")
	on := fs.Float64("lights-on", -1, "lights on in s from the recording start")
	out := fs.String("out", ".", "output folder")
	sf := addScoringFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	rec := "" // the recording, when given beside --hypnogram: its header's clock time for the hypnogram
	switch {
	case *hyp == "" && len(pos) == 1:
		*hyp = pos[0]
	case *hyp != "" && len(pos) == 1:
		rec = pos[0]
	case *hyp == "" || len(pos) > 0:
		return fmt.Errorf("%w: need --hypnogram FILE", errUsage)
	}
	scoring, err := sf.options()
	if err != nil {
		return err
	}
	opt := night.Options{Sleep: true}
	if *off >= 0 {
		opt.SleepOptions.LightsOff = off
	}
	if *on >= 0 {
		opt.SleepOptions.LightsOn = on
	}
	n, err := night.Analyze(night.Input{Recording: rec, Hypnogram: *hyp, Scoring: scoring}, opt)
	if err != nil {
		return sf.explain(err)
	}
	for _, w := range n.Warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := n.WriteSleep(*out); err != nil {
		return err
	}
	base, st := filepath.Join(*out, n.Stem), n.Sleep
	fmt.Fprintf(env.stdout, "%s_sleep.json: TST %.1f min, WASO %s min, SE %.1f%%\n", base, st.TST, tsv.Fixed(st.WASO, 1), st.SE)
	return nil
}

// demoPSGNight synthesizes a night (ctx.files["psg.edf"], the EDF+ with its
// hypnogram as annotations; ["psg.hypnogram"], the same hypnogram as BIDS
// events) and writes its sleep statistics (["psg.sleep_json"]).
func demoPSGNight(ctx *demoContext) error {
	dir := filepath.Join(ctx.out, "psg")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	n, err := synth.NewNight(synth.NightSpec{Seed: uint64(ctx.seed), InBedHours: 7.5, SleepOnsetMinutes: 20, WASOMinutes: 45})
	if err != nil {
		return err
	}
	ctx.night = n
	// Leg movements (PLM series, isolated and long movements, movements
	// after apneas) in the two tibialis channels; the apneas join the
	// scored events.
	rng := rand.New(rand.NewPCG(uint64(ctx.seed), 20))
	truth, resp := synth.PLMNight(n.Hypnogram, synth.PLMSpec{Series: 6, Isolated: 20, LongInWake: 3, Respiratory: 8}, rng)
	n.Hypnogram.Events = append(n.Hypnogram.Events, resp...)
	sort.SliceStable(n.Hypnogram.Events, func(i, j int) bool { return n.Hypnogram.Events[i].Onset < n.Hypnogram.Events[j].Onset })
	ll, lr := n.Channel("Leg L"), n.Channel("Leg R")
	// Night signals hold Samples per second (written as 1 s records).
	if err := synth.AddLegMovements(ll.Data, lr.Data, float64(ll.Signal.Samples), truth, rng); err != nil {
		return err
	}
	ctx.legTruth = truth
	edfPath := filepath.Join(dir, "sub-demo_task-sleep_eeg.edf")
	err = atomicfile.Write(edfPath, 0o644, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := edf.Write(bw, n.Signals, edf.WriteOptions{RecordDuration: 1, Annotations: n.Annotations()}); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	evPath := filepath.Join(dir, "sub-demo_task-sleep_events.tsv")
	if err := atomicfile.Write(evPath, 0o644, func(w io.Writer) error { return annot.WriteEventsTSV(w, n.Hypnogram) }); err != nil {
		return err
	}
	nt, err := night.Analyze(night.Input{Hypnogram: edfPath}, night.Options{Sleep: true})
	if err != nil {
		return err
	}
	if err := nt.WriteSleep(dir); err != nil {
		return err
	}
	base, st := filepath.Join(dir, nt.Stem), nt.Sleep
	ctx.files["psg.edf"], ctx.files["psg.hypnogram"], ctx.files["psg.sleep_json"] = edfPath, evPath, base+"_sleep.json"
	fmt.Fprintf(ctx.env.stdout, "PSG night: TST %.1f min (truth %.1f), WASO %s min (truth 45.0), SE %.1f%% → %s\n",
		st.TST, 450-20-45-5.0, tsv.Fixed(st.WASO, 1), st.SE, base+"_sleep.json")
	return nil
}
