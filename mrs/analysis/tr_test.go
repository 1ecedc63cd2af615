package analysis_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/analysis"
	"glusleep/mrs/format/mrsio"
)

// On a real GE P-file (water frames in the same file, header TR 2000 ms,
// as the dataset's file names say), water scaling takes
// the header's TR when none is given, and gives exactly the
// concentrations that the same TR given as a flag gives; only the
// recorded source differs. Skipped without ../shared/data.
func TestWaterScalingHeaderTRRealFile(t *testing.T) {
	in := shareddata.Path(t, "mrs/ge-1.5T-press-te30/P1806_1.5T_030_2000.7")
	t.Parallel()
	conc := map[string][]float64{}
	for _, c := range []struct {
		name    string
		tr      float64 // Settings.RepetitionTime, s
		sources map[string]string
	}{
		{"header", 0, nil},
		{"flag", 2.0, map[string]string{"tr_ms": "flag"}},
	} {
		a, err := analysis.New(analysis.Settings{Lipids: true, RepetitionTime: c.tr})
		if err != nil {
			t.Fatal(err)
		}
		r, err := a.Analyse(in)
		if err != nil {
			t.Fatal(err)
		}
		q := r.QC.Quantification
		if q == nil || q.TRms != 2000 || !maps.Equal(q.Sources, c.sources) || r.QC.Acquisition.TRms != 2000 {
			t.Fatalf("%s: quantification %+v, acquisition TR %g ms; want TR 2000 ms from %v", c.name, q, r.QC.Acquisition.TRms, c.sources)
		}
		for _, row := range r.Rows {
			conc[c.name] = append(conc[c.name], row.ConcMM)
		}
	}
	h, f := conc["header"], conc["flag"]
	if len(h) == 0 || len(h) != len(f) {
		t.Fatalf("rows: header %d, flag %d", len(h), len(f))
	}
	for i := range h {
		if h[i] != f[i] && !(h[i] != h[i] && f[i] != f[i]) { // NaN equals NaN here
			t.Errorf("row %d: %g mM with the header's TR, %g mM with the flag's", i, h[i], f[i])
		}
	}
}

// A mixing time given for a PRESS spectrum is not used: the acquisition
// keeps no TM and names no replaced value, and a note says why.
func TestMixingTimeIgnoredForPRESS(t *testing.T) {
	t.Parallel()
	a, err := analysis.New(analysis.Settings{Lipids: true, Read: mrsio.Options{MixingTime: 0.020}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := writeSpectrum(a, t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Analyse(in)
	if err != nil {
		t.Fatal(err)
	}
	acq := r.QC.Acquisition
	if acq.TMms != 0 || acq.Sources["tm_ms"] != "" || acq.Replaced != nil || analysis.AssumedForBasis(acq) != nil {
		t.Errorf("PRESS with TM 20 ms given: acquisition %+v", acq)
	}
	const want = "the mixing time given (TM 20 ms) is not used: the spectrum's sequence (PRESS) is not STEAM"
	if !slices.Contains(r.QC.Notes, want) {
		t.Errorf("notes %q lack %q", r.QC.Notes, want)
	}
}

// A repetition time in ms given where s belong is refused, not used.
func TestRepetitionTimeSettingInSeconds(t *testing.T) {
	for _, tr := range []float64{2000, 0.05, -1} {
		if _, err := analysis.New(analysis.Settings{RepetitionTime: tr}); err == nil || !strings.Contains(err.Error(), "outside 0.1–60 s") {
			t.Errorf("RepetitionTime %g s: %v, want an error with the range", tr, err)
		}
	}
}
