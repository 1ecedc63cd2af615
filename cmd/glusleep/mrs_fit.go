package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
	"glusleep/mrs/preproc"
)

func init() {
	register(&command{
		path:    "mrs fit",
		usage:   "mrs fit (--basis FILE.BASIS|FSL_DIR|NIFTI_DIR | --simulate) [--ref WATER] [--preprocess auto|always|never] [--dwell S --spectrometer-frequency MHZ] [--te MS] [--tr MS] [--gm F --wm F --csf F] [--no-lipids] [--n-cpus N] --out DIR INPUT...",
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
	gm := fs.Float64("gm", 0, "grey-matter fraction of the voxel (default 0.6 with --wm 0.4)")
	wm := fs.Float64("wm", 0, "white-matter fraction")
	csf := fs.Float64("csf", 0, "CSF fraction")
	lo := fs.Float64("ppm-low", 0.2, "fit range low end, ppm")
	hi := fs.Float64("ppm-high", 4.0, "fit range high end, ppm")
	maxShift := fs.Float64("max-shift-ppm", 0.1, "largest frequency shift searched, ppm (phantoms at room temperature need about 0.3)")
	noLip := fs.Bool("no-lipids", false, "do not add LCModel's simulated lipid components")
	out := fs.String("out", "", "output folder")
	jobs := fs.Int("n-cpus", runtime.NumCPU(), "spectra fitted at once")
	fs.IntVar(jobs, "jobs", runtime.NumCPU(), "alias of --n-cpus")
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
	a, err := analysis.New(analysis.Settings{Basis: *basisPath, Lipids: !*noLip, Preprocess: mode,
		Fit:      fit.Options{PPMLow: *lo, PPMHigh: *hi, MaxShiftPPM: *maxShift},
		Tissue:   fit.Tissue{GM: *gm, WM: *wm, CSF: *csf},
		EchoTime: *rd.te / 1000, RepetitionTime: *tr / 1000, Read: rd.options(), Water: *refPath})
	if err != nil {
		return err
	}
	return fitAll(env, a, inputs, *jobs, *out)
}

// fitAll analyses every input (jobs at once) and writes its outputs in out.
func fitAll(env *cmdEnv, a *analysis.Analyzer, inputs []string, jobs int, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var mu sync.Mutex
	failed := 0
	sem := make(chan struct{}, max(1, jobs))
	var wg sync.WaitGroup
	for _, in := range inputs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			_, err := a.Run(in, out, analysis.Stem(in))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
				fmt.Fprintf(env.stderr, "glusleep mrs fit: %v\n", err)
				return
			}
			fmt.Fprintf(env.stdout, "%s\n", filepath.Join(out, analysis.Stem(in)+"_fit.tsv"))
		}()
	}
	wg.Wait()
	if failed > 0 {
		return fmt.Errorf("%d of %d inputs failed", failed, len(inputs))
	}
	return nil
}
