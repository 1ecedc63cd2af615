package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/study"
	"glusleep/synth"
)

// StudyResult is what Study wrote.
type StudyResult struct {
	// BIDS is the raw dataset (cfg.Out/bids) and Derivatives the pipeline's
	// outputs (cfg.Out/derivatives).
	BIDS, Derivatives string
	// Participants is the number of participants in the dataset.
	Participants int
	// Group is the group level's result (cohort table, report, lines).
	Group *study.GroupResult
}

// Study builds the BIDS dataset of the study (BIDS) and runs the
// participant level and the group level on it with the settings `glusleep
// run` uses by default, printing the group level's findings and the
// report's path.
func Study(cfg Config, clin *ClinicalResult, m *MRSCohortResult) (*StudyResult, error) {
	r := &StudyResult{BIDS: filepath.Join(cfg.Out, "bids"), Derivatives: filepath.Join(cfg.Out, "derivatives")}
	var err error
	if r.Participants, err = BIDS(cfg, clin, m, r.BIDS, 0); err != nil {
		return nil, err
	}
	d, err := study.Open(r.BIDS)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(r.Derivatives, 0o755); err != nil {
		return nil, err
	}
	set := study.DefaultSettings()
	pl := &study.Pipeline{Settings: set}
	run := &study.Runner{Dataset: d, Out: r.Derivatives, Settings: set, Version: cfg.Version, Workers: cfg.Workers, Process: pl.Process}
	res, err := run.Run(context.Background(), nil)
	if err != nil {
		return nil, fmt.Errorf("participant level: %w", err)
	}
	for _, o := range res {
		if o.Status == "failed" {
			return nil, fmt.Errorf("participant level: %s: %w", o.Participant, o.Err)
		}
	}
	if r.Group, err = study.Group(d, r.Derivatives, study.DefaultPlan(), cfg.Version); err != nil {
		return nil, fmt.Errorf("group level: %w", err)
	}
	w := cfg.stdout()
	fmt.Fprintf(w, "study: %d participants through the BIDS pipeline → %s\n", r.Participants, r.Derivatives)
	for _, l := range r.Group.Lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
	fmt.Fprintf(w, "report: %s\n", r.Group.Report)
	return r, nil
}

// participantNights writes participant id's two scored nights to
// root/id/eeg/ (a 16 Hz EEG C3-M2 EDF+ and its _events.tsv with the
// hypnogram, scored leg movements and respiratory events) and returns the
// truth row's night columns (WASO in min, target PLM count per night). RLS
// patients have short nights whose WASO rises with their true Glx/tCr;
// controls' WASO is unrelated to it. The leg movements are PLM series
// totalling the clinical cohort's PLM count for the night, plus isolated
// movements and movements after apneas.
func participantNights(seed int64, root, id, group string, glx float64, plm []int, k uint64) (string, error) {
	rng := rand.New(rand.NewPCG(uint64(seed), 1000+k))
	row := ""
	edir := filepath.Join(root, id, "eeg")
	if err := os.MkdirAll(edir, 0o755); err != nil {
		return "", err
	}
	for night := 1; night <= 2; night++ {
		waso := 25 + 10*rng.NormFloat64()
		sol, inBed := 15.0, 8.0
		if group == "rls" {
			waso = 70 + 110*(glx-1.2) + 15*rng.NormFloat64()
			sol, inBed = 35, 7.5
		}
		waso = math.Max(5, math.Round(waso*2)/2)
		n, err := synth.NewNight(synth.NightSpec{Seed: uint64(seed)*1000 + k*10 + uint64(night), InBedHours: inBed,
			SleepOnsetMinutes: sol, WASOMinutes: waso, EEGRate: 16})
		if err != nil {
			return "", err
		}
		target := 0
		if night <= len(plm) {
			target = plm[night-1]
		}
		addScoredLegs(n, target, rng)
		row += fmt.Sprintf("\t%.1f\t%d", waso, target)
		stem := filepath.Join(edir, fmt.Sprintf("%s_task-sleep_run-%d", id, night))
		if err := writeNight(stem+"_eeg.edf", stem+"_events.tsv", n, []edf.SignalData{*n.Channel("EEG C3-M2")}); err != nil {
			return "", err
		}
	}
	return row, nil
}

// addScoredLegs adds to n's scored events leg movements as a sleep lab
// exports them (one event per leg): PLM series totalling target, 10
// isolated movements and 2 movements after apneas (with the apneas). The
// EEG-only recording carries no leg EMG, so the pipeline scores these
// events.
func addScoredLegs(n *synth.Night, target int, rng *rand.Rand) {
	var lengths []int
	for left := target; left >= 4; {
		l := min(left, 4+rng.IntN(27))
		if left-l > 0 && left-l < 4 {
			l = left - 4
		}
		lengths = append(lengths, l)
		left -= l
	}
	moves, resp := synth.PLMNight(n.Hypnogram, synth.PLMSpec{SeriesLengths: lengths, Isolated: 10, Respiratory: 2}, rng)
	ev := append(n.Hypnogram.Events, resp...)
	for _, m := range moves {
		if m.Side != "right" {
			ev = append(ev, annot.Event{Onset: m.Onset, Duration: m.Duration, Kind: annot.LegMovement, Label: "Leg movement left"})
		}
		if m.Side != "left" {
			on, d := rightMovement(m)
			ev = append(ev, annot.Event{Onset: on, Duration: d, Kind: annot.LegMovement, Label: "Leg movement right"})
		}
	}
	sortEvents(ev)
	n.Hypnogram.Events = ev
}
