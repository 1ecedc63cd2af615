package fit

import (
	"math/rand/v2"
	"slices"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/preproc"

	"gonum.org/v1/gonum/mat"
)

// flagResult builds a Result with the given amplitudes and CRLBs (no
// correlation), and one singlet component per metabolite whose data peak is
// dataH where the component is compH high (noise SD 1).
func flagResult(amps, sds map[string]float64, compH, dataH float64) *Result {
	names := []string{"Cr", "PCr", "NAA", "NAAG", "GPC", "PCho", "Ins", "Glu", "Gln"}
	r := &Result{Names: names, NoiseSD: 1, PPM: []float64{1.98, 2.0, 2.02}}
	r.Cov = mat.NewSymDense(len(names), nil)
	for i, n := range names {
		r.Amplitudes = append(r.Amplitudes, amps[n])
		r.SD = append(r.SD, sds[n])
		r.Cov.SetSym(i, i, sds[n]*sds[n])
		r.Components = append(r.Components, make([]complex128, 3))
	}
	r.Components[2][1] = complex(compH, 0)
	r.Data = []complex128{0, complex(dataH, 0), 0}
	r.Baseline = make([]complex128, 3)
	r.QC.Reference = "NAA"
	return r
}

func TestFlags(t *testing.T) {
	good := map[string]float64{"Cr": 5, "PCr": 3, "NAA": 10, "NAAG": 1, "GPC": 1, "PCho": 0.5, "Ins": 5, "Glu": 8, "Gln": 3}
	sd := map[string]float64{"Cr": 0.3, "PCr": 0.3, "NAA": 0.3, "NAAG": 0.3, "GPC": 0.1, "PCho": 0.1, "Ins": 0.3, "Glu": 0.5, "Gln": 0.5}
	with := func(m map[string]float64, k string, v float64) map[string]float64 {
		c := map[string]float64{}
		for a, b := range m {
			c[a] = b
		}
		c[k] = v
		return c
	}
	cases := []struct {
		name         string
		amps, sds    map[string]float64
		compH, dataH float64
		ctx          FlagContext
		want         []string
	}{
		{"plausible brain", good, sd, 50, 48, FlagContext{}, nil},
		{"tCr zero", with(with(good, "Cr", 0), "PCr", 0), sd, 50, 48, FlagContext{}, []string{FlagTCrZero}},
		// tCr 1e-4 with a CRLB of 1000 %: as zero, no ratio flags.
		{"tCr undetermined", with(with(good, "Cr", 1e-4), "PCr", 0), with(sd, "Cr", 1e-3), 50, 48, FlagContext{},
			[]string{FlagTCrZero, FlagCRLBUndetermined}},
		// tCho/tCr = 1.5/0.8 > 2·2.5/8.3 = 0.60.
		{"choline far too high", with(with(good, "Cr", 0.5), "PCr", 0.3), sd, 50, 48, FlagContext{},
			[]string{FlagRatioImplausible, FlagRatioImplausible, FlagRatioImplausible, FlagRatioImplausible}},
		{"phantom skips brain ranges", with(with(good, "Cr", 0.5), "PCr", 0.3), sd, 50, 48, FlagContext{Phantom: true}, nil},
		{"CRLB undetermined", good, with(sd, "Ins", 60), 50, 48, FlagContext{}, []string{FlagCRLBUndetermined}},
		{"reference singlet without a peak", good, sd, 50, 3, FlagContext{}, []string{FlagReferenceAbsent}},
		{"referencing fallback", good, sd, 50, 48, FlagContext{ReferencingWarning: "no reference peak"}, []string{FlagReferencing}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, f := range Flags(flagResult(c.amps, c.sds, c.compH, c.dataH), c.ctx) {
				if f.Message == "" {
					t.Errorf("%s without a message", f.Name)
				}
				if !slices.Contains(FlagNames, f.Name) {
					t.Errorf("%s is not in FlagNames", f.Name)
				}
				got = append(got, f.Name)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("flags %v, want %v", got, c.want)
			}
		})
	}
}

// The fit reports the same SNR as the preprocessing (one definition), and
// not 0 when NAA is absent; LCModel's S/N is reported beside it.
func TestFitSNRIsPreprocSNR(t *testing.T) {
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 1.0 / 2000, Nucleus: "1H"}
	names, fids := toyBasis(p, 1024)
	amps := []float64{0, 1, 0.3, 0, 0.5} // no NAA
	data := synthData(p, fids, amps, 3, 2, 1, 10, 0.2, rand.New(rand.NewPCG(5, 6)))
	res, err := Fit(data, p, newSet(names, fids, p), Options{NoBaseline: true})
	if err != nil {
		t.Fatal(err)
	}
	want, err := preproc.MeasureSNR(data, p)
	if err != nil {
		t.Fatal(err)
	}
	if res.QC.SNR != want.Value || res.QC.SNRPeak != "tCr" || res.QC.SNRDefinition != preproc.SNRFormula || !(res.QC.SNR > 0) {
		t.Errorf("fit SNR %g on %q, preproc %g on %q", res.QC.SNR, res.QC.SNRPeak, want.Value, want.Peak)
	}
	if !(res.QC.SNRLCModel > 0) {
		t.Errorf("LCModel S/N %g", res.QC.SNRLCModel)
	}
}
