package results

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func open(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// LCModel's .table of Osprey sub-01 fitted with glusleep's basis and
// control (testdata/README.md): the values printed in the file, names
// mapped to glusleep's, and LCModel's own sums built from glusleep's
// names (GPC+PCh).
func TestReadLCModelTable(t *testing.T) {
	r, err := ReadLCModelTable(open(t, "testdata/sub01.table"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		canonical string
		ratio, sd float64
	}{
		{"GSH", "GSH", 0.139, 13},
		{"GPC+PCh", "tCho", 0.183, 3},
		{"Scyllo", "sIns", 0.037, 18},
		{"Glu+Gln", "Glx", 1.393, 6},
		{"Cr+PCr", "tCr", 1, 2},
		{"NAA+NAAG", "tNAA", 1.355, 1},
	}
	for _, c := range cases {
		m, ok := r.Get(c.canonical)
		if !ok || m.Name != c.name || !near(r.Ratio(c.canonical), c.ratio, 1e-9) || m.SDPercent != c.sd {
			t.Errorf("%s: %+v (ratio %g), want name %s, ratio %g, %%SD %g", c.canonical, m, r.Ratio(c.canonical), c.name, c.ratio, c.sd)
		}
	}
	if r.SNR != 40 || r.FWHMPPM != 0.046 || r.ShiftPPM != 0.008 || !strings.Contains(r.ID, "Osprey sub-01") {
		t.Errorf("SNR %g, FWHM %g, shift %g, ID %q", r.SNR, r.FWHMPPM, r.ShiftPPM, r.ID)
	}
	if len(r.Metabolites) != 39 {
		t.Errorf("%d rows, want 39 (40 lines with the header)", len(r.Metabolites))
	}
}

// The .csv and .coord of the same run carry the same concentrations; the
// .coord also the curves (995 points from 4.0 ppm down to 0.2008 ppm).
func TestLCModelCSVAndCoordAgreeWithTable(t *testing.T) {
	tab, err := ReadLCModelTable(open(t, "testdata/sub01.table"))
	if err != nil {
		t.Fatal(err)
	}
	csv, err := ReadLCModelCSV(open(t, "testdata/sub01.csv"))
	if err != nil || len(csv) != 1 {
		t.Fatalf("%d results, %v", len(csv), err)
	}
	coord, err := ReadLCModelCoord(open(t, "testdata/sub01.coord"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range tab.Metabolites {
		o, ok := coord.Get(m.Name)
		if !ok || o != m {
			t.Errorf("%s: table %+v, coord %+v", m.Name, m, o)
		}
	}
	// LCModel's .csv cuts names to 13 characters (MM14+Lip13a+L).
	for _, o := range csv[0].Metabolites {
		var m Metabolite
		for _, x := range tab.Metabolites {
			if strings.HasPrefix(x.Name, o.Name) {
				m = x
				break
			}
		}
		if m.Name == "" || m.Value != o.Value || m.SDPercent != o.SDPercent || m.RatioTCr != o.RatioTCr {
			t.Errorf("%s: table %+v, csv %+v", o.Name, m, o)
		}
	}
	sp := coord.Spectrum
	if sp == nil || len(sp.PPM) != 995 || sp.PPM[0] != 4 || sp.PPM[994] != 0.200832 || len(sp.Data) != 995 || len(sp.Fit) != 995 || len(sp.Baseline) != 995 {
		t.Fatalf("coord spectrum %+v", sp)
	}
	if coord.SNR != 40 {
		t.Errorf("coord S/N %g", coord.SNR)
	}
}

// Osprey's own LCModel result for sub-01 (Osprey's basis: mI, sI, PCh and
// the sum PCh+GPC) maps to the same glusleep names; LCModel's ratios are
// as printed: GSH 0.138 (9 %), Glu+Gln 1.320.
func TestReadOspreyLCModelResult(t *testing.T) {
	dir := shareddata.Path(t, "mrs/osprey")
	rs, err := ReadFile(filepath.Join(dir, "sub-01_PRESS_35_act_LCModel-result.table"))
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	for name, want := range map[string]float64{"GSH": 0.138, "Ins": 0.857, "sIns": 0.038, "tCho": 0.163, "Glx": 1.320, "tNAA": 1.339} {
		if got := r.Ratio(name); !near(got, want, 1e-9) {
			t.Errorf("%s/tCr = %g, want %g", name, got, want)
		}
	}
	csv, err := ReadFile(filepath.Join(dir, "sub-01_PRESS_35_act_LCModel-result.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got := csv[0].Ratio("GSH"); got != 0.138 {
		t.Errorf("csv GSH/tCr %g", got)
	}
}

// The layout fixtures of FSL-MRS and Osprey tables give the same ratios to
// tCr as the LCModel table their values came from.
func TestReadFSLMRSAndOsprey(t *testing.T) {
	fsl, err := ReadFile("testdata/fslmrs/summary.csv")
	if err != nil {
		t.Fatal(err)
	}
	osp, err := ReadFile("testdata/osprey/QuantifyResults/A_tCr_Voxel_1_Basis_1.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(osp) != 2 || osp[0].ID != "sub-01" || osp[1].ID != "sub-02" || fsl[0].Units != "FSL-MRS mM" {
		t.Fatalf("osprey rows %d (%q), fsl units %q", len(osp), osp[0].ID, fsl[0].Units)
	}
	for name, want := range map[string]float64{"GSH": 0.138, "tNAA": 1.339} {
		if a, b := fsl[0].Ratio(name), osp[0].Ratio(name); !near(a, want, 0.0015) || !near(b, want, 1e-9) {
			t.Errorf("%s/tCr: FSL-MRS %g, Osprey %g, want %g", name, a, b, want)
		}
	}
	if m, _ := fsl[0].Get("GSH"); m.SDPercent != 9 || m.Value != 1.478 {
		t.Errorf("FSL-MRS GSH %+v", m)
	}
	if got := osp[0].Ratio("Ins"); got != 0.857 { // Osprey's mI
		t.Errorf("Osprey mI/tCr %g", got)
	}
}

func TestReadDir(t *testing.T) {
	rs, err := ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var tools []string
	for _, r := range rs {
		tools = append(tools, r.Tool+":"+r.ID)
	}
	if len(rs) != 5 { // Osprey 2 rows, FSL-MRS 1, two LCModel .table
		t.Errorf("read %v", tools)
	}
}

func TestReadErrors(t *testing.T) {
	cases := []struct {
		name, text string
		read       func(string) error
		want       string
	}{
		{"table without banner", "hello\n", func(s string) error { _, err := ReadLCModelTable(strings.NewReader(s)); return err }, "banner"},
		{"table truncated", " LCModel (Version 6.3-1N)\n t\n$$CONC 5 lines\n Conc. %SD /Cr+PCr Metabolite\n 1.0 3% 0.5 NAA\n", func(s string) error { _, err := ReadLCModelTable(strings.NewReader(s)); return err }, "announces 5 lines"},
		{"table bad row", " LCModel\n t\n$$CONC 2 lines\n Conc. %SD /Cr+PCr Metabolite\n 1.0 3 0.5 NAA\n", func(s string) error { _, err := ReadLCModelTable(strings.NewReader(s)); return err }, "want conc"},
		{"csv bad header", "a,b\n1,2\n", func(s string) error { _, err := ReadLCModelCSV(strings.NewReader(s)); return err }, "header"},
		{"coord short curve", " LCModel\n t\n 2 lines in following concentration table = NCONC+1\n Conc. %SD /Cr+PCr Metabolite\n 1.0 3% 0.5 NAA\n 3 points on ppm-axis = NY\n 4.0 3.9\n", func(s string) error { _, err := ReadLCModelCoord(strings.NewReader(s)); return err }, "want NY = 3"},
		{"fsl no CRLB", "Metab,mM\nNAA,1\n", func(s string) error { _, err := ReadFSLMRSSummary(strings.NewReader(s)); return err }, "%CRLB"},
		{"osprey ragged", "NAA\tCr\n1\n", func(s string) error { _, err := ReadOspreyTable(strings.NewReader(s), "tCr", nil); return err }, "fields"},
		{"osprey quantity", "NAA\n1\n", func(s string) error { _, err := ReadOspreyTable(strings.NewReader(s), "nope", nil); return err }, "quantity"},
	}
	for _, c := range cases {
		err := c.read(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

// Ratios to tCr are numbers only with a detected tCr (positive, %SD below
// 999 %), whatever ratio the tool wrote; Cr + PCr stands in for tCr.
func TestRatioTCrDetected(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		mets []Metabolite
		want float64
	}{
		{"tool's ratio", []Metabolite{{Canonical: "tCr", Value: 5, SDPercent: 3, RatioTCr: nan}, {Canonical: "Glx", Value: 6, RatioTCr: 1.25}}, 1.25},
		{"computed", []Metabolite{{Canonical: "tCr", Value: 5, SDPercent: 3, RatioTCr: nan}, {Canonical: "Glx", Value: 6, RatioTCr: nan}}, 1.2},
		{"Cr+PCr, no %SD", []Metabolite{{Canonical: "Cr", Value: 3}, {Canonical: "PCr", Value: 1}, {Canonical: "Glx", Value: 6, RatioTCr: nan}}, 1.5},
		{"Cr alone (no PCr in the basis)", []Metabolite{{Canonical: "Cr", Value: 4, SDPercent: 5}, {Canonical: "Glx", Value: 6, RatioTCr: nan}}, 1.5},
		{"tCr 999 %", []Metabolite{{Canonical: "tCr", Value: 5, SDPercent: 999}, {Canonical: "Glx", Value: 6, RatioTCr: 1.2}}, nan},
		{"tCr 0", []Metabolite{{Canonical: "tCr", Value: 0, SDPercent: 3}, {Canonical: "Glx", Value: 6, RatioTCr: 1.2}}, nan},
		{"tCr negative", []Metabolite{{Canonical: "tCr", Value: -1, SDPercent: 3}, {Canonical: "Glx", Value: 6, RatioTCr: 1.2}}, nan},
	} {
		r := &Result{Metabolites: c.mets}
		got := r.Ratio("Glx")
		if !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s: Glx/tCr %g, want %g", c.name, got, c.want)
		}
		if r.TCrDetected() == math.IsNaN(c.want) {
			t.Errorf("%s: TCrDetected %v", c.name, r.TCrDetected())
		}
	}
}
