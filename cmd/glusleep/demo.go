package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"glusleep/synth"
)

// demoContext is shared by the demo's steps: the output folder and what
// earlier steps produced (paths keyed by a name the producing step documents).
type demoContext struct {
	env *cmdEnv
	// out is the demo's output folder.
	out string
	// seed makes every synthetic input reproducible.
	seed int64
	// files maps names such as "psg.edf" or "psg.hypnogram" to paths written
	// by earlier steps.
	files map[string]string
	// night is the synthetic PSG night of the PSG step, for later steps
	// (leg movements) that add to it.
	night *synth.Night
	// legTruth are the leg movements the PSG step put into the night's leg
	// EMG.
	legTruth []synth.LegMovement
}

// demoStep is one capability's part of `glusleep demo`. Steps run in order.
type demoStep struct {
	order int
	name  string
	run   func(ctx *demoContext) error
}

var demoSteps []demoStep

// registerDemoStep adds a step to the demo; each capability's command file
// registers its own step from init, so the demo grows without shared edits.
func registerDemoStep(order int, name string, run func(ctx *demoContext) error) {
	demoSteps = append(demoSteps, demoStep{order, name, run})
}

func init() {
	register(&command{
		path:    "demo",
		usage:   "demo [--out DIR] [--seed N]",
		summary: "synthesize a study with known truth and analyse it end to end",
		run:     runDemo,
	})
}

func runDemo(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "demo")
	out := fs.String("out", "glusleep-demo", "output folder")
	seed := fs.Int64("seed", 1, "seed of the synthetic data")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("demo output folder: %w", err)
	}
	ctx := &demoContext{env: env, out: *out, seed: *seed, files: map[string]string{}}
	steps := append([]demoStep(nil), demoSteps...)
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].order < steps[j].order })
	if len(steps) == 0 {
		return fmt.Errorf("no demo steps are built into this binary")
	}
	for _, s := range steps {
		t0 := time.Now()
		if err := s.run(ctx); err != nil {
			return fmt.Errorf("demo step %s: %w", s.name, err)
		}
		fmt.Fprintf(env.stderr, "demo: %-24s done in %.2f s\n", s.name, time.Since(t0).Seconds())
	}
	abs, err := filepath.Abs(*out)
	if err != nil {
		abs = *out
	}
	fmt.Fprintf(env.stdout, "demo outputs in %s\n", abs)
	return nil
}
