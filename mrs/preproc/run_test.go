package preproc

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"glusleep/mrs"
)

// coilData simulates a multi-channel acquisition: brain-like singlets and
// a residual water line, per-transient frequency and phase drift, complex
// coil sensitivities, and noise correlated between channels (each channel
// mixes its own noise with a shared component). It returns the suppressed
// data (DIM_COIL × DIM_DYN), the water reference (DIM_COIL), the true
// drift in Hz and the noiseless combined-equivalent NAA height.
func coilData(nc, nt, n int, seed uint64) (*mrs.Data, *mrs.Data, []float64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	p := params3T
	p.EchoTime = 0.03
	met := []line{{2.008, 1, 5, 0}, {3.027, 0.8, 5, 0}, {3.185, 0.7, 5, 0}, {3.75, 0.4, 12, 0}, {4.70, 5, 10, 0.6}}
	base := synthFID(p, n, met, 0, nil)
	wbase := synthFID(p, n, []line{{4.65, 2000, 6, 0}}, 0, nil)
	sens := make([]complex128, nc)
	for c := range sens {
		sens[c] = cmplx.Rect(0.2+rng.Float64(), rng.Float64()*2*math.Pi)
	}
	noise := func() []complex128 {
		shared := complex(rng.NormFloat64(), rng.NormFloat64())
		v := make([]complex128, nc)
		for c := range v {
			v[c] = 0.02 * (complex(rng.NormFloat64(), rng.NormFloat64()) + 0.5*shared)
		}
		return v
	}
	d := &mrs.Data{Params: p, Dims: []mrs.Dim{{Tag: mrs.DimCoil, Size: nc}, {Tag: mrs.DimDyn, Size: nt}}}
	d.FIDs = make([][]complex128, nc*nt)
	drift := make([]float64, nt)
	for t := 0; t < nt; t++ {
		drift[t] = 3*math.Sin(float64(t)/9) + 0.5*rng.NormFloat64()
		tr := Shift(base, p.Dwell, drift[t], 0.2*rng.NormFloat64())
		for c := 0; c < nc; c++ {
			d.FIDs[t*nc+c] = make([]complex128, n)
		}
		for k := 0; k < n; k++ {
			nv := noise()
			for c := 0; c < nc; c++ {
				d.FIDs[t*nc+c][k] = sens[c]*tr[k] + nv[c]
			}
		}
	}
	w := &mrs.Data{Params: p, Dims: []mrs.Dim{{Tag: mrs.DimCoil, Size: nc}}, FIDs: make([][]complex128, nc)}
	for c := range w.FIDs {
		w.FIDs[c] = make([]complex128, n)
	}
	for k := 0; k < n; k++ {
		nv := noise()
		for c := 0; c < nc; c++ {
			w.FIDs[c][k] = sens[c]*wbase[k] + nv[c]
		}
	}
	return d, w, drift
}

// TestRunCoilsTransients runs the whole chain on simulated 8-channel,
// 32-transient data with drift, residual water and a 0.1 ppm (12 Hz)
// transmitter offset.
func TestRunCoilsTransients(t *testing.T) {
	d, w, drift := coilData(8, 32, 2048, 1)
	off := 0.1 * d.SpectrometerFrequency
	for i, f := range d.FIDs {
		d.FIDs[i] = Shift(f, d.Dwell, off, 0)
	}
	for i, f := range w.FIDs {
		w.FIDs[i] = Shift(f, d.Dwell, off, 0)
	}
	res, err := Run(d, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	q := res.QC
	t.Logf("steps %q", q.Steps)
	t.Logf("SNR %.0f, NAA %.4f ppm %.2f Hz, Cr %.4f ppm, water %.4f ppm %.2f Hz, suppression %.2f%%, drift range %.2f Hz, shift %.2f Hz",
		q.SNR, q.NAA.PPM, q.NAA.FWHMHz, q.Cr.PPM, q.Water.PPM, q.Water.FWHMHz, *q.WaterSuppressionPercent, q.DriftRangeHz, q.ReferenceShiftHz)
	if len(res.Data.FIDs) != 1 || len(res.Data.Dims) != 0 || res.Water == nil {
		t.Fatalf("output dims %v with %d FIDs, want one spectrum", res.Data.Dims, len(res.Data.FIDs))
	}
	if math.Abs(q.NAA.PPM-2.008) > 0.01 || math.Abs(q.Cr.PPM-3.027) > 0.01 || math.Abs(q.Water.PPM-4.65) > 0.01 {
		t.Errorf("after referencing NAA %.4f, Cr %.4f, water %.4f ppm", q.NAA.PPM, q.Cr.PPM, q.Water.PPM)
	}
	// Drift: estimated minus true, up to a common offset.
	m := 0.0
	for i := range drift {
		m += q.DriftHz[i] - drift[i]
	}
	m /= float64(len(drift))
	for i := range drift {
		if e := q.DriftHz[i] - drift[i] - m; math.Abs(e) > 0.1 {
			t.Errorf("transient %d: drift error %.3f Hz", i, e)
		}
	}
	// Line width: 5 Hz lines, aligned, stay near 5 Hz.
	if q.NAA.FWHMHz > 5.6 {
		t.Errorf("NAA FWHM %.2f Hz after alignment, lines are 5 Hz", q.NAA.FWHMHz)
	}
	if len(q.Rejected) != 0 {
		t.Errorf("rejected %v from clean data", q.Rejected)
	}
	// Residual water 5 units at 10 Hz against 2000 at 6 Hz: peak heights
	// of a sampled Lorentzian are amp/(1 − exp(−π·fwhm·dwell)).
	h := func(amp, fwhm float64) float64 { return amp / (1 - math.Exp(-math.Pi*fwhm*d.Dwell)) }
	want := 100 * (1 - h(5, 10)/h(2000, 6))
	if s := *q.WaterSuppressionPercent; math.Abs(s-want) > 0.02 {
		t.Errorf("water suppression %.3f%%, want %.3f%%", s, want)
	}
	// The phased spectrum is absorptive: the real NAA apex is its height.
	spec := mrs.Spectrum(res.Data.FIDs[0])
	i := int(math.Round(d.PPMToIndex(2.008, len(spec))))
	if re, ab := real(spec[i]), cmplx.Abs(spec[i]); re < 0.97*ab {
		t.Errorf("NAA not phased: real %.3g of magnitude %.3g", re, ab)
	}
	if _, err := Run(&mrs.Data{}, nil, Options{}); err == nil {
		t.Error("empty data: no error")
	}
}

// A water reference sampled on another grid is neither used for ECC nor
// compared with the data for water suppression: the steps say so.
func TestRunWaterOtherGrid(t *testing.T) {
	d, w, _ := coilData(2, 4, 512, 4)
	w.Dwell *= 2
	res, err := Run(d, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.QC.WaterSuppressionPercent != nil {
		t.Errorf("water suppression %v from a reference on another grid", *res.QC.WaterSuppressionPercent)
	}
	for _, s := range res.QC.Steps {
		if strings.Contains(s, "Klose") {
			t.Errorf("ECC applied with a reference on another grid: %q", res.QC.Steps)
		}
	}
	if !strings.Contains(strings.Join(res.QC.Steps, ";"), "another time grid") {
		t.Errorf("steps do not say why: %q", res.QC.Steps)
	}
}

// BenchmarkRun32x64: the size, 32 coils × 64 transients × 2048
// points, whole chain with a water reference.
func BenchmarkRun32x64(b *testing.B) {
	d, w, _ := coilData(32, 64, 2048, 2)
	b.ResetTimer()
	for range b.N {
		if _, err := Run(d, w, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
