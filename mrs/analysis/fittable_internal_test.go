package analysis

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"glusleep/mrs/fit"
)

// result returns a fit result of the named amplitudes with independent
// SDs (a diagonal covariance).
func result(names []string, amps, sds []float64) *fit.Result {
	cov := mat.NewSymDense(len(names), nil)
	for i, s := range sds {
		cov.SetSym(i, i, s*s)
	}
	return &fit.Result{Names: names, Amplitudes: amps, SD: sds, Cov: cov}
}

// _fit.tsv says when tCr is not detected, and then writes no ratio to it
// as a number: an amplitude fitted as 0 is not_detected, one whose CRLB
// is 999 % or more undetermined, and in both cases every ratio_tcr is
// n/a — exactly when fit.Flags raises tcr_zero in _qc.json. Ratios are
// the closed form amplitude / (Cr + PCr) otherwise.
func TestFitTableDetection(t *testing.T) {
	names := []string{"Cr", "PCr", "Glu", "Gln"}
	for _, c := range []struct {
		name       string
		res        *fit.Result
		tcrLine    string // the tCr row (Cr without PCr)
		gluRatio   string
		detections []string // Cr, PCr, Glu, Gln
	}{
		{"detected", result(names, []float64{4, 4, 6, 2}, []float64{0.3, 0.4, 0.5, 0.5}),
			"tCr\t8\t6.25\t1\tdetected", "0.75", []string{Detected, Detected, Detected, Detected}},
		{"fitted as 0", result(names, []float64{0, 0, 6, 2}, []float64{0.3, 0.4, 0.5, 0.5}),
			"tCr\t0\tn/a\tn/a\tnot_detected", "n/a", []string{NotDetected, NotDetected, Detected, Detected}},
		// A numerically tiny creatine left by a fit without it (CRLB
		// 3·10⁶ %): its ratios (Glu/tCr 2·10⁵) would be noise.
		{"undetermined", result(names, []float64{3e-5, 0, 6, 2}, []float64{1, 0.4, 0.5, 0.5}),
			"tCr\t3e-05\t3.59e+06\tn/a\tundetermined", "n/a", []string{Undetermined, NotDetected, Detected, Detected}},
		// An amplitude that is not a number is undetermined, not 0.
		{"not a number", result(names, []float64{math.NaN(), 4, 6, 2}, []float64{0.3, 0.4, 0.5, 0.5}),
			"tCr\tn/a\tn/a\tn/a\tundetermined", "n/a", []string{Undetermined, Detected, Detected, Detected}},
		{"Cr alone", result([]string{"Cr", "Glu"}, []float64{0, 6}, []float64{0.3, 0.5}),
			"Cr\t0\tn/a\tn/a\tnot_detected", "n/a", []string{NotDetected, Detected}},
	} {
		rows := FitRows(c.res, math.NaN())
		lines := strings.Split(strings.TrimSuffix(string(FitTSV(rows, false)), "\n"), "\n")
		if lines[0] != "metabolite\tamplitude\tcrlb_percent\tratio_tcr\tdetection" {
			t.Fatalf("%s: header %q", c.name, lines[0])
		}
		byName := map[string][]string{}
		for _, l := range lines[1:] {
			f := strings.Split(l, "\t")
			byName[f[0]] = f
		}
		tcr := "tCr"
		if len(c.res.Names) == 2 {
			tcr = "Cr"
		}
		if got := strings.Join(byName[tcr], "\t"); got != c.tcrLine {
			t.Errorf("%s: %s row %q, want %q", c.name, tcr, got, c.tcrLine)
		}
		if got := byName["Glu"][3]; got != c.gluRatio {
			t.Errorf("%s: Glu ratio_tcr %s, want %s", c.name, got, c.gluRatio)
		}
		for i, n := range c.res.Names {
			if got := byName[n][4]; got != c.detections[i] {
				t.Errorf("%s: %s detection %s, want %s", c.name, n, got, c.detections[i])
			}
		}
		allNA := true
		for _, f := range byName {
			allNA = allNA && f[3] == "n/a"
		}
		flagged := false
		for _, f := range fit.Flags(c.res, fit.FlagContext{}) {
			flagged = flagged || f.Name == fit.FlagTCrZero
		}
		if allNA != flagged {
			t.Errorf("%s: every ratio n/a %v, tcr_zero flag %v: _fit.tsv and _qc.json disagree", c.name, allNA, flagged)
		}
	}
}

// Every column FitTSV writes is described for its sidecar, with the
// detection column's levels.
func TestFitColumns(t *testing.T) {
	rows := FitRows(result([]string{"Cr", "PCr"}, []float64{1, 1}, []float64{0.1, 0.1}), 2)
	header := strings.SplitN(string(FitTSV(rows, true)), "\n", 2)[0]
	for _, h := range strings.Split(header, "\t") {
		if FitColumns[h].Description == "" {
			t.Errorf("column %s undescribed", h)
		}
	}
	for _, l := range []string{Detected, NotDetected, Undetermined} {
		if FitColumns["detection"].Levels[l] == "" {
			t.Errorf("detection level %s undescribed", l)
		}
	}
}

// A segmentation's name in the outputs never carries the folders above
// the working one, whoever named it (a study's path template may be
// absolute): a home folder carries a person's name.
func TestTissueNameShareable(t *testing.T) {
	for name, want := range map[string]string{
		"/home/alice/derivatives/fast/sub-01_pve_1.nii.gz": "sub-01_pve_1.nii.gz",
		"../../home/alice/fast":                            "fast",
		"derivatives/fast/sub-01":                          "derivatives/fast/sub-01",
	} {
		if got := (&Tissue{src: TissueSource{Name: name}}).name(); got != want {
			t.Errorf("%s: written %q, want %q", name, got, want)
		}
	}
}

// A row's detection, NaNs included: an amplitude that is not a number is
// not known to be 0 (undetermined, not not_detected).
func TestDetectionRows(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		amp, crlb float64
		want      string
	}{
		{nan, nan, Undetermined},
		{1, nan, Undetermined},
		{1, 999, Undetermined},
		{1, 998.9, Detected},
		{0, nan, NotDetected},
	} {
		if got := Detection(fit.Row{Amplitude: c.amp, CRLBPercent: c.crlb}); got != c.want {
			t.Errorf("amplitude %g, CRLB %g %%: %s, want %s", c.amp, c.crlb, got, c.want)
		}
	}
}
