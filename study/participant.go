package study

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"glusleep/internal/tsv"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"glusleep/internal/atomicfile"
	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/preproc"
	"glusleep/mrs/results"
	"glusleep/psg/legs"
	"glusleep/psg/night"
)

// Settings are the participant level's options; they are hashed into each
// participant's key, so changing them re-runs participants.
type Settings struct {
	// FitRangePPM is the MRS fit range (default 0.2–4.0).
	FitRangePPM [2]float64 `json:"fit_range_ppm"`
	// MaxShiftPPM bounds the MRS frequency search in ppm; 0 (the default)
	// leaves it to the spectrum: 0.1 ppm, or fit.PhantomMaxShiftPPM for a
	// phantom, as `mrs fit` does without --max-shift-ppm.
	MaxShiftPPM float64 `json:"max_shift_ppm,omitempty"`
	// Basis is an LCModel .BASIS file to use instead of simulating one.
	Basis string `json:"basis,omitempty"`
	// Lipids adds LCModel's simulated lipid components.
	Lipids bool `json:"lipids"`
	// LegStandard selects the leg-movement rules ("wasm2016" or "aasm";
	// empty: wasm2016).
	LegStandard string `json:"leg_standard"`
	// Preprocess selects MRS preprocessing (mrs/preproc: coil combination,
	// alignment, averaging, eddy-current correction, water removal,
	// referencing) before the fit: "auto" (or empty) when a spectrum has
	// more than one FID (coils or transients), "always", or "never" (FIDs
	// are averaged as they are).
	Preprocess string `json:"preprocess,omitempty"`
	// Segmentation is a path template of each participant's T1-space
	// tissue segmentation (a map, labelled volume or folder that
	// tissue.Detect accepts; relative to the working folder), {subject}
	// and {session} standing for the labels without sub-/ses-. Empty:
	// segmentations are found under the dataset's derivatives
	// (FindSegmentations); without one, the fixed default fractions.
	Segmentation string `json:"segmentation,omitempty"`
	// SegmentationType is fast, spm, probseg or labels (empty: told by the
	// file names).
	SegmentationType string `json:"segmentation_type,omitempty"`
	// TissueFractions, when set, are fixed GM, WM, CSF volume fractions
	// for every voxel (0–1 each, summing to 1); no segmentation is used.
	TissueFractions *[3]float64 `json:"tissue_fractions,omitempty"`
	// MixingTimeMS is a STEAM mixing time in ms that replaces the
	// header's (or mrsio.AssumedMixingTime, 12 ms, when the header states
	// none, as in a GE PROBE-S P-file) for
	// the simulated basis and the QC (mrsio.Options.MixingTime); 0 keeps
	// the header's.
	MixingTimeMS float64 `json:"tm_ms,omitempty"`
	// Phantom declares every spectrum a phantom (nil: detected per
	// spectrum); CommonLineshape sets fit.Options.CommonLineshape.
	Phantom         *PhantomSettings `json:"phantom,omitempty"`
	CommonLineshape bool             `json:"common_lineshape,omitempty"`
	// Phase1 is the first-order phase model: Phase1Fitted (DefaultSettings)
	// or Phase1Held (fit.Options.NoPhase1, --no-phase1). It is always
	// written, so that provenance says which model made a fit; "" is what
	// the provenance of versions before 2026-12 (which held it at 0 and
	// did not record it) reads as, and fits as Phase1Fitted.
	Phase1 string `json:"phase1"`
	// MRSResults is a folder of existing fits (LCModel .table, FSL-MRS
	// summary.csv, Osprey QuantifyResults tables; mrs/results.ReadDir)
	// taken instead of fitting, matched to participants by
	// MatchesParticipant; MRSResultsSHA256 is MRSResultsDigest of it.
	MRSResults       string `json:"mrs_results,omitempty"`
	MRSResultsSHA256 string `json:"mrs_results_sha256,omitempty"`
}

// DefaultSettings are the paper-like defaults.
func DefaultSettings() Settings {
	return Settings{FitRangePPM: [2]float64{0.2, 4.0}, Lipids: true, LegStandard: string(legs.WASM2016), Phase1: Phase1Fitted}
}

// The first-order phase models of Settings.Phase1.
const (
	// Phase1Fitted fits the first-order phase (within ±20°/ppm).
	Phase1Fitted = "fitted"
	// Phase1Held holds it at 0°/ppm (fit.Options.NoPhase1).
	Phase1Held = "held"
)

// Summary is one participant's derived measures, written as
// sub-<label>_summary.json: the MRS measures of the first spectrum and the
// mean over nights of the sleep measures.
type Summary struct {
	Participant string `json:"participant_id"`
	// GlxTCr is Glx/tCr, GlxCRLB its CRLB in percent; SNR and FWHMPPM the
	// spectrum's QC (see mrs/fit.QC).
	GlxTCr  *float64 `json:"glx_tcr"`
	GlxCRLB *float64 `json:"glx_crlb_percent"`
	NAATCr  *float64 `json:"tnaa_tcr"`
	SNR     *float64 `json:"snr"`
	FWHMPPM *float64 `json:"fwhm_ppm"`
	// Nights is the number of nights with a hypnogram; the sleep measures
	// are their means (minutes, percent).
	Nights int      `json:"nights"`
	TST    *float64 `json:"tst_min"`
	WASO   *float64 `json:"waso_min"`
	SE     *float64 `json:"sleep_efficiency_pct"`
	SOL    *float64 `json:"sleep_onset_latency_min"`
	// PLMSIndex is the mean over nights of PLMs per hour of sleep and
	// PLMPerNight the mean PLM count (psg/legs, Settings.LegStandard).
	PLMSIndex   *float64 `json:"plms_index"`
	PLMPerNight *float64 `json:"plm_per_night"`
	// SNRDefinition is the definition of SNR (glusleep's one definition,
	// or the tool's for MRSResults); MRSSource names the existing fit
	// taken (MRSResults); MRSInput the spectrum whose fit gave the MRS
	// measures (the first readable one, a file name). QCFlags are the
	// names of that fit's QC flags (mrs/fit.Flags: tcr_zero,
	// ratio_implausible, …) and QCFlagDetails the flags with their
	// messages: the group level marks the participant with them.
	SNRDefinition string     `json:"snr_definition,omitempty"`
	MRSSource     string     `json:"mrs_source,omitempty"`
	MRSInput      string     `json:"mrs_input,omitempty"`
	QCFlags       []string   `json:"qc_flags,omitempty"`
	QCFlagDetails []fit.Flag `json:"qc_flag_details,omitempty"`
	Notes         []string   `json:"notes,omitempty"`
}

func ptr(v float64) *float64 { return tsv.Ptr(v) }

// Pipeline makes a participant's derivatives.
type Pipeline struct {
	Settings Settings
	// Warn, when not nil, is called (from any participant's goroutine)
	// with warnings to show at once as well as in the provenance: the
	// values a simulated basis followed that a header did not state
	// (analysis.AssumedForBasis).
	Warn   func(msg string)
	mu     sync.Mutex
	mrs    *analysis.Analyzer
	mrsFor Settings
	// results and resultsFrom cache Settings.MRSResults (mrsresults.go).
	results     []*results.Result
	resultsFrom string
}

// analyzer returns the MRS pipeline for the Settings, made on first use
// (and again when the Settings change) and shared by every participant:
// the basis is read or simulated once.
func (pl *Pipeline) analyzer() (*analysis.Analyzer, error) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	s := pl.Settings
	if pl.mrs != nil && pl.mrsFor == s {
		return pl.mrs, nil
	}
	mode, err := preproc.ParseMode(s.Preprocess)
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	phantom, err := s.Phantom.preprocPhantom()
	if err != nil {
		return nil, err
	}
	maxShift := s.MaxShiftPPM // 0: the default for the spectrum
	a, err := analysis.New(analysis.Settings{Basis: s.Basis, Lipids: s.Lipids, Preprocess: mode, Phantom: phantom,
		Fit:  fit.Options{PPMLow: s.FitRangePPM[0], PPMHigh: s.FitRangePPM[1], MaxShiftPPM: maxShift, CommonLineshape: s.CommonLineshape, NoPhase1: s.Phase1 == Phase1Held},
		Read: mrsio.Options{MixingTime: s.MixingTimeMS / 1000}})
	if err != nil {
		return nil, err
	}
	pl.mrs, pl.mrsFor = a, s
	return a, nil
}

// mrsInputs returns the spectra to fit: the BIDS mrs/ spectra, then
// vendor files under sourcedata that mrsio reads (water references,
// sidecars and SPAR headers are not spectra of their own).
func mrsInputs(p *Participant) []string {
	var in []string
	for _, m := range p.MRS {
		in = append(in, m.SVS)
	}
	for _, s := range p.Source {
		l := strings.ToLower(filepath.Base(s))
		if strings.HasSuffix(l, ".h2o") || strings.HasSuffix(l, ".spar") || strings.HasSuffix(l, ".json") ||
			strings.Contains(l, "_mrsref.") || strings.Contains(l, "_ref.nii") {
			continue
		}
		if _, err := mrsio.Format(s); err == nil {
			in = append(in, s)
		}
	}
	sort.Strings(in)
	return in
}

// Process makes one participant's derivatives in out: per spectrum a fit
// table and QC JSON (in mrs/), per night the sleep statistics and leg
// movements (in eeg/), named as DerivativePath says, and the participant's
// summary. It is a study.Processor.
func (pl *Pipeline) Process(ctx context.Context, p *Participant, out string) ([]string, error) {
	var warnings []string
	sum := Summary{Participant: "sub-" + p.Label}
	// MRS.
	mw, err := pl.processMRS(ctx, p, out, &sum)
	if err != nil {
		return nil, err
	}
	warnings = append(warnings, mw...)
	// PSG: sleep statistics of every night with a hypnogram.
	var tst, waso, se, sol, plmsIdx, plmN []float64
	std := legs.WASM2016
	if pl.Settings.LegStandard != "" {
		var err error
		if std, err = legs.ParseStandard(pl.Settings.LegStandard); err != nil {
			return nil, err
		}
	}
	for _, n := range p.Nights {
		if n.Events == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		nt, err := analyzeNight(n, legs.DefaultParams(std))
		if err != nil {
			// A damaged or unreadable night fails the participant: its
			// measures would otherwise be silently missing from the group.
			return nil, err
		}
		warnings = append(warnings, nt.Warnings...)
		if err := writeNightOutputs(nt, p.Label, n.Events, out); err != nil {
			return nil, err
		}
		st := nt.Sleep
		tst, waso, se, sol = append(tst, st.TST), append(waso, st.WASO), append(se, st.SE), append(sol, st.SOL)
		if nt.Legs != nil {
			plmsIdx, plmN = append(plmsIdx, nt.Legs.Measures.PLMSIndex), append(plmN, float64(nt.Legs.Measures.PLMCount))
		}
	}
	sum.Nights = len(tst)
	mean := func(x []float64) *float64 {
		s, k := 0.0, 0
		for _, v := range x {
			if !math.IsNaN(v) {
				s += v
				k++
			}
		}
		if k == 0 {
			return nil
		}
		return ptr(s / float64(k))
	}
	sum.TST, sum.WASO, sum.SE, sum.SOL = mean(tst), mean(waso), mean(se), mean(sol)
	sum.PLMSIndex, sum.PLMPerNight = mean(plmsIdx), mean(plmN)
	if sum.Nights == 0 {
		warnings = append(warnings, "no scored night: sleep measures are n/a")
	}
	js, _ := json.MarshalIndent(sum, "", "  ")
	if err := atomicfile.WriteFile(filepath.Join(out, "sub-"+p.Label+"_summary.json"), append(js, '\n'), 0o644); err != nil {
		return nil, err
	}
	return warnings, nil
}

// processMRS analyses every spectrum of p (mrs/analysis, as `mrs fit`
// does) with the tissue fractions of its segmentation (Settings, else the
// derivatives; fixed defaults without one), writes its outputs in out and
// puts the first spectrum's measures in sum. Unreadable spectra are
// warnings, and so is a segmentation that cannot be used (the spectrum is
// then water-scaled with the fixed defaults, labelled so in its QC);
// other failures end the participant.
func (pl *Pipeline) processMRS(ctx context.Context, p *Participant, out string, sum *Summary) ([]string, error) {
	if pl.Settings.MRSResults != "" {
		return pl.resultsMRS(p, sum) // existing fits (mrsresults.go)
	}
	a, err := pl.analyzer()
	if err != nil {
		return nil, err
	}
	if f := pl.Settings.TissueFractions; f != nil {
		if err := analysis.CheckFractions(*f); err != nil {
			return nil, fmt.Errorf("settings: %w", err)
		}
	}
	var warnings []string
	ins := mrsInputs(p)
	readable := 0
	loaded := map[string]*analysis.Tissue{}
	for _, in := range ins {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src, tw, err := tissueFor(pl.Settings, p, entity(filepath.Base(in), "ses"))
		if err != nil {
			return nil, err
		}
		warnings = append(warnings, tw...)
		tis, ok := loaded[src.Name]
		if !ok {
			if tis, err = analysis.LoadTissue(src); err != nil {
				warnings = append(warnings, fmt.Sprintf("%s: %v: fixed default tissue fractions used", filepath.Base(in), err))
				tis = nil
			}
			loaded[src.Name] = tis
		}
		r, err := a.AnalyseWith(in, tis)
		if te := (*analysis.TissueError)(nil); errors.As(err, &te) {
			// The segmentation does not fit this spectrum (no geometry,
			// voxel outside it): fixed defaults, said so.
			warnings = append(warnings, fmt.Sprintf("%v: fixed default tissue fractions used", err))
			r, err = a.AnalyseWith(in, nil)
		}
		var re *analysis.ReadError
		if errors.As(err, &re) && !isBIDSSpectrum(p, in) {
			warnings = append(warnings, err.Error())
			continue
		}
		if err != nil {
			// A damaged spectrum in mrs/ fails the participant (a
			// sourcedata file that is not a spectrum is a warning above).
			return nil, err
		}
		readable++
		if pl.Settings.Basis == "" {
			for _, v := range analysis.AssumedForBasis(r.QC.Acquisition) {
				w := analysis.AssumedBasisWarning(filepath.Base(in), "run", v)
				if warnings = append(warnings, w); pl.Warn != nil {
					pl.Warn("sub-" + p.Label + ": " + w)
				}
			}
		}
		for _, f := range r.QC.Flags {
			warnings = append(warnings, fmt.Sprintf("%s: QC flag %s: %s", filepath.Base(in), f.Name, f.Message))
		}
		if err := writeMRSOutputs(r, p.Label, in, out); err != nil {
			return nil, err
		}
		tq := r.QC.Tissue
		sum.Notes = append(sum.Notes, fmt.Sprintf("%s: tissue fractions GM %.3f, WM %.3f, CSF %.3f (%s)", filepath.Base(in), tq.GM, tq.WM, tq.CSF, tq.Source))
		if r.Preproc != nil && len(r.Preproc.QC.Rejected) > 0 {
			sum.Notes = append(sum.Notes, fmt.Sprintf("%s: %d of %d transients rejected as outliers", filepath.Base(in), len(r.Preproc.QC.Rejected), r.Preproc.QC.Transients))
		}
		if sum.MRSInput != "" {
			// The measures are the first fitted spectrum's, whatever
			// its ratios (n/a when its tCr is not detected).
			continue
		}
		for _, row := range r.Rows {
			switch row.Name {
			case "Glx":
				sum.GlxTCr, sum.GlxCRLB = ptr(row.RatioTCr), ptr(row.CRLBPercent)
			case "tNAA":
				sum.NAATCr = ptr(row.RatioTCr)
			}
		}
		sum.SNR, sum.FWHMPPM = ptr(r.Fit.QC.SNR), ptr(r.Fit.QC.FWHMPPM)
		sum.SNRDefinition, sum.QCFlags, sum.QCFlagDetails = r.QC.SNRDefinition, r.QC.FlagNames(), r.QC.Flags
		sum.MRSInput = filepath.Base(in)
		if len(ins) > 1 {
			sum.Notes = append(sum.Notes, "MRS measures are from "+filepath.Base(in)+", the first of "+fmt.Sprint(len(ins))+" spectra")
		}
	}
	if readable == 0 {
		warnings = append(warnings, "no readable MRS data: Glx/tCr is n/a")
	}
	return warnings, nil
}

// analyzeNight analyses one scored night (psg/night): its sleep
// statistics, and its leg movements from the EDF's tibialis EMG when it has
// leg channels, else from the leg movements scored in the events (a failure
// to score them is a warning). Outputs are named after the events file.
func analyzeNight(n PSGFiles, p legs.Params) (*night.Night, error) {
	// A recording that does not open (truncated, damaged header) fails the
	// night, even where the events could stand in for it.
	nt, err := night.Analyze(night.Input{Recording: n.EDF, Hypnogram: n.Events},
		night.Options{Sleep: true, Legs: true, LegsOptional: true, RequireRecording: true, LegParams: p})
	if err != nil {
		return nil, err
	}
	nt.Stem = night.Stem(n.Events)
	return nt, nil
}

// isBIDSSpectrum says whether in is one of p's mrs/ spectra or a
// sourcedata file in a format that holds only spectra (GE .7, Siemens
// .rda, Philips .sdat, LCModel .RAW), whose damage fails the participant;
// other sourcedata files (.nii.gz, .dcm, .txt) may be anatomy or notes.
func isBIDSSpectrum(p *Participant, in string) bool {
	for _, m := range p.MRS {
		if m.SVS == in {
			return true
		}
	}
	l := strings.ToLower(in)
	for _, ext := range []string{".7", ".rda", ".sdat", ".raw"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}
