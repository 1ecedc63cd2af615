package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"glusleep/internal/atomicfile"
	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
	"glusleep/stats"
	"glusleep/study"
	"glusleep/synth"
)

func init() {
	registerDemoStep(55, "MRS cohort", demoMRSCohort)
}

// demoTypical are typical brain amplitudes (mM-like units) for the demo's
// synthetic thalamus spectra; Glu and Gln are set per participant.
var demoTypical = map[string]float64{"NAA": 9, "NAAG": 1.2, "Cr": 4.5, "PCr": 3.5, "Ins": 5, "GPC": 1.2, "PCho": 0.5,
	"GABA": 1, "GSH": 1.5, "Tau": 1, "Asp": 1.5, "Lac": 0.4, "sIns": 0.3, "Ala": 0.3, "Asc": 1, "Glc": 1, "Gly": 0.5, "PE": 1.2,
	"MM09": 3, "MM12": 1.5, "MM14": 2, "MM17": 1.5, "MM20": 3}

// demoRawAcquisition writes the scanner's view of a participant's spectrum
// to dir as NIfTI-MRS: 16 water-suppressed transients (DIM_DYN) with
// frequency drift, phase jitter, residual water and, for every fourth
// participant, one motion-spoiled transient, and an 8-frame water
// reference (<id>_svs.nii.gz, <id>_mrsref.nii.gz), with what was applied
// in <id>_acquisition_truth.json. The study step puts them
// in the BIDS dataset, where the participant level preprocesses them.
func demoRawAcquisition(dir, id string, spec synth.SpectrumSpec, p mrs.Params, seed int64, i int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
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

// demoMRSCohort synthesizes one thalamic PRESS spectrum per participant at
// 1.5 T, TE 30 ms (a simulated basis for GE's 63.87 MHz, 2500 Hz, 2048
// points), with Glx/tCr drawn around 1.20 (RLS) and 0.80 (controls), fits
// every spectrum with a basis simulated for its header, and compares the
// groups as the paper did (one-tailed Student t). It writes ctx.out/mrs/
// (one .RAW per participant, its _fit.tsv, a cohort table with the truth)
// and records ctx.files["mrs.cohort"].
func demoMRSCohort(ctx *demoContext) error {
	dir := filepath.Join(ctx.out, "mrs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Participants and groups: from the clinical step when it ran.
	type part struct{ id, group string }
	var parts []part
	if p := ctx.files["clinical.participants"]; p != "" {
		hdr, rows, err := study.ReadTSV(p)
		if err != nil {
			return err
		}
		gi := -1
		for i, h := range hdr {
			if h == "group" {
				gi = i
			}
		}
		if gi < 0 {
			return fmt.Errorf("%s: no group column", p)
		}
		for _, r := range rows {
			parts = append(parts, part{r[0], r[gi]})
		}
	} else {
		for i := 1; i <= 48; i++ {
			g := "rls"
			if i > 28 {
				g = "control"
			}
			parts = append(parts, part{fmt.Sprintf("sub-%02d", i), g})
		}
	}
	p := mrs.Params{SpectrometerFrequency: 63.87, Dwell: 1.0 / 2500, EchoTime: 0.030, Sequence: "PRESS", Nucleus: "1H", Vendor: "GE"}
	const n = 2048
	// The pipeline `mrs fit --simulate` and `run … participant` use; its
	// basis (simulated for the header, LCModel's lipids and macromolecules
	// added) also makes the synthetic spectra.
	an, err := analysis.New(analysis.Settings{Lipids: true,
		Read: mrsio.Options{SpectrometerFrequency: p.SpectrometerFrequency, Dwell: p.Dwell, EchoTime: p.EchoTime}})
	if err != nil {
		return err
	}
	set, err := an.Basis(p, n)
	if err != nil {
		return err
	}
	names, fids := set.Names, set.FIDs
	rng := rand.New(rand.NewPCG(uint64(ctx.seed), 0x3a5))
	type result struct {
		id, group          string
		trueGlx, glx, crlb float64
		snr, fwhm          float64
	}
	results := make([]result, len(parts))
	specs := make([]synth.SpectrumSpec, len(parts))
	for i, pt := range parts {
		amps := map[string]float64{}
		// Sorted keys: map order must not decide which metabolite gets
		// which random draw, or the demo would not be reproducible.
		keys := make([]string, 0, len(demoTypical))
		for k := range demoTypical {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			amps[k] = demoTypical[k] * (0.85 + 0.3*rng.Float64())
		}
		tcr := amps["Cr"] + amps["PCr"]
		mean := 0.80
		if pt.group == "rls" {
			mean = 1.20
		}
		ratio := math.Max(0.3, mean+0.25*rng.NormFloat64())
		amps["Glu"], amps["Gln"] = 0.75*ratio*tcr, 0.25*ratio*tcr
		specs[i] = synth.SpectrumSpec{Names: names, Basis: fids, Dwell: p.Dwell, Amplitudes: amps,
			LorentzHz: 2 + 2*rng.Float64(), GaussHz: 2 + 3*rng.Float64(), ShiftHz: -3 + 6*rng.Float64(), Phase0: -20 + 40*rng.Float64(),
			NoiseSD: 4 * (1 + rng.Float64())} // NAA SNR about 18–36
		results[i] = result{id: pt.id, group: pt.group, trueGlx: ratio}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(parts))
	sem := make(chan struct{}, runtime.NumCPU())
	for i := range parts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r := rand.New(rand.NewPCG(uint64(ctx.seed), uint64(i)))
			data, _, err := synth.Spectrum(specs[i], r)
			if err != nil {
				errs[i] = err
				return
			}
			raw := filepath.Join(dir, parts[i].id+"_svs.RAW")
			if err := atomicfile.Write(raw, 0o644, func(w io.Writer) error { return lcmodel.Write(w, parts[i].id, p, data) }); err != nil {
				errs[i] = err
				return
			}
			if err := demoRawAcquisition(filepath.Join(dir, "raw"), parts[i].id, specs[i], p, ctx.seed, i); err != nil {
				errs[i] = fmt.Errorf("%s: %w", parts[i].id, err)
				return
			}
			res, err := an.Run(raw, dir, parts[i].id+"_svs")
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", parts[i].id, err)
				return
			}
			rows := res.Rows
			for _, r := range rows {
				if r.Name == "Glx" {
					results[i].glx, results[i].crlb = r.RatioTCr, r.CRLBPercent
				}
			}
			results[i].snr, results[i].fwhm = res.Fit.QC.SNR, res.Fit.QC.FWHMPPM
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	var b bytes.Buffer
	b.WriteString("participant_id\tgroup\tglx_tcr\tglx_crlb_percent\tsnr\tfwhm_ppm\ttrue_glx_tcr\n")
	var rls, ctl, rlsTrue, ctlTrue []float64
	for _, r := range results {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%.4f\n", r.id, r.group, tsvNum(r.glx, 5), tsvNum(r.crlb, 3), tsvNum(r.snr, 3), tsvNum(r.fwhm, 3), r.trueGlx)
		if r.group == "rls" {
			rls, rlsTrue = append(rls, r.glx), append(rlsTrue, r.trueGlx)
		} else {
			ctl, ctlTrue = append(ctl, r.glx), append(ctlTrue, r.trueGlx)
		}
	}
	cohort := filepath.Join(dir, "cohort_mrs.tsv")
	if err := atomicfile.WriteFile(cohort, b.Bytes(), 0o644); err != nil {
		return err
	}
	ctx.files["mrs.cohort"] = cohort
	tt, err := stats.TTest(rls, ctl, stats.TTestOptions{Alternative: stats.Greater, VarEqual: true})
	if err != nil {
		return err
	}
	w := bufio.NewWriter(ctx.env.stdout)
	fmt.Fprintf(w, "MRS: %d spectra fitted (1.5 T PRESS TE 30 ms, simulated basis); Glx/tCr RLS %.2f (truth %.2f) vs controls %.2f (truth %.2f); %s → %s\n",
		len(results), stats.Mean(rls), stats.Mean(rlsTrue), stats.Mean(ctl), stats.Mean(ctlTrue), strings.TrimSpace(tt.APA()), cohort)
	return w.Flush()
}

// tsvNum formats a number for a TSV cell, n/a when not finite.
func tsvNum(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.*g", prec, v)
}
