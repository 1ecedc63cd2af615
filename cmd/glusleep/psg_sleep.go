package main

import (
	"fmt"
	"path/filepath"

	"glusleep/internal/cli"
	"glusleep/internal/tsv"
	"glusleep/psg/night"
)

func init() {
	register(&command{path: "psg sleep", usage: "psg sleep [RECORDING] --hypnogram FILE [--lights-off S] [--lights-on S] [--stage-map CODE=STAGE,...] [--allow-truncated] [--out DIR]",
		summary: "AASM sleep statistics and a hypnogram figure from a scored night", run: runPSGSleep})
}

func runPSGSleep(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg sleep")
	hyp := fs.String("hypnogram", "", "scoring file: EDF+ annotations, NSRR/Compumedics/Embla XML, Luna .annot, CSV/TSV hypnogram, BIDS _events.tsv or a stage list")
	off := fs.Float64("lights-off", -1, "lights off in s from the recording start; negative: from the file, else the scored period")
	on := fs.Float64("lights-on", -1, "lights on in s from the recording start; negative: from the file, else the scored period")
	out := fs.String("out", ".", "output folder")
	sf := cli.AddScoring(fs)
	pos, err := cli.Parse(fs, args)
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
		return cli.Usagef("need --hypnogram FILE")
	}
	opt := night.Options{Sleep: true}
	if *off >= 0 {
		opt.SleepOptions.LightsOff = off
	}
	if *on >= 0 {
		opt.SleepOptions.LightsOn = on
	}
	n, err := analyze(env, sf, night.Input{Recording: rec, Hypnogram: *hyp}, opt, cli.NewProgress(nil, "", ""), *out)
	if err != nil {
		return err
	}
	base, st := filepath.Join(*out, n.Stem), n.Sleep
	fmt.Fprintf(env.stdout, "%s_sleep.json: TST %.1f min, WASO %s min, SE %.1f%%\n", base, st.TST, tsv.Fixed(st.WASO, 1), st.SE)
	return nil
}
