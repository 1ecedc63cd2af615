package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"glusleep/internal/pool"
	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
	"glusleep/mrs/preproc"
	"glusleep/mrs/tissue"
	"glusleep/study"
)

func init() {
	register(&command{
		path:    "mrs fit",
		usage:   "mrs fit (--basis FILE.BASIS|FSL_DIR|NIFTI_DIR | --simulate) [--ref WATER] [--preprocess auto|always|never] [--dwell S --spectrometer-frequency MHZ] [--te MS] [--tr MS] [--segmentation PATH [--segmentation-type fast|spm|probseg|labels] [--segmentation-lookup TSV] | --tissue-fractions GM,WM,CSF] [--no-lipids] [--phantom[=TEMP_C]] [--phantom-singlet PPM[:NAME]]... [--common-lineshape] [--ppm-low PPM] [--ppm-high PPM] [--max-shift-ppm PPM] [--n-cpus N] [--quiet] --out DIR INPUT...",
		summary: "fit metabolite amplitudes, Glx/tCr and CRLBs by linear combination of basis spectra (mrs/analysis, as run … participant)",
		run:     runMRSFit,
	})
}

func runMRSFit(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs fit")
	basisPath := fs.String("basis", "", "basis set: LCModel .BASIS file, FSL-MRS JSON folder or NIfTI-MRS folder")
	simulate := fs.Bool("simulate", false, "simulate the basis for each input's header (PRESS TE1 = TE2 = TE/2, STEAM TE/TM, semi-LASER; ideal pulses)")
	refPath := fs.String("ref", "", "water reference for concentrations in mM (one for all inputs; default: each input's own, if found)")
	rd := addMRSReadFlags(fs)
	tr := fs.Float64("tr", 0, "repetition time in ms, for T1 correction (0: full relaxation)")
	seg := fs.String("segmentation", "", "T1-space tissue segmentation measured in each input's voxel (needs voxel geometry): an FSL FAST _pve_0/1/2 map, SPM c1/c2/c3 map, BIDS _label-GM/WM/CSF_probseg map, labelled volume (aseg, _dseg) or a folder holding one")
	segType := fs.String("segmentation-type", "", "fast, spm, probseg or labels (default: told by the file names)")
	segLookup := fs.String("segmentation-lookup", "", "label table of a labelled --segmentation: TSV with index and tissue|abbreviation|name columns, GM/WM/CSF (default: a _dseg.tsv beside it, else FreeSurfer's aseg labels)")
	fractions := fs.String("tissue-fractions", "", "fixed GM,WM,CSF volume fractions of the voxel, 0–1 each, summing to 1 (default without --segmentation: 0.6,0.4,0, labelled \"fixed defaults\" in _qc.json)")
	lo := fs.Float64("ppm-low", 0.2, "fit range low end in ppm")
	hi := fs.Float64("ppm-high", 4.0, "fit range high end in ppm")
	maxShift := fs.Float64("max-shift-ppm", 0.1, fmt.Sprintf("largest frequency shift searched in ppm (default 0.1; %g for phantoms, whose referencing leaves less)", fit.PhantomMaxShiftPPM))
	ph := addPhantomFlags(fs)
	common := fs.Bool("common-lineshape", false, "give all metabolites one shift and width (the model before singlet families became the default; by default NAA+NAAG, Cr+PCr and GPC+PCho get their own, held to the others' by LCModel's priors: on Osprey's sub-01 GSH/tCr 0.149 with them, 0.235 without, LCModel 0.139)")
	noLip := fs.Bool("no-lipids", false, "do not add LCModel's simulated lipid components")
	out := fs.String("out", "", "output folder")
	jobs := addNCPUs(fs, "spectra fitted at once")
	quiet := addQuiet(fs)
	pre := fs.String("preprocess", "auto", "auto: inputs with several FIDs (coils, transients) are preprocessed (alignment, ECC, water removal) before the fit; always; never: FIDs averaged as read")
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if err := checkMRSRanges(fs); err != nil {
		return err
	}
	mode, err := preproc.ParseMode(*pre)
	if err != nil {
		return fmt.Errorf("%w: --%w", errUsage, err)
	}
	if (*basisPath == "") == !*simulate || *out == "" || len(inputs) == 0 {
		return fmt.Errorf("%w: need --basis or --simulate (one of them), --out and at least one INPUT", errUsage)
	}
	ts, err := tissueFlags(*seg, *segType, *segLookup, *fractions)
	if err != nil {
		return err
	}
	phantom, err := ph.phantom()
	if err != nil {
		return err
	}
	if !flagGiven(fs, "max-shift-ppm") {
		*maxShift = 0 // the default for the spectrum: brain or phantom
	}
	a, err := analysis.New(analysis.Settings{Basis: *basisPath, Lipids: !*noLip, Preprocess: mode, Phantom: phantom,
		Fit:       fit.Options{PPMLow: *lo, PPMHigh: *hi, MaxShiftPPM: *maxShift, CommonLineshape: *common},
		Fractions: ts,
		EchoTime:  *rd.te / 1000, RepetitionTime: *tr / 1000, Read: rd.options(), Water: *refPath})
	if err != nil {
		return err
	}
	return fitAll(env, a, inputs, *jobs, *out, *quiet)
}

// flagGiven says whether the flag name was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// fitAll analyses every input (jobs at once) and writes its outputs in
// out; with several inputs it counts finished ones on a terminal's stderr.
func fitAll(env *cmdEnv, a *analysis.Analyzer, inputs []string, jobs int, out string, quiet bool) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var mu sync.Mutex
	done := 0
	prog := env.progress(quiet || len(inputs) < 2)
	errs := pool.Run(context.Background(), len(inputs), jobs, func(_ context.Context, i int) error {
		in := inputs[i]
		r, err := a.Run(in, out, analysis.Stem(in))
		mu.Lock()
		defer mu.Unlock()
		if done++; prog != nil {
			fmt.Fprintf(prog, "\rmrs fit: %d of %d spectra", done, len(inputs))
			if done == len(inputs) {
				fmt.Fprintln(prog)
			}
		}
		if err != nil {
			fmt.Fprintf(env.stderr, "glusleep mrs fit: %v\n", err)
			return err
		}
		fmt.Fprintf(env.stdout, "%s\n", filepath.Join(out, analysis.Stem(in)+"_fit.tsv"))
		if s := r.QC.ReferencingSummary(); s != "" {
			fmt.Fprintf(env.stdout, "  %s: %s\n", filepath.Base(in), s)
		}
		for _, f := range r.QC.Flags {
			fmt.Fprintf(env.stderr, "glusleep mrs fit: warning: %s: %s: %s\n", filepath.Base(in), f.Name, f.Message)
		}
		return nil
	})
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d inputs failed", failed, len(inputs))
	}
	return nil
}

// tissueFlags turns mrs fit's tissue flags into the pipeline's tissue
// source: a segmentation (found by tissue.Detect) or fixed fractions.
func tissueFlags(seg, segType, lookup, fractions string) (analysis.TissueSource, error) {
	var ts analysis.TissueSource
	if seg != "" && fractions != "" {
		return ts, fmt.Errorf("%w: give --segmentation or --tissue-fractions, not both", errUsage)
	}
	if seg == "" && (segType != "" || lookup != "") {
		return ts, fmt.Errorf("%w: --segmentation-type and --segmentation-lookup need --segmentation", errUsage)
	}
	if fractions != "" {
		f, err := parseFractions(fractions)
		if err != nil {
			return ts, err
		}
		ts.Fractions, ts.Fixed = f, true
		return ts, nil
	}
	if seg == "" {
		return ts, nil
	}
	typ, err := tissue.ParseType(segType)
	if err != nil {
		return ts, fmt.Errorf("%w: --segmentation-type: %w", errUsage, err)
	}
	if typ != "" && typ != tissue.TypeLabels && lookup != "" {
		return ts, fmt.Errorf("%w: --segmentation-lookup applies to a labelled volume, not --segmentation-type %s", errUsage, typ)
	}
	files, err := tissue.Detect(seg, typ)
	if err != nil {
		return ts, err
	}
	if lookup != "" {
		if files.Type != tissue.TypeLabels {
			return ts, fmt.Errorf("%w: --segmentation-lookup applies to a labelled volume; %s is %s maps", errUsage, seg, files.Source())
		}
		files.Lookup = lookup
	}
	ts.Segmentation, ts.Name = files, displayPath(seg)
	return ts, nil
}

// displayPath returns p as outputs name it: relative paths as given,
// absolute ones relative to the working folder when below it (never an
// absolute path that would differ between runs, where avoidable).
func displayPath(p string) string {
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(filepath.Clean(p))
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(p)
}

// parseFractions parses --tissue-fractions GM,WM,CSF and checks them
// (analysis.CheckFractions).
func parseFractions(s string) ([3]float64, error) {
	var f [3]float64
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return f, fmt.Errorf("%w: --tissue-fractions %q: want three numbers GM,WM,CSF (e.g. 0.6,0.4,0)", errUsage, s)
	}
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return f, fmt.Errorf("%w: --tissue-fractions %q: %q is not a number", errUsage, s, p)
		}
		f[i] = v
	}
	if err := analysis.CheckFractions(f); err != nil {
		return f, fmt.Errorf("%w: --tissue-fractions: %w", errUsage, err)
	}
	return f, nil
}

// studyTissueFlags puts run's tissue flags into the study settings.
func studyTissueFlags(set *study.Settings, seg, segType, fractions string) error {
	if seg != "" && fractions != "" {
		return fmt.Errorf("%w: give --segmentation or --tissue-fractions, not both", errUsage)
	}
	if _, err := tissue.ParseType(segType); err != nil {
		return fmt.Errorf("%w: --segmentation-type: %w", errUsage, err)
	}
	set.Segmentation, set.SegmentationType = seg, segType
	if fractions != "" {
		f, err := parseFractions(fractions)
		if err != nil {
			return err
		}
		set.TissueFractions = &f
	}
	return nil
}
