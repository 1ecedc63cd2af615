package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/legs"
	"glusleep/psg/sleep"
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
		res, h, st, err := scoreLegsFile(edfPath, hypPath, "", "", "", p, scoringFlags{})
		if err != nil {
			return err
		}
		dir := filepath.Join(ctx.out, "psg")
		base := filepath.Join(dir, "sub-demo_task-sleep")
		if std == legs.AASM {
			base += "_aasm"
		}
		if err := legs.WriteOutputs(base, edfPath, res, h, st); err != nil {
			return err
		}
		truth := legs.Score(tl, tr, h, p).Measures
		m := res.Measures
		fmt.Fprintf(ctx.env.stdout, "legs (%s): %d LM, %d PLM in sleep (truth %d), PLMS index %.1f/h (truth %.1f), PLMW index %s/h → %s\n",
			std, m.LMCount, m.PLMSCount, truth.PLMSCount, m.PLMSIndex, truth.PLMSIndex, fmtNaN(m.PLMWIndex), base+"_legs.json")
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
	res, h, st, err := scoreLegsFile(pos[0], *hyp, *events, *left, *right, legs.DefaultParams(s), sf)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	base := filepath.Join(*out, hypStem(pos[0]))
	if err := legs.WriteOutputs(base, pos[0], res, h, st); err != nil {
		return err
	}
	m := res.Measures
	fmt.Fprintf(env.stdout, "%s_legs.json: %d LM, %d CLM, %d PLM (%d in sleep, %d in wake); PLMS index %s/h, PLMW index %s/h (%s)\n",
		base, m.LMCount, m.CLMCount, m.PLMCount, m.PLMSCount, m.PLMWCount, fmtNaN(m.PLMSIndex), fmtNaN(m.PLMWIndex), res.Params.Standard)
	for _, w := range res.Warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	return nil
}

// scoreLegsFile scores the leg movements of one recording: the EMG of its
// leg channels when it has them, else leg movements scored in its events.
func scoreLegsFile(path, hypPath, eventsPath, leftLabel, rightLabel string, p legs.Params, sf scoringFlags) (*legs.Result, *annot.Hypnogram, sleep.Stats, error) {
	var st sleep.Stats
	f, err := edf.Open(path, edf.Options{})
	if err != nil {
		return nil, nil, st, err
	}
	defer f.Close()
	var h *annot.Hypnogram
	own, ownErr := annot.FromAnnotations(f.Annotations(), annot.EpochSeconds)
	if hypPath != "" {
		if h, err = sf.read(hypPath, f.Start); err != nil {
			return nil, nil, st, err
		}
		if ownErr == nil {
			annot.MergeEvents(h, own.Events) // apneas and arousals scored in the EDF itself
		}
	} else if ownErr == nil && len(own.Stages) > 0 {
		h = own
	}
	if eventsPath != "" {
		ev, err := sf.read(eventsPath, f.Start)
		if err != nil {
			return nil, nil, st, err
		}
		if h == nil {
			h = ev
		} else {
			annot.MergeEvents(h, ev.Events)
		}
	}
	warn := append([]string(nil), f.Warnings...)
	if h == nil || len(h.Stages) == 0 {
		warn = append(warn, "no hypnogram: PLMS and PLMW cannot be told apart (give --hypnogram)")
		h = nil
	} else if st, err = sleep.Compute(h, sleep.Options{}); err != nil {
		return nil, nil, st, fmt.Errorf("%s: %w", path, err)
	}
	res, err := legs.ScoreFile(f, h, leftLabel, rightLabel, p)
	if err != nil {
		return nil, nil, st, err
	}
	res.Warnings = append(warn, res.Warnings...)
	return res, h, st, nil
}
