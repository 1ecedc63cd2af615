package fit

import (
	"math"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/sim"
)

// LCModel's own regression input (../shared/data/mrs/lcmodel-test) with its
// basis: LCModel reports (out_ref_build.ps) Glu/tCr 1.171, Glx/tCr 1.510,
// FWHM 0.084 ppm and S/N 21. glusleep must agree within 10% on the ratios
// and be of the same order on FWHM and S/N.
func TestLCModelRegressionInput(t *testing.T) {
	raw, err := lcmodel.ReadFile(shareddata.Path(t, "mrs/lcmodel-test/data.raw"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := lcmodel.ReadBasisFile(shareddata.Path(t, "mrs/lcmodel-test/3t.basis"))
	if err != nil {
		t.Fatal(err)
	}
	p := mrs.Params{SpectrometerFrequency: 127.786142, Dwell: 0.0005, Nucleus: "1H"}
	var names []string
	var fids [][]complex128
	for _, e := range b.Entries {
		names = append(names, e.Name)
		fids = append(fids, e.FID)
	}
	names, fids, err = withBroad(names, fids, p, append(append([]sim.Broad(nil), sim.LCModelLipids...), sim.LCModelMacromolecules...))
	if err != nil {
		t.Fatal(err)
	}
	// The basis has 512 points, the data 1024: fit the first 512.
	data := raw.FID[:len(fids[0])]
	res, err := Fit(data, p, newSet(names, fids, p), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tcr, _, _ := res.Combination("Cr", "PCr")
	glu, _, _ := res.Combination("Glu")
	glx, _, _ := res.Combination("Glu", "Gln")
	t.Logf("Glu/tCr %.3f (LCModel 1.171), Glx/tCr %.3f (1.510), FWHM %.3f ppm (0.084), SNR %.1f, SNR(LCModel def.) %.1f (21), residual %.2f σ",
		glu/tcr, glx/tcr, res.QC.FWHMPPM, res.QC.SNR, res.QC.SNRLCModel, res.QC.Residual)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"Glu/tCr", glu / tcr, 1.171}, {"Glx/tCr", glx / tcr, 1.510}} {
		if math.Abs(c.got-c.want)/c.want > 0.10 {
			t.Errorf("%s = %.3f, want within 10%% of LCModel's %.3f", c.name, c.got, c.want)
		}
	}
	if res.QC.FWHMPPM < 0.042 || res.QC.FWHMPPM > 0.168 {
		t.Errorf("FWHM %.3f ppm, want the order of LCModel's 0.084 (0.5–2×)", res.QC.FWHMPPM)
	}
	if res.QC.SNRLCModel < 10.5 || res.QC.SNRLCModel > 42 {
		t.Errorf("S/N %.1f, want the order of LCModel's 21 (0.5–2×)", res.QC.SNRLCModel)
	}
}

// The fitting challenge's water-scaling test spectrum holds 10 mM Cr: with
// the relaxation and tissue values its README states (TE 30 ms, GM/WM
// 0.6/0.4, water T2 110/80 ms, metabolite T2 160 ms) it must come out at
// 10 ± 0.5 mM.
func TestChallengeWaterScaling(t *testing.T) {
	names, basis := loadChallengeBasis(t)
	raw, err := lcmodel.ReadFile(shareddata.Path(t, "mrs/fitting-challenge/Cr_10mM_test_water_scaling.RAW"))
	if err != nil {
		t.Fatal(err)
	}
	h2o, err := lcmodel.ReadFile(shareddata.Path(t, "mrs/fitting-challenge/Cr_10mM_test_water_scaling.H2O"))
	if err != nil {
		t.Fatal(err)
	}
	p := mrs.Params{SpectrometerFrequency: challengeMHz, Dwell: 0.00025, Nucleus: "1H", EchoTime: 0.030}
	res, err := Fit(raw.FID, p, newSet(names, basis, p), Options{})
	if err != nil {
		t.Fatal(err)
	}
	area, err := WaterArea(h2o.FID, p)
	if err != nil {
		t.Fatal(err)
	}
	ps, from, err := newSet(names, basis, p).MeasureProtonScale()
	if err != nil {
		t.Fatal(err)
	}
	ws, err := WaterScale(area, ps, 0.030, 0, Tissue{})
	if err != nil {
		t.Fatal(err)
	}
	tcr, sd, _ := res.Combination("Cr", "PCr")
	conc := tcr * ws.Scale
	t.Logf("tCr %.3f mM (CRLB %.3f mM); water area %.4g; proton scale %.4g from %s", conc, sd*ws.Scale, area, ps, from)
	if math.Abs(conc-10) > 0.5 {
		t.Errorf("Cr = %.2f mM, want 10 ± 0.5", conc)
	}
}
