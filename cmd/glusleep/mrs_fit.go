package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"glusleep/internal/atomicfile"
	"glusleep/mrs"
	"glusleep/mrs/basis"
	"glusleep/mrs/fit"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/preproc"
	"glusleep/mrs/sim"
)

func init() {
	register(&command{
		path:    "mrs fit",
		usage:   "mrs fit (--basis FILE.BASIS|FSL_DIR|NIFTI_DIR | --simulate) [--ref WATER] [--preprocess auto|always|never] [--dwell S --spectrometer-frequency MHZ] [--te S] --out DIR INPUT...",
		summary: "fit metabolite amplitudes, Glx/tCr and CRLBs by linear combination of basis spectra",
		run:     runMRSFit,
	})
}

// mrsInput is one spectrum to fit.
type mrsInput struct {
	path string
	data *mrs.Data
	ref  []complex128
}

// readSpectrum reads a spectrum file of any format mrsio reads; LCModel
// .RAW/.H2O may lack the dwell time and frequency, which p supplies.
func readSpectrum(path string, p mrs.Params) (*mrs.Data, error) {
	d, _, err := readSpectrumWater(path, p)
	return d, err
}

// readSpectrumWater also returns the file's water reference (GE water
// frames, a sibling .H2O or *_mrsref), or nil.
func readSpectrumWater(path string, p mrs.Params) (*mrs.Data, *mrs.Data, error) {
	ds, err := mrsio.Read(path, mrsio.Options{SpectrometerFrequency: p.SpectrometerFrequency, Dwell: p.Dwell, EchoTime: p.EchoTime})
	if err != nil {
		return nil, nil, err
	}
	return ds.Data, ds.Water, nil
}

// stem returns a file name without directory and MRS extension (any case;
// ".nii.gz" counts as one).
func stem(path string) string {
	b := filepath.Base(path)
	l := strings.ToLower(b)
	for _, ext := range []string{".nii.gz", ".nii", ".raw", ".h2o", ".rda", ".sdat", ".spar", ".dcm", ".ima", ".txt", ".7"} {
		if strings.HasSuffix(l, ext) {
			return b[:len(b)-len(ext)]
		}
	}
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// fitSettings are the options of one `mrs fit` run.
type fitSettings struct {
	basisNames []string
	basis      [][]complex128
	basisPar   mrs.Params
	opt        fit.Options
	tissue     fit.Tissue
	te, tr     float64
	out        string
	// protonScale is the basis signal per proton, for water scaling.
	protonScale     float64
	protonScaleFrom string
	// simulate makes a basis for each input's header (cached by
	// parameters) instead of using basis.
	simulate bool
	noLipids bool
	// preprocess says which inputs go through mrs/preproc.
	preprocess preproc.Mode
	mu         sync.Mutex
	cache      map[string]*simBasis
}

// simBasis is a basis simulated for one set of acquisition parameters.
type simBasis struct {
	names []string
	fids  [][]complex128
}

// basisFor returns the basis to fit data with parameters p and n points.
func (set *fitSettings) basisFor(p mrs.Params, n int) ([]string, [][]complex128, float64, string, error) {
	if !set.simulate {
		return set.basisNames, set.basis, set.protonScale, set.protonScaleFrom, nil
	}
	if !(p.EchoTime > 0) {
		return nil, nil, 0, "", fmt.Errorf("--simulate needs the echo time: the input has none (give --te)")
	}
	// Scanners set the frequency per scan (a few Hz apart): simulating at
	// the nearest kHz moves a peak 3 ppm from the carrier by 0.003 Hz and
	// lets a batch share one basis.
	mhz := math.Round(p.SpectrometerFrequency*1000) / 1000
	key := fmt.Sprintf("%.3f/%.9g/%d/%.6f", mhz, p.Dwell, n, p.EchoTime)
	set.mu.Lock()
	defer set.mu.Unlock()
	if b, ok := set.cache[key]; ok {
		return b.names, b.fids, 1, "simulated basis (one proton = 1)", nil
	}
	q := sim.Sequence{Kind: "press", TE1: p.EchoTime / 2, TE2: p.EchoTime / 2}
	if strings.EqualFold(p.Sequence, "STEAM") {
		q = sim.Sequence{Kind: "steam", TE: p.EchoTime, TM: p.MixingTime}
	}
	names, fids, err := sim.Basis(q, mhz, p.Dwell, n, nil)
	if err != nil {
		return nil, nil, 0, "", err
	}
	names, fids, err = fit.PrepareBasis(names, fids, mrs.Params{SpectrometerFrequency: mhz, Dwell: p.Dwell}, !set.noLipids)
	if err != nil {
		return nil, nil, 0, "", err
	}
	if set.cache == nil {
		set.cache = map[string]*simBasis{}
	}
	set.cache[key] = &simBasis{names, fids}
	return names, fids, 1, "simulated basis (one proton = 1)", nil
}

func runMRSFit(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs fit")
	basisPath := fs.String("basis", "", "basis set: LCModel .BASIS file, FSL-MRS JSON folder or NIfTI-MRS folder")
	simulate := fs.Bool("simulate", false, "simulate the basis for each input's header (PRESS TE1 = TE2 = TE/2, ideal pulses)")
	refPath := fs.String("ref", "", "water reference for concentrations in mM (one for all inputs)")
	dwell := fs.Float64("dwell", 0, "dwell time in s (for inputs that lack it)")
	mhz := fs.Float64("spectrometer-frequency", 0, "spectrometer frequency in MHz (for inputs that lack it)")
	te := fs.Float64("te", 0, "echo time in s, for relaxation correction (default: from the input)")
	tr := fs.Float64("tr", 0, "repetition time in s, for T1 correction (0: full relaxation)")
	gm := fs.Float64("gm", 0, "grey-matter fraction of the voxel (default 0.6 with --wm 0.4)")
	wm := fs.Float64("wm", 0, "white-matter fraction")
	csf := fs.Float64("csf", 0, "CSF fraction")
	lo := fs.Float64("ppm-low", 0.2, "fit range low end, ppm")
	hi := fs.Float64("ppm-high", 4.0, "fit range high end, ppm")
	maxShift := fs.Float64("max-shift-ppm", 0.1, "largest frequency shift searched, ppm (phantoms at room temperature need about 0.3)")
	noLip := fs.Bool("no-lipids", false, "do not add LCModel's simulated lipid components")
	out := fs.String("out", "", "output folder")
	jobs := fs.Int("jobs", runtime.NumCPU(), "spectra fitted at once")
	pre := fs.String("preprocess", "auto", "auto: inputs with several FIDs (coils, transients) are preprocessed (alignment, ECC, water removal) before the fit; always; never: FIDs averaged as read")
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	mode, err := preproc.ParseMode(*pre)
	if err != nil {
		return fmt.Errorf("%w: --%w", errUsage, err)
	}
	if (*basisPath == "") == !*simulate || *out == "" || len(inputs) == 0 {
		return fmt.Errorf("%w: need --basis or --simulate (one of them), --out and at least one INPUT", errUsage)
	}
	set := &fitSettings{out: *out, tr: *tr, te: *te, simulate: *simulate, noLipids: *noLip, preprocess: mode,
		opt:    fit.Options{PPMLow: *lo, PPMHigh: *hi, MaxShiftPPM: *maxShift},
		tissue: fit.Tissue{GM: *gm, WM: *wm, CSF: *csf}}
	p := mrs.Params{Dwell: *dwell, SpectrometerFrequency: *mhz, Nucleus: "1H"}
	if *simulate {
		return fitAll(env, set, inputs, p, *refPath, *jobs, *out)
	}
	b, err := basis.Read(*basisPath)
	if err != nil {
		return fmt.Errorf("basis: %w", err)
	}
	set.basisPar = b.Params
	set.basisNames, set.basis = b.Names, b.FIDs
	if p.Dwell == 0 {
		p.Dwell = set.basisPar.Dwell
	}
	if p.SpectrometerFrequency == 0 {
		p.SpectrometerFrequency = set.basisPar.SpectrometerFrequency
	}
	set.protonScale, set.protonScaleFrom, _ = fit.ProtonScale(set.basisNames, set.basis, set.basisPar)
	set.basisNames, set.basis, err = fit.PrepareBasis(set.basisNames, set.basis, mrs.Params{Dwell: set.basisPar.Dwell, SpectrometerFrequency: set.basisPar.SpectrometerFrequency}, !*noLip)
	if err != nil {
		return err
	}
	return fitAll(env, set, inputs, p, *refPath, *jobs, *out)
}

// fitAll fits every input in parallel (jobs at once) and writes outputs.
func fitAll(env *cmdEnv, set *fitSettings, inputs []string, p mrs.Params, refPath string, jobs int, out string) error {
	var ref []complex128
	if refPath != "" {
		d, err := readSpectrum(refPath, p)
		if err != nil {
			return fmt.Errorf("water reference: %w", err)
		}
		ref = mrs.Average(d.FIDs)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var mu sync.Mutex
	var failed []string
	sem := make(chan struct{}, max(1, jobs))
	var wg sync.WaitGroup
	for _, in := range inputs {
		wg.Add(1)
		sem <- struct{}{}
		go func(in string) {
			defer wg.Done()
			defer func() { <-sem }()
			err := fitOne(set, in, p, ref)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed = append(failed, err.Error())
				fmt.Fprintf(env.stderr, "glusleep mrs fit: %v\n", err)
				return
			}
			fmt.Fprintf(env.stdout, "%s\n", filepath.Join(out, stem(in)+"_fit.tsv"))
		}(in)
	}
	wg.Wait()
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d inputs failed", len(failed), len(inputs))
	}
	return nil
}

// fitOne fits one input and writes its three outputs.
func fitOne(set *fitSettings, in string, p mrs.Params, ref []complex128) error {
	t0 := time.Now()
	d, waterData, err := readSpectrumWater(in, p)
	if err != nil {
		return err
	}
	var water []complex128
	var pre *preproc.Result
	if set.preprocess.Applies(d) {
		pre, err = preproc.Run(d, waterData, preproc.Options{})
		if err != nil {
			return fmt.Errorf("%s: preprocessing: %w", in, err)
		}
		if pre.Water != nil {
			water = pre.Water.FIDs[0]
		}
	} else if waterData != nil {
		water = mrs.Average(waterData.FIDs)
	}
	autoRef := false
	if ref == nil && water != nil {
		ref, autoRef = water, true
	}
	names, basis, protonScale, protonFrom, err := set.basisFor(d.Params, d.Points())
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if !set.simulate && math.Abs(d.Dwell-set.basisPar.Dwell) > 1e-6*d.Dwell {
		return fmt.Errorf("%s: dwell %g s differs from the basis's %g s: resampling the basis is not supported; simulate or choose a basis for this data", in, d.Dwell, set.basisPar.Dwell)
	}
	fid := d.FIDs[0]
	notes := []string{}
	if pre != nil {
		fid = pre.Data.FIDs[0]
		notes = append(notes, "preprocessed: "+strings.Join(pre.QC.Steps, "; "))
		if len(pre.QC.Rejected) > 0 {
			notes = append(notes, fmt.Sprintf("%d of %d transients rejected as outliers", len(pre.QC.Rejected), pre.QC.Transients))
		}
	} else if len(d.FIDs) > 1 {
		fid = mrs.Average(d.FIDs)
	}
	if autoRef && set.te == 0 && d.EchoTime == 0 {
		notes = append(notes, "a water reference was found beside the data, but without the echo time (--te) concentrations are not water-scaled")
		ref = nil
	}
	if n := len(basis[0]); len(fid) > n {
		notes = append(notes, fmt.Sprintf("data truncated from %d to the basis's %d points", len(fid), n))
		fid = fid[:n]
	}
	res, err := fit.Fit(fid, d.Params, names, basis, set.opt)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	scale := math.NaN()
	var ws *fit.WaterScaling
	if ref != nil {
		te := set.te
		if te == 0 {
			te = d.EchoTime
		}
		if te == 0 {
			return fmt.Errorf("%s: water scaling needs the echo time: give --te S", in)
		}
		area, err := fit.WaterArea(ref, d.Params)
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		if protonScale == 0 {
			return fmt.Errorf("%s: water scaling: the basis has no Cr, PCr or NAA singlet to calibrate its proton scale", in)
		}
		w, err := fit.WaterScale(area, protonScale, te, set.tr, set.tissue)
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		w.ProtonScaleFrom = protonFrom
		ws, scale = &w, w.Scale
	}
	rows := res.Table(scale)
	base := filepath.Join(set.out, stem(in))
	if err := atomicfile.WriteFile(base+"_fit.tsv", fit.TSV(rows, ref != nil), 0o644); err != nil {
		return err
	}
	qc := map[string]any{
		"input":                in,
		"snr":                  finiteOrNil(res.QC.SNR),
		"snr_definition":       "height of the fitted " + res.QC.Reference + " singlet over the SD of the real spectrum's noise in -2.5 to -0.5 ppm",
		"snr_lcmodel":          finiteOrNil(res.QC.SNRLCModel),
		"fwhm_ppm":             finiteOrNil(res.QC.FWHMPPM),
		"fwhm_hz":              finiteOrNil(res.QC.FWHMHz),
		"linewidth_metabolite": res.QC.Reference,
		"phase0_deg":           res.Phase0,
		"phase1_deg_per_ppm":   res.Phase1,
		"shift_hz":             res.ShiftHz[0],
		"gauss_hz":             res.GaussHz,
		"lorentz_hz":           res.LorentzHz,
		"residual_sd":          finiteOrNil(res.QC.Residual),
		"baseline_ed_per_ppm":  res.BaselineEDPerPPM,
		"iterations":           res.Iterations,
		"fit_range_ppm":        []float64{set.opt.PPMLow, set.opt.PPMHigh},
		"seconds":              time.Since(t0).Seconds(),
		"notes":                notes,
	}
	if ws != nil {
		qc["quantification"] = ws
	}
	js, _ := json.MarshalIndent(qc, "", "  ")
	if err := atomicfile.WriteFile(base+"_qc.json", append(js, '\n'), 0o644); err != nil {
		return err
	}
	return atomicfile.WriteFile(base+"_fit.svg", []byte(res.Figure(stem(in)).SVG()), 0o644)
}

func finiteOrNil(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// tsvNum formats a number for a TSV cell, n/a when not finite.
func tsvNum(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.*g", prec, v)
}
