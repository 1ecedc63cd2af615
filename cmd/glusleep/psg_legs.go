package main

import (
	"fmt"
	"glusleep/internal/tsv"
	"os"
	"path/filepath"
	"sort"

	"glusleep/psg/legs"
	"glusleep/psg/night"
)

func init() {
	register(&command{path: "psg legs",
		usage:   "psg legs EDF [--hypnogram FILE] [--events FILE] [--left LABEL] [--right LABEL] [--standard wasm2016|aasm] [--stage-map CODE=STAGE,...] [--allow-truncated] --out DIR",
		summary: "leg movements, PLM series and PLMS/PLMW indices from tibialis EMG (WASM 2016 or AASM)", run: runPSGLegs})
	registerDemoStep(20, "leg movements", demoLegs)
}

// demoLegs scores the PSG step's night (ctx.files["psg.edf"] with its
// hypnogram and apneas) by WASM 2016 and AASM, and compares with the true
// movements scored by the same rules. It records ctx.files["psg.legs_json"].
func demoLegs(ctx *demoContext) error {
	edfPath, hypPath := ctx.files["psg.edf"], ctx.files["psg.hypnogram"]
	if edfPath == "" || hypPath == "" {
		return fmt.Errorf("the legs step needs the PSG step's night")
	}
	var tl, tr []legs.Interval
	for _, m := range ctx.legTruth {
		if m.Side != "right" {
			tl = append(tl, legs.Interval{Onset: m.Onset, Offset: m.Onset + m.Duration})
		}
		if m.Side != "left" {
			on, d := m.Onset, m.Duration
			if m.Side == "bilateral" {
				on += m.RightLag
				if m.RightDuration > 0 {
					d = m.RightDuration
				}
			}
			tr = append(tr, legs.Interval{Onset: on, Offset: on + d})
		}
	}
	sort.Slice(tl, func(i, j int) bool { return tl[i].Onset < tl[j].Onset })
	sort.Slice(tr, func(i, j int) bool { return tr[i].Onset < tr[j].Onset })
	for _, std := range []legs.Standard{legs.WASM2016, legs.AASM} {
		p := legs.DefaultParams(std)
		n, err := night.Analyze(night.Input{Recording: edfPath, Hypnogram: hypPath}, night.Options{Legs: true, LegParams: p})
		if err != nil {
			return err
		}
		if std == legs.AASM {
			n.Stem += "_aasm"
		}
		dir := filepath.Join(ctx.out, "psg")
		if err := n.WriteLegs(dir); err != nil {
			return err
		}
		res, base := n.Legs, filepath.Join(dir, n.Stem)
		truth := legs.Score(tl, tr, n.Hypnogram, p).Measures
		m := res.Measures
		fmt.Fprintf(ctx.env.stdout, "legs (%s): %d LM, %d PLM in sleep (truth %d), PLMS index %.1f/h (truth %.1f), PLMW index %s/h → %s\n",
			std, m.LMCount, m.PLMSCount, truth.PLMSCount, m.PLMSIndex, truth.PLMSIndex, tsv.Fixed(m.PLMWIndex, 1), base+"_legs.json")
		if std == legs.WASM2016 {
			ctx.files["psg.legs_json"] = base + "_legs.json"
		}
	}
	return nil
}

func runPSGLegs(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg legs")
	hyp := fs.String("hypnogram", "", "hypnogram (EDF+ annotations, XML, BIDS _events.tsv, stage list); default: the EDF's own annotations")
	events := fs.String("events", "", "respiratory events and arousals (any hypnogram format); merged with the hypnogram's")
	left := fs.String("left", "", "left tibialis EMG channel label (default: found by name)")
	right := fs.String("right", "", "right tibialis EMG channel label (default: found by name)")
	std := fs.String("standard", "wasm2016", "scoring rules: wasm2016 or aasm")
	out := fs.String("out", "", "output folder")
	sf := addScoringFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return fmt.Errorf("%w: need one EDF and --out DIR", errUsage)
	}
	s, err := legs.ParseStandard(*std)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	scoring, err := sf.options()
	if err != nil {
		return err
	}
	n, err := night.Analyze(night.Input{Recording: pos[0], Hypnogram: *hyp, Events: *events, Scoring: scoring},
		night.Options{Legs: true, LegParams: legs.DefaultParams(s), LeftChannel: *left, RightChannel: *right})
	if err != nil {
		return sf.explain(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := n.WriteLegs(*out); err != nil {
		return err
	}
	res, base := n.Legs, filepath.Join(*out, n.Stem)
	m := res.Measures
	fmt.Fprintf(env.stdout, "%s_legs.json: %d LM, %d CLM, %d PLM (%d in sleep, %d in wake); PLMS index %s/h, PLMW index %s/h (%s)\n",
		base, m.LMCount, m.CLMCount, m.PLMCount, m.PLMSCount, m.PLMWCount, tsv.Fixed(m.PLMSIndex, 1), tsv.Fixed(m.PLMWIndex, 1), res.Params.Standard)
	for _, w := range n.Warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	return nil
}
