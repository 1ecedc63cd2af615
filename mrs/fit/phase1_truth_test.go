package fit

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/sim"
	"glusleep/synth"
)

// withPhase1 returns fid with a first-order phase of deg degrees per ppm
// about p's central frequency applied to its spectrum (the phase glusleep's
// model fits as Phase1 about PhaseRefPPM).
func withPhase1(fid []complex128, p mrs.Params, deg float64) []complex128 {
	s := mrs.Spectrum(fid)
	ax := p.PPMAxis(len(s))
	c := p.Central()
	for i, v := range ax {
		s[i] *= cmplx.Exp(complex(0, deg*math.Pi/180*(v-c)))
	}
	return mrs.FID(s)
}

// TestSyntheticPhase1 measures what fitting the first-order phase (the
// default; Options.NoPhase1 holds it at 0) does to accuracy when the data
// carry a known first-order phase error of 0, ±5 or ±10°/ppm: the same 40
// in-vivo-like spectra (syntheticCaseFamilies, seeds 21 and 22: SNR 15–60,
// Voigt lines, shifts, zero-order phases, per-family shifts and widths)
// are given each phase error and fitted with NoPhase1 and with the default
// options. It logs the median relative |error| of tNAA/tCr, Glx/tCr and
// Cr/tCr against the generator's amplitudes for both and the median fitted
// first-order phase, and requires that the default fit recovers the
// applied phase (median within 1.5°/ppm) and that its fit of the unphased
// spectra meets issue 17's limits (tNAA/tCr ≤ 3 %, Glx/tCr ≤ 8 %).
func TestSyntheticPhase1(t *testing.T) {
	if testing.Short() {
		t.Skip("fits 400 spectra")
	}
	t.Parallel()
	names, basis := loadChallengeBasis(t)
	p := mrs.Params{SpectrometerFrequency: challengeMHz, Dwell: 0.00025, Nucleus: "1H"}
	const n = 40
	type sample struct {
		data  []complex128
		truth map[string]float64
	}
	rng := rand.New(rand.NewPCG(21, 22))
	var base []sample
	for k := 0; k < n; k++ {
		snr := 15 + 45*float64(k)/float64(n-1)
		data, truth := syntheticCaseFamilies(t, names, basis, p, snr, rng, true)
		base = append(base, sample{data, truth})
	}
	ratios := []struct {
		name  string
		parts []string
	}{{"tNAA/tCr", []string{"NAA", "NAAG"}}, {"Glx/tCr", []string{"Glu", "Gln"}}, {"Cr/tCr", []string{"Cr"}}}
	opts := []struct {
		name string
		opt  Options
	}{{"NoPhase1", Options{NoPhase1: true}}, {"default (φ1 fitted)", Options{}}}
	for _, deg := range []float64{-10, -5, 0, 5, 10} {
		line := fmt.Sprintf("φ1 %+3.0f°/ppm:", deg)
		all := make([]map[string][]float64, len(opts)) // per option, per ratio, per spectrum
		for oi, o := range opts {
			errs := map[string][]float64{}
			all[oi] = errs
			var crSigned []float64 // signed relative error of Cr/tCr
			var phases []float64
			for _, s := range base {
				res, err := Fit(withPhase1(s.data, p, deg), p, newSet(names, basis, p), o.opt)
				if err != nil {
					t.Fatal(err)
				}
				phases = append(phases, res.Phase1)
				tcr, _, _ := res.Combination("Cr", "PCr")
				tTcr := s.truth["Cr"] + s.truth["PCr"]
				for _, r := range ratios {
					est, _, _ := res.Combination(r.parts...)
					want := 0.0
					for _, m := range r.parts {
						want += s.truth[m]
					}
					want /= tTcr
					e := est/tcr/want - 1
					if math.IsNaN(e) {
						e = math.Inf(1)
					}
					errs[r.name] = append(errs[r.name], math.Abs(e))
					if r.name == "Cr/tCr" {
						crSigned = append(crSigned, e)
					}
				}
			}
			line += fmt.Sprintf(" | %s", o.name)
			for _, r := range ratios {
				line += fmt.Sprintf(" %s %.1f%%", r.name, 100*median(errs[r.name]))
			}
			mp := median(phases)
			line += fmt.Sprintf(" (Cr/tCr median signed %+.1f%%; median fitted φ1 %+.1f)", 100*median(crSigned), mp)
			if !o.opt.NoPhase1 && !(math.Abs(mp-deg) <= 1.5) {
				t.Errorf("φ1 %+.0f°/ppm: the default fit's median fitted first-order phase %+.1f°/ppm, want within 1.5", deg, mp)
			}
			// The point of fitting it: Cr/tCr stays as accurate as on
			// unphased spectra (12.5–12.8 % when this was written; held
			// at 0 it reaches 19–44 % at ±5 and ±10°/ppm).
			if m := median(errs["Cr/tCr"]); !o.opt.NoPhase1 && !(m <= 0.15) {
				t.Errorf("φ1 %+.0f°/ppm: the default fit's Cr/tCr median |error| %.1f%%, want ≤ 15%%", deg, 100*m)
			}
			if deg == 0 && !o.opt.NoPhase1 {
				if m := median(errs["tNAA/tCr"]); !(m <= 0.03) {
					t.Errorf("no phase error, default fit: tNAA/tCr median |error| %.1f%%, want ≤ 3%%", 100*m)
				}
				if m := median(errs["Glx/tCr"]); !(m <= 0.08) {
					t.Errorf("no phase error, default fit: Glx/tCr median |error| %.1f%%, want ≤ 8%%", 100*m)
				}
			}
		}
		line += " | φ1 fitted closer in"
		for _, r := range ratios {
			won := 0
			for j := range all[0][r.name] {
				if all[1][r.name][j] < all[0][r.name][j] {
					won++
				}
			}
			line += fmt.Sprintf(" %s %d/%d", r.name, won, n)
		}
		t.Log(line)
	}
}

// contaminatedCase makes an in-vivo-like spectrum as syntheticCaseFamilies
// does (the same concentration ranges, per-family shifts and widths, Voigt
// lines, shift, zero-order phase and NAA-height SNR), plus LCModel's lipid
// components (lnames beyond the metabolites; Lip13a:Lip13b:Lip09:Lip20
// areas 4:2:1:1 scaled so that the 1.3 ppm lipid peak is lipX times the NAA
// singlet's height) and a residual water line at 4.68 ppm waterY times the
// NAA singlet's height. All signals share one lineshape and phase and no
// first-order phase is applied. It returns the data and the metabolites'
// true amplitudes.
func contaminatedCase(t testing.TB, names []string, basis [][]complex128, lnames []string, lbasis [][]complex128, p mrs.Params, snr, lipX, waterY float64, rng *rand.Rand) ([]complex128, map[string]float64) {
	fam := map[string]int{"NAA": 0, "NAAG": 0, "Cr": 1, "PCr": 1, "GPC": 2, "PCho": 2}
	sd := []float64{0.002, 0.004, 0.008}
	var off, lor [3]float64
	for k := range off {
		off[k] = sd[k] * rng.NormFloat64() * p.SpectrometerFrequency
		lor[k] = math.Abs(0.16 * rng.NormFloat64())
	}
	typical := map[string]float64{"NAA": 12, "NAAG": 1.5, "Cr": 5, "PCr": 4, "Glu": 10, "Gln": 3, "Ins": 6, "GPC": 1, "PCho": 0.6,
		"GABA": 1.2, "GSH": 2, "Tau": 1.5, "Asp": 2, "Lac": 0.5, "sIns": 0.3, "Ala": 0.5, "Asc": 1, "Glc": 1, "Gly": 0.5, "PE": 1.5, "Mac": 1}
	n := len(basis[0])
	met := make([][]complex128, len(basis))
	amps := map[string]float64{}
	for i, b := range basis {
		met[i] = b
		if f, ok := fam[names[i]]; ok {
			met[i] = make([]complex128, n)
			for k, v := range b {
				tk := float64(k) * p.Dwell
				met[i][k] = v * cmplx.Exp(complex(-math.Pi*lor[f]*tk, 2*math.Pi*off[f]*tk))
			}
		}
		if v, ok := typical[names[i]]; ok {
			amps[names[i]] = v * (0.7 + 0.6*rng.Float64())
		}
	}
	lip := map[string]float64{"Lip13a": 4, "Lip13b": 2, "Lip09": 1, "Lip20": 1}
	var lipNames []string
	var lipFIDs [][]complex128
	for i, nm := range lnames {
		if _, ok := lip[nm]; ok {
			lipNames, lipFIDs = append(lipNames, nm), append(lipFIDs, lbasis[i])
		}
	}
	water := make([]complex128, n)
	for k := range water {
		water[k] = cmplx.Exp(complex(0, 2*math.Pi*(4.68-p.Central())*p.SpectrometerFrequency*float64(k)*p.Dwell))
	}
	shape := synth.SpectrumSpec{Dwell: p.Dwell, LorentzHz: 2 + 4*rng.Float64(), GaussHz: 2 + 4*rng.Float64(),
		ShiftHz: -4 + 8*rng.Float64(), Phase0: -30 + 60*rng.Float64()}
	make1 := func(nm []string, b [][]complex128, a map[string]float64) []complex128 {
		s := shape
		s.Names, s.Basis, s.Amplitudes = nm, b, a
		fid, _, err := synth.Spectrum(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		return fid
	}
	// height returns the largest real part of fid's spectrum, phased by
	// −Phase0, between lo and hi ppm.
	height := func(fid []complex128, lo, hi float64) float64 {
		s := mrs.Spectrum(fid)
		ph := cmplx.Exp(complex(0, -shape.Phase0*math.Pi/180))
		h := 0.0
		for i, v := range p.PPMAxis(len(s)) {
			if v > lo && v < hi {
				h = math.Max(h, real(s[i]*ph))
			}
		}
		return h
	}
	clean := make1(names, met, amps)
	hNAA := height(clean, 1.9, 2.1)
	lipFID := make1(lipNames, lipFIDs, lip)
	wFID := make1([]string{"water"}, [][]complex128{water}, map[string]float64{"water": 1})
	kl := lipX * hNAA / height(lipFID, 1.2, 1.4)
	kw := waterY * hNAA / height(wFID, 4.5, 4.9)
	noise := hNAA / snr / math.Sqrt(float64(n))
	data := make([]complex128, n)
	for k := range data {
		data[k] = clean[k] + complex(kl, 0)*lipFID[k] + complex(kw, 0)*wFID[k] +
			complex(noise*rng.NormFloat64(), noise*rng.NormFloat64())
	}
	return data, amps
}

// TestSyntheticPhase1Contamination asks what fitting the first-order phase
// (the default, against NoPhase1) does on spectra
// like the fitting challenge's edge cases (datasets 23–28: residual water,
// tumour-like spectra with lipids), for which no true concentrations are
// published here, when the true first-order phase is 0: 24 in-vivo-like
// spectra (contaminatedCase, seeds 31 and 32, SNR 15–60) without
// contamination, with a lipid peak 3 times the NAA singlet, with residual
// water 20 times it, and with both, are fitted with the challenge basis
// plus LCModel's lipids (as TestChallengeAgainstLCModel fits), with the
// default options and with NoPhase1. It logs the median fitted
// first-order phase and the median relative |error| of tNAA/tCr, Glx/tCr
// and Cr/tCr, and requires the default fit's tNAA/tCr and Glx/tCr medians
// to stay within bounds just above their values at the commit that made
// fitting the first-order phase the default (issue
// 17's 3 % and 8 % where they held; unmodelled residual water costs more),
// so that it fails when accuracy gets worse.
func TestSyntheticPhase1Contamination(t *testing.T) {
	if testing.Short() {
		t.Skip("fits 192 spectra")
	}
	t.Parallel()
	names, basis := loadChallengeBasis(t)
	p := mrs.Params{SpectrometerFrequency: challengeMHz, Dwell: 0.00025, Nucleus: "1H"}
	lnames, lbasis, err := withBroad(names, basis, p, sim.LCModelLipids)
	if err != nil {
		t.Fatal(err)
	}
	ratios := []struct {
		name  string
		parts []string
	}{{"tNAA/tCr", []string{"NAA", "NAAG"}}, {"Glx/tCr", []string{"Glu", "Gln"}}, {"Cr/tCr", []string{"Cr"}}}
	const n = 24
	for _, c := range []struct {
		name         string
		lipX, waterY float64
		maxNAA       float64 // bound on the default fit's median |error| of tNAA/tCr
		maxGlx       float64 // and of Glx/tCr
	}{
		// With the first-order phase fitted (the default since session 5)
		// the clean set's tNAA/tCr is 3.1 % (2.2 % with NoPhase1): the
		// extra parameter's variance on spectra that carry no first-order
		// phase; issue 17's 3 % is met by TestSyntheticTruth's sets.
		{"none", 0, 0, 0.035, 0.045},
		{"lipids 3×NAA", 3, 0, 0.030, 0.045},
		{"water 20×NAA", 0, 20, 0.070, 0.100},
		{"lipids and water", 3, 20, 0.130, 0.065},
	} {
		rng := rand.New(rand.NewPCG(31, 32))
		line := c.name + ":"
		for _, opt := range []Options{{NoPhase1: true}, {}} {
			errs := map[string][]float64{}
			var phases []float64
			for k := 0; k < n; k++ {
				snr := 15 + 45*float64(k)/float64(n-1)
				data, truth := contaminatedCase(t, names, basis, lnames, lbasis, p, snr, c.lipX, c.waterY, rng)
				res, err := Fit(data, p, newSet(lnames, lbasis, p), opt)
				if err != nil {
					t.Fatal(err)
				}
				phases = append(phases, res.Phase1)
				tcr, _, _ := res.Combination("Cr", "PCr")
				for _, r := range ratios {
					est, _, _ := res.Combination(r.parts...)
					want := 0.0
					for _, m := range r.parts {
						want += truth[m]
					}
					e := math.Abs(est/tcr/(want/(truth["Cr"]+truth["PCr"])) - 1)
					if math.IsNaN(e) {
						e = math.Inf(1)
					}
					errs[r.name] = append(errs[r.name], e)
				}
			}
			lab := "default (φ1 fitted)"
			if opt.NoPhase1 {
				lab = "NoPhase1"
			}
			line += " | " + lab
			for _, r := range ratios {
				line += fmt.Sprintf(" %s %.1f%%", r.name, 100*median(errs[r.name]))
			}
			abs := make([]float64, len(phases))
			for i, v := range phases {
				abs[i] = math.Abs(v)
			}
			line += fmt.Sprintf(" (fitted φ1 median %+.1f, median |φ1| %.1f°/ppm)", median(phases), median(abs))
			if !opt.NoPhase1 {
				if m := median(errs["tNAA/tCr"]); !(m <= c.maxNAA) {
					t.Errorf("%s, default fit: tNAA/tCr median |error| %.1f%%, want ≤ %.1f%%", c.name, 100*m, 100*c.maxNAA)
				}
				if m := median(errs["Glx/tCr"]); !(m <= c.maxGlx) {
					t.Errorf("%s, default fit: Glx/tCr median |error| %.1f%%, want ≤ %.1f%%", c.name, 100*m, 100*c.maxGlx)
				}
			}
		}
		t.Log(line)
	}
}
