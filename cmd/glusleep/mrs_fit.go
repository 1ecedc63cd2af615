package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"glusleep/internal/cli"
	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
)

func init() {
	register(&command{path: "mrs fit", usage: "mrs fit (--basis FILE.BASIS|FSL_DIR|NIFTI_DIR | --simulate) [--ref WATER] [--preprocess auto|always|never] [--dwell S --spectrometer-frequency MHZ] [--te MS] [--tr MS] [--tm MS] [--segmentation PATH [--segmentation-type fast|spm|probseg|labels] [--segmentation-lookup TSV] | --tissue-fractions GM,WM,CSF] [--no-lipids] [--phantom[=TEMP_C]] [--phantom-singlet PPM[:NAME]]... [--common-lineshape] [--no-phase1] [--ppm-low PPM] [--ppm-high PPM] [--max-shift-ppm PPM] [--n-cpus N] [--quiet] --out DIR INPUT...",
		summary: "fit metabolite amplitudes, Glx/tCr and CRLBs by linear combination of basis spectra (mrs/analysis, as run … participant)", run: runMRSFit})
}

func runMRSFit(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs fit")
	ff := cli.AddFit(fs)
	simulate := fs.Bool("simulate", false, "simulate the basis for each input's header (PRESS TE1 = TE2 = TE/2, STEAM TE/TM, semi-LASER; ideal pulses)")
	refPath := fs.String("ref", "", "water reference for concentrations in mM (one for all inputs; default: each input's own, if found)")
	var acq cli.Acquisition
	acq.AddRead(fs)
	acq.AddTR(fs, "for T1 correction in water scaling; default: the header's, else full relaxation")
	tf := cli.AddTissue(fs, false)
	fr := cli.AddFitRange(fs, 0.2, 4.0)
	noLip := fs.Bool("no-lipids", false, "do not add LCModel's simulated lipid components")
	out := fs.String("out", "", "output folder")
	jobs := cli.NCPUs(fs, "spectra fitted at once")
	quiet := cli.Quiet(fs)
	inputs, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	mode, err := ff.Mode()
	if err != nil {
		return err
	}
	lo, hi, err := fr.Range()
	if err != nil {
		return err
	}
	if (ff.Basis == "") == !*simulate || *out == "" || len(inputs) == 0 {
		return cli.Usagef("need --basis or --simulate (one of them), --out and at least one INPUT")
	}
	if err := analysis.CheckStems(inputs); err != nil {
		return cli.Usage(err)
	}
	ts, err := tf.Source()
	if err != nil {
		return err
	}
	phantom, err := ff.Phantom()
	if err != nil {
		return err
	}
	read := acq.ReadOptions()
	read.MixingTime = ff.MixingTime()
	a, err := analysis.New(analysis.Settings{Basis: ff.Basis, Lipids: !*noLip, Preprocess: mode, Phantom: phantom,
		Fit:       fit.Options{PPMLow: lo, PPMHigh: hi, MaxShiftPPM: ff.MaxShiftPPM(), CommonLineshape: ff.Common, NoPhase1: ff.NoPhase1},
		Fractions: ts, EchoTime: acq.EchoTime(), RepetitionTime: acq.RepetitionTime(), Read: read, Water: *refPath})
	if err != nil {
		return err
	}
	return fitAll(env, a, inputs, *jobs, *out, *quiet, ff.Basis == "")
}

// fitAll analyses every input (jobs at once) and writes its outputs in
// out; with several inputs it counts finished ones on a terminal's stderr.
// Each input's lines are printed in input order, whatever the order the
// fits finish in. With a simulated basis, values the basis followed that
// a header did not state (analysis.AssumedForBasis) are warned of.
func fitAll(env *cmdEnv, a *analysis.Analyzer, inputs []string, jobs int, out string, quiet, simulated bool) error {
	type lines struct{ stdout, stderr strings.Builder }
	ordered := cli.NewInOrder(func(_ int, l *lines) {
		fmt.Fprint(env.stdout, l.stdout.String())
		fmt.Fprint(env.stderr, l.stderr.String())
	})
	n, prog := 0, env.progress(quiet || len(inputs) < 2)
	failed, err := a.RunAll(context.Background(), inputs, out, jobs, func(i int, r *analysis.Result, err error) {
		if n++; prog != nil {
			fmt.Fprintf(prog, "\rmrs fit: %d of %d spectra", n, len(inputs))
			if n == len(inputs) {
				fmt.Fprintln(prog)
			}
		}
		l, in := &lines{}, filepath.Base(inputs[i])
		defer ordered.Put(i, l)
		if err != nil {
			fmt.Fprintf(&l.stderr, "glusleep mrs fit: %v\n", err)
			return
		}
		fmt.Fprintf(&l.stdout, "%s\n", filepath.Join(out, analysis.Stem(in)+"_fit.tsv"))
		if s := r.QC.ReferencingSummary(); s != "" {
			fmt.Fprintf(&l.stdout, "  %s: %s\n", in, s)
		}
		if simulated {
			for _, v := range analysis.AssumedForBasis(r.QC.Acquisition) {
				fmt.Fprintf(&l.stderr, "glusleep mrs fit: warning: %s\n", analysis.AssumedBasisWarning(in, "mrs fit", v))
			}
		}
		for _, f := range r.QC.Flags {
			fmt.Fprintf(&l.stderr, "glusleep mrs fit: warning: %s: %s: %s\n", in, f.Name, f.Message)
		}
	})
	ordered.Flush()
	if err == nil && failed > 0 {
		err = fmt.Errorf("%d of %d inputs failed", failed, len(inputs))
	}
	return err
}
