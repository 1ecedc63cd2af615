// Package sleep computes the AASM sleep measures of a night from its
// hypnogram: time in bed, total sleep time, sleep period time, sleep onset
// and REM latencies, wake after sleep onset, sleep efficiency, time and
// share of each stage, awakenings and stage shifts.
//
// Definitions (AASM Manual for the Scoring of Sleep and Associated Events;
// times are whole 30 s epochs):
//
//   - The analysis window is lights off to lights on: from Options, else
//     from lights-off/lights-on events of the hypnogram, else the scored
//     period (first to last epoch that is not unscored). Time in bed (TIB)
//     is its length.
//   - Sleep onset is the start of the first epoch of any sleep stage (N1,
//     N2, N3, R) in the window; sleep onset latency (SOL) is sleep onset
//     minus lights off.
//   - The final awakening is the end of the last sleep epoch; the sleep
//     period time (SPT) runs from sleep onset to it.
//   - Total sleep time (TST) is the time in N1+N2+N3+R within the window.
//   - Wake after sleep onset (WASO) is the time scored W within the SPT
//     (the paper's "wake time during the sleep period"). Wake after the final
//     awakening is not WASO: it is reported as WakeAfterFinalAwakening.
//   - Unscored and movement-time epochs are neither sleep nor wake: they
//     count in TIB (so they lower sleep efficiency) but not in TST or WASO,
//     and are reported separately (also within the SPT).
//   - Sleep efficiency (SE) is 100·TST/TIB.
//   - REM latency is the start of the first R epoch minus sleep onset.
//   - Awakenings are runs of consecutive W epochs within the SPT (unscored
//     and movement epochs between wake epochs do not split a run).
//   - Stage shifts are changes of stage between consecutive scored epochs
//     (W, N1, N2, N3, R) within the window, unscored and movement epochs
//     skipped.
//
// With no sleep at all, TST and SE are 0 and the latencies, SPT and WASO are
// undefined (NaN, written as null in JSON).
package sleep

import (
	"encoding/json"
	"errors"
	"fmt"
	"glusleep/internal/tsv"
	"math"

	"glusleep/psg/annot"
)

// Options fix the analysis window in seconds from the recording start;
// NaN (the zero value is not used: see Window) means unset.
type Options struct {
	// LightsOff and LightsOn bound the window; nil means take them from the
	// hypnogram's events, else the scored period.
	LightsOff, LightsOn *float64
}

// Stats are a night's sleep measures. Durations are minutes; latencies are
// minutes; percentages 0–100. NaN marks an undefined measure.
type Stats struct {
	// LightsOff and LightsOn are the window in s from the recording start;
	// WindowFrom says where they came from: "options", "events" or
	// "scored period".
	LightsOff  float64 `json:"lights_off_s"`
	LightsOn   float64 `json:"lights_on_s"`
	WindowFrom string  `json:"window_from"`

	TIB                     float64 `json:"tib_min"`
	TST                     float64 `json:"tst_min"`
	SPT                     float64 `json:"spt_min"`
	SOL                     float64 `json:"sleep_onset_latency_min"`
	REMLatency              float64 `json:"rem_latency_min"`
	WASO                    float64 `json:"waso_min"`
	WakeAfterFinalAwakening float64 `json:"wake_after_final_awakening_min"`
	SE                      float64 `json:"sleep_efficiency_pct"`

	// Minutes per stage within the window, and share of TST (N1–R).
	W, N1, N2, N3, R    float64 `json:"-"`
	Unscored, Movement  float64 `json:"-"`
	UnscoredInSPT       float64 `json:"unscored_in_spt_min"`
	MovementInSPT       float64 `json:"movement_in_spt_min"`
	PctN1, PctN2, PctN3 float64 `json:"-"`
	PctR                float64 `json:"-"`

	Awakenings  int `json:"awakenings"`
	StageShifts int `json:"stage_shifts"`
	// Epochs is the number of epochs in the window; EpochSeconds their
	// length.
	Epochs       int     `json:"epochs"`
	EpochSeconds float64 `json:"epoch_s"`
}

// MarshalJSON writes the stats with NaN as null and the per-stage values
// grouped, with the definitions used.
func (s Stats) MarshalJSON() ([]byte, error) {
	num := func(v float64) any { return tsv.OrNil(math.Round(v*1000) / 1000) }
	type alias Stats
	m := map[string]any{
		"lights_off_s": num(s.LightsOff), "lights_on_s": num(s.LightsOn), "window_from": s.WindowFrom,
		"tib_min": num(s.TIB), "tst_min": num(s.TST), "spt_min": num(s.SPT),
		"sleep_onset_latency_min": num(s.SOL), "rem_latency_min": num(s.REMLatency),
		"waso_min": num(s.WASO), "wake_after_final_awakening_min": num(s.WakeAfterFinalAwakening),
		"sleep_efficiency_pct": num(s.SE),
		"stage_min": map[string]any{"W": num(s.W), "N1": num(s.N1), "N2": num(s.N2), "N3": num(s.N3), "R": num(s.R),
			"unscored": num(s.Unscored), "movement": num(s.Movement)},
		"stage_pct_tst":       map[string]any{"N1": num(s.PctN1), "N2": num(s.PctN2), "N3": num(s.PctN3), "R": num(s.PctR)},
		"unscored_in_spt_min": num(s.UnscoredInSPT), "movement_in_spt_min": num(s.MovementInSPT),
		"awakenings": s.Awakenings, "stage_shifts": s.StageShifts, "epochs": s.Epochs, "epoch_s": s.EpochSeconds,
		"definitions": "AASM: TIB lights off to lights on; TST = N1+N2+N3+R; SPT sleep onset to final awakening; " +
			"WASO = W within SPT; wake after the final awakening reported apart; unscored and movement epochs count in TIB only; " +
			"SE = TST/TIB; REM latency from sleep onset; awakenings = runs of W within SPT; stage shifts between scored epochs",
	}
	return json.Marshal(m)
}

// ErrNoStages marks a hypnogram without any scored epoch: its measures
// would all be zero, which is never a night's result.
var ErrNoStages = errors.New("no scored sleep stages")

// Compute returns the sleep measures of h. A hypnogram without scored
// epochs (none at all, or all unscored) is an error wrapping ErrNoStages.
func Compute(h *annot.Hypnogram, opt Options) (Stats, error) {
	if h.Epoch <= 0 {
		return Stats{}, fmt.Errorf("sleep: epoch length %g s, want > 0", h.Epoch)
	}
	if len(h.Stages) == 0 {
		return Stats{}, fmt.Errorf("sleep: %w: the hypnogram has no epochs", ErrNoStages)
	}
	ep := h.Epoch
	s := Stats{EpochSeconds: ep}
	off, on, from, err := window(h, opt)
	if err != nil {
		return Stats{}, err
	}
	s.LightsOff, s.LightsOn, s.WindowFrom = off, on, from
	// Epochs whose start lies in [off, on).
	i0 := int(math.Ceil((off-h.Start)/ep - 1e-9))
	i1 := int(math.Ceil((on-h.Start)/ep - 1e-9))
	i0 = max(0, min(i0, len(h.Stages)))
	i1 = max(i0, min(i1, len(h.Stages)))
	win := h.Stages[i0:i1]
	s.Epochs = len(win)
	s.TIB = (on - off) / 60
	counts := map[annot.Stage]int{}
	for _, st := range win {
		counts[st]++
	}
	s.W, s.N1, s.N2, s.N3, s.R = s.minutes(counts[annot.Wake]), s.minutes(counts[annot.N1]), s.minutes(counts[annot.N2]), s.minutes(counts[annot.N3]), s.minutes(counts[annot.REM])
	s.Unscored, s.Movement = s.minutes(counts[annot.Unscored]), s.minutes(counts[annot.Movement])
	s.TST = s.N1 + s.N2 + s.N3 + s.R
	if s.TIB > 0 {
		s.SE = 100 * s.TST / s.TIB
	}
	s.sleepPeriod(h, i0, i1)
	s.StageShifts = stageShifts(win)
	return s, nil
}

// minutes returns the duration of n epochs in minutes.
func (s *Stats) minutes(n int) float64 { return float64(n) * s.EpochSeconds / 60 }

// window returns the analysis window [off, on) in s on h's time axis and
// what set it: the scored period (first to last scored epoch), replaced by
// lights off/on events of h, replaced by opt's times.
func window(h *annot.Hypnogram, opt Options) (off, on float64, from string, err error) {
	first, last := -1, -1
	for i, st := range h.Stages {
		if st != annot.Unscored {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return 0, 0, "", fmt.Errorf("sleep: %w: all %d epochs are unscored", ErrNoStages, len(h.Stages))
	}
	off, on = h.Start+float64(first)*h.Epoch, h.Start+float64(last+1)*h.Epoch
	from = "scored period"
	if t, ok := h.LightsOff(); ok {
		off, from = t, "events"
	}
	if t, ok := h.LightsOn(); ok {
		on, from = t, "events"
	}
	if opt.LightsOff != nil {
		off, from = *opt.LightsOff, "options"
	}
	if opt.LightsOn != nil {
		on, from = *opt.LightsOn, "options"
	}
	if math.IsNaN(off) || math.IsNaN(on) || on < off {
		return 0, 0, "", fmt.Errorf("sleep: lights on (%g s) before lights off (%g s)", on, off)
	}
	return off, on, from, nil
}

// sleepPeriod sets the measures of the sleep period in the window's
// epochs, h's epochs i0 to i1 (excluded): sleep onset latency from
// s.LightsOff, SPT, WASO and awakenings, the unscored and movement time in
// the SPT, wake after the final awakening, REM latency and the stage
// percentages of TST (all NaN, awakenings 0, without sleep).
func (s *Stats) sleepPeriod(h *annot.Hypnogram, i0, i1 int) {
	win := h.Stages[i0:i1]
	nan := math.NaN()
	s.SOL, s.REMLatency, s.SPT, s.WASO, s.WakeAfterFinalAwakening = nan, nan, nan, nan, nan
	s.PctN1, s.PctN2, s.PctN3, s.PctR = nan, nan, nan, nan
	s.UnscoredInSPT, s.MovementInSPT = nan, nan
	onset, final, firstR := -1, -1, -1
	for i, st := range win {
		if st.IsSleep() {
			if onset < 0 {
				onset = i
			}
			final = i
		}
		if st == annot.REM && firstR < 0 {
			firstR = i
		}
	}
	if onset < 0 {
		return
	}
	onsetT := h.Start + float64(i0+onset)*h.Epoch
	s.SOL = (onsetT - s.LightsOff) / 60
	s.SPT = s.minutes(final - onset + 1)
	w, u, m := 0, 0, 0
	inWake := false
	for _, st := range win[onset : final+1] {
		switch st {
		case annot.Wake:
			w++
			if !inWake {
				s.Awakenings++
			}
		case annot.Unscored:
			u++
		case annot.Movement:
			m++
		}
		if st == annot.Wake {
			inWake = true
		} else if st != annot.Unscored && st != annot.Movement {
			inWake = false
		}
	}
	s.WASO, s.UnscoredInSPT, s.MovementInSPT = s.minutes(w), s.minutes(u), s.minutes(m)
	after := 0
	for _, st := range win[final+1:] {
		if st == annot.Wake {
			after++
		}
	}
	s.WakeAfterFinalAwakening = s.minutes(after)
	if firstR >= 0 {
		s.REMLatency = s.minutes(firstR - onset)
	}
	s.PctN1, s.PctN2, s.PctN3, s.PctR = 100*s.N1/s.TST, 100*s.N2/s.TST, 100*s.N3/s.TST, 100*s.R/s.TST
}

// stageShifts counts the changes of stage between consecutive scored
// epochs of win (unscored and movement epochs skipped).
func stageShifts(win []annot.Stage) int {
	n := 0
	prev := annot.Unscored
	for _, st := range win {
		if st == annot.Unscored || st == annot.Movement {
			continue
		}
		if prev != annot.Unscored && st != prev {
			n++
		}
		prev = st
	}
	return n
}
