// Package demo synthesizes a study with known truth — a scored PSG night
// with leg movements, the questionnaires of an RLS cohort, one thalamic
// spectrum per participant and a BIDS dataset of spectra and nights — and
// analyses it end to end with glusleep's libraries, checking the results
// against the truth it planted.
//
// Each step is a function with typed inputs and outputs (PSGNight, Legs,
// Clinical, MRSCohort, PaperCheck, Study); Run calls them in order. Every
// output is a pure function of Config.Seed and the cohort size: two runs
// write byte-identical files whatever Config.Workers is, apart from the
// participant level's provenance.json (timings).
package demo

import (
	"fmt"
	"io"
	"os"
	"time"
)

// Config selects what the demo synthesizes and where it writes.
type Config struct {
	// Out is the output folder (created).
	Out string
	// Seed makes every synthetic input reproducible.
	Seed int64
	// RLS and Controls are the cohort's group sizes; both 0 select the
	// paper's 28 and 20. A smaller cohort (at least 2 and 2, for the group
	// comparison) runs every step quickly.
	RLS, Controls int
	// NightHours is the time in bed of the single PSG night (PSGNight,
	// Legs), in hours; 0 selects 7.5. Shorter nights (at least 2 h) run
	// those steps faster.
	NightHours float64
	// Workers is the number of participants simulated, fitted and
	// processed at once; 0 uses every CPU. The outputs do not depend on it.
	Workers int
	// Version is the glusleep version recorded in the outputs' metadata.
	Version string
	// Stdout receives the steps' one-line summaries (nil: discarded).
	Stdout io.Writer
	// Log, when not nil, receives one line per finished step with its
	// duration (progress, not results).
	Log io.Writer
}

func (c *Config) groups() (rls, controls int) {
	rls, controls = c.RLS, c.Controls
	if rls <= 0 && controls <= 0 {
		return 28, 20
	}
	return max(rls, 0), max(controls, 0)
}

func (c *Config) nightHours() float64 {
	if c.NightHours > 0 {
		return c.NightHours
	}
	return 7.5
}

func (c *Config) stdout() io.Writer {
	if c.Stdout == nil {
		return io.Discard
	}
	return c.Stdout
}

// Result holds what every step of Run produced.
type Result struct {
	// PSG and Legs are the single night's steps.
	PSG  *PSGNightResult
	Legs *LegsResult
	// Clinical, MRS and Study are the cohort's steps.
	Clinical *ClinicalResult
	MRS      *MRSCohortResult
	Study    *StudyResult
	// Stats is the check of the paper's published t test.
	Stats *PaperCheckResult
}

// StepNames are the steps of Run, in order, as Config.Log names them.
var StepNames = []string{"PSG night", "leg movements", "clinical", "MRS cohort", "stats", "study (BIDS pipeline)"}

// Run runs every step in order, writing under cfg.Out: psg/ (night, sleep
// statistics, leg movements), bids-clinical/ and clinical/ (questionnaires
// and their scores), mrs/ (spectra, fits, cohort table), stats/ (the
// paper's t test) and bids/ with derivatives/ (the study through the
// BIDS pipeline, participant and group levels).
func Run(cfg Config) (*Result, error) {
	if cfg.Out == "" {
		return nil, fmt.Errorf("demo: no output folder")
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, fmt.Errorf("demo output folder: %w", err)
	}
	res := &Result{}
	steps := []func() error{
		func() (err error) { res.PSG, err = PSGNight(cfg); return },
		func() (err error) { res.Legs, err = Legs(cfg, res.PSG); return },
		func() (err error) { res.Clinical, err = Clinical(cfg); return },
		func() (err error) { res.MRS, err = MRSCohort(cfg, res.Clinical); return },
		func() (err error) { res.Stats, err = PaperCheck(cfg); return },
		func() (err error) { res.Study, err = Study(cfg, res.Clinical, res.MRS); return },
	}
	for i, step := range steps {
		t0 := time.Now()
		if err := step(); err != nil {
			return res, fmt.Errorf("demo step %s: %w", StepNames[i], err)
		}
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "demo: %-24s done in %.2f s\n", StepNames[i], time.Since(t0).Seconds())
		}
	}
	return res, nil
}
