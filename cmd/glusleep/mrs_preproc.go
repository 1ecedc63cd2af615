package main

import (
	"fmt"
	"path/filepath"

	"glusleep/internal/cli"
	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
	"glusleep/mrs/preproc"
)

func init() {
	register(&command{path: "mrs preproc", usage: "mrs preproc IN [--ref WATER] --out DIR [--no-align] [--no-ecc] [--no-water-removal] [--no-reference] [--lb HZ] [--zero-fill N] [--phantom[=TEMP_C]] [--phantom-singlet PPM[:NAME]]... [--keep-phi] [--dwell S --spectrometer-frequency MHZ --te MS]",
		summary: "coil combination, alignment, averaging, eddy-current correction, water removal, referencing; writes NIfTI-MRS, <stem>_preproc_qc.json and <stem>_preproc.svg", run: runMRSPreproc})
}

func runMRSPreproc(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs preproc")
	var acq cli.Acquisition
	acq.AddRead(fs)
	ref := fs.String("ref", "", "water reference file (default: found beside IN or inside it)")
	out := fs.String("out", "", "output directory (required)")
	var opt preproc.Options
	fs.BoolVar(&opt.NoAlign, "no-align", false, "average transients without aligning them")
	fs.BoolVar(&opt.NoECC, "no-ecc", false, "skip eddy-current correction")
	fs.BoolVar(&opt.NoWaterRemoval, "no-water-removal", false, "skip HLSVD water removal (data without water suppression)")
	fs.BoolVar(&opt.NoReference, "no-reference", false, "skip referencing and phasing")
	fs.Float64Var(&opt.LB, "lb", 0, "exponential line broadening in Hz applied last")
	fs.IntVar(&opt.ZeroFill, "zero-fill", 0, "zero-fill to this many points")
	keep := fs.Bool("keep-phi", false, "keep identifying fields in the output NIfTI-MRS")
	ph := cli.AddPhantom(fs)
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return cli.Usagef("need IN and --out DIR")
	}
	if opt.Phantom, err = ph.Phantom(); err != nil {
		return err
	}
	in := pos[0]
	p, err := analysis.Preprocess(in, *out, analysis.PreprocSettings{Read: acq.ReadOptions(), Water: *ref, Options: opt, Provenance: provenance(in, *keep)})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s → %s\n", filepath.Base(in), p.SVS)
	if p.Water != "" {
		fmt.Fprintf(env.stdout, "water reference (%s) → %s\n", p.QC.WaterReference, p.Water)
	}
	printPreprocQC(env, in, p.QC.QC)
	return nil
}

// printPreprocQC prints the preprocessing's referencing, SNR, line widths
// and drift; a referencing warning goes to stderr.
func printPreprocQC(env *cmdEnv, in string, q preproc.QC) {
	if q.Referencing != nil {
		fmt.Fprintf(env.stdout, "%s\n", (&analysis.QC{Referencing: q.Referencing}).ReferencingSummary())
		if q.Referencing.Warning != "" {
			fmt.Fprintf(env.stderr, "glusleep mrs preproc: warning: %s: %s: %s\n", filepath.Base(in), fit.FlagReferencing, q.Referencing.Warning)
		}
	}
	fmt.Fprintf(env.stdout, "SNR %.0f (%s), NAA FWHM %.2f Hz (%.3f ppm), %d transients, %d rejected, drift range %.2f Hz\n",
		q.SNR, q.SNRPeak, q.NAA.FWHMHz, q.NAA.FWHMPPM, q.Transients, len(q.Rejected), q.DriftRangeHz)
	if q.Water != nil && q.WaterSuppressionPercent != nil {
		fmt.Fprintf(env.stdout, "water FWHM %.2f Hz (%.3f ppm), water suppression %.2f%%\n", q.Water.FWHMHz, q.Water.FWHMPPM, *q.WaterSuppressionPercent)
	}
}
