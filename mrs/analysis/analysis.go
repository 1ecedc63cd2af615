// Package analysis is glusleep's single-spectrum MRS pipeline, the one
// every entry point (`mrs fit`, `run … participant`, the demo) calls: read
// a spectrum of any format mrsio reads and its water reference (found
// beside it or given), preprocess it (mrs/preproc, by preproc.Mode), take
// its basis set (a file, or simulated for the header's sequence: PRESS,
// STEAM or semi-LASER; basis.Source), fit it (mrs/fit), scale it to mM by
// the water reference with relaxation and tissue correction (the voxel's
// GM/WM/CSF fractions measured on a T1 segmentation, or fixed ones,
// labelled as such: TissueSource), and write the
// outputs: <stem>_fit.tsv, <stem>_qc.json (QC), <stem>_fit.svg and, when
// preprocessed, <stem>_preproc_qc.json and <stem>_preproc.svg.
//
// Units: times in s inside Go values (as mrs.Params), ms in every JSON key
// that carries a time (te_ms); frequencies in MHz, dwell in s.
package analysis

import (
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/basis"
	"glusleep/mrs/fit"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/preproc"
)

// Settings are the options of the pipeline. The zero value simulates the
// basis, adds no lipid components, preprocesses spectra of several FIDs,
// fits 0.2–4.0 ppm and water-scales with the fixed default tissue
// fractions (GM 0.6 / WM 0.4) and the relaxation times of the spectrum's
// field strength (fit.RelaxationAt; fit.Tissue's defaults when unknown).
type Settings struct {
	// Basis is a basis set to fit every spectrum with (LCModel .BASIS,
	// FSL-MRS or NIfTI-MRS folder); empty simulates one per header.
	Basis string
	// Lipids adds LCModel's lipid components to the basis.
	Lipids bool
	// Preprocess says which spectra go through mrs/preproc.
	Preprocess preproc.Mode
	// Fit are the fit options.
	Fit fit.Options
	// Tissue overrides the water contents and relaxation times (s) used in
	// water scaling; zero fields take the literature's at the spectrum's
	// field strength (fit.RelaxationAt), else fit.Tissue's defaults. Its
	// fractions must be left zero: they come from Fractions.
	Tissue fit.Tissue
	// Fractions says where every input's voxel tissue fractions come from
	// (a segmentation, fixed user fractions, or the fixed defaults); a
	// caller may give another per spectrum (AnalyseWith).
	Fractions TissueSource
	// EchoTime (s) overrides the header's TE for relaxation correction;
	// RepetitionTime (s) overrides the header's TR for T1 correction.
	// Without it the input's TR (its header's, or an LCModel file's
	// sidecar's) is used when it lies within
	// MinRepetitionTimeMS–MaxRepetitionTimeMS; without either, full
	// relaxation is assumed (no T1 correction), and the QC says so
	// (Quantification.Sources tr_ms "assumed").
	EchoTime, RepetitionTime float64
	// Read supplies the dwell time, frequency and TE of inputs that lack
	// them (LCModel .RAW without a sidecar), and a STEAM mixing time that
	// replaces the file's (mrsio.Options.MixingTime; a simulated basis
	// follows it).
	Read mrsio.Options
	// Water is a water reference file for every input; empty: each input's
	// own (GE water frames, a sibling .H2O or *_mrsref), if any.
	Water string
	// Phantom declares every spectrum a phantom (preproc.Options.Phantom:
	// water's shift at its temperature, its singlets tried as reference
	// peaks); nil lets the preprocessing detect one (no NAA, water at a
	// room-temperature shift). A spectrum declared or detected a phantom
	// is fitted with fit.ForPhantom (no macromolecules or lipids; shift
	// bound fit.PhantomMaxShiftPPM unless Fit.MaxShiftPPM is set).
	Phantom *preproc.Phantom
}

// Analyzer runs the pipeline on spectra with one set of Settings. It is
// safe for concurrent use: the basis (read once, or simulated once per
// acquisition) is shared.
type Analyzer struct {
	s      Settings
	bases  *basis.Source
	water  givenWater
	tissue *Tissue
}

// New returns an Analyzer: it reads the basis file, the common water
// reference and the segmentation, if any, now.
func New(s Settings) (*Analyzer, error) {
	if s.Tissue.GM != 0 || s.Tissue.WM != 0 || s.Tissue.CSF != 0 {
		return nil, fmt.Errorf("analysis: tissue fractions belong in Settings.Fractions (TissueSource), not Settings.Tissue")
	}
	if tr := 1000 * s.RepetitionTime; tr != 0 && !(tr >= MinRepetitionTimeMS && tr <= MaxRepetitionTimeMS) {
		return nil, fmt.Errorf("analysis: Settings.RepetitionTime %g s is outside %g–%g s", s.RepetitionTime, MinRepetitionTimeMS/1000.0, MaxRepetitionTimeMS/1000.0)
	}
	tis, err := LoadTissue(s.Fractions)
	if err != nil {
		return nil, err
	}
	if s.Preprocess == "" {
		s.Preprocess = preproc.ModeAuto
	}
	if s.Fit.PPMLow == 0 && s.Fit.PPMHigh == 0 {
		s.Fit.PPMLow, s.Fit.PPMHigh = 0.2, 4.0
	}
	src, err := basis.NewSource(s.Basis, s.Lipids)
	if err != nil {
		return nil, err
	}
	a := &Analyzer{s: s, bases: src, tissue: tis}
	if a.water, err = readWater(s.Water, a.readOptions()); err != nil {
		return nil, err
	}
	return a, nil
}

// readOptions fills inputs' missing dwell and frequency from a basis
// file, their source recorded as mrsio.SourceBasis.
func (a *Analyzer) readOptions() mrsio.Options {
	o := a.s.Read
	o.Sources = maps.Clone(o.Sources)
	if !a.bases.Simulated() {
		b, _ := a.bases.For(mrs.Params{}, 0)
		fill := func(v *float64, basis float64, key string) {
			if *v == 0 && basis != 0 {
				if o.Sources == nil {
					o.Sources = map[string]string{}
				}
				*v, o.Sources[key] = basis, mrsio.SourceBasis
			}
		}
		fill(&o.Dwell, b.Params.Dwell, "dwell_s")
		fill(&o.SpectrometerFrequency, b.Params.SpectrometerFrequency, "spectrometer_frequency_mhz")
	}
	return o
}

// Basis returns the basis set the Analyzer fits data of n points acquired
// with p with (shared: do not modify it).
func (a *Analyzer) Basis(p mrs.Params, n int) (*basis.Set, error) { return a.bases.For(p, n) }

// Result is one spectrum's analysis.
type Result struct {
	// Fit is the fit; Rows its table (amplitudes, CRLBs, ratios to tCr —
	// NaN when tCr is not Detected — and, when water-scaled,
	// concentrations in mM), as <stem>_fit.tsv writes it (FitTSV).
	Fit  *fit.Result
	Rows []fit.Row
	// Concentrations is true when Rows hold water-scaled concentrations.
	Concentrations bool
	// QC is what <stem>_qc.json holds.
	QC QC
	// Preproc is the preprocessing result, nil when not preprocessed;
	// PreprocQC what <stem>_preproc_qc.json holds then.
	Preproc   *preproc.Result
	PreprocQC PreprocQC
	// VoxelFigure is the voxel drawn on the T1 (SVG), "" without a
	// segmentation.
	VoxelFigure string
}

// ReadError is Analyse's error when the spectrum cannot be read (a
// pipeline may skip such inputs and go on).
type ReadError struct{ Err error }

// Error returns the reader's message.
func (e *ReadError) Error() string { return e.Err.Error() }

// Unwrap returns the reader's error.
func (e *ReadError) Unwrap() error { return e.Err }

// Analyse reads, preprocesses, fits and water-scales the spectrum in
// file in, with the tissue fractions of Settings.Fractions. It writes
// nothing.
func (a *Analyzer) Analyse(in string) (*Result, error) { return a.AnalyseWith(in, a.tissue) }

// AnalyseWith is Analyse with the tissue fractions from t (LoadTissue;
// nil: the fixed defaults) in place of Settings.Fractions, e.g. each
// participant's own segmentation.
func (a *Analyzer) AnalyseWith(in string, t *Tissue) (*Result, error) {
	x, err := readInput(in, a.readOptions(), a.water)
	if err != nil {
		return nil, &ReadError{err}
	}
	ds, d := x.ds, x.ds.Data
	var rnotes []string
	if tm := a.s.Read.MixingTime; tm > 0 && ds.Sources["tm_ms"] != mrsio.SourceFlag {
		seq := d.Sequence
		if seq == "" {
			seq = "not named"
		}
		rnotes = append(rnotes, fmt.Sprintf("the mixing time given (TM %g ms) is not used: the spectrum's sequence (%s) is not STEAM", 1000*tm, seq))
	}
	base, relaxFrom := relaxation(d, a.s.Tissue)
	tis, tq, svg, tnotes, err := t.fractions(d, base, filepath.Base(in))
	if err != nil {
		return nil, &TissueError{fmt.Errorf("%s: %w", in, err)}
	}
	r := &Result{VoxelFigure: svg}
	fid, waterFID, pnotes, err := a.prepare(r, d, x.water)
	if err != nil {
		return nil, fmt.Errorf("%s: preprocessing: %w", in, err)
	}
	notes := append(append(rnotes, tnotes...), pnotes...)
	set, err := a.bases.For(d.Params, len(fid))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in, err)
	}
	if n := set.Points(); len(fid) > n {
		notes = append(notes, fmt.Sprintf("data truncated from %d to the basis's %d points", len(fid), n))
		fid = fid[:n]
	}
	fitSet, opt, phantom := set, a.s.Fit, a.phantom(r)
	if phantom != "" {
		var added []string
		if fitSet, opt, added, err = fit.ForPhantom(set, opt); err != nil {
			return nil, fmt.Errorf("%s: %w", in, err)
		}
		notes = append(notes, fmt.Sprintf("fitted as a phantom (%s)", phantom))
		notes = append(notes, added...)
		if fitSet, added, err = withPhantomSinglets(fitSet, a.s.Phantom, d.Params); err != nil {
			return nil, fmt.Errorf("%s: %w", in, err)
		}
		notes = append(notes, added...)
	}
	if r.Fit, err = fit.Fit(fid, d.Params, fitSet, opt); err != nil {
		return nil, fmt.Errorf("%s: %w", in, err)
	}
	scale := math.NaN()
	var ws *fit.WaterScaling
	var tr repetition
	if waterFID != nil {
		var trNotes []string
		tr, trNotes = a.repetitionTime(d.Params, ds.Sources["tr_ms"], x.water)
		if ws, notes, err = a.waterScale(waterFID, d.Params, tr.s, fitSet, tis, notes); err != nil {
			return nil, fmt.Errorf("%s: %w", in, err)
		}
		if ws != nil {
			scale = ws.Scale
			notes = append(notes, trNotes...)
		}
	}
	r.Rows, r.Concentrations = FitRows(r.Fit, scale), ws != nil
	r.QC = fitQC(r.Fit, opt)
	r.QC.Phantom = phantom != ""
	if r.Preproc != nil {
		r.QC.Referencing = r.Preproc.QC.Referencing
		r.PreprocQC = x.preprocQC(r.Preproc.QC)
	}
	r.QC.Flags = flags(r.Fit, r.QC.Phantom, r.QC.Referencing)
	r.QC.Input, r.QC.Format, r.QC.WaterReference, r.QC.Preprocessed = filepath.Base(in), ds.Format, x.waterFrom, r.Preproc != nil
	r.QC.Acquisition = ds.Acquisition()
	r.QC.Basis = set.Source
	if !a.bases.Simulated() {
		r.QC.Basis = filepath.Base(set.Source)
	}
	r.QC.Tissue = tq
	if ws != nil {
		r.QC.Quantification = quantification(*ws)
		r.QC.Quantification.RelaxationFrom = relaxFrom
		r.QC.Quantification.Sources = a.quantSources(ds.Sources, tr.source)
	}
	r.QC.Notes = append(r.QC.Notes, notes...)
	return r, nil
}

// prepare preprocesses the spectrum d (when Settings.Preprocess applies;
// r.Preproc is set then) or averages its FIDs, and returns the FID to fit,
// the water reference's FID (nil without one) and notes on what was done.
func (a *Analyzer) prepare(r *Result, d, water *mrs.Data) (fid, waterFID []complex128, notes []string, err error) {
	fid = d.FIDs[0]
	if a.s.Preprocess.Applies(d) {
		if r.Preproc, err = preproc.Run(d, water, preproc.Options{Phantom: a.s.Phantom}); err != nil {
			return nil, nil, nil, err
		}
		fid = r.Preproc.Data.FIDs[0]
		notes = append(notes, "preprocessed: "+strings.Join(r.Preproc.QC.Steps, "; "))
		if q := r.Preproc.QC; len(q.Rejected) > 0 {
			notes = append(notes, fmt.Sprintf("%d of %d transients rejected as outliers", len(q.Rejected), q.Transients))
		}
		if r.Preproc.Water != nil {
			waterFID = r.Preproc.Water.FIDs[0]
		}
	} else if len(d.FIDs) > 1 {
		fid = mrs.Average(d.FIDs)
	}
	if waterFID == nil && water != nil {
		waterFID = mrs.Average(water.FIDs)
	}
	return fid, waterFID, notes, nil
}

// phantom says why the spectrum of r is fitted as a phantom: "declared"
// (Settings.Phantom), the preprocessing's reason when its referencing
// detected one, or "" for a brain spectrum.
func (a *Analyzer) phantom(r *Result) string {
	if a.s.Phantom != nil {
		return "declared"
	}
	if r.Preproc != nil {
		if ref := r.Preproc.QC.Referencing; ref != nil && ref.Phantom {
			if ref.PhantomReason != "" {
				return "detected: " + ref.PhantomReason
			}
			return "detected"
		}
	}
	return ""
}

// waterScale computes the water scaling of a fit of data with parameters
// p and basis set, with repetition time tr (s; 0: full relaxation). When
// the echo time or the basis's proton scale is unknown it fails if the
// water reference was given (Settings.Water), and returns nil with a note
// saying why if it was found beside the data.
func (a *Analyzer) waterScale(waterFID []complex128, p mrs.Params, tr float64, set *basis.Set, tis fit.Tissue, notes []string) (*fit.WaterScaling, []string, error) {
	te := a.s.EchoTime
	if te == 0 {
		te = p.EchoTime
	}
	if te == 0 {
		if a.water.data != nil {
			return nil, notes, fmt.Errorf("water scaling needs the echo time: the input has none (give TE in ms)")
		}
		return nil, append(notes, "a water reference was found, but without the echo time (TE) concentrations are not water-scaled"), nil
	}
	if set.ProtonScale == 0 {
		const why = "the basis has no Cr, PCr or NAA singlet to calibrate its proton scale"
		if a.water.data != nil {
			return nil, notes, fmt.Errorf("water scaling: %s", why)
		}
		return nil, append(notes, why+": concentrations are not water-scaled"), nil
	}
	area, err := fit.WaterArea(waterFID, p)
	if err != nil {
		return nil, notes, err
	}
	w, err := fit.WaterScale(area, set.ProtonScale, te, tr, tis)
	if err != nil {
		return nil, notes, err
	}
	w.ProtonScaleFrom = set.ProtonScaleFrom
	return &w, notes, nil
}

// The plausible repetition times, in ms (the range --tr accepts): a
// header's TR outside them is not used for T1 correction (a TR in s
// where ms were meant, or the reverse, would be 1000 times off).
const (
	MinRepetitionTimeMS = 100
	MaxRepetitionTimeMS = 60000
)

// repetition is the TR used in water scaling: s in s (0: full relaxation
// assumed) and source, where it came from when not from the spectrum's
// header (mrsio.SourceFlag, mrsio.SourceAssumed; "" for the header).
type repetition struct {
	s      float64
	source string
}

// repetitionTime returns the TR for the water scaling of a spectrum with
// parameters p, whose TR came from from (the input's source for tr_ms:
// "" for its header, mrsio.SourceSidecar for an LCModel file's sidecar),
// and water reference water (nil: none): Settings' RepetitionTime when
// given, else the input's when plausible, else 0 (full relaxation,
// mrsio.SourceAssumed), with notes saying what was not used and why, and
// when the water reference was acquired with another TR.
func (a *Analyzer) repetitionTime(p mrs.Params, from string, water *mrs.Data) (tr repetition, notes []string) {
	hdr := 1000 * p.RepetitionTime
	switch {
	case a.s.RepetitionTime > 0:
		tr = repetition{a.s.RepetitionTime, mrsio.SourceFlag}
		if hdr > 0 && math.Abs(hdr-1000*tr.s) > 0.5 {
			notes = append(notes, fmt.Sprintf("TR %g ms given, in place of the header's %g ms, for T1 correction", 1000*tr.s, hdr))
		}
	case hdr >= MinRepetitionTimeMS && hdr <= MaxRepetitionTimeMS:
		tr = repetition{p.RepetitionTime, from}
	case hdr != 0:
		tr = repetition{0, mrsio.SourceAssumed}
		notes = append(notes, fmt.Sprintf("the header's TR %g ms lies outside %d–%d ms and is not used: full relaxation assumed, no T1 correction (give TR in ms)", hdr, MinRepetitionTimeMS, MaxRepetitionTimeMS))
	default:
		tr = repetition{0, mrsio.SourceAssumed}
		notes = append(notes, "the header has no TR and none was given: full relaxation assumed, no T1 correction (give TR in ms)")
	}
	if water != nil && tr.s > 0 {
		if w := 1000 * water.RepetitionTime; w > 0 && math.Abs(w-1000*tr.s) > 0.5 {
			notes = append(notes, fmt.Sprintf("the water reference's TR (%g ms) differs from the %g ms used for T1 correction of both water and metabolites", w, 1000*tr.s))
		}
	}
	return tr, notes
}

// quantSources says where waterScale's TE and TR came from when not from
// the spectrum's header, keyed te_ms and tr_ms (Quantification.Sources):
// for TE the Settings.EchoTime override (mrsio.SourceFlag), else the
// input's own source for te_ms (acq, the Dataset's Sources); for TR tr (a
// repetition's source); nil when the header gave both.
func (a *Analyzer) quantSources(acq map[string]string, tr string) map[string]string {
	src := acq["te_ms"]
	if a.s.EchoTime != 0 {
		src = mrsio.SourceFlag
	}
	var out map[string]string
	for k, v := range map[string]string{"te_ms": src, "tr_ms": tr} {
		if v != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = v
		}
	}
	return out
}

// Write writes the result's outputs in dir, named <stem>_fit.tsv,
// <stem>_qc.json, <stem>_fit.svg, with a segmentation <stem>_voxel.svg
// and, when preprocessed, <stem>_preproc_qc.json and <stem>_preproc.svg
// (each written atomically), and returns their paths.
func (r *Result) Write(dir, stem string) ([]string, error) {
	base := filepath.Join(dir, stem)
	qc, err := r.QC.JSON()
	if err != nil {
		return nil, fmt.Errorf("%s: QC: %w", stem, err)
	}
	files := []output{
		{base + "_fit.tsv", FitTSV(r.Rows, r.Concentrations)},
		{base + "_qc.json", qc},
		{base + "_fit.svg", []byte(r.Fit.Figure(stem).SVG())},
	}
	if r.VoxelFigure != "" {
		files = append(files, output{base + "_voxel.svg", []byte(r.VoxelFigure)})
	}
	if r.Preproc != nil {
		pf, err := preprocFiles(dir, stem, r.PreprocQC, r.Preproc)
		if err != nil {
			return nil, err
		}
		files = append(files, pf...)
	}
	return writeFiles(files)
}

// Run analyses the spectrum in file in and writes its outputs in dir
// under stem (see Write).
func (a *Analyzer) Run(in, dir, stem string) (*Result, error) {
	r, err := a.Analyse(in)
	if err != nil {
		return nil, err
	}
	if _, err := r.Write(dir, stem); err != nil {
		return nil, err
	}
	return r, nil
}

// Stem returns a file name without folder and MRS extension (any case;
// ".nii.gz" counts as one), the stem of its outputs.
func Stem(path string) string {
	b := filepath.Base(path)
	l := strings.ToLower(b)
	for _, ext := range []string{".nii.gz", ".nii", ".raw", ".h2o", ".rda", ".sdat", ".spar", ".dcm", ".ima", ".txt", ".7"} {
		if strings.HasSuffix(l, ext) {
			return b[:len(b)-len(ext)]
		}
	}
	return strings.TrimSuffix(b, filepath.Ext(b))
}
