package main

import (
	"fmt"
	"path/filepath"

	"glusleep/internal/cli"
	"glusleep/internal/tsv"
	"glusleep/psg/legs"
	"glusleep/psg/night"
)

func init() {
	register(&command{path: "psg legs",
		usage:   "psg legs EDF [--hypnogram FILE] [--events FILE] [--left LABEL] [--right LABEL] [--standard wasm2016|aasm] [--stage-map CODE=STAGE,...] [--allow-truncated] [--quiet] --out DIR",
		summary: "leg movements, PLM series and PLMS/PLMW indices from tibialis EMG (WASM 2016 or AASM)", run: runPSGLegs})
}

func runPSGLegs(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg legs")
	hyp := fs.String("hypnogram", "", "hypnogram (EDF+ annotations, XML, BIDS _events.tsv, stage list); default: the EDF's own annotations")
	events := fs.String("events", "", "respiratory events and arousals (any hypnogram format); merged with the hypnogram's")
	left := fs.String("left", "", "left tibialis EMG channel label (default: found by name)")
	right := fs.String("right", "", "right tibialis EMG channel label (default: found by name)")
	std := fs.String("standard", "wasm2016", "scoring rules: wasm2016 or aasm")
	out := fs.String("out", "", "output folder")
	sf := cli.AddScoring(fs)
	quiet := cli.Quiet(fs)
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return cli.Usagef("need one EDF and --out DIR")
	}
	s, err := legs.ParseStandard(*std)
	if err != nil {
		return cli.Usage(err)
	}
	prog := cli.NewProgress(env.progress(*quiet), "psg legs: scoring "+filepath.Base(pos[0]), "")
	n, err := analyze(env, sf, night.Input{Recording: pos[0], Hypnogram: *hyp, Events: *events},
		night.Options{Legs: true, LegParams: legs.DefaultParams(s), LeftChannel: *left, RightChannel: *right}, prog, *out)
	if err != nil {
		return err
	}
	res, base := n.Legs, filepath.Join(*out, n.Stem)
	m := res.Measures
	fmt.Fprintf(env.stdout, "%s_legs.json: %d LM, %d CLM, %d PLM (%d in sleep, %d in wake); PLMS index %s/h, PLMW index %s/h (%s)\n",
		base, m.LMCount, m.CLMCount, m.PLMCount, m.PLMSCount, m.PLMWCount, tsv.Fixed(m.PLMSIndex, 1), tsv.Fixed(m.PLMWIndex, 1), res.Params.Standard)
	return nil
}
