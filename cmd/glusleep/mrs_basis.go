package main

import (
	"fmt"
	"math"
	"strconv"

	"glusleep/internal/cli"
	"glusleep/mrs/analysis"
	"glusleep/mrs/basis"
	"glusleep/mrs/format/mrsio"
)

func init() {
	register(&command{path: "mrs basis", usage: "mrs basis --sequence press|steam|slaser [--te1 MS --te2 MS | --te MS [--tm MS]] (--field T | --spectrometer-frequency MHZ) --dwell S --points N [--metabolites LIST] [--macromolecules] [--lipids] [--reference-singlet PPM] [--like DATAFILE] [--format lcmodel|fsl|nifti] [--names lcmodel|fsl|glusleep] --out FILE.BASIS|DIR",
		summary: "simulate a basis set (density matrix, ideal pulses) as an LCModel .BASIS file, an FSL-MRS JSON folder or a NIfTI-MRS folder", run: runMRSBasis})
}

func runMRSBasis(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs basis")
	var r basis.Request
	var acq cli.Acquisition
	fs.StringVar(&r.Sequence.Kind, "sequence", "press", "press, steam or slaser")
	acq.AddPRESS(fs)
	acq.AddTE(fs, "STEAM, sLASER; PRESS with TE1 = TE2 = TE/2 when --te1/--te2 are not given")
	acq.AddTM(fs)
	acq.AddField(fs)
	acq.AddMHz(fs, "spectrometer frequency in MHz")
	acq.AddDwell(fs, "dwell time in s")
	acq.AddPoints(fs)
	fs.Var((*cli.List)(&r.Names), "metabolites", "comma-separated metabolites (default all)")
	like := fs.String("like", "", "take the sequence (PRESS TE1 = TE2 = TE/2, STEAM TE/TM, semi-LASER), frequency, dwell and points from this data file")
	fs.BoolVar(&r.Macromolecules, "macromolecules", false, "add LCModel's macromolecule components (MM09 MM12 MM14 MM17 MM20, Gaussian lines)")
	fs.BoolVar(&r.Lipids, "lipids", false, "add LCModel's lipid components (Lip09 Lip13a Lip13b Lip20, Gaussian lines)")
	ref := fs.String("reference-singlet", "", "add a one-proton singlet at this shift in ppm (e.g. 0 for DSS) to every entry, as a scaling reference")
	format := fs.String("format", "", "lcmodel, fsl or nifti (default: lcmodel for a .BASIS file, fsl for a folder)")
	out := fs.String("out", "", "output: FILE.BASIS (LCModel) or a folder (FSL-MRS JSON or NIfTI-MRS)")
	names := fs.String("names", "", "metabolite names: lcmodel or fsl (PCh, Scyllo: LCModel's default sums GPC+PCh and its Scyllo prior, and FSL-MRS's groups, find them) or glusleep (PCho, sIns; folders only); default: lcmodel for a .BASIS file, fsl for an FSL-MRS folder, glusleep for NIfTI-MRS")
	if _, err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := acq.CheckPRESS(); err != nil {
		return err
	}
	if *out == "" {
		return cli.Usagef("need --out FILE.BASIS|DIR")
	}
	if *like != "" {
		if err := r.Like(*like, mrsio.Options{MixingTime: acq.MixingTime()}); err != nil {
			return err
		}
		warnAssumed(env, *like, *r.LikeAcquisition)
	}
	r.Set(acq.BasisGiven())
	if r.MHz == 0 || r.Dwell == 0 || r.Points == 0 {
		return cli.Usagef("need the frequency (--field or --spectrometer-frequency), --dwell and --points (or --like DATAFILE)")
	}
	o, err := basis.NewOutput(*out, *format, *names)
	if err != nil {
		return cli.Usagef("--%w", err)
	}
	if *ref != "" {
		v, err := strconv.ParseFloat(*ref, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return cli.Usagef("--reference-singlet %q: want a chemical shift in ppm", *ref)
		}
		r.ReferencePPM = &v
	}
	set, err := basis.Build(r)
	if err != nil {
		return err
	}
	line, err := set.Write(o)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, line)
	return nil
}

// warnAssumed prints a warning for each value of the data file like's
// header that its reader assumed, or that --tm replaced (acquisition's
// Sources and Replaced, as basis.Request.Like read it), and that the
// basis follows (--like), saying how to set it: --tm (ms) for a STEAM
// mixing time, the acquisition without --like for the sequence.
func warnAssumed(env *cmdEnv, like string, acquisition analysis.Acquisition) {
	for _, v := range analysis.AssumedForBasis(acquisition) {
		switch {
		case v.Key == "tm_ms" && v.Given:
			fmt.Fprintf(env.stderr, "glusleep mrs basis: warning: %s\n", analysis.AssumedBasisWarning(like, "mrs basis", v))
		case v.Key == "tm_ms":
			fmt.Fprintf(env.stderr, "glusleep mrs basis: warning: %s: %s assumed (the header does not state it): give the mixing time with --tm MS (ms)\n", like, v.Text)
		default:
			fmt.Fprintf(env.stderr, "glusleep mrs basis: warning: %s: %s assumed (the header names no sequence glusleep knows): give the acquisition without --like (--sequence, --te or --te1/--te2, --tm, in ms)\n", like, v.Text)
		}
	}
}
