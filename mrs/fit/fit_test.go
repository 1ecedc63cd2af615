package fit

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"glusleep/mrs"
)

// toyBasis returns FIDs of simple "metabolites": sums of narrow Lorentzian
// lines at given ppm with given relative areas.
func toyBasis(p mrs.Params, n int) ([]string, [][]complex128) {
	defs := []struct {
		name  string
		lines [][2]float64 // ppm, area
	}{
		{"NAA", [][2]float64{{2.008, 3}, {2.49, 0.5}, {2.67, 0.5}}},
		{"Cr", [][2]float64{{3.027, 3}, {3.913, 2}}},
		{"Cho", [][2]float64{{3.185, 9}, {3.5, 1}}},
		{"Glu", [][2]float64{{2.04, 1}, {2.12, 1}, {2.34, 2}, {3.74, 1}}},
		{"Ins", [][2]float64{{3.52, 2}, {3.61, 2}, {4.05, 1}, {3.27, 1}}},
	}
	names := make([]string, len(defs))
	basis := make([][]complex128, len(defs))
	for i, d := range defs {
		names[i] = d.name
		fid := make([]complex128, n)
		for _, l := range d.lines {
			hz := (l[0] - p.Central()) * p.SpectrometerFrequency
			for k := range fid {
				t := float64(k) * p.Dwell
				fid[k] += complex(l[1], 0) * cmplx.Exp(complex(-math.Pi*1*t, 2*math.Pi*hz*t))
			}
		}
		basis[i] = fid
	}
	return names, basis
}

// synth builds data from the basis with known amplitudes, broadening, shift
// and phase, plus complex white noise of SD sd in the time domain.
func synthData(p mrs.Params, basis [][]complex128, amps []float64, lorHz, gaussHz, shiftHz, phDeg, sd float64, rng *rand.Rand) []complex128 {
	n := len(basis[0])
	out := make([]complex128, n)
	g := math.Pow(math.Pi*gaussHz, 2) / (4 * math.Ln2)
	for k := range out {
		t := float64(k) * p.Dwell
		e := cmplx.Exp(complex(-math.Pi*lorHz*t-g*t*t, 2*math.Pi*shiftHz*t+phDeg*math.Pi/180))
		var s complex128
		for m, b := range basis {
			s += complex(amps[m], 0) * b[k]
		}
		out[k] = s*e + complex(sd*rng.NormFloat64(), sd*rng.NormFloat64())
	}
	return out
}

func TestFitRecoversKnownAmplitudes(t *testing.T) {
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 1.0 / 4000, Nucleus: "1H"}
	const n = 2048
	names, basis := toyBasis(p, n)
	amps := []float64{10, 8, 2, 9, 6}
	rng := rand.New(rand.NewPCG(1, 2))
	data := synthData(p, basis, amps, 3, 4, 4, 30, 0.5, rng)
	res, err := Fit(data, p, newSet(names, basis, p), Options{NoBaseline: true})
	if err != nil {
		t.Fatal(err)
	}
	for m := range amps {
		rel := math.Abs(res.Amplitudes[m]-amps[m]) / amps[m]
		t.Logf("%s: %.3f (true %g) CRLB %.3f", names[m], res.Amplitudes[m], amps[m], res.SD[m])
		if rel > 0.05 {
			t.Errorf("%s amplitude %.3f, want %g ± 5%%", names[m], res.Amplitudes[m], amps[m])
		}
	}
	if math.Abs(res.Phase0-30) > 3 {
		t.Errorf("phase %.2f°, want 30", res.Phase0)
	}
	if math.Abs(res.ShiftHz[0]-4) > 0.5 {
		t.Errorf("shift %.2f Hz, want 4", res.ShiftHz[0])
	}
	t.Logf("lor %.2f gauss %.2f shift %.2f phase %.2f iters %d", res.LorentzHz[0], res.GaussHz, res.ShiftHz[0], res.Phase0, res.Iterations)
}

func TestFitWithBaseline(t *testing.T) {
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 1.0 / 4000, Nucleus: "1H"}
	const n = 2048
	names, basis := toyBasis(p, n)
	amps := []float64{10, 8, 2, 9, 6}
	rng := rand.New(rand.NewPCG(3, 4))
	data := synthData(p, basis, amps, 3, 4, -3, -50, 0.5, rng)
	// A broad baseline hump: a fast-decaying FID at 1.3 ppm (≈ 40 Hz wide).
	hz := (1.3 - p.Central()) * p.SpectrometerFrequency
	for k := range data {
		tk := float64(k) * p.Dwell
		data[k] += complex(40, 0) * cmplx.Exp(complex(-math.Pi*40*tk, 2*math.Pi*hz*tk))
	}
	res, err := Fit(data, p, newSet(names, basis, p), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ED/ppm %.1f, lor %.2f gauss %.2f shift %.2f phase %.2f iters %d resid %.2f", res.BaselineEDPerPPM, res.LorentzHz[0], res.GaussHz, res.ShiftHz[0], res.Phase0, res.Iterations, res.Residual())
	for m := range amps {
		t.Logf("%s: %.3f (true %g) CRLB %.3f", names[m], res.Amplitudes[m], amps[m], res.SD[m])
		if rel := math.Abs(res.Amplitudes[m]-amps[m]) / amps[m]; rel > 0.08 {
			t.Errorf("%s amplitude %.3f, want %g ± 8%%", names[m], res.Amplitudes[m], amps[m])
		}
	}
}

// Over repeated noise, about 68% of amplitude errors should fall within one
// CRLB if the CRLBs are right (the CRLB is the SD of an efficient estimator).
func TestCRLBCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("Monte Carlo")
	}
	t.Parallel()
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 1.0 / 4000, Nucleus: "1H"}
	const n = 1024
	names, basis := toyBasis(p, n)
	amps := []float64{10, 8, 2, 9, 6}
	rng := rand.New(rand.NewPCG(5, 6))
	within, total := 0, 0
	for rep := 0; rep < 40; rep++ {
		data := synthData(p, basis, amps, 4, 3, 1, 10, 3, rng)
		res, err := Fit(data, p, newSet(names, basis, p), Options{NoBaseline: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep == 0 {
			t.Logf("noise SD estimate %.2f, true %.2f", res.NoiseSD, 3*math.Sqrt(n))
		}
		for m := range amps {
			if math.Abs(res.Amplitudes[m]-amps[m]) <= res.SD[m] {
				within++
			}
			total++
		}
	}
	frac := float64(within) / float64(total)
	t.Logf("%d of %d errors within one CRLB (%.2f)", within, total, frac)
	// Binomial(200, 0.683): SD 0.033. Per-metabolite dampings whose true
	// value sits on their bound (0) make the bounds slightly conservative, so
	// the upper limit allows 0.85.
	if frac < 0.55 || frac > 0.85 {
		t.Errorf("CRLB coverage %.2f, want about 0.68", frac)
	}
}

// A Lorentzian of decay rate d (s⁻¹) has FWHM d/π Hz (closed form), when
// the FID is long enough to have decayed (here 2 s).
func TestWidthHzLorentzian(t *testing.T) {
	for _, lw := range []float64{2, 5, 12} {
		n, dwell := 8192, 1.0/4000
		fid := make([]complex128, n)
		for k := range fid {
			tk := float64(k) * dwell
			fid[k] = cmplx.Exp(complex(-math.Pi*lw*tk, 2*math.Pi*100*tk))
		}
		got, _ := widthHz(fid, dwell)
		if math.Abs(got-lw) > 0.02*lw+0.05 {
			t.Errorf("FWHM %.3f Hz, want %g", got, lw)
		}
	}
}

// Scaling the data (as vendors' integer formats do, by 10⁸ and more) scales
// the amplitudes and changes nothing else.
func TestScaleInvariance(t *testing.T) {
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 1.0 / 4000, Nucleus: "1H"}
	names, basis := toyBasis(p, 1024)
	rng := rand.New(rand.NewPCG(7, 8))
	data := synthData(p, basis, []float64{10, 8, 2, 9, 6}, 3, 4, 4, 30, 0.5, rng)
	ref, err := Fit(data, p, newSet(names, basis, p), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []float64{1e-6, 1e8} {
		d := make([]complex128, len(data))
		for i, v := range data {
			d[i] = v * complex(sc, 0)
		}
		res, err := Fit(d, p, newSet(names, basis, p), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for m := range names {
			if math.Abs(res.Amplitudes[m]/sc-ref.Amplitudes[m]) > 1e-4*ref.Amplitudes[m] {
				t.Errorf("scale %g: %s amplitude %g, want %g", sc, names[m], res.Amplitudes[m]/sc, ref.Amplitudes[m])
			}
			if math.Abs(res.SD[m]/sc-ref.SD[m]) > 1e-3*ref.SD[m] {
				t.Errorf("scale %g: %s CRLB %g, want %g", sc, names[m], res.SD[m]/sc, ref.SD[m])
			}
		}
	}
}
