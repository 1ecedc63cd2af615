package fit

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
	"glusleep/mrs/basis"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/results"
	"glusleep/mrs/sim"
)

// Osprey's example sub-01 (Philips 3 T PRESS TE 35 ms, 64 averages), fitted
// as `glusleep mrs fit --simulate` does with the default options (basis
// simulated for the header, LCModel's macromolecules and lipids added),
// against two LCModel 6.3 results, read from their .table files: (A) our
// run with glusleep's own basis
// (testdata/osprey_sub01_lcmodel_glusleep_basis.table, made as
// mrs/results/testdata/README.md says), which isolates the fitting model,
// and (B) Osprey's LCModel result stored beside the data
// (../shared/data/mrs/osprey/sub-01_PRESS_35_act_LCModel-result.table;
// Osprey's basis, simulated with Philips' pulses). Every ratio to tCr whose
// LCModel %SD is below 20 % is compared; the issue asks for all within
// 20 %. LCModel's GSH/tCr is 0.139 (A, %SD 13) and 0.138 (B, %SD 9).
// The Cr/PCr split (their amplitudes correlate, ρ ≈ −0.6, and rest on the
// CH2 singlets 0.017 ppm apart) follows the first-order phase: glusleep,
// which fits it by default since session 5 (−2.8°/ppm here; LCModel
// −4.3), gives Cr/tCr 0.310 against 0.29–0.30; with NoPhase1 (held at 0,
// the default before) 0.37, +28 %, and that fit is logged. The ones listed
// in known are outside and logged, not failed: Scyllo (0.052 against
// 0.037–0.038; not LCModel's Scyllo/Big3 prior, which glusleep applies
// too and without which LCModel still finds 0.036, nor the basis: it is
// the split of the broad signal under 3.2–3.5 ppm between baseline, the
// Voigt lines' wings and sIns, Glc, PE and Tau, on which LCModel's own
// Scyllo moves from 0.026 to 0.040 with its baseline knots; measurements
// in testdata/README.md, session 5), and, against Osprey's
// basis only, Asp and NAAG (basis differences: LCModel with glusleep's
// basis finds Asp 0.20 at %SD 36 and NAAG 0, as glusleep does). (C)
// checks the Cr/PCr explanation: LCModel without its ratio priors
// (nratio=0, testdata/osprey_sub01_lcmodel_glusleep_basis_nratio0.table)
// against glusleep without priors; there Cr/tCr agrees (glusleep 0.260, LCModel 0.261), so that Cr is
// asserted in (C).
// With CommonLineshape (one shift and width for all metabolites, the
// default before) GSH/tCr is 0.235: the dispersive residual the common
// lineshape leaves at creatine's 3.03 ppm singlet is filled by GSH's
// cysteine multiplet at 2.93–2.97 ppm; that fit is logged.
func TestOspreySub01AgainstLCModel(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a 3 T basis")
	}
	t.Parallel()
	dir := shareddata.Path(t, "mrs/osprey")
	ds, err := mrsio.Read(filepath.Join(dir, "sub-01_PRESS_35_act.sdat"), mrsio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds.Data
	mhz := math.Round(d.SpectrometerFrequency*1000) / 1000
	q := sim.Sequence{Kind: "press", TE1: d.EchoTime / 2, TE2: d.EchoTime / 2}
	set, err := basis.Simulate(q, mhz, d.Dwell, d.Points(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if set, err = set.Prepare(true); err != nil {
		t.Fatal(err)
	}
	res, err := Fit(mrs.Average(d.FIDs), d.Params, set, Options{})
	if err != nil {
		t.Fatal(err)
	}
	common, err := Fit(mrs.Average(d.FIDs), d.Params, set, Options{CommonLineshape: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range common.Table(math.NaN()) {
		if r.Name == "GSH" {
			t.Logf("CommonLineshape: GSH/tCr %.3f", r.RatioTCr)
		}
	}
	held, err := Fit(mrs.Average(d.FIDs), d.Params, set, Options{NoPhase1: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range held.Table(math.NaN()) {
		if r.Name == "Cr" {
			t.Logf("NoPhase1: Cr/tCr %.3f (default, first-order phase %.1f°/ppm fitted: see below)", r.RatioTCr, res.Phase1)
		}
	}
	free, err := Fit(mrs.Average(d.FIDs), d.Params, set, Options{NoPriors: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("NoPriors: first-order phase %.1f°/ppm (LCModel nratio=0: −5.6)", free.Phase1)
	ratios := func(r *Result) (map[string]float64, map[string]float64) {
		ours, crlb := map[string]float64{}, map[string]float64{}
		for _, row := range r.Table(math.NaN()) {
			ours[row.Name], crlb[row.Name] = row.RatioTCr, row.CRLBPercent
		}
		return ours, crlb
	}
	ours, crlb := ratios(res)
	oursFree, crlbFree := ratios(free)
	read := func(path string) *results.Result {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := results.ReadLCModelTable(f)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, ref := range []struct {
		label      string
		res        *results.Result
		known      map[string]bool
		ours, crlb map[string]float64
	}{
		{"LCModel, glusleep basis", read("testdata/osprey_sub01_lcmodel_glusleep_basis.table"), map[string]bool{"sIns": true}, ours, crlb},
		{"LCModel, Osprey basis", read(filepath.Join(dir, "sub-01_PRESS_35_act_LCModel-result.table")),
			map[string]bool{"sIns": true, "Asp": true, "NAAG": true}, ours, crlb},
		{"LCModel nratio=0 vs glusleep NoPriors", read("testdata/osprey_sub01_lcmodel_glusleep_basis_nratio0.table"),
			map[string]bool{"sIns": true}, oursFree, crlbFree},
	} {
		ours, crlb := ref.ours, ref.crlb
		n, within := 0, 0
		for _, m := range ref.res.Metabolites {
			if !(m.SDPercent < 20) || m.Canonical == "tCr" || m.Canonical[0] == '-' || DefaultGroup(m.Canonical) != 0 {
				continue
			}
			got, ok := ours[m.Canonical]
			if !ok {
				continue // a sum glusleep does not form (Ins+Gly)
			}
			n++
			dev := got/m.RatioTCr - 1
			ok = math.Abs(dev) <= 0.2
			if ok {
				within++
			}
			t.Logf("%s: %-6s glusleep %.3f (CRLB %.0f %%), LCModel %.3f (%%SD %.0f): %+.0f %%", ref.label, m.Canonical, got, crlb[m.Canonical], m.RatioTCr, m.SDPercent, 100*dev)
			if !ok && !ref.known[m.Canonical] {
				t.Errorf("%s: %s/tCr %.3f, LCModel %.3f: more than 20 %% apart", ref.label, m.Canonical, got, m.RatioTCr)
			}
		}
		t.Logf("%s: %d of %d within 20 %%", ref.label, within, n)
	}
	if g := ours["GSH"]; !(g > 0.11 && g < 0.17) {
		t.Errorf("GSH/tCr %.3f, want LCModel's 0.138–0.139 ± 20 %%", g)
	}
}
