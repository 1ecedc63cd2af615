package cli

import (
	"errors"
	"flag"
	"fmt"

	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
	"glusleep/mrs/preproc"
	"glusleep/mrs/tissue"
	"glusleep/study"
)

// The MRS flag groups of mrs fit, mrs preproc and run: each Add function
// defines a group's flags, and the group's methods check them and turn
// them into the settings of mrs/analysis or study (errors are ErrUsage
// errors naming the flag).

// PhantomFlags are --phantom[=TEMP_C] (°C) and --phantom-singlet
// PPM[:NAME] (ppm, repeatable).
type PhantomFlags struct {
	temp Optional
	// Singlets are the --phantom-singlet values as given.
	Singlets Strings
}

// AddPhantom defines the phantom flags.
func AddPhantom(fs *flag.FlagSet) *PhantomFlags {
	p := &PhantomFlags{}
	fs.Var(&p.temp, "phantom", fmt.Sprintf("the data are a phantom: --phantom (room temperature, %g °C) or --phantom=TEMP_C (°C); water's shift follows the temperature, referencing uses the peaks present, and the fit leaves out macromolecules and lipids, gives all metabolites one lineshape and fits lactate as the basis's Lac plus an unrotated LacIP, reported summed as Lac (default: detected when NAA is absent and water sits at a room-temperature shift)", preproc.RoomTemperatureC))
	fs.Var(&p.Singlets, "phantom-singlet", "a known singlet of the phantom, PPM[:NAME] in ppm (e.g. 1.904:acetate), tried as a reference peak; repeatable; implies --phantom")
	return p
}

// Phantom returns the declared phantom, nil when neither flag was given.
func (p *PhantomFlags) Phantom() (*preproc.Phantom, error) {
	ph, err := analysis.ParsePhantom(p.temp.On, p.temp.Value, p.Singlets)
	if err != nil {
		return nil, Usagef("--%w", err)
	}
	return ph, nil
}

// FitFlags are the fit flags mrs fit and run share: --basis,
// --preprocess, --max-shift-ppm (ppm), --common-lineshape, --no-phase1,
// --tm (ms) and
// the phantom flags.
type FitFlags struct {
	*PhantomFlags
	fs *flag.FlagSet
	// Basis is --basis (empty: simulated), Preprocess --preprocess as
	// given (checked by Mode).
	Basis, Preprocess string
	maxShift          float64
	// TM is --tm, the STEAM mixing time in ms (0: the header's).
	TM float64
	// Common is --common-lineshape; NoPhase1 is --no-phase1.
	Common, NoPhase1 bool
}

// AddFit defines the fit flags.
func AddFit(fs *flag.FlagSet) *FitFlags {
	f := &FitFlags{PhantomFlags: AddPhantom(fs), fs: fs}
	fs.StringVar(&f.Basis, "basis", "", "basis set: LCModel .BASIS file, FSL-MRS JSON folder or NIfTI-MRS folder, instead of one simulated for each spectrum's header")
	fs.StringVar(&f.Preprocess, "preprocess", "auto", "auto: spectra with several FIDs (coils, transients) are preprocessed (alignment, ECC, water removal) before the fit; always; never: FIDs averaged as read")
	fs.Float64Var(&f.maxShift, "max-shift-ppm", 0.1, fmt.Sprintf("largest frequency shift searched in ppm, above 0 and at most %g (%g for phantoms, whose referencing leaves less)", MaxShiftLimitPPM, fit.PhantomMaxShiftPPM))
	SetRange(fs, "max-shift-ppm", Range{Unit: "ppm", Lo: 0, Hi: MaxShiftLimitPPM, ZeroIsValue: true, LoOpen: true})
	fs.Float64Var(&f.TM, "tm", 0, "STEAM mixing time in ms, in place of the header's, for the simulated basis and _qc.json (when the header does not state it, as in GE PROBE-S P-files, 12 ms is assumed without --tm); spectra of other sequences ignore it")
	SetRange(fs, "tm", AcquisitionRanges["tm"])
	fs.BoolVar(&f.Common, "common-lineshape", false, "give all metabolites one shift and width (the model before singlet families became the default; by default NAA+NAAG, Cr+PCr and GPC+PCho get their own, held to the others' by LCModel's priors: on Osprey's sub-01 GSH/tCr 0.152 with them, 0.243 without, LCModel 0.139)")
	fs.BoolVar(&f.NoPhase1, "no-phase1", false, "hold the first-order phase at 0 deg/ppm (the model before 2026-12; by default it is fitted within ±20 deg/ppm, as LCModel, FSL-MRS and Osprey fit it)")
	return f
}

// MaxShiftLimitPPM is the largest --max-shift-ppm accepted (ppm): a
// shift of 1 ppm moves NAA onto Cr's neighbourhood; anything larger is a
// referencing failure, not a shift to search.
const MaxShiftLimitPPM = 1.0

// Fit range limits of --ppm-low and --ppm-high (ppm): the proton
// spectrum's metabolite region with its margins.
const (
	FitRangeMinPPM = -1
	FitRangeMaxPPM = 10
)

// FitRangeFlags are --ppm-low and --ppm-high, the fit range in ppm.
type FitRangeFlags struct {
	// Low and High are the values as given (ppm).
	Low, High float64
}

// AddFitRange defines --ppm-low and --ppm-high (ppm, each within
// FitRangeMinPPM–FitRangeMaxPPM) with defaults low and high.
func AddFitRange(fs *flag.FlagSet, low, high float64) *FitRangeFlags {
	r := &FitRangeFlags{}
	fs.Float64Var(&r.Low, "ppm-low", low, fmt.Sprintf("fit range low end in ppm (%d to %d ppm, below --ppm-high)", FitRangeMinPPM, FitRangeMaxPPM))
	fs.Float64Var(&r.High, "ppm-high", high, fmt.Sprintf("fit range high end in ppm (%d to %d ppm, above --ppm-low)", FitRangeMinPPM, FitRangeMaxPPM))
	for _, n := range []string{"ppm-low", "ppm-high"} {
		SetRange(fs, n, Range{Unit: "ppm", Lo: FitRangeMinPPM, Hi: FitRangeMaxPPM, ZeroIsValue: true})
	}
	return r
}

// Range returns the fit range in ppm, a usage error unless low < high
// (each is checked against its limits when parsed).
func (r *FitRangeFlags) Range() (low, high float64, err error) {
	if !(r.Low < r.High) {
		return 0, 0, Usagef("--ppm-low %g ppm must be below --ppm-high %g ppm", r.Low, r.High)
	}
	return r.Low, r.High, nil
}

// Mode returns --preprocess.
func (f *FitFlags) Mode() (preproc.Mode, error) {
	m, err := preproc.ParseMode(f.Preprocess)
	if err != nil {
		return m, Usagef("--%w", err)
	}
	return m, nil
}

// MixingTime returns --tm in s (0: not given), as mrsio.Options and
// analysis.Settings.Read take it.
func (f *FitFlags) MixingTime() float64 { return f.TM / 1000 }

// MaxShiftPPM returns --max-shift-ppm in ppm as given, else 0: the
// default for the spectrum (brain or phantom).
func (f *FitFlags) MaxShiftPPM() float64 {
	if !Given(f.fs, "max-shift-ppm") {
		return 0
	}
	return f.maxShift
}

// StudySettings returns the study's default settings (study.DefaultSettings)
// with the fit flags, the tissue flags t and the folder of existing MRS
// fits mrsResults ("": fit; study.Settings.UseMRSResults) applied.
func (f *FitFlags) StudySettings(t *TissueFlags, mrsResults string) (study.Settings, error) {
	set := study.DefaultSettings()
	ph, err := f.Phantom()
	if err != nil {
		return set, err
	}
	if ph != nil {
		set.Phantom = &study.PhantomSettings{TemperatureC: ph.TemperatureC, Singlets: f.Singlets}
	}
	set.Basis, set.CommonLineshape, set.MaxShiftPPM, set.MixingTimeMS = f.Basis, f.Common, f.MaxShiftPPM(), f.TM
	if f.NoPhase1 {
		set.Phase1 = study.Phase1Held
	}
	if err := t.apply(&set); err != nil {
		return set, err
	}
	if _, err := f.Mode(); err != nil {
		return set, err
	}
	if f.Preprocess != string(preproc.ModeAuto) {
		set.Preprocess = f.Preprocess // "auto" stays empty: settings hash unchanged
	}
	if mrsResults == "" {
		return set, nil
	}
	err = set.UseMRSResults(mrsResults)
	if errors.Is(err, study.ErrSettings) {
		return set, Usagef("--mrs-results %w", err)
	}
	return set, err
}

// TissueFlags are the voxel tissue flags of mrs fit and run:
// --segmentation, --segmentation-type, --tissue-fractions (volume
// fractions, 0–1) and (mrs fit) --segmentation-lookup.
type TissueFlags struct{ seg, segType, lookup, fractions string }

// AddTissue defines the tissue flags, for run (a path template per
// participant) when forStudy, else for mrs fit.
func AddTissue(fs *flag.FlagSet, forStudy bool) *TissueFlags {
	t := &TissueFlags{}
	if forStudy {
		fs.StringVar(&t.seg, "segmentation", "", "path template of each participant's T1 tissue segmentation, {subject} and {session} for the labels (default: found under BIDS_DIR/derivatives/*/sub-*/[ses-*/]anat/)")
		fs.StringVar(&t.fractions, "tissue-fractions", "", "fixed GM,WM,CSF volume fractions of every voxel, 0–1 each, summing to 1, instead of segmentations")
	} else {
		fs.StringVar(&t.seg, "segmentation", "", "T1-space tissue segmentation measured in each input's voxel (needs voxel geometry): an FSL FAST _pve_0/1/2 map, SPM c1/c2/c3 map, BIDS _label-GM/WM/CSF_probseg map, labelled volume (aseg, _dseg) or a folder holding one")
		fs.StringVar(&t.lookup, "segmentation-lookup", "", "label table of a labelled --segmentation: TSV with index and tissue|abbreviation|name columns, GM/WM/CSF (default: a _dseg.tsv beside it, else FreeSurfer's aseg labels)")
		fs.StringVar(&t.fractions, "tissue-fractions", "", "fixed GM,WM,CSF volume fractions of the voxel, 0–1 each, summing to 1 (default without --segmentation: 0.6,0.4,0, labelled \"fixed defaults\" in _qc.json)")
	}
	fs.StringVar(&t.segType, "segmentation-type", "", "fast, spm, probseg or labels (default: told by the file names)")
	return t
}

// fixed returns --tissue-fractions (nil when not given), refusing it
// beside --segmentation.
func (t *TissueFlags) fixed() (*[3]float64, error) {
	if t.seg != "" && t.fractions != "" {
		return nil, Usagef("give --segmentation or --tissue-fractions, not both")
	}
	if t.fractions == "" {
		return nil, nil
	}
	f, err := analysis.ParseFractions(t.fractions)
	if err != nil {
		return nil, Usagef("--tissue-fractions %w", err)
	}
	return &f, nil
}

// Source returns mrs fit's tissue source: a segmentation or fixed
// fractions (the zero value: the fixed defaults).
func (t *TissueFlags) Source() (analysis.TissueSource, error) {
	f, err := t.fixed()
	switch {
	case err != nil:
		return analysis.TissueSource{}, err
	case t.seg == "" && (t.segType != "" || t.lookup != ""):
		return analysis.TissueSource{}, Usagef("--segmentation-type and --segmentation-lookup need --segmentation")
	case f != nil:
		return analysis.TissueSource{Fractions: *f, Fixed: true}, nil
	case t.seg == "":
		return analysis.TissueSource{}, nil
	}
	ts, err := analysis.SegmentationSource(t.seg, t.segType, t.lookup)
	return ts, UsageIf(err, analysis.ErrSettings)
}

// apply puts run's tissue flags into the study settings.
func (t *TissueFlags) apply(set *study.Settings) error {
	f, err := t.fixed()
	if err != nil {
		return err
	}
	if _, err := tissue.ParseType(t.segType); err != nil {
		return Usagef("--segmentation-type: %w", err)
	}
	set.Segmentation, set.SegmentationType, set.TissueFractions = t.seg, t.segType, f
	return nil
}
