// Package night is the analysis of one recorded night of polysomnography,
// the one path every entry point takes (psg sleep, psg legs and the study's
// participant level): from an EDF/EDF+/BDF recording and/or a hypnogram or
// events file, the AASM sleep statistics and hypnogram figure (psg/sleep)
// and the leg movements scored by WASM 2016 or AASM rules (psg/legs), from
// the recording's tibialis EMG when it has leg channels, else from the leg
// movements scored in the events; and the files that hold them:
// <stem>_sleep.json, <stem>_hypnogram.svg, <stem>_legmovements.tsv,
// <stem>_legs.json, <stem>_legs.svg and <stem>_legs_emg.svg (figures
// against the recording's clock time).
package night

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/legs"
	"glusleep/psg/sleep"
)

// Input names one night's files. At least one of Recording and Hypnogram
// is needed.
type Input struct {
	// Recording is the EDF, EDF+ or BDF recording (optional for sleep
	// statistics; for leg movements, the tibialis EMG).
	Recording string
	// Hypnogram is the scored night: EDF+ annotations, NSRR/Compumedics
	// XML, BIDS _events.tsv or a stage list. Empty: the recording's own
	// annotations, when they hold stages.
	Hypnogram string
	// Events are further scored events (respiratory events, arousals, leg
	// movements) in any hypnogram format, merged with the hypnogram's.
	Events string
	// Scoring says how the scoring files are read (stage map, truncated
	// EDF+); its Origin, when zero, is the recording's start.
	Scoring annot.Options
}

// Options select the analyses and their settings.
type Options struct {
	// Sleep computes the sleep statistics (needs a hypnogram).
	Sleep bool
	// Legs scores the leg movements.
	Legs bool
	// LegsOptional turns a failure to score the leg movements (no leg
	// channel and no scored leg movements, an unreadable recording) into a
	// warning when the sleep statistics were made.
	LegsOptional bool
	// RequireRecording fails the night when Input.Recording does not open
	// (a truncated file, a damaged header), even where the events could
	// stand in for it in the leg scoring.
	RequireRecording bool
	// SleepOptions sets lights off and on (seconds from the recording
	// start) for the sleep statistics.
	SleepOptions sleep.Options
	// LegParams are the leg-movement rules (legs.DefaultParams(standard)).
	LegParams legs.Params
	// LeftChannel and RightChannel name the tibialis EMG channels (empty:
	// found by name, legs.FindChannel).
	LeftChannel, RightChannel string
}

// Night is the analysis of one night.
type Night struct {
	// Stem names the outputs (<Stem>_sleep.json, ...) and titles the
	// figures: the input's name without its BIDS suffix and extension
	// (Stem). Callers may set another before writing.
	Stem string
	// Recording is the recording's file name recorded in _legs.json
	// (empty without a recording).
	Recording string
	// recordingPath is the recording as given: its header's start time and
	// leg EMG for the figures.
	recordingPath string
	// Hypnogram is the scored night (nil when none was found).
	Hypnogram *annot.Hypnogram
	// Sleep holds the sleep statistics when HasSleep.
	Sleep    sleep.Stats
	HasSleep bool
	// Legs is the leg-movement scoring (nil when not scored).
	Legs *Result
	// Warnings are non-fatal problems, in the order met: the scoring
	// files' (annot.Hypnogram.Warnings), then the leg scoring's
	// (recording, channels; also in Legs.Warnings and _legs.json).
	Warnings []string
}

// Result is a leg-movement scoring (psg/legs).
type Result = legs.Result

// suffixes are the file-name endings Stem removes, longest first.
var suffixes = []string{"_events.tsv", "-Hypnogram.edf", "_eeg.edf", "_eeg.bdf", ".edf", ".bdf", ".xml", ".tsv", ".txt", ".csv"}

// Stem returns a night's output stem for the file path: its base name
// without a BIDS suffix (_events.tsv, _eeg.edf, _eeg.bdf), a Sleep-EDF
// "-Hypnogram.edf" or its extension.
func Stem(path string) string {
	b := filepath.Base(path)
	for _, s := range suffixes {
		if strings.HasSuffix(b, s) {
			return strings.TrimSuffix(b, s)
		}
	}
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// Analyze runs the selected analyses on one night. The sleep statistics
// are computed whenever the night has a scored hypnogram (the leg scoring
// uses them); opt.Sleep requires one. The stem is taken from the recording,
// else the hypnogram, else the events (Stem). Errors name the file.
func Analyze(in Input, opt Options) (*Night, error) {
	if in.Recording == "" && in.Hypnogram == "" && in.Events == "" {
		return nil, errors.New("night: need a recording or a hypnogram")
	}
	if !opt.Sleep && !opt.Legs {
		return nil, errors.New("night: no analysis selected")
	}
	n := &Night{Stem: stemOf(in)}
	if in.Recording != "" {
		n.Recording, n.recordingPath = filepath.Base(in.Recording), in.Recording
	}
	var rec *edf.File
	var recErr error
	if in.Recording != "" {
		// Opened for the sleep statistics too: the recording gives the
		// clock origin of scoring files with clock times (Luna, Embla)
		// and its own EDF+ annotations.
		rec, recErr = edf.Open(in.Recording, edf.Options{})
		if rec != nil {
			defer rec.Close()
		}
		if recErr != nil && opt.RequireRecording {
			return nil, recErr
		}
	}
	h, err := hypnogram(in, rec)
	if err != nil {
		return nil, err
	}
	n.Hypnogram = h
	if h != nil {
		n.Warnings = append(n.Warnings, h.Warnings...)
	}
	if h != nil && (len(h.Stages) > 0 || opt.Sleep) {
		st, err := sleep.Compute(h, opt.SleepOptions)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", firstNonEmpty(in.Hypnogram, in.Recording, in.Events), err)
		}
		n.Sleep, n.HasSleep = st, true
	} else if opt.Sleep {
		return nil, fmt.Errorf("%s: %w: no hypnogram found", firstNonEmpty(in.Hypnogram, in.Recording, in.Events), sleep.ErrNoStages)
	}
	if !opt.Legs {
		return n, nil
	}
	res, err := scoreLegs(in, rec, recErr, n.hypnogramForLegs(), opt)
	if err != nil {
		if opt.LegsOptional && opt.Sleep {
			n.Warnings = append(n.Warnings, err.Error())
			return n, nil
		}
		return nil, err
	}
	var pre []string // the recording's own warnings, then the missing stages
	if rec != nil {
		pre = append(pre, rec.Warnings...)
	}
	if !n.HasSleep {
		pre = append(pre, "no hypnogram: PLMS and PLMW cannot be told apart (give --hypnogram)")
	}
	res.Warnings = append(pre, res.Warnings...)
	n.Legs = res
	n.Warnings = append(n.Warnings, res.Warnings...)
	return n, nil
}

// hypnogramForLegs is the hypnogram the leg scoring uses: nil without
// stages.
func (n *Night) hypnogramForLegs() *annot.Hypnogram {
	if n.Hypnogram == nil || len(n.Hypnogram.Stages) == 0 {
		return nil
	}
	return n.Hypnogram
}

func stemOf(in Input) string {
	return Stem(firstNonEmpty(in.Recording, in.Hypnogram, in.Events))
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// hypnogram reads the night's hypnogram (the file, else the recording's
// annotations when they hold stages) and merges the events scored in the
// recording itself (apneas, arousals) and the extra events file, dropping
// exact duplicates.
func hypnogram(in Input, rec *edf.File) (*annot.Hypnogram, error) {
	opt := in.Scoring
	if rec != nil && opt.Origin.IsZero() {
		opt.Origin = rec.Start
	}
	var own *annot.Hypnogram
	if rec != nil {
		if hh, err := annot.FromAnnotations(rec.Annotations(), annot.EpochSeconds); err == nil {
			own = hh
		}
	}
	var h *annot.Hypnogram
	var err error
	switch {
	case in.Hypnogram != "":
		if h, err = annot.ReadFile(in.Hypnogram, opt); err != nil {
			return nil, err
		}
		if own != nil {
			annot.MergeEvents(h, own.Events)
		}
	case own != nil && len(own.Stages) > 0:
		h = own
	}
	if in.Events != "" {
		ev, err := annot.ReadFile(in.Events, opt)
		if err != nil {
			return nil, err
		}
		if h == nil {
			h = ev
		} else {
			annot.MergeEvents(h, ev.Events)
			h.Warnings = append(h.Warnings, ev.Warnings...)
		}
	}
	return h, nil
}

// scoreLegs scores the leg movements: the recording's tibialis EMG when it
// has leg channels, else the leg movements scored in the events. A
// recording that does not open falls back to the events when they list leg
// movements, with a warning.
func scoreLegs(in Input, rec *edf.File, recErr error, h *annot.Hypnogram, opt Options) (*Result, error) {
	if rec != nil {
		return legs.ScoreFile(rec, h, opt.LeftChannel, opt.RightChannel, opt.LegParams)
	}
	l, r := legs.FromEvents(h)
	if recErr != nil {
		if len(l)+len(r) > 0 {
			res := legs.Score(l, r, h, opt.LegParams)
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %v: scored the leg movements listed in the events", filepath.Base(in.Recording), recErr))
			return res, nil
		}
		return nil, fmt.Errorf("leg movements: %w", recErr)
	}
	if len(l)+len(r) == 0 {
		return nil, fmt.Errorf("no recording and no scored leg movements for %s", filepath.Base(firstNonEmpty(in.Hypnogram, in.Events)))
	}
	return legs.Score(l, r, h, opt.LegParams), nil
}

// Outputs lists the files Write makes for n in dir, in the order written.
func (n *Night) Outputs(dir string) []string {
	base := filepath.Join(dir, n.Stem)
	var out []string
	if n.HasSleep {
		out = append(out, base+"_sleep.json", base+"_hypnogram.svg")
	}
	if n.Legs != nil {
		out = append(out, base+"_legmovements.tsv", base+"_legs.json")
		if n.hypnogramForLegs() != nil {
			out = append(out, base+"_legs.svg", base+"_legs_emg.svg")
		}
	}
	return out
}

// WriteSleep writes dir/<Stem>_sleep.json (sleep.Stats as JSON) and
// dir/<Stem>_hypnogram.svg, atomically.
func (n *Night) WriteSleep(dir string) error {
	if !n.HasSleep {
		return fmt.Errorf("night %s: no sleep statistics to write", n.Stem)
	}
	base := filepath.Join(dir, n.Stem)
	js, err := json.MarshalIndent(n.Sleep, "", "  ")
	if err != nil {
		return fmt.Errorf("%s_sleep.json: %w", base, err)
	}
	if err := atomicfile.WriteFile(base+"_sleep.json", append(js, '\n'), 0o644); err != nil {
		return err
	}
	return atomicfile.WriteFile(base+"_hypnogram.svg", []byte(sleep.Hypnogram(n.Hypnogram, n.Sleep, legs.RecordingStart(n.recordingPath), n.Stem).SVG()), 0o644)
}

// WriteLegs writes dir/<Stem>_legmovements.tsv, _legs.json and, with a
// hypnogram, _legs.svg and _legs_emg.svg (legs.WriteOutputs), atomically.
func (n *Night) WriteLegs(dir string) error {
	if n.Legs == nil {
		return fmt.Errorf("night %s: no leg movements to write", n.Stem)
	}
	return legs.WriteOutputs(filepath.Join(dir, n.Stem), n.recordingPath, n.Legs, n.hypnogramForLegs(), n.Sleep)
}

// Write writes every output n holds into dir (which must exist).
func (n *Night) Write(dir string) error {
	if n.HasSleep {
		if err := n.WriteSleep(dir); err != nil {
			return err
		}
	}
	if n.Legs != nil {
		return n.WriteLegs(dir)
	}
	return nil
}

// AnalyzeTo analyses the night (Analyze) and writes into dir, made if
// needed, the outputs of the analyses opt selects: with opt.Sleep the
// sleep statistics and hypnogram (WriteSleep), with opt.Legs the leg
// movements when they were scored (WriteLegs); sleep statistics computed
// only for the leg scoring are not written. The night is returned whenever
// the analysis succeeded, also when writing failed, so that its warnings
// can be shown.
func AnalyzeTo(in Input, opt Options, dir string) (*Night, error) {
	n, err := Analyze(in, opt)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return n, err
	}
	if opt.Sleep {
		if err := n.WriteSleep(dir); err != nil {
			return n, err
		}
	}
	if opt.Legs && n.Legs != nil {
		return n, n.WriteLegs(dir)
	}
	return n, nil
}
