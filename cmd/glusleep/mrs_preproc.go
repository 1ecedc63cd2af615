package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/preproc"
	"glusleep/plot"
)

func init() {
	register(&command{path: "mrs preproc", usage: "mrs preproc IN [--ref WATER] --out DIR [--no-align] [--no-ecc] [--no-water-removal] [--no-reference] [--lb HZ] [--zero-fill N] [--phantom[=TEMP_C]] [--phantom-singlet PPM[:NAME]]... [--keep-phi] [--dwell S --spectrometer-frequency MHZ --te MS]",
		summary: "coil combination, alignment, averaging, eddy-current correction, water removal, referencing; writes NIfTI-MRS, <stem>_preproc_qc.json and <stem>_preproc.svg", run: runMRSPreproc})
}

func runMRSPreproc(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs preproc")
	rd := addMRSReadFlags(fs)
	ref := fs.String("ref", "", "water reference file (default: found beside IN or inside it)")
	out := fs.String("out", "", "output directory (required)")
	noAlign := fs.Bool("no-align", false, "average transients without aligning them")
	noECC := fs.Bool("no-ecc", false, "skip eddy-current correction")
	noWater := fs.Bool("no-water-removal", false, "skip HLSVD water removal (data without water suppression)")
	noRef := fs.Bool("no-reference", false, "skip referencing and phasing")
	lb := fs.Float64("lb", 0, "exponential line broadening in Hz applied last")
	zf := fs.Int("zero-fill", 0, "zero-fill to this many points")
	keep := fs.Bool("keep-phi", false, "keep identifying fields in the output NIfTI-MRS")
	ph := addPhantomFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if err := checkMRSRanges(fs); err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return fmt.Errorf("%w: need IN and --out DIR", errUsage)
	}
	phantom, err := ph.phantom()
	if err != nil {
		return err
	}
	in := pos[0]
	opt := rd.options()
	ds, err := mrsio.Read(in, opt)
	if err != nil {
		return err
	}
	water, waterFrom := ds.Water, ds.WaterFrom
	if *ref != "" {
		w, err := mrsio.Read(*ref, opt)
		if err != nil {
			return fmt.Errorf("water reference: %w", err)
		}
		water, waterFrom = w.Data, filepath.Base(*ref)
	}
	res, err := preproc.Run(ds.Data, water, preproc.Options{NoAlign: *noAlign, NoECC: *noECC,
		NoWaterRemoval: *noWater, NoReference: *noRef, LB: *lb, ZeroFill: *zf, Phantom: phantom})
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	name := analysis.Stem(in)
	prep := func(d *mrs.Data) *mrs.Data {
		c := forOutput(d, in, *keep, true)
		c.Meta["ProcessingApplied"] = strings.Join(res.QC.Steps, "; ")
		return c
	}
	svs := filepath.Join(*out, name+"_svs.nii.gz")
	if err := nifti.WriteData(svs, prep(res.Data)); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s → %s\n", filepath.Base(in), svs)
	if res.Water != nil {
		w := filepath.Join(*out, name+"_mrsref.nii.gz")
		if err := nifti.WriteData(w, prep(res.Water)); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "water reference (%s) → %s\n", waterFrom, w)
	}
	qc := analysis.PreprocQC{Input: filepath.Base(in), Format: ds.Format, WaterReference: waterFrom, QC: res.QC}
	b, err := qc.JSON()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(*out, name+"_preproc_qc.json"), b, 0o644); err != nil {
		return err
	}
	svg := plot.Stack(res.Figures(name)...)
	if err := atomicfile.WriteFile(filepath.Join(*out, name+"_preproc.svg"), []byte(svg), 0o644); err != nil {
		return err
	}
	q := res.QC
	if q.Referencing != nil {
		s := (&analysis.QC{Referencing: q.Referencing}).ReferencingSummary()
		fmt.Fprintf(env.stdout, "%s\n", s)
		if q.Referencing.Warning != "" {
			fmt.Fprintf(env.stderr, "glusleep mrs preproc: warning: %s: %s: %s\n", filepath.Base(in), fit.FlagReferencing, q.Referencing.Warning)
		}
	}
	fmt.Fprintf(env.stdout, "SNR %.0f (%s), NAA FWHM %.2f Hz (%.3f ppm), %d transients, %d rejected, drift range %.2f Hz\n",
		q.SNR, q.SNRPeak, q.NAA.FWHMHz, q.NAA.FWHMPPM, q.Transients, len(q.Rejected), q.DriftRangeHz)
	if q.Water != nil && q.WaterSuppressionPercent != nil {
		fmt.Fprintf(env.stdout, "water FWHM %.2f Hz (%.3f ppm), water suppression %.2f%%\n", q.Water.FWHMHz, q.Water.FWHMPPM, *q.WaterSuppressionPercent)
	}
	return nil
}
