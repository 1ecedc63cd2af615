package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/plot"
	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/sleep"
	"glusleep/synth"
)

func init() {
	register(&command{path: "psg sleep", usage: "psg sleep --hypnogram FILE [--lights-off S] [--lights-on S] [--out DIR]",
		summary: "AASM sleep statistics and a hypnogram figure from a scored night", run: runPSGSleep})
	registerDemoStep(10, "PSG night", demoPSGNight)
}

func runPSGSleep(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg sleep")
	hyp := fs.String("hypnogram", "", "hypnogram: EDF+ annotations, NSRR/Compumedics XML, BIDS _events.tsv or a stage list")
	off := fs.Float64("lights-off", -1, "lights off in s from the recording start (default: from the file, else the scored period)")
	on := fs.Float64("lights-on", -1, "lights on in s from the recording start")
	out := fs.String("out", ".", "output folder")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *hyp == "" && len(pos) == 1 {
		*hyp = pos[0]
	} else if *hyp == "" || len(pos) > 0 {
		return fmt.Errorf("%w: need --hypnogram FILE", errUsage)
	}
	h, err := annot.Read(*hyp)
	if err != nil {
		return err
	}
	var opt sleep.Options
	if *off >= 0 {
		opt.LightsOff = off
	}
	if *on >= 0 {
		opt.LightsOn = on
	}
	st, err := sleep.Compute(h, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", *hyp, err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	base := filepath.Join(*out, hypStem(*hyp))
	if err := writeSleepOutputs(base, h, st); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s_sleep.json: TST %.1f min, WASO %s min, SE %.1f%%\n", base, st.TST, fmtNaN(st.WASO), st.SE)
	return nil
}

func fmtNaN(v float64) string {
	if v != v {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", v)
}

func hypStem(p string) string {
	b := filepath.Base(p)
	for _, s := range []string{"_events.tsv", "-Hypnogram.edf", ".edf", ".xml", ".tsv", ".txt", ".csv"} {
		if strings.HasSuffix(b, s) {
			return strings.TrimSuffix(b, s)
		}
	}
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// writeSleepOutputs writes <base>_sleep.json and <base>_hypnogram.svg.
func writeSleepOutputs(base string, h *annot.Hypnogram, st sleep.Stats) error {
	js, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(base+"_sleep.json", append(js, '\n'), 0o644); err != nil {
		return err
	}
	return atomicfile.WriteFile(base+"_hypnogram.svg", []byte(hypnogramFigure(h, st, filepath.Base(base)).SVG()), 0o644)
}

// stageLevel places stages on the hypnogram's y axis (W top, N3 bottom).
func stageLevel(s annot.Stage) float64 {
	switch s {
	case annot.Wake:
		return 5
	case annot.REM:
		return 4
	case annot.N1:
		return 3
	case annot.N2:
		return 2
	case annot.N3:
		return 1
	case annot.Movement:
		return 5.5
	}
	return 0
}

func hypnogramFigure(h *annot.Hypnogram, st sleep.Stats, title string) *plot.Figure {
	f := &plot.Figure{Title: fmt.Sprintf("%s — TST %.0f min, WASO %s min, SE %.0f%%", title, st.TST, fmtNaN(st.WASO), st.SE),
		XLabel: "time from recording start (h)", Width: 1000, Height: 300, YMin: -0.3, YMax: 6,
		YTickLabels: map[float64]string{5: "W", 4: "R", 3: "N1", 2: "N2", 1: "N3", 0: "?"}}
	x := make([]float64, 0, len(h.Stages)+1)
	y := make([]float64, 0, len(h.Stages)+1)
	for i, s := range h.Stages {
		x = append(x, (h.Start+float64(i)*h.Epoch)/3600)
		y = append(y, stageLevel(s))
	}
	if len(y) > 0 {
		x = append(x, h.End()/3600)
		y = append(y, y[len(y)-1])
	}
	for i, s := range h.Stages {
		if s == annot.REM {
			t := (h.Start + float64(i)*h.Epoch) / 3600
			f.Span(t, t+h.Epoch/3600, 3.8, 4.2, "#d62728")
		}
	}
	f.Span(st.LightsOff/3600, st.LightsOn/3600, 5.7, 5.9, "#1f77b4")
	f.Step(x, y, "#222222", "")
	return f
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
	edfPath := filepath.Join(dir, "sub-demo_task-sleep_eeg.edf")
	err = atomicfile.Write(edfPath, 0o644, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := edf.Write(bw, n.Signals, edf.WriteOptions{RecordDuration: 30, Annotations: n.Annotations()}); err != nil {
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
	h, err := annot.Read(edfPath)
	if err != nil {
		return err
	}
	st, err := sleep.Compute(h, sleep.Options{})
	if err != nil {
		return err
	}
	base := filepath.Join(dir, "sub-demo_task-sleep")
	if err := writeSleepOutputs(base, h, st); err != nil {
		return err
	}
	ctx.files["psg.edf"], ctx.files["psg.hypnogram"], ctx.files["psg.sleep_json"] = edfPath, evPath, base+"_sleep.json"
	fmt.Fprintf(ctx.env.stdout, "PSG night: TST %.1f min (truth %.1f), WASO %s min (truth 45.0), SE %.1f%% → %s\n",
		st.TST, 450-20-45-5.0, fmtNaN(st.WASO), st.SE, base+"_sleep.json")
	return nil
}
