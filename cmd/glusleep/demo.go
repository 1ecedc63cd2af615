package main

import (
	"fmt"
	"path/filepath"

	"glusleep/demo"
	"glusleep/internal/cli"
)

func init() {
	register(&command{path: "demo", usage: "demo [--out DIR] [--seed N] [--n-cpus N] [--quiet]",
		summary: "synthesize a study with known truth and analyse it end to end", run: runDemo})
}

func runDemo(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "demo")
	out := fs.String("out", "glusleep-demo", "output folder")
	seed := fs.Int64("seed", 1, "seed of the synthetic data (the outputs are a function of it)")
	ncpu := cli.NCPUs(fs, "participants simulated, fitted and processed at once (the outputs do not depend on it)")
	quiet := cli.Quiet(fs)
	if _, err := cli.Parse(fs, args); err != nil {
		return err
	}
	if _, err := demo.Run(demo.Config{Out: *out, Seed: *seed, Workers: *ncpu, Version: version,
		Stdout: env.stdout, Log: env.progress(*quiet)}); err != nil {
		return err
	}
	abs, err := filepath.Abs(*out)
	if err != nil {
		abs = *out
	}
	fmt.Fprintf(env.stdout, "demo outputs in %s\n", abs)
	return nil
}
