package legs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"glusleep/internal/tsv"
	"path/filepath"

	"glusleep/internal/atomicfile"
	"glusleep/psg/annot"
	"glusleep/psg/sleep"
)

// Summary returns the night's measures as flat JSON fields (snake_case;
// NaN as null), with the standard, its parameters, the warnings and the
// input's file name: the keys eligibility protocols read (e.g. plm_count,
// the PLMs of the night, in sleep and wake). respiratory_events and
// arousal_events are the numbers of those events used, or "absent";
// exclusions_applied and exclusions_not_applied list the event-based rules
// run and not run, and plm_label says whether the PLM counts had the
// respiratory exclusion (plm_arousal_percent is null without arousals).
func (res *Result) Summary(input string) map[string]any {
	m := res.Measures
	num := tsv.OrNil
	absent := func(n int, ok bool) any {
		if !ok {
			return "absent"
		}
		return n
	}
	applied, notApplied := res.Events.Applied()
	plmLabel := "PLM with the respiratory exclusion"
	if !res.Events.RespiratoryApplied {
		plmLabel = "PLM without the respiratory exclusion (no respiratory events)"
	}
	arousalPct := num(m.PLMArousalPercent)
	if !res.Events.ArousalApplied {
		arousalPct = nil
	}
	return map[string]any{
		"respiratory_events": absent(res.Events.Respiratory, res.Events.RespiratoryApplied),
		"arousal_events":     absent(res.Events.Arousals, res.Events.ArousalApplied),
		"exclusions_applied": nonNil(applied), "exclusions_not_applied": nonNil(notApplied), "plm_label": plmLabel,
		"input": filepath.Base(input), "standard": res.Params.Standard, "parameters": res.Params, "warnings": res.Warnings,
		"lm_count": m.LMCount, "clm_count": m.CLMCount, "plm_count": m.PLMCount, "plms_count": m.PLMSCount, "plmw_count": m.PLMWCount,
		"respiratory_excluded": m.RespiratoryExcluded, "plm_series": m.Series,
		"tst_h": num(m.TSTHours), "wake_h": num(m.WakeHours),
		"plms_index": num(m.PLMSIndex), "plmw_index": num(m.PLMWIndex), "lms_index": num(m.LMSIndex), "clms_index": num(m.CLMSIndex),
		"candidates_per_stage": m.CandidatesPerStage, "plm_per_stage": m.PLMPerStage,
		"imi_histogram_2s": m.IMIHistogram, "periodicity_index": num(m.PeriodicityIndex),
		"mean_plm_duration_s": num(m.MeanPLMSeconds), "plm_arousal_percent": arousalPct,
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteOutputs writes base_legmovements.tsv (BIDS events: onset, duration,
// trial_type, side, kind, series, stage, excluded_reason, arousal, peak_uv;
// one row per LM of at least the minimum duration), base_legs.json
// (Summary) and, with a hypnogram, base_legs.svg (NightFigure) and
// base_legs_emg.svg (each PLM series' window with the tibialis EMG: the
// EMG res was scored from when ScoreFile scored it, else EMGFigureFile's
// when input is an EDF/BDF file with leg channels), against clock time
// when input is an EDF/BDF file, atomically.
func WriteOutputs(base, input string, res *Result, h *annot.Hypnogram, st sleep.Stats) error {
	var b bytes.Buffer
	b.WriteString("onset\tduration\ttrial_type\tside\tkind\tseries\tstage\texcluded_reason\tarousal\tpeak_uv\n")
	for _, m := range res.Movements {
		if m.Reason == reasonShort {
			continue // not LMs at all
		}
		series, ex := tsv.NA, tsv.NA
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
	js, err := json.MarshalIndent(res.Summary(input), "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(base+"_legs.json", append(js, '\n'), 0o644); err != nil {
		return err
	}
	if h == nil {
		return nil
	}
	start := RecordingStart(input)
	if err := atomicfile.WriteFile(base+"_legs.svg", []byte(NightFigure(h, st, res, start, filepath.Base(base)).SVG()), 0o644); err != nil {
		return err
	}
	var emg string
	if res.emg != nil {
		emg = EMGFigure(h, res, res.emg, start, filepath.Base(base))
	} else if emg, err = EMGFigureFile(input, h, res, filepath.Base(base)); err != nil {
		return fmt.Errorf("%s: leg EMG figure: %w", input, err)
	}
	return atomicfile.WriteFile(base+"_legs_emg.svg", []byte(emg), 0o644)
}
