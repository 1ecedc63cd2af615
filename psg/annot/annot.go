// Package annot holds scored sleep: hypnograms of 30-second epochs and the
// other scored events of a night (arousals, apneas, hypopneas, RERAs,
// lights off and on, leg movements) in one model, with readers for the
// scoring files labs have — EDF+/BDF+ annotations (Sleep-EDF's
// hypnograms), NSRR PSGAnnotation XML (and the NSRR translator's Embla and
// Compumedics output), Compumedics CMPStudyConfig XML, native Embla
// EventExport XML, Luna .annot, CSV/TSV hypnograms (with stage maps for
// lab codes), BIDS _events.tsv and plain stage lists, recognised by
// ReadFile from their content — and a writer for BIDS _events.tsv.
//
// Times are seconds from the recording start. Rechtschaffen–Kales stages 3
// and 4 map to N3; unscored epochs and R&K movement time stay distinct from
// every sleep stage and from wake.
package annot

import (
	"fmt"
	"math"
	"strings"
)

// Stage is a sleep stage of one epoch.
type Stage int

const (
	// Unscored marks an epoch without a stage ("?", artefact, not scored).
	Unscored Stage = iota
	// Wake is stage W.
	Wake
	// N1, N2 and N3 are NREM stages (R&K S3 and S4 are N3).
	N1
	N2
	N3
	// REM is stage R.
	REM
	// Movement is R&K movement time, neither sleep nor wake.
	Movement
)

// String returns the AASM code: W, N1, N2, N3, R, ? or MT.
func (s Stage) String() string {
	switch s {
	case Wake:
		return "W"
	case N1:
		return "N1"
	case N2:
		return "N2"
	case N3:
		return "N3"
	case REM:
		return "R"
	case Movement:
		return "MT"
	}
	return "?"
}

// IsSleep reports whether s is N1, N2, N3 or R.
func (s Stage) IsSleep() bool { return s == N1 || s == N2 || s == N3 || s == REM }

// ParseStage reads a stage label in any of the common spellings: AASM
// (W, N1, N2, N3, R, REM), R&K (S1–S4, "Sleep stage 1"…"4"), numeric
// codes (0 wake, 1–4 NREM, 5 REM, as NSRR and Compumedics write them), the
// Sleep-EDF labels ("Sleep stage W", "Sleep stage ?", "Movement time"), and
// NSRR event concepts ("Wake|0", "Stage 2 sleep|2", "REM sleep|5").
func ParseStage(label string) (Stage, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	if i := strings.IndexByte(l, '|'); i >= 0 {
		// NSRR "Stage 2 sleep|2": the code after the bar decides.
		return ParseStage(l[i+1:])
	}
	l = strings.TrimPrefix(l, "sleep stage ")
	l = strings.TrimPrefix(l, "sleep_stage_")
	l = strings.TrimPrefix(l, "stage ")
	l = strings.TrimSpace(l)
	switch l {
	case "w", "wake", "0", "awake", "wk":
		return Wake, nil
	case "n1", "1", "s1", "nrem1", "stage 1 sleep":
		return N1, nil
	case "n2", "2", "s2", "nrem2":
		return N2, nil
	case "n3", "3", "4", "s3", "s4", "nrem3", "nrem4", "n4", "sws":
		return N3, nil
	case "r", "rem", "5", "rem sleep":
		return REM, nil
	case "?", "unscored", "u", "-1", "9", "artifact", "artefact", "nan", "unknown", "6":
		return Unscored, nil
	case "movement time", "mt", "movement", "m":
		return Movement, nil
	}
	return Unscored, fmt.Errorf("unknown sleep stage %q", label)
}

// EventKind classifies scored events other than stages.
type EventKind int

const (
	// Other is any event glusleep does not interpret.
	Other EventKind = iota
	// Arousal is an EEG arousal.
	Arousal
	// Apnea is an obstructive, central or mixed apnea.
	Apnea
	// Hypopnea is a hypopnea.
	Hypopnea
	// RERA is a respiratory-effort–related arousal.
	RERA
	// LightsOff and LightsOn bound the time in bed.
	LightsOff
	LightsOn
	// LegMovement is a scored limb movement.
	LegMovement
)

// String returns the kind's name as written in event tables ("arousal",
// "leg_movement", …); an unknown value gives "EventKind(n)".
func (k EventKind) String() string {
	names := [...]string{"other", "arousal", "apnea", "hypopnea", "rera", "lights_off", "lights_on", "leg_movement"}
	if k < 0 || int(k) >= len(names) {
		return fmt.Sprintf("EventKind(%d)", int(k))
	}
	return names[k]
}

// Respiratory reports whether k is an apnea, hypopnea or RERA (the events
// that exclude nearby leg movements under the WASM 2016 rules).
func (k EventKind) Respiratory() bool { return k == Apnea || k == Hypopnea || k == RERA }

// ClassifyEvent maps an event label to its kind by keywords (case-
// insensitive): "lights off"/"lights on" (also LIGHTS-OFF, lights_on, …),
// labels starting with "arousal" (Embla's AROUSAL-APNEA, Luna's
// arousal_respiratory: arousals, whatever follows), "hypopnea", "rera" or
// "respiratory effort", "apnea", "arousal" anywhere (SDO:SleepArousalFinding),
// and "limb movement"/"leg movement"/"PLM"/"LM" for limb movements (not
// "series" markers, such as SRO:PeriodicLimbMovementSeries).
func ClassifyEvent(label string) EventKind {
	l := strings.ToLower(strings.TrimSpace(label))
	for _, p := range []string{"sro:", "sdo:"} {
		l = strings.TrimPrefix(l, p)
	}
	has := func(s ...string) bool {
		for _, x := range s {
			if strings.Contains(l, x) {
				return true
			}
		}
		return false
	}
	switch {
	case has("lights off", "lights_off", "lightsoff", "lights out", "lights-off"):
		return LightsOff
	case has("lights on", "lights_on", "lightson", "lights-on"):
		return LightsOn
	case strings.HasPrefix(l, "arousal"):
		return Arousal
	case has("hypopnea", "hypopnoea"):
		return Hypopnea
	case has("rera", "respiratory effort", "respiratoryeffort", "respiratoryeventrelatedarousal", "respiratory event related arousal"):
		return RERA
	case has("apnea", "apnoea"):
		return Apnea
	case has("arousal"):
		return Arousal
	case has("series"):
		return Other // a PLM series marker, not a movement
	case has("limb movement", "leg movement", "plm", "limbmovement", "legmovement"), l == "lm", strings.HasPrefix(l, "lm_"), strings.HasPrefix(l, "lm-"):
		return LegMovement
	}
	return Other
}

// Event is a scored event other than a stage.
type Event struct {
	// Onset and Duration are in seconds (Duration 0 for instants).
	Onset, Duration float64
	// Kind classifies the event; Label keeps its original text.
	Kind  EventKind
	Label string
}

// EpochSeconds is the AASM epoch length.
const EpochSeconds = 30.0

// Hypnogram is a night's stages, one per epoch, and its other events.
type Hypnogram struct {
	// Start is the onset of the first epoch in seconds from the recording
	// start.
	Start float64
	// Epoch is the epoch length in seconds (30 unless the source says
	// otherwise).
	Epoch float64
	// Stages holds one stage per epoch.
	Stages []Stage
	// Events are the other scored events, by onset.
	Events []Event
	// Dialect names the file format read (one of Dialects; empty for
	// hypnograms built in code).
	Dialect string
	// Warnings are what the reader found wrong but read anyway (e.g. data
	// beyond an EDF's declared records).
	Warnings []string
}

// End returns the end of the last epoch in seconds from the recording
// start.
func (h *Hypnogram) End() float64 { return h.Start + float64(len(h.Stages))*h.Epoch }

// StageAt returns the stage at time t (seconds), Unscored outside.
func (h *Hypnogram) StageAt(t float64) Stage {
	if h.Epoch <= 0 || t < h.Start {
		return Unscored
	}
	i := int(math.Floor((t - h.Start) / h.Epoch))
	if i < 0 || i >= len(h.Stages) {
		return Unscored
	}
	return h.Stages[i]
}

// LightsOff and LightsOn return the first lights-off and last lights-on
// events' onsets, and whether they exist.
func (h *Hypnogram) LightsOff() (float64, bool) {
	for _, e := range h.Events {
		if e.Kind == LightsOff {
			return e.Onset, true
		}
	}
	return 0, false
}

// LightsOn returns the last lights-on event's onset, and whether it exists.
func (h *Hypnogram) LightsOn() (float64, bool) {
	t, ok := 0.0, false
	for _, e := range h.Events {
		if e.Kind == LightsOn {
			t, ok = e.Onset, true
		}
	}
	return t, ok
}

// Span is a scored stage over an interval, as files list them.
type Span struct {
	Onset, Duration float64
	Stage           Stage
}

// FromSpans builds a hypnogram of epoch-second epochs from stage spans
// (which may cover several epochs each, as Sleep-EDF's do). Spans must not
// overlap; gaps become Unscored epochs. A span that does not cover a whole
// number of epochs is an error naming it.
func FromSpans(spans []Span, epoch float64) (*Hypnogram, error) {
	if epoch <= 0 {
		epoch = EpochSeconds
	}
	h := &Hypnogram{Epoch: epoch}
	if len(spans) == 0 {
		return h, nil
	}
	h.Start = spans[0].Onset
	for i, s := range spans {
		if s.Duration < 0 || math.IsNaN(s.Duration) || math.IsNaN(s.Onset) {
			return nil, fmt.Errorf("stage span %d (%s at %g s): duration %g s", i+1, s.Stage, s.Onset, s.Duration)
		}
		n := s.Duration / epoch
		if math.Abs(n-math.Round(n)) > 1e-6 {
			return nil, fmt.Errorf("stage span %d (%s at %g s) lasts %g s, not a whole number of %g s epochs", i+1, s.Stage, s.Onset, s.Duration, epoch)
		}
		pos := (s.Onset - h.Start) / epoch
		if math.Abs(pos-math.Round(pos)) > 1e-6 {
			return nil, fmt.Errorf("stage span %d (%s) starts at %g s, off the %g s epoch grid starting at %g s", i+1, s.Stage, s.Onset, epoch, h.Start)
		}
		at := int(math.Round(pos))
		if at < len(h.Stages) {
			return nil, fmt.Errorf("stage span %d (%s at %g s) overlaps the previous one", i+1, s.Stage, s.Onset)
		}
		for len(h.Stages) < at {
			h.Stages = append(h.Stages, Unscored)
		}
		for k := 0; k < int(math.Round(n)); k++ {
			h.Stages = append(h.Stages, s.Stage)
		}
	}
	return h, nil
}

// MergeEvents adds events to h (e.g. apneas and arousals from a separate
// scoring file or from the recording's own annotations), keeping them in
// onset order and dropping exact duplicates (same onset, duration, kind
// and label).
func MergeEvents(h *Hypnogram, events []Event) {
	seen := make(map[Event]bool, len(h.Events))
	for _, e := range h.Events {
		seen[e] = true
	}
	for _, e := range events {
		if !seen[e] {
			h.Events = append(h.Events, e)
			seen[e] = true
		}
	}
	sortEvents(h.Events)
}
