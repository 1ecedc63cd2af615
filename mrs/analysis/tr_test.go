package analysis_test

import (
	"maps"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/analysis"
)

// On a real GE P-file (water frames in the same file, header TR 2000 ms:
// the dataset's file name and sdbm's SAGE header), water scaling takes
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
