package fit

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"sort"
	"testing"

	"glusleep/internal/cpubench"
	"glusleep/mrs"
	"glusleep/mrs/sim"
	"glusleep/synth"
)

// syntheticCase makes one spectrum from the basis with random concentrations
// around typical brain values, Voigt broadening, a shift, a phase and noise
// at the given SNR (NAA singlet height over the spectral noise SD), and
// returns the data and the true amplitudes.
func syntheticCase(t testing.TB, names []string, basis [][]complex128, p mrs.Params, snr float64, rng *rand.Rand) ([]complex128, map[string]float64) {
	return syntheticCaseFamilies(t, names, basis, p, snr, rng, false)
}

// syntheticCaseFamilies is syntheticCase; with families, the NAA+NAAG,
// Cr+PCr and GPC+PCho signals are first shifted by random offsets of SD
// 0.002, 0.004 and 0.008 ppm and broadened by |N(0, 0.16 Hz)| Lorentzian
// (LCModel's priors on individual shifts and 1/T2 at 3 T), as tabulated
// shifts and relaxation differ in vivo.
func syntheticCaseFamilies(t testing.TB, names []string, basis [][]complex128, p mrs.Params, snr float64, rng *rand.Rand, families bool) ([]complex128, map[string]float64) {
	if families {
		fam := map[string]int{"NAA": 0, "NAAG": 0, "Cr": 1, "PCr": 1, "GPC": 2, "PCho": 2}
		sd := []float64{0.002, 0.004, 0.008}
		var off, lor [3]float64
		for k := range off {
			off[k] = sd[k] * rng.NormFloat64() * p.SpectrometerFrequency
			lor[k] = math.Abs(0.16 * rng.NormFloat64())
		}
		shifted := make([][]complex128, len(basis))
		for i, b := range basis {
			f, ok := fam[names[i]]
			if !ok {
				shifted[i] = b
				continue
			}
			shifted[i] = make([]complex128, len(b))
			for k, v := range b {
				tk := float64(k) * p.Dwell
				shifted[i][k] = v * cmplx.Exp(complex(-math.Pi*lor[f]*tk, 2*math.Pi*off[f]*tk))
			}
		}
		basis = shifted
	}
	typical := map[string]float64{"NAA": 12, "NAAG": 1.5, "Cr": 5, "PCr": 4, "Glu": 10, "Gln": 3, "Ins": 6, "GPC": 1, "PCho": 0.6,
		"GABA": 1.2, "GSH": 2, "Tau": 1.5, "Asp": 2, "Lac": 0.5, "sIns": 0.3, "Ala": 0.5, "Asc": 1, "Glc": 1, "Gly": 0.5, "PE": 1.5, "Mac": 1}
	amps := map[string]float64{}
	for _, n := range names {
		if v, ok := typical[n]; ok {
			amps[n] = v * (0.7 + 0.6*rng.Float64())
		}
	}
	spec := synth.SpectrumSpec{Names: names, Basis: basis, Dwell: p.Dwell, Amplitudes: amps,
		LorentzHz: 2 + 4*rng.Float64(), GaussHz: 2 + 4*rng.Float64(), ShiftHz: -4 + 8*rng.Float64(), Phase0: -30 + 60*rng.Float64()}
	clean, _, err := synth.Spectrum(spec, rng)
	if err != nil {
		t.Fatal(err)
	}
	// Noise: the NAA singlet's height in the (phase-corrected) spectrum over
	// the spectral noise SD is snr; time-domain SD = spectral SD/√n.
	s := mrs.Spectrum(clean)
	ax := p.PPMAxis(len(s))
	ph := cmplx.Exp(complex(0, -spec.Phase0*math.Pi/180))
	h := 0.0
	for i, v := range ax {
		if v > 1.9 && v < 2.1 {
			h = math.Max(h, real(s[i]*ph))
		}
	}
	spec.NoiseSD = h / snr / math.Sqrt(float64(len(clean)))
	data, _, err := synth.Spectrum(spec, rng)
	if err != nil {
		t.Fatal(err)
	}
	return data, amps
}

func median(x []float64) float64 {
	y := append([]float64(nil), x...)
	sort.Float64s(y)
	n := len(y)
	if n%2 == 1 {
		return y[n/2]
	}
	return (y[n/2-1] + y[n/2]) / 2
}

// TestSyntheticTruth fits spectra made from the fitting-challenge basis with
// known concentrations (SNR 15–60, Voigt broadening, shifts, phases) and
// checks the median absolute error of Glx/tCr (≤ 8%) and tNAA/tCr (≤ 3%),
// the limits of issue #17, and that the CRLBs cover the errors (about 68%
// within one CRLB), for the default model and with CommonLineshape, on
// data made with the basis as it is and on in-vivo-like data whose NAA, Cr
// and Cho families are shifted and broadened a little
// (syntheticCaseFamilies). The truth is the generator's amplitudes; the
// medians and coverages are logged (with -v). At this commit the default
// model gives, on the in-vivo-like data, tNAA/tCr 1.5 %, Glx/tCr 2.8 %,
// coverage 0.81; with CommonLineshape 2.3 %, 3.6 %, 0.60 (3.1 %, 3.9 %,
// 0.60 before the macromolecule lineshape was tied to the metabolites').
// The spectra come from syntheticCase (package synth, seeds 11 and 12):
// random concentrations, Voigt lines of 2–6 Hz Lorentzian and Gaussian
// width, shifts of ±4 Hz, zero-order phases of ±30°.
func TestSyntheticTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("fits many spectra")
	}
	t.Parallel()
	names, basis := loadChallengeBasis(t)
	p := mrs.Params{SpectrometerFrequency: challengeMHz, Dwell: 0.00025, Nucleus: "1H"}
	for _, c := range []struct {
		name     string
		opt      Options
		families bool // per-family shifts and widths in the data
	}{
		{"default model", Options{}, false},
		{"common lineshape", Options{CommonLineshape: true}, false},
		{"default model, in-vivo-like data", Options{}, true},
		{"common lineshape, in-vivo-like data", Options{CommonLineshape: true}, true},
	} {
		t.Run(c.name, func(t *testing.T) { syntheticTruth(t, names, basis, p, c.opt, c.families) })
	}
}

func syntheticTruth(t *testing.T, names []string, basis [][]complex128, p mrs.Params, opt Options, families bool) {
	rng := rand.New(rand.NewPCG(11, 12))
	var errGlx, errNAA []float64
	within, total := 0, 0
	const n = 24
	for k := 0; k < n; k++ {
		snr := 15 + 45*float64(k)/float64(n-1)
		data, truth := syntheticCaseFamilies(t, names, basis, p, snr, rng, families)
		res, err := Fit(data, p, newSet(names, basis, p), opt)
		if err != nil {
			t.Fatal(err)
		}
		tcr, _, _ := res.Combination("Cr", "PCr")
		glx, sdGlx, _ := res.Combination("Glu", "Gln")
		naa, sdNAA, _ := res.Combination("NAA", "NAAG")
		tTcr := truth["Cr"] + truth["PCr"]
		tGlx := (truth["Glu"] + truth["Gln"]) / tTcr
		tNAA := (truth["NAA"] + truth["NAAG"]) / tTcr
		errGlx = append(errGlx, math.Abs(glx/tcr-tGlx)/tGlx)
		errNAA = append(errNAA, math.Abs(naa/tcr-tNAA)/tNAA)
		for _, c := range []struct{ est, sd, truth float64 }{
			{glx, sdGlx, truth["Glu"] + truth["Gln"]}, {naa, sdNAA, truth["NAA"] + truth["NAAG"]}, {tcr, 0, tTcr},
		} {
			if c.sd == 0 {
				continue
			}
			if math.Abs(c.est-c.truth) <= c.sd {
				within++
			}
			total++
		}
	}
	mg, mn := median(errGlx), median(errNAA)
	cov := float64(within) / float64(total)
	t.Logf("%d spectra, SNR 15–60: median |error| Glx/tCr %.1f%%, tNAA/tCr %.1f%%; %d of %d Glx/tNAA amplitude errors within one CRLB (%.2f)",
		n, 100*mg, 100*mn, within, total, cov)
	if mg > 0.08 {
		t.Errorf("median |error| of Glx/tCr %.1f%%, want ≤ 8%%", 100*mg)
	}
	if mn > 0.03 {
		t.Errorf("median |error| of tNAA/tCr %.1f%%, want ≤ 3%%", 100*mn)
	}
	// Binomial(48, 0.68) has SD 0.067: accept 0.5–0.9.
	if cov < 0.5 || cov > 0.9 {
		t.Errorf("CRLB coverage %.2f, want about 0.68", cov)
	}
}

// BenchmarkFitChallengeSpectrum fits one 2048-point spectrum with the
// 21-spectrum challenge basis (plus LCModel's 4 lipid components), as
// `glusleep mrs fit` does. LCModel takes about 3.3 s on this machine for
// the same spectrum (mrs/fit/testdata/README.md). It reports cpu-ns/op
// (internal/cpubench) beside the wall time.
func BenchmarkFitChallengeSpectrum(b *testing.B) {
	names, basis := loadChallengeBasis(b)
	p := mrs.Params{SpectrometerFrequency: challengeMHz, Dwell: 0.00025, Nucleus: "1H"}
	names, basis, err := withBroad(names, basis, p, sim.LCModelLipids)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	data, _ := syntheticCase(b, names, basis, p, 30, rng)
	b.ResetTimer()
	stop := cpubench.Start(b)
	for b.Loop() {
		if _, err := Fit(data, p, newSet(names, basis, p), Options{}); err != nil {
			b.Fatal(err)
		}
	}
	stop()
}
