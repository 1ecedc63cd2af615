package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/internal/pool"
	"glusleep/internal/tsv"
	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
	"glusleep/stats"
	"glusleep/synth"
)

// TypicalAmplitudes returns typical brain amplitudes (mM-like units) of
// the metabolites and macromolecules of the demo's thalamus spectra (a
// new map); MRSCohort varies them ±15 % per participant and sets Glu and
// Gln from the participant's Glx/tCr.
func TypicalAmplitudes() map[string]float64 {
	m := make(map[string]float64, len(typicalAmplitudes))
	for k, v := range typicalAmplitudes {
		m[k] = v
	}
	return m
}

// typicalAmplitudes are typical brain amplitudes (mM-like units) for the
// demo's synthetic thalamus spectra; Glu and Gln are set per participant.
var typicalAmplitudes = map[string]float64{"NAA": 9, "NAAG": 1.2, "Cr": 4.5, "PCr": 3.5, "Ins": 5, "GPC": 1.2, "PCho": 0.5,
	"GABA": 1, "GSH": 1.5, "Tau": 1, "Asp": 1.5, "Lac": 0.4, "sIns": 0.3, "Ala": 0.3, "Asc": 1, "Glc": 1, "Gly": 0.5, "PE": 1.2,
	"MM09": 3, "MM12": 1.5, "MM14": 2, "MM17": 1.5, "MM20": 3}

// mrsParams is the demo's acquisition: GE 1.5 T (63.87 MHz), PRESS TE
// 30 ms, 2500 Hz spectral width.
var mrsParams = mrs.Params{SpectrometerFrequency: 63.87, Dwell: 1.0 / 2500, EchoTime: 0.030, Sequence: "PRESS", Nucleus: "1H", Vendor: "GE"}

// mrsPoints is the number of points of the demo's spectra.
const mrsPoints = 2048

// Spectrum is one participant's synthetic spectrum and its fit.
type Spectrum struct {
	// ID and Group are the participant's.
	ID, Group string
	// TrueGlxTCr is the Glx/tCr the synthesis used; GlxTCr and
	// GlxCRLBPercent the fit's.
	TrueGlxTCr, GlxTCr, GlxCRLBPercent float64
	// SNR is the NAA signal-to-noise ratio and FWHMPPM the linewidth (ppm)
	// of the fit's QC.
	SNR, FWHMPPM float64
}

// MRSCohortResult is what MRSCohort wrote and fitted.
type MRSCohortResult struct {
	// Table is cfg.Out/mrs/cohort_mrs.tsv: one row per participant with
	// the fit and the truth.
	Table string
	// RawDir holds each participant's raw acquisition (NIfTI-MRS
	// transients <id>_svs.nii.gz, water reference <id>_mrsref.nii.gz and
	// <id>_acquisition_truth.json).
	RawDir string
	// Spectra are the participants in the clinical step's order.
	Spectra []Spectrum
	// Test is the one-tailed Student t test of the fitted Glx/tCr, RLS
	// against controls.
	Test stats.TTestResult
}

// MRSCohort synthesizes one thalamic PRESS spectrum per participant of
// the clinical step at 1.5 T, TE 30 ms (a basis simulated for GE's
// 63.87 MHz, 2500 Hz, 2048 points), with Glx/tCr drawn around 1.20 (RLS)
// and 0.80 (controls), fits every spectrum with the pipeline `mrs fit
// --simulate` and `run … participant` use, and compares the groups as the
// paper did (one-tailed Student t). It writes cfg.Out/mrs/ (one .RAW per
// participant with its fit outputs, the raw acquisitions in raw/, and the
// cohort table).
func MRSCohort(cfg Config, clin *ClinicalResult) (*MRSCohortResult, error) {
	if clin == nil {
		return nil, fmt.Errorf("the MRS step needs the clinical step's participants")
	}
	dir := filepath.Join(cfg.Out, "mrs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p := mrsParams
	an, err := analysis.New(analysis.Settings{Lipids: true,
		Read: mrsio.Options{SpectrometerFrequency: p.SpectrometerFrequency, Dwell: p.Dwell, EchoTime: p.EchoTime}})
	if err != nil {
		return nil, err
	}
	// The pipeline's basis (simulated for the header, LCModel's lipids and
	// macromolecules added) also makes the synthetic spectra.
	set, err := an.Basis(p, mrsPoints)
	if err != nil {
		return nil, err
	}
	r := &MRSCohortResult{Table: filepath.Join(dir, "cohort_mrs.tsv"), RawDir: filepath.Join(dir, "raw")}
	specs := make([]synth.SpectrumSpec, len(clin.IDs))
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x3a5))
	for i, id := range clin.IDs {
		var truth float64
		specs[i], truth = spectrumSpec(rng, clin.Groups[i], set.Names, set.FIDs, p.Dwell)
		r.Spectra = append(r.Spectra, Spectrum{ID: id, Group: clin.Groups[i], TrueGlxTCr: truth})
	}
	errs := pool.Run(context.Background(), len(specs), cfg.Workers, func(_ context.Context, i int) error {
		err := fitSpectrum(cfg, an, dir, i, specs[i], &r.Spectra[i])
		if err != nil {
			return fmt.Errorf("%s: %w", r.Spectra[i].ID, err)
		}
		return nil
	})
	if err := pool.First(errs); err != nil {
		return nil, err
	}
	return r, r.summarize(cfg.stdout())
}

// spectrumSpec draws one participant's metabolite amplitudes (typical
// brain values ±15 %, Glu and Gln from a Glx/tCr drawn around the group's
// mean), line shape, shift, phase and noise; it returns the spec and the
// true Glx/tCr.
func spectrumSpec(rng *rand.Rand, group string, names []string, fids [][]complex128, dwell float64) (synth.SpectrumSpec, float64) {
	amps := map[string]float64{}
	// Sorted keys: map order must not decide which metabolite gets which
	// random draw, or the demo would not be reproducible.
	keys := make([]string, 0, len(typicalAmplitudes))
	for k := range typicalAmplitudes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		amps[k] = typicalAmplitudes[k] * (0.85 + 0.3*rng.Float64())
	}
	tcr := amps["Cr"] + amps["PCr"]
	mean := 0.80
	if group == "rls" {
		mean = 1.20
	}
	ratio := math.Max(0.3, mean+0.25*rng.NormFloat64())
	amps["Glu"], amps["Gln"] = 0.75*ratio*tcr, 0.25*ratio*tcr
	return synth.SpectrumSpec{Names: names, Basis: fids, Dwell: dwell, Amplitudes: amps,
		LorentzHz: 2 + 2*rng.Float64(), GaussHz: 2 + 3*rng.Float64(), ShiftHz: -3 + 6*rng.Float64(), Phase0: -20 + 40*rng.Float64(),
		NoiseSD: 4 * (1 + rng.Float64())}, ratio // NAA SNR about 18–36
}

// fitSpectrum synthesizes participant i's spectrum from spec (its own
// random stream), writes it as LCModel .RAW and its raw acquisition, fits
// it with an and stores the fit's Glx/tCr and QC in s.
func fitSpectrum(cfg Config, an *analysis.Analyzer, dir string, i int, spec synth.SpectrumSpec, s *Spectrum) error {
	r := rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(i)))
	data, _, err := synth.Spectrum(spec, r)
	if err != nil {
		return err
	}
	raw := filepath.Join(dir, s.ID+"_svs.RAW")
	if err := atomicfile.Write(raw, 0o644, func(w io.Writer) error { return lcmodel.Write(w, s.ID, mrsParams, data) }); err != nil {
		return err
	}
	if err := RawAcquisition(filepath.Join(dir, "raw"), s.ID, spec, cfg.Seed, i); err != nil {
		return err
	}
	res, err := an.Run(raw, dir, s.ID+"_svs")
	if err != nil {
		return err
	}
	s.GlxTCr, s.GlxCRLBPercent = math.NaN(), math.NaN()
	for _, row := range res.Rows {
		if row.Name == "Glx" {
			s.GlxTCr, s.GlxCRLBPercent = row.RatioTCr, row.CRLBPercent
		}
	}
	s.SNR, s.FWHMPPM = res.Fit.QC.SNR, res.Fit.QC.FWHMPPM
	return nil
}

// summarize writes the cohort table, compares the groups and prints the
// step's summary line.
func (r *MRSCohortResult) summarize(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("participant_id\tgroup\tglx_tcr\tglx_crlb_percent\tsnr\tfwhm_ppm\ttrue_glx_tcr\n")
	var rls, ctl, rlsTrue, ctlTrue []float64
	for _, s := range r.Spectra {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%.4f\n", s.ID, s.Group, tsv.Sig(s.GlxTCr, 5), tsv.Sig(s.GlxCRLBPercent, 3),
			tsv.Sig(s.SNR, 3), tsv.Sig(s.FWHMPPM, 3), s.TrueGlxTCr)
		if s.Group == "rls" {
			rls, rlsTrue = append(rls, s.GlxTCr), append(rlsTrue, s.TrueGlxTCr)
		} else {
			ctl, ctlTrue = append(ctl, s.GlxTCr), append(ctlTrue, s.TrueGlxTCr)
		}
	}
	if err := atomicfile.WriteFile(r.Table, b.Bytes(), 0o644); err != nil {
		return err
	}
	tt, err := stats.TTest(rls, ctl, stats.TTestOptions{Alternative: stats.Greater, VarEqual: true})
	if err != nil {
		return fmt.Errorf("Glx/tCr by group: %w", err)
	}
	r.Test = tt
	_, err = fmt.Fprintf(w, "MRS: %d spectra fitted (1.5 T PRESS TE 30 ms, simulated basis); Glx/tCr RLS %.2f (truth %.2f) vs controls %.2f (truth %.2f); %s → %s\n",
		len(r.Spectra), stats.Mean(rls), stats.Mean(rlsTrue), stats.Mean(ctl), stats.Mean(ctlTrue), strings.TrimSpace(tt.APA()), r.Table)
	return err
}

// RawAcquisition writes the scanner's view of a participant's spectrum to
// dir as NIfTI-MRS: 16 water-suppressed transients (DIM_DYN) with
// frequency drift, phase jitter, residual water and, for every fourth
// participant, one motion-spoiled transient, and an 8-frame water
// reference (<id>_svs.nii.gz, <id>_mrsref.nii.gz), with what was applied
// in <id>_acquisition_truth.json. The study step puts them in the BIDS
// dataset, where the participant level preprocesses them. spec is the
// participant's spectrum (its noise is spread over the transients), seed
// and i select the random stream (participant i of the demo with seed).
func RawAcquisition(dir, id string, spec synth.SpectrumSpec, seed int64, i int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p := mrsParams
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7a0000+uint64(i)))
	noise := spec.NoiseSD
	spec.NoiseSD = 0
	clean, _, err := synth.Spectrum(spec, rng)
	if err != nil {
		return err
	}
	const transients = 16
	crAmp := spec.Amplitudes["Cr"] + spec.Amplitudes["PCr"]
	waterAmp := 4000 * crAmp // unsuppressed water, FID units at t = 0
	as := synth.AcquisitionSpec{Transients: transients, NoiseSD: noise * math.Sqrt(transients),
		DriftHz: 4 * rng.Float64(), JitterHz: 0.4, JitterRad: 0.08,
		WaterAmplitude: 0.01 * waterAmp, WaterLorentzHz: spec.LorentzHz + 2}
	if i%4 == 3 {
		as.Corrupt = []int{rng.IntN(transients)}
	}
	d, truth, err := synth.Acquisition(clean, p, as, rng)
	if err != nil {
		return err
	}
	tj, err := json.MarshalIndent(map[string]any{"transient_shift_hz": truth.Hz, "transient_phase_rad": truth.Rad,
		"corrupt_transients": append([]int{}, truth.Corrupt...), "residual_water_amplitude": as.WaterAmplitude, "water_amplitude": waterAmp}, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, id+"_acquisition_truth.json"), append(tj, '\n'), 0o644); err != nil {
		return err
	}
	w, err := synth.WaterReference(p, len(clean), synth.WaterSpec{Frames: 8, Amplitude: waterAmp, LorentzHz: spec.LorentzHz + 1,
		GaussHz: spec.GaussHz, ShiftHz: spec.ShiftHz, Phase0: spec.Phase0, NoiseSD: noise * math.Sqrt(transients)}, rng)
	if err != nil {
		return err
	}
	for _, x := range []*mrs.Data{d, w} {
		x.Meta = map[string]any{"Manufacturer": "GE (synthetic)", "SequenceName": "PRESS", "EchoTime": p.EchoTime}
	}
	if err := nifti.WriteData(filepath.Join(dir, id+"_svs.nii.gz"), d); err != nil {
		return err
	}
	return nifti.WriteData(filepath.Join(dir, id+"_mrsref.nii.gz"), w)
}
