package analysis_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/format/nifti"
	"glusleep/synth"
)

// amplitudes of the synthetic 3 T PRESS spectrum (basis units; with a
// simulated basis one unit is 1 mM-equivalent of the metabolite):
// Glx/tCr = (6 + 2)/(4.5 + 3.5) = 1.
var amplitudes = map[string]float64{"NAA": 9, "NAAG": 1.2, "Cr": 4.5, "PCr": 3.5, "Ins": 5, "GPC": 1.2, "PCho": 0.5,
	"Glu": 6, "Gln": 2, "MM09": 3, "MM12": 1.5, "MM14": 2, "MM17": 1.5, "MM20": 3}

var params = mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025, EchoTime: 0.030, Sequence: "PRESS", Nucleus: "1H"}

// shared is the Analyzer of the tests that need no settings but lipids
// (a basis simulated per header, fixed default tissue fractions), made
// once per test run so its simulated basis is shared; an Analyzer is safe
// for concurrent use.
var shared struct {
	once sync.Once
	a    *analysis.Analyzer
	err  error
}

// lipidsAnalyzer returns shared's Analyzer (analysis.Settings{Lipids: true}).
func lipidsAnalyzer(t *testing.T) *analysis.Analyzer {
	t.Helper()
	shared.once.Do(func() { shared.a, shared.err = analysis.New(analysis.Settings{Lipids: true}) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.a
}

// writeSpectrum writes the synthetic spectrum as dir/sub-01_svs.nii.gz
// and, when waterArea > 0, a water reference of that FID(0) beside it.
func writeSpectrum(a *analysis.Analyzer, dir string, waterArea float64) (string, error) {
	set, err := a.Basis(params, 1024)
	if err != nil {
		return "", err
	}
	fid, _, err := synth.Spectrum(synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: params.Dwell, Amplitudes: amplitudes,
		LorentzHz: 4, GaussHz: 3, NoiseSD: 0.5}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		return "", err
	}
	in := filepath.Join(dir, "sub-01_svs.nii.gz")
	if err := nifti.WriteData(in, &mrs.Data{Params: params, FIDs: [][]complex128{fid}}); err != nil {
		return "", err
	}
	if waterArea > 0 {
		w := make([]complex128, 1024)
		for k := range w {
			w[k] = complex(waterArea, 0) * cmplx.Exp(complex(-math.Pi*5*float64(k)*params.Dwell, 0))
		}
		if err := nifti.WriteData(filepath.Join(dir, "sub-01_mrsref.nii.gz"), &mrs.Data{Params: params, FIDs: [][]complex128{w}}); err != nil {
			return "", err
		}
	}
	return in, nil
}

// The pipeline on one spectrum with a basis simulated for its header: the
// outputs it writes and the Glx/tCr it finds (truth 1.0).
func Example() {
	dir, err := os.MkdirTemp("", "analysis-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	a, err := analysis.New(analysis.Settings{Lipids: true}) // no Basis: simulate one per header
	if err != nil {
		fmt.Println(err)
		return
	}
	in, err := writeSpectrum(a, dir, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := a.Run(in, dir, analysis.Stem(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, row := range r.Rows {
		if row.Name == "Glx" {
			fmt.Printf("Glx/tCr %.1f\n", row.RatioTCr)
		}
	}
	fmt.Println("basis:", r.QC.Basis)
	files, _ := filepath.Glob(filepath.Join(dir, "sub-01_svs_*"))
	for _, f := range files {
		fmt.Println(filepath.Base(f))
	}
	// Output:
	// Glx/tCr 1.0
	// basis: simulated PRESS TE1 15 ms, TE2 15 ms, 123.2 MHz
	// sub-01_svs_fit.svg
	// sub-01_svs_fit.tsv
	// sub-01_svs_qc.json
}

// Water scaling follows the Gasparovic (2006) formula, computed here
// independently: with a simulated basis (one proton = 1) and a water
// reference of FID(0) A, a metabolite of amplitude a has
// conc = a·2/A·[H2O]·Σ f·d·exp(−TE/T2w) / exp(−TE/T2m), fractions and
// relaxation times the fitting challenge's (GM/WM 0.6/0.4, water T2
// 110/80 ms, contents 0.78/0.65 g/mL, metabolite T2 160 ms), TE 30 ms.
// The QC's quantification names its times in ms.
func TestWaterScalingClosedForm(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := lipidsAnalyzer(t)
	const area = 20000.0
	in, err := writeSpectrum(a, dir, area)
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Run(in, dir, "sub-01_svs")
	if err != nil {
		t.Fatal(err)
	}
	h2o := 1000 / 18.015 * 1000
	wconc := h2o * (0.6*0.78*math.Exp(-30.0/110) + 0.4*0.65*math.Exp(-30.0/80))
	perUnit := 2 / area * wconc / math.Exp(-30.0/160)
	for _, row := range r.Rows {
		if row.Name != "tCr" {
			continue
		}
		want := 8 * perUnit
		if math.Abs(row.ConcMM-want) > 0.02*want {
			t.Errorf("tCr %.4g mM, want %.4g mM (closed form) ± 2%%", row.ConcMM, want)
		}
	}
	if !r.Concentrations || r.QC.WaterReference != "sub-01_mrsref.nii.gz" {
		t.Errorf("concentrations %v, water reference %q", r.Concentrations, r.QC.WaterReference)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "sub-01_svs_qc.json"))
	var qc map[string]any
	if err := json.Unmarshal(b, &qc); err != nil {
		t.Fatal(err)
	}
	q, _ := qc["quantification"].(map[string]any)
	if q["te_ms"] != 30.0 || q["metabolite_t2_ms"] != 160.0 || strings.Contains(string(b), "seconds") || strings.Contains(string(b), dir) {
		t.Errorf("qc.json: te_ms %v, metabolite_t2_ms %v; no timings or folders wanted:\n%s", q["te_ms"], q["metabolite_t2_ms"], b)
	}
}

// Failures name the file and the cause: unreadable input (a ReadError, so
// a cohort can go on), a basis file that is not there, a common water
// reference without TE.
func TestErrors(t *testing.T) {
	dir := t.TempDir()
	a, _ := analysis.New(analysis.Settings{})
	_, err := a.Analyse(filepath.Join(dir, "none.nii.gz"))
	var re *analysis.ReadError
	if err == nil || !strings.Contains(err.Error(), "none.nii.gz") || !errors.As(err, &re) {
		t.Errorf("missing input: %v", err)
	}
	if _, err := analysis.New(analysis.Settings{Basis: filepath.Join(dir, "x.BASIS")}); err == nil || !strings.Contains(err.Error(), "x.BASIS") {
		t.Errorf("missing basis: %v", err)
	}
	if _, err := analysis.New(analysis.Settings{Water: filepath.Join(dir, "w.nii.gz")}); err == nil || !strings.Contains(err.Error(), "water reference") {
		t.Errorf("missing water reference: %v", err)
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{
		"/a/sub-01_svs.nii.gz": "sub-01_svs", "x.NII": "x", "P12345.7": "P12345", "d/Cr.RAW": "Cr", "meas.rda": "meas",
		"s.SDAT": "s", "j.txt": "j", "noext": "noext", "a.b.dat": "a.b",
	} {
		if got := analysis.Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}
