package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"glusleep/internal/atomicfile"
	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/legs"
	"glusleep/psg/sleep"
)

func init() {
	register(&command{path: "psg legs",
		usage:   "psg legs EDF [--hypnogram FILE] [--events FILE] [--left LABEL] [--right LABEL] [--standard wasm2016|aasm] --out DIR",
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
		res, h, st, err := scoreLegsFile(edfPath, hypPath, "", "", "", p)
		if err != nil {
			return err
		}
		dir := filepath.Join(ctx.out, "psg")
		base := filepath.Join(dir, "sub-demo_task-sleep")
		if std == legs.AASM {
			base += "_aasm"
		}
		if err := writeLegsOutputs(base, edfPath, res, h, st); err != nil {
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

// legLabels are normalised channel labels (lower case, letters and digits
// only) that name each leg's tibialis EMG in common montages.
var legLabels = map[legs.Side][]string{
	legs.Left: {"legl", "lleg", "lat", "lat1", "tibl", "ltib", "tibialisl", "ltibialis", "emgleftleg", "leftleg", "leftlegemg",
		"emglegl", "legleft", "plml", "lleg1", "emglat", "lta", "tal", "latl", "emgtibl", "tibialisanteriorl", "ltibialisanterior"},
	legs.Right: {"legr", "rleg", "rat", "rat1", "tibr", "rtib", "tibialisr", "rtibialis", "emgrightleg", "rightleg", "rightlegemg",
		"emglegr", "legright", "plmr", "rleg1", "emgrat", "rta", "tar", "latr", "emgtibr", "tibialisanteriorr", "rtibialisanterior"},
}

func normLabel(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// findLeg returns the index of the signal named label (exactly, after
// normalisation), or when label is empty the first signal whose label is
// one of side's usual names; −1 when none.
func findLeg(sigs []edf.Signal, label string, side legs.Side) int {
	for i, s := range sigs {
		if s.IsAnnotation() {
			continue
		}
		n := normLabel(s.Label)
		if label != "" {
			if n == normLabel(label) {
				return i
			}
			continue
		}
		for _, want := range legLabels[side] {
			if n == want {
				return i
			}
		}
	}
	return -1
}

func channelList(sigs []edf.Signal) string {
	var names []string
	for _, s := range sigs {
		if !s.IsAnnotation() {
			names = append(names, fmt.Sprintf("%q", s.Label))
		}
	}
	return strings.Join(names, ", ")
}

func runPSGLegs(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg legs")
	hyp := fs.String("hypnogram", "", "hypnogram (EDF+ annotations, XML, BIDS _events.tsv, stage list); default: the EDF's own annotations")
	events := fs.String("events", "", "respiratory events and arousals (any hypnogram format); merged with the hypnogram's")
	left := fs.String("left", "", "left tibialis EMG channel label (default: found by name)")
	right := fs.String("right", "", "right tibialis EMG channel label (default: found by name)")
	std := fs.String("standard", "wasm2016", "scoring rules: wasm2016 or aasm")
	out := fs.String("out", "", "output folder")
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
	res, h, st, err := scoreLegsFile(pos[0], *hyp, *events, *left, *right, legs.DefaultParams(s))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	base := filepath.Join(*out, hypStem(pos[0]))
	if err := writeLegsOutputs(base, pos[0], res, h, st); err != nil {
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
func scoreLegsFile(path, hypPath, eventsPath, leftLabel, rightLabel string, p legs.Params) (*legs.Result, *annot.Hypnogram, sleep.Stats, error) {
	var st sleep.Stats
	f, err := edf.Open(path, edf.Options{})
	if err != nil {
		return nil, nil, st, err
	}
	defer f.Close()
	var h *annot.Hypnogram
	if hypPath != "" {
		if h, err = annot.Read(hypPath); err != nil {
			return nil, nil, st, err
		}
	} else if hh, err := annot.FromAnnotations(f.Annotations(), annot.EpochSeconds); err == nil && len(hh.Stages) > 0 {
		h = hh
	}
	if eventsPath != "" {
		ev, err := annot.Read(eventsPath)
		if err != nil {
			return nil, nil, st, err
		}
		if h == nil {
			h = ev
		} else {
			h.Events = append(h.Events, ev.Events...)
		}
	}
	var warn []string
	if h == nil || len(h.Stages) == 0 {
		warn = append(warn, "no hypnogram: PLMS and PLMW cannot be told apart (give --hypnogram)")
		h = nil
	} else if st, err = sleep.Compute(h, sleep.Options{}); err != nil {
		return nil, nil, st, fmt.Errorf("%s: %w", path, err)
	}
	li := findLeg(f.Signals, leftLabel, legs.Left)
	ri := findLeg(f.Signals, rightLabel, legs.Right)
	for _, c := range []struct {
		label string
		i     int
	}{{leftLabel, li}, {rightLabel, ri}} {
		if c.label != "" && c.i < 0 {
			return nil, nil, st, fmt.Errorf("%s: no channel %q; the file has %s", path, c.label, channelList(f.Signals))
		}
	}
	var res *legs.Result
	if li < 0 && ri < 0 {
		l, r := legs.FromEvents(h)
		if len(l)+len(r) == 0 {
			return nil, nil, st, fmt.Errorf("%s: no leg EMG channel found (looked for labels like \"Leg L\", \"LAT\", \"Tib L\", \"EMG Left Leg\"; give --left/--right) and no scored leg movements in the events; the file has %s",
				path, channelList(f.Signals))
		}
		res = legs.Score(l, r, h, p)
		warn = append(warn, "no leg EMG channel: scored the leg movements listed in the events")
	} else {
		read := func(i int) (*legs.Channel, error) {
			if i < 0 {
				return nil, nil
			}
			x, err := f.Physical(i, 0, -1)
			if err != nil {
				return nil, err
			}
			u, err := f.Microvolts(i)
			if err != nil {
				return nil, err
			}
			for k := range x {
				x[k] *= u
			}
			return &legs.Channel{Label: f.Signals[i].Label, Samples: x, Rate: f.Signals[i].Rate(f.RecordDuration)}, nil
		}
		lc, err := read(li)
		if err != nil {
			return nil, nil, st, err
		}
		rc, err := read(ri)
		if err != nil {
			return nil, nil, st, err
		}
		if lc == nil {
			lc, rc = rc, nil
		}
		if res, err = legs.ScoreEMG(lc, rc, h, p); err != nil {
			return nil, nil, st, fmt.Errorf("%s: %w", path, err)
		}
	}
	res.Warnings = append(warn, res.Warnings...)
	return res, h, st, nil
}

// legsSummary is the flat JSON of a scored night (the keys eligibility
// protocols read, e.g. plm_count).
func legsSummary(input string, res *legs.Result) map[string]any {
	m := res.Measures
	num := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	return map[string]any{
		"input": filepath.Base(input), "standard": res.Params.Standard, "parameters": res.Params, "warnings": res.Warnings,
		"lm_count": m.LMCount, "clm_count": m.CLMCount, "plm_count": m.PLMCount, "plms_count": m.PLMSCount, "plmw_count": m.PLMWCount,
		"respiratory_excluded": m.RespiratoryExcluded, "plm_series": m.Series,
		"tst_h": num(m.TSTHours), "wake_h": num(m.WakeHours),
		"plms_index": num(m.PLMSIndex), "plmw_index": num(m.PLMWIndex), "lms_index": num(m.LMSIndex), "clms_index": num(m.CLMSIndex),
		"candidates_per_stage": m.CandidatesPerStage, "plm_per_stage": m.PLMPerStage,
		"imi_histogram_2s": m.IMIHistogram, "periodicity_index": num(m.PeriodicityIndex),
		"mean_plm_duration_s": num(m.MeanPLMSeconds), "plm_arousal_percent": num(m.PLMArousalPercent),
	}
}

// writeLegsOutputs writes base_legmovements.tsv (BIDS events), base_legs.json
// and base_legs.svg.
func writeLegsOutputs(base, input string, res *legs.Result, h *annot.Hypnogram, st sleep.Stats) error {
	var b bytes.Buffer
	b.WriteString("onset\tduration\ttrial_type\tside\tkind\tseries\tstage\texcluded_reason\tarousal\tpeak_uv\n")
	for _, m := range res.Movements {
		if m.Reason != "" && m.Kind == legs.KindLM && m.Duration < res.Params.MinSeconds {
			continue // not LMs at all
		}
		series, ex := "n/a", "n/a"
		if m.Series > 0 {
			series = fmt.Sprint(m.Series)
		}
		if m.Excluded != "" {
			ex = m.Excluded
		} else if m.Reason != "" {
			ex = m.Reason
		}
		fmt.Fprintf(&b, "%.3f\t%.3f\tleg_movement\t%s\t%s\t%s\t%s\t%s\t%t\t%.1f\n", m.Onset, m.Duration, m.Side, m.Kind, series, m.Stage, ex, m.Arousal, m.PeakUV)
	}
	if err := atomicfile.WriteFile(base+"_legmovements.tsv", b.Bytes(), 0o644); err != nil {
		return err
	}
	js, err := json.MarshalIndent(legsSummary(input, res), "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(base+"_legs.json", append(js, '\n'), 0o644); err != nil {
		return err
	}
	if h == nil {
		return nil
	}
	return atomicfile.WriteFile(base+"_legs.svg", []byte(legs.Figure(h, st, res, filepath.Base(base)).SVG()), 0o644)
}
