package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"

	"glusleep/internal/atomicfile"
	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/study"
	"glusleep/synth"
)

func init() {
	registerDemoStep(70, "study (BIDS pipeline)", demoStudy)
}

// demoStudy builds a BIDS dataset in the shape of the study from the
// earlier steps' participants and spectra — participants.tsv, per
// participant the thalamic spectrum (sourcedata, LCModel .RAW with a JSON
// sidecar) and two scored nights (eeg/, a low-rate EEG EDF+ and its
// _events.tsv hypnogram) in which RLS patients' wake after sleep onset
// rises with their true Glx/tCr — then runs the participant level and the
// group level and prints the report's path. The truth is in
// bids/truth.tsv.
func demoStudy(ctx *demoContext) error {
	cohort := ctx.files["mrs.cohort"]
	parts := ctx.files["clinical.participants"]
	if cohort == "" || parts == "" {
		return fmt.Errorf("the study step needs the clinical and MRS steps' outputs")
	}
	root := filepath.Join(ctx.out, "bids")
	njobs, err := demoBIDS(ctx, root, 0)
	if err != nil {
		return err
	}
	// Participant and group levels, as `glusleep run` does them.
	out := filepath.Join(ctx.out, "derivatives")
	var so, se = ctx.env.stdout, ctx.env.stderr
	_ = se
	if code := runMain(&cmdEnv{stdout: io.Discard, stderr: io.Discard}, []string{"run", root, out, "participant", "--n-cpus", strconv.Itoa(runtime.NumCPU())}); code != 0 {
		return fmt.Errorf("participant level failed (exit %d); rerun `glusleep run %s %s participant` to see why", code, root, out)
	}
	d, err := study.Open(root)
	if err != nil {
		return err
	}
	res, err := study.Group(d, out, study.DefaultPlan(), version)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(so)
	fmt.Fprintf(w, "study: %d participants through the BIDS pipeline → %s\n", njobs, out)
	for _, l := range res.Lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
	fmt.Fprintf(w, "report: %s\n", res.Report)
	ctx.files["study.report"] = res.Report
	_ = context.Background
	return w.Flush()
}

// demoPLMTarget returns the PLM count the clinical step's cohort gave
// participant id for night (its synthetic legs derivative), 0 if absent.
func demoPLMTarget(ctx *demoContext, id string, night int) int {
	b, err := os.ReadFile(filepath.Join(ctx.files["clinical.bids"], "derivatives", "glusleep-legs", id, fmt.Sprintf("%s_night-%d_legs.json", id, night)))
	if err != nil {
		return 0
	}
	var v struct {
		PLM float64 `json:"plm_count"`
	}
	if json.Unmarshal(b, &v) != nil {
		return 0
	}
	return int(math.Round(v.PLM))
}

// demoParticipant writes one participant's sourcedata spectrum and two
// nights; it returns the participant's truth row.
func demoParticipant(ctx *demoContext, root, id, group string, glx float64, k uint64) (string, error) {
	// Spectrum: the MRS step's raw acquisition (transients and water
	// reference, NIfTI-MRS), preprocessed by the participant level.
	mdir := filepath.Join(root, id, "mrs")
	if err := os.MkdirAll(mdir, 0o755); err != nil {
		return "", err
	}
	for _, suffix := range []string{"_svs.nii.gz", "_mrsref.nii.gz"} {
		b, err := os.ReadFile(filepath.Join(ctx.out, "mrs", "raw", id+suffix))
		if err != nil {
			return "", err
		}
		if err := atomicfile.WriteFile(filepath.Join(mdir, id+suffix), b, 0o644); err != nil {
			return "", err
		}
	}
	rng := rand.New(rand.NewPCG(uint64(ctx.seed), 1000+k))
	row := fmt.Sprintf("%s\t%s\t%.4f", id, group, glx)
	for night := 1; night <= 2; night++ {
		// RLS: short nights whose WASO rises with glutamate; controls:
		// WASO unrelated to it.
		waso := 25 + 10*rng.NormFloat64()
		sol, inBed := 15.0, 8.0
		if group == "rls" {
			waso = 70 + 110*(glx-1.2) + 15*rng.NormFloat64()
			sol, inBed = 35, 7.5
		}
		waso = math.Max(5, math.Round(waso*2)/2)
		n, err := synth.NewNight(synth.NightSpec{Seed: uint64(ctx.seed)*1000 + k*10 + uint64(night), InBedHours: inBed,
			SleepOnsetMinutes: sol, WASOMinutes: waso, EEGRate: 16})
		if err != nil {
			return "", err
		}
		// Leg movements as a sleep lab exports them (scored events, one
		// per leg): PLM series totalling the clinical cohort's PLM count
		// for this night, plus isolated movements and movements after
		// apneas. The EEG-only EDF carries no leg EMG (the PSG step shows
		// scoring from EMG), so the pipeline scores these events.
		target := demoPLMTarget(ctx, id, night)
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
		n.Hypnogram.Events = append(n.Hypnogram.Events, resp...)
		for _, m := range moves {
			if m.Side != "right" {
				n.Hypnogram.Events = append(n.Hypnogram.Events, annot.Event{Onset: m.Onset, Duration: m.Duration, Kind: annot.LegMovement, Label: "Leg movement left"})
			}
			if m.Side != "left" {
				on, d := m.Onset, m.Duration
				if m.Side == "bilateral" {
					on += m.RightLag
					if m.RightDuration > 0 {
						d = m.RightDuration
					}
				}
				n.Hypnogram.Events = append(n.Hypnogram.Events, annot.Event{Onset: on, Duration: d, Kind: annot.LegMovement, Label: "Leg movement right"})
			}
		}
		sort.SliceStable(n.Hypnogram.Events, func(i, j int) bool { return n.Hypnogram.Events[i].Onset < n.Hypnogram.Events[j].Onset })
		row += fmt.Sprintf("\t%.1f\t%d", waso, target)
		edir := filepath.Join(root, id, "eeg")
		if err := os.MkdirAll(edir, 0o755); err != nil {
			return "", err
		}
		stem := filepath.Join(edir, fmt.Sprintf("%s_task-sleep_run-%d", id, night))
		eeg := []edf.SignalData{*n.Channel("EEG C3-M2")}
		err = atomicfile.Write(stem+"_eeg.edf", 0o644, func(w io.Writer) error {
			bw := bufio.NewWriterSize(w, 1<<20)
			if err := edf.Write(bw, eeg, edf.WriteOptions{RecordDuration: 1, Annotations: n.Annotations()}); err != nil {
				return err
			}
			return bw.Flush()
		})
		if err != nil {
			return "", err
		}
		if err := atomicfile.Write(stem+"_events.tsv", 0o644, func(w io.Writer) error { return annot.WriteEventsTSV(w, n.Hypnogram) }); err != nil {
			return "", err
		}
	}
	return row + "\n", nil
}
