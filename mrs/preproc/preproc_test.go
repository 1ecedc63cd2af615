package preproc

import (
	"encoding/json"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"glusleep/mrs"
)

// params3T is a 3 T acquisition: 123.2 MHz, 2000 Hz, 2048 points.
var params3T = mrs.Params{SpectrometerFrequency: 123.2, Dwell: 1.0 / 2000, Nucleus: "1H"}

type line struct {
	ppm, amp, fwhm, phase float64
}

// synthFID returns Σ amp·exp(iφ)·exp((2πi·Hz − π·fwhm)·t) plus complex
// Gaussian noise of SD sd per component, with the lines' frequencies from
// their ppm under p.
func synthFID(p mrs.Params, n int, lines []line, sd float64, rng *rand.Rand) []complex128 {
	fid := make([]complex128, n)
	for k := range fid {
		t := float64(k) * p.Dwell
		for _, l := range lines {
			hz := (l.ppm - p.Central()) * p.SpectrometerFrequency
			fid[k] += complex(l.amp*math.Exp(-math.Pi*l.fwhm*t), 0) * cmplx.Rect(1, 2*math.Pi*hz*t+l.phase)
		}
		if rng != nil {
			fid[k] += complex(rng.NormFloat64()*sd, rng.NormFloat64()*sd)
		}
	}
	return fid
}

func TestShiftMovesPeak(t *testing.T) {
	fid := synthFID(params3T, 2048, []line{{2.0, 1, 4, 0}}, 0, nil)
	for _, hz := range []float64{-12.3, 0, 7.7} {
		q, err := MeasurePeak(Shift(fid, params3T.Dwell, hz, 0.4), params3T, [2]float64{1.5, 2.5}, NoiseWindow)
		if err != nil {
			t.Fatal(err)
		}
		want := 2.0 + hz/params3T.SpectrometerFrequency
		if math.Abs(q.PPM-want) > 0.002 {
			t.Errorf("shift %g Hz: peak at %.4f ppm, want %.4f", hz, q.PPM, want)
		}
	}
}

// TestMeasurePeak checks width and SNR against closed forms: a Lorentzian
// of FWHM w Hz has FWHM w; its spectral height is amp/(π·w·dwell)·… and
// the noise SD of the real spectrum of complex white noise of SD σ per
// component is σ·√n.
func TestMeasurePeak(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 2048
	for _, fw := range []float64{3, 6, 12} {
		sd := 0.002
		fid := synthFID(params3T, n, []line{{2.01, 1, fw, 0.7}}, sd, rng)
		q, err := MeasurePeak(fid, params3T, NAAWindow, NoiseWindow)
		if err != nil {
			t.Fatal(err)
		}
		// Height of the DFT of a·exp((2πif − πw)t) at the peak:
		// Σ exp(−πw·k·dt) = 1/(1 − exp(−πw·dt)).
		h := 1 / (1 - math.Exp(-math.Pi*fw*params3T.Dwell))
		wantSNR := h / (sd * math.Sqrt(float64(n)))
		if math.Abs(q.FWHMHz-fw) > 0.05*fw+0.1 {
			t.Errorf("FWHM %g Hz: measured %.3f Hz", fw, q.FWHMHz)
		}
		if math.Abs(q.FWHMPPM-q.FWHMHz/params3T.SpectrometerFrequency) > 1e-12 {
			t.Errorf("FWHM ppm %g inconsistent with %g Hz", q.FWHMPPM, q.FWHMHz)
		}
		if math.Abs(q.SNR/wantSNR-1) > 0.1 {
			t.Errorf("FWHM %g Hz: SNR %.0f, want %.0f ± 10%%", fw, q.SNR, wantSNR)
		}
		if math.Abs(q.PPM-2.01) > 0.002 {
			t.Errorf("peak at %.4f ppm, want 2.01", q.PPM)
		}
	}
	if _, err := MeasurePeak(make([]complex128, 8), params3T, NAAWindow, NoiseWindow); err == nil {
		t.Error("8-point FID: no error")
	}
}

// TestRemoveWater: a water line 1000 times NAA's is removed; NAA and Cr
// keep their heights, and the noiseless components come back exactly.
func TestRemoveWater(t *testing.T) {
	lines := []line{{4.68, 1000, 8, 0.3}, {2.01, 1, 5, 0}, {3.03, 0.8, 5, 0}, {3.21, 0.5, 5, 0}}
	clean := synthFID(params3T, 2048, lines[1:], 0, nil)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sd := range []float64{0, 0.003} {
		fid := synthFID(params3T, 2048, lines, sd, rng)
		out, comps, err := RemoveWater(fid, params3T, HLSVDOptions{})
		if err != nil {
			t.Fatal(err)
		}
		before, _ := MeasurePeak(fid, params3T, WaterWindow, NoiseWindow)
		after, _ := MeasurePeak(out, params3T, WaterWindow, NoiseWindow)
		naa, _ := MeasurePeak(out, params3T, NAAWindow, NoiseWindow)
		naa0, _ := MeasurePeak(clean, params3T, NAAWindow, NoiseWindow)
		cr, _ := MeasurePeak(out, params3T, CrWindow, NoiseWindow)
		cr0, _ := MeasurePeak(clean, params3T, CrWindow, NoiseWindow)
		t.Logf("noise %g: water %.4g → %.4g; NAA %.4g (clean %.4g); Cr %.4g (clean %.4g)", sd, before.Height, after.Height, naa.Height, naa0.Height, cr.Height, cr0.Height)
		if after.Height > before.Height/1000 {
			t.Errorf("noise %g: water only reduced from %.4g to %.4g", sd, before.Height, after.Height)
		}
		if math.Abs(naa.Height/naa0.Height-1) > 0.02 || math.Abs(cr.Height/cr0.Height-1) > 0.02 {
			t.Errorf("noise %g: NAA %.4g vs %.4g, Cr %.4g vs %.4g", sd, naa.Height, naa0.Height, cr.Height, cr0.Height)
		}
		if sd == 0 {
			found := 0
			for _, c := range comps {
				for _, l := range lines {
					if math.Abs(c.PPM-l.ppm) < 1e-4 && math.Abs(c.Width-l.fwhm) < 1e-3 && math.Abs(cmplx.Abs(c.Amplitude)-l.amp) < 1e-3*l.amp {
						found++
					}
				}
			}
			if found != len(lines) {
				t.Errorf("noiseless: %d of %d lines recovered exactly; components %+v", found, len(lines), comps)
			}
		}
	}
}

// TestECC: an eddy-current phase φ(t) = 1.5·exp(−t/20 ms) shared by water
// (on resonance) and metabolites is removed exactly while the water is
// above the noise.
func TestECC(t *testing.T) {
	n := 2048
	water := synthFID(params3T, n, []line{{4.65, 100, 3, 0}}, 0, nil)
	met := synthFID(params3T, n, []line{{2.01, 1, 5, 0}, {3.03, 1, 5, 0}}, 0, nil)
	wd, md := make([]complex128, n), make([]complex128, n)
	for k := range wd {
		ph := cmplx.Rect(1, 1.5*math.Exp(-float64(k)*params3T.Dwell/0.02))
		wd[k], md[k] = water[k]*ph, met[k]*ph
	}
	got, err := ECC(md, wd)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for k := range got {
		worst = math.Max(worst, cmplx.Abs(got[k]-met[k]))
	}
	if worst > 1e-9 {
		t.Errorf("largest deviation after ECC %g", worst)
	}
	if _, err := ECC(md, wd[:100]); err == nil {
		t.Error("length mismatch: no error")
	}
}

// TestAlignSynthetic: known shifts applied to noisy copies of a spectrum
// come back, and a transient with a broken line shape is rejected.
func TestAlignSynthetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	base := []line{{2.01, 1, 5, 0}, {3.03, 0.8, 5, 0}, {3.21, 0.6, 5, 0}, {3.7, 0.4, 10, 0}}
	n := 2048
	var fids [][]complex128
	var hz, ph []float64
	for i := 0; i < 32; i++ {
		h, p := rng.Float64()*16-8, rng.Float64()*1.6-0.8
		fid := synthFID(params3T, n, base, 0.002, rng)
		fids = append(fids, Shift(fid, params3T.Dwell, h, p))
		hz, ph = append(hz, h), append(ph, p)
	}
	// Transient 7: a motion-corrupted one.
	fids[7] = synthFID(params3T, n, []line{{2.3, 0.6, 25, 1}, {3.3, 0.5, 30, 0}}, 0.002, rng)
	a, err := Align(fids, params3T, AlignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var mh, mp float64
	cnt := 0
	for i := range fids {
		if i == 7 {
			continue
		}
		mh += a.Hz[i] - hz[i]
		mp += wrap(a.Phase[i] - ph[i])
		cnt++
	}
	mh /= float64(cnt)
	mp /= float64(cnt)
	for i := range fids {
		if i == 7 {
			continue
		}
		if e := a.Hz[i] - hz[i] - mh; math.Abs(e) > 0.05 {
			t.Errorf("transient %d: frequency error %.3f Hz", i, e)
		}
		if e := wrap(a.Phase[i] - ph[i] - mp); math.Abs(e) > 0.02 {
			t.Errorf("transient %d: phase error %.4f rad", i, e)
		}
	}
	if len(a.Rejected) != 1 || a.Rejected[0] != 7 {
		t.Errorf("rejected %v, want [7]", a.Rejected)
	}
	if len(a.Accepted()) != 31 {
		t.Errorf("%d accepted, want 31", len(a.Accepted()))
	}
	if _, err := Align(nil, params3T, AlignOptions{}); err == nil {
		t.Error("no transients: no error")
	}
}

// A flat spectrum has no half-maximum crossing: the width is NaN, written
// as null in JSON rather than failing the QC file.
func TestMeasurePeakNoWidth(t *testing.T) {
	fid := make([]complex128, 256)
	fid[0] = 1
	q, err := MeasurePeak(fid, params3T, NAAWindow, NoiseWindow)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(q.FWHMHz) {
		t.Errorf("flat spectrum: FWHM %g Hz, want NaN", q.FWHMHz)
	}
	b, err := json.Marshal(QC{NAA: q})
	if err != nil || !strings.Contains(string(b), `"fwhm_hz":null`) {
		t.Errorf("JSON: %v %s", err, b)
	}
}

func TestApodizeZeroFillTruncate(t *testing.T) {
	fid := synthFID(params3T, 1024, []line{{2.01, 1, 4, 0}}, 0, nil)
	q0, _ := MeasurePeak(fid, params3T, NAAWindow, NoiseWindow)
	q1, _ := MeasurePeak(Apodize(fid, params3T.Dwell, 3, 0), params3T, NAAWindow, NoiseWindow)
	if math.Abs(q1.FWHMHz-q0.FWHMHz-3) > 0.15 {
		t.Errorf("3 Hz exponential broadening: FWHM %.2f → %.2f Hz", q0.FWHMHz, q1.FWHMHz)
	}
	if z := ZeroFill(fid, 4096); len(z) != 4096 || z[1023] != fid[1023] || z[1024] != 0 {
		t.Error("ZeroFill wrong")
	}
	if tr := Truncate(fid, 100); len(tr) != 100 || tr[99] != fid[99] {
		t.Error("Truncate wrong")
	}
}
