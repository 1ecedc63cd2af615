package fit

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/sim"
)

// readTSVTable reads a tab-separated table whose first column names the row
// and whose other columns are numbers: row → column → value.
func readTSVTable(t *testing.T, name string) map[string]map[string]float64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	hdr := strings.Split(lines[0], "\t")
	out := map[string]map[string]float64{}
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != len(hdr) {
			t.Fatalf("%s: row %q has %d fields, header %d", name, f[0], len(f), len(hdr))
		}
		row := map[string]float64{}
		for i := 1; i < len(f); i++ {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				t.Fatalf("%s: %s %s = %q", name, f[0], hdr[i], f[i])
			}
			row[hdr[i]] = v
		}
		out[f[0]] = row
	}
	return out
}

// truthRatios are the ratios to total creatine compared with the
// challenge's true concentrations: each is a sum of components over Cr+PCr.
var truthRatios = []struct {
	name  string
	parts []string // basis names summed in the numerator
	lcm   string   // column of lcmodel_challenge_truthset.tsv
}{
	{"Glu/tCr", []string{"Glu"}, "Glu"},
	{"Glx/tCr", []string{"Glu", "Gln"}, "Glu_Gln"},
	{"tNAA/tCr", []string{"NAA", "NAAG"}, "NAA_NAAG"},
	{"Ins/tCr", []string{"Ins"}, "Ins"},
	{"GSH/tCr", []string{"GSH"}, "GSH"},
	{"Cr/tCr", []string{"Cr"}, "Cr"},
}

// truthBounds are the largest median relative |error| against the truth
// that TestChallengeTruth accepts for the default fit, per ratio: just
// above the figures at the commit that added the test (README section
// "Fitting challenge: true concentrations"), so that the test fails when
// accuracy gets worse. GSH's was 0.27 until the first-order phase became
// fitted by default (median 24.6 % → 28.8 % on these spectra, which carry
// no first-order phase; LCModel 27.2 %).
var truthBounds = map[string]float64{
	"Glu/tCr": 0.085, "Glx/tCr": 0.045, "tNAA/tCr": 0.025, "Ins/tCr": 0.070, "GSH/tCr": 0.300, "Cr/tCr": 0.085,
}

// TestChallengeTruth fits the fitting challenge's datasets 1–21, whose true
// concentrations the organisers published (testdata/challenge_truth.tsv,
// from wtclarke/lcm_validation; README), with the default options (the
// first-order phase fitted) and with NoPhase1, and compares Glu, Glx, tNAA, Ins, GSH and Cr over total
// creatine with the truth; LCModel's results on the same spectra and basis
// (testdata/lcmodel_challenge_truthset.tsv) are scored against the same
// truth. It logs the median relative |error| of each ratio for the three
// fits and requires the default fit's to stay within truthBounds. Datasets
// 22–28 (eddy currents, residual water, tumour-like spectra with lipids)
// have no published truth here; their fitted first-order phases and ratios
// are logged.
func TestChallengeTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("fits 56 spectra")
	}
	t.Parallel()
	names, basis := loadChallengeBasis(t)
	truth := readTSVTable(t, "challenge_truth.tsv")
	lcm := readTSVTable(t, "lcmodel_challenge_truthset.tsv")
	p := mrs.Params{SpectrometerFrequency: challengeMHz, Dwell: 0.00025, Nucleus: "1H"}
	lnames, lbasis, err := withBroad(names, basis, p, sim.LCModelLipids)
	if err != nil {
		t.Fatal(err)
	}
	fits := []struct {
		name string
		opt  Options
	}{{"default", Options{}}, {"NoPhase1", Options{NoPhase1: true}}}
	// errs[fit][ratio] are the relative |errors| over the datasets whose
	// true ratio is not 0; index len(fits) is LCModel.
	// signed holds the same errors with their sign.
	errs := make([]map[string][]float64, len(fits)+1)
	signed := make([]map[string][]float64, len(fits)+1)
	for i := range errs {
		errs[i], signed[i] = map[string][]float64{}, map[string][]float64{}
	}
	for i := 1; i <= 28; i++ {
		name := fmt.Sprintf("dataset%d", i)
		f, err := lcmodel.ReadFile(shareddata.Path(t, "mrs/fitting-challenge/"+name+".RAW"))
		if err != nil {
			t.Fatal(err)
		}
		tr, known := truth[name]
		line := name
		for k, c := range fits {
			res, err := Fit(f.FID, p, newSet(lnames, lbasis, p), c.opt)
			if err != nil {
				t.Fatalf("%s, %s: %v", name, c.name, err)
			}
			line += fmt.Sprintf(" | %s φ1 %.1f°/ppm", c.name, res.Phase1)
			tcr, _, _ := res.Combination("Cr", "PCr")
			for _, r := range truthRatios {
				est, _, _ := res.Combination(r.parts...)
				if !known {
					line += fmt.Sprintf(" %s %.3f", r.name, est/tcr)
					continue
				}
				line += " " + scoreRatio(errs[k], signed[k], r.name, r.parts, est/tcr, tr)
			}
		}
		if known {
			l, ok := lcm[name]
			if !ok {
				t.Fatalf("lcmodel_challenge_truthset.tsv has no %s", name)
			}
			line += fmt.Sprintf(" | LCModel φ1 %.1f°/ppm", l["Ph1"])
			for _, r := range truthRatios {
				line += " " + scoreRatio(errs[len(fits)], signed[len(fits)], r.name, r.parts, l[r.lcm]/l["Cr_PCr"], tr)
			}
		} else {
			line += " (no published truth)"
		}
		t.Log(line)
	}
	labels := []string{"glusleep default (φ1 fitted)", "glusleep NoPhase1", "LCModel 6.3"}
	for _, r := range truthRatios {
		s := r.name + " median |error| vs truth (datasets 1–21):"
		for k, lab := range labels {
			s += fmt.Sprintf(" %s %.1f%% (median signed %+.1f%%, n %d);", lab, 100*median(errs[k][r.name]), 100*median(signed[k][r.name]), len(errs[k][r.name]))
		}
		t.Log(s)
		if m := median(errs[0][r.name]); !(m <= truthBounds[r.name]) {
			t.Errorf("%s: default fit's median |error| against the truth %.1f%%, want ≤ %.1f%%", r.name, 100*m, 100*truthBounds[r.name])
		}
	}
	var better, worse int
	for _, r := range truthRatios {
		d, f1 := median(errs[0][r.name]), median(errs[1][r.name])
		switch {
		case f1 < d:
			better++
		case f1 > d:
			worse++
		}
		// Paired: in how many datasets NoPhase1's error is the smaller.
		won := 0
		for j := range errs[0][r.name] {
			if errs[1][r.name][j] < errs[0][r.name][j] {
				won++
			}
		}
		t.Logf("option comparison %s: NoPhase1's |error| smaller than the default's in %d of %d datasets", r.name, won, len(errs[0][r.name]))
	}
	t.Logf("option comparison: NoPhase1 has the lower median |error| against the truth in %d of %d ratios, the higher in %d", better, len(truthRatios), worse)
}

// scoreRatio appends the relative |error| of est against the true ratio of
// parts to Cr+PCr in tr to errs[name], and the signed error to
// signed[name] (both left out when the truth is 0), and
// returns a short log field; an estimate that is not a number counts as an
// infinite error.
func scoreRatio(errs, signed map[string][]float64, name string, parts []string, est float64, tr map[string]float64) string {
	num := 0.0
	for _, n := range parts {
		num += tr[n]
	}
	want := num / (tr["Cr"] + tr["PCr"])
	if want == 0 {
		return fmt.Sprintf("%s %.3f (true 0)", name, est)
	}
	e := est/want - 1
	if math.IsNaN(e) {
		e = math.Inf(1) // no estimate counts as the worst error
	}
	errs[name] = append(errs[name], math.Abs(e))
	signed[name] = append(signed[name], e)
	return fmt.Sprintf("%s %.3f (%+.0f%%)", name, est, 100*(est/want-1))
}
