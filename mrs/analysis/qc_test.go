package analysis_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/tsv"
	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/preproc"
	"glusleep/synth"
)

// qcOf fits a synthetic spectrum of the given amplitudes (basis units)
// and returns its _qc.json decoded.
func qcOf(t *testing.T, amps map[string]float64) map[string]any {
	q, _ := outputsOf(t, amps)
	return q
}

// outputsOf fits a synthetic spectrum of the given amplitudes (basis
// units) and returns its _qc.json decoded and its _fit.tsv's rows (fields
// by column name).
func outputsOf(t *testing.T, amps map[string]float64) (map[string]any, []map[string]string) {
	t.Helper()
	a := lipidsAnalyzer(t)
	set, err := a.Basis(params, 1024)
	if err != nil {
		t.Fatal(err)
	}
	fid, _, err := synth.Spectrum(synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: params.Dwell, Amplitudes: amps,
		LorentzHz: 4, GaussHz: 3, NoiseSD: 0.5}, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "s_svs.nii.gz")
	if err := nifti.WriteData(in, &mrs.Data{Params: params, FIDs: [][]complex128{fid}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Run(in, dir, "s"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "s_qc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var q map[string]any
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	tb, err := tsv.ReadFile(filepath.Join(dir, "s_fit.tsv"), tsv.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range tb.Rows {
		m := map[string]string{}
		for j, h := range tb.Header {
			m[h] = r[j]
		}
		rows = append(rows, m)
	}
	return q, rows
}

func flagNames(q map[string]any) []string {
	var out []string
	fl, _ := q["flags"].([]any)
	for _, f := range fl {
		out = append(out, f.(map[string]any)["name"].(string))
	}
	return out
}

// A brain-like spectrum: one SNR with its formula (the preprocessing's),
// no flags, the priors applied, and a correlation matrix with a unit
// diagonal whose strong pairs are |ρ| ≥ 0.5 and include Cr–PCr, whose
// singlets at 3.03 ppm overlap (their amplitudes trade signal).
func TestQCBrain(t *testing.T) {
	t.Parallel()
	q := qcOf(t, amplitudes)
	if snr, _ := q["snr"].(float64); !(snr > 5) || q["snr_definition"] != preproc.SNRFormula || q["snr_peak"] == "" {
		t.Errorf("snr %v (%v), definition %q", q["snr"], q["snr_peak"], q["snr_definition"])
	}
	if fl := flagNames(q); len(fl) != 0 {
		t.Errorf("flags %v on a plausible brain spectrum", fl)
	}
	if pr, _ := q["priors"].([]any); len(pr) == 0 {
		t.Error("no priors listed")
	}
	c := q["correlation"].(map[string]any)
	names, m := c["names"].([]any), c["matrix"].([]any)
	if len(names) == 0 || len(m) != len(names) {
		t.Fatalf("correlation: %d names, %d rows", len(names), len(m))
	}
	for i := range m {
		if v, ok := m[i].([]any)[i].(float64); ok && v != 1 {
			t.Errorf("ρ(%v,%v) = %v", names[i], names[i], v)
		}
	}
	crPCr := false
	for _, p := range q["strongly_correlated"].([]any) {
		pm := p.(map[string]any)
		if math.Abs(pm["rho"].(float64)) < analysis.StrongCorrelation {
			t.Errorf("pair %v listed with |ρ| < %g", pm, analysis.StrongCorrelation)
		}
		if (pm["a"] == "Cr" && pm["b"] == "PCr") || (pm["a"] == "PCr" && pm["b"] == "Cr") {
			crPCr = true
		}
	}
	if !crPCr {
		t.Errorf("Cr–PCr not among the strongly correlated pairs: %v", q["strongly_correlated"])
	}
	if q["phantom"] != false {
		t.Errorf("phantom %v", q["phantom"])
	}
}

// A spectrum without creatine gets the tcr_zero flag and a _fit.tsv that
// says tCr was not detected, with no ratio to it as a number; one whose
// Glx is ten times the brain's (Glx/tCr 10, above the 4.4 limit)
// ratio_implausible.
func TestQCFlags(t *testing.T) {
	t.Parallel()
	noCr := map[string]float64{}
	for k, v := range amplitudes {
		if k != "Cr" && k != "PCr" {
			noCr[k] = v
		}
	}
	q, rows := outputsOf(t, noCr)
	if fl := flagNames(q); len(fl) == 0 || fl[0] != fit.FlagTCrZero {
		t.Errorf("no creatine: flags %v, want %s first", fl, fit.FlagTCrZero)
	}
	for _, r := range rows {
		if r["ratio_tcr"] != "n/a" || (r["metabolite"] == "tCr" && r["detection"] == analysis.Detected) {
			t.Errorf("no creatine: _fit.tsv row %v", r)
		}
	}
	hiGlx := map[string]float64{}
	for k, v := range amplitudes {
		hiGlx[k] = v
	}
	hiGlx["Glu"], hiGlx["Gln"] = 60, 20
	found := false
	for _, f := range flagNames(qcOf(t, hiGlx)) {
		found = found || f == fit.FlagRatioImplausible
	}
	if !found {
		t.Errorf("Glx/tCr 10: no %s flag", fit.FlagRatioImplausible)
	}
}

func TestParsePhantom(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{{"", 0, true}, {"true", 0, true}, {"22", 22, true}, {"37.5", 37.5, true}, {"0", 0, false}, {"60", 0, false}, {"warm", 0, false}, {"NaN", 0, false}} {
		got, err := analysis.ParsePhantomTemperature(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("temperature %q: %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
	for _, c := range []struct {
		in   string
		want preproc.RefPeak
		ok   bool
	}{{"1.904:acetate", preproc.RefPeak{Name: "acetate", PPM: 1.904}, true}, {"2.1", preproc.RefPeak{Name: "singlet 2.1", PPM: 2.1}, true},
		{" 3.0 : x ", preproc.RefPeak{Name: "x", PPM: 3}, true}, {"abc:x", preproc.RefPeak{}, false}, {"11:x", preproc.RefPeak{}, false}, {"", preproc.RefPeak{}, false}} {
		got, err := analysis.ParseSinglet(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("singlet %q: %+v, %v; want %+v, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

// _qc.json's acquisition block says where the values an LCModel .RAW's
// header lacks came from: dwell and frequency from the basis file, TE
// from the user (a flag), the nucleus assumed; the header fields it
// reports are all ones that mrs.Deidentify keeps (one allow-list).
func TestQCAcquisitionSources(t *testing.T) {
	set, err := lipidsAnalyzer(t).Basis(params, 1024)
	if err != nil {
		t.Fatal(err)
	}
	fid, _, err := synth.Spectrum(synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: params.Dwell, Amplitudes: amplitudes,
		LorentzHz: 4, GaussHz: 3, NoiseSD: 0.5}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bfile := filepath.Join(dir, "press.BASIS")
	if err := set.WriteLCModel(bfile); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "s.RAW")
	var raw bytes.Buffer
	if err := lcmodel.Write(&raw, "s", mrs.Params{}, fid); err != nil { // no $SEQPAR: no frequency, no TE
		t.Fatal(err)
	}
	if err := os.WriteFile(in, raw.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := analysis.New(analysis.Settings{Basis: bfile, Preprocess: preproc.ModeNever, Read: mrsio.Options{EchoTime: 0.030}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Analyse(in)
	if err != nil {
		t.Fatal(err)
	}
	acq := r.QC.Acquisition
	want := map[string]string{"dwell_s": "basis", "spectrometer_frequency_mhz": "basis", "te_ms": "flag", "nucleus": "assumed", "sequence": "assumed"}
	if !maps.Equal(acq.Sources, want) || acq.TEms != 30 || acq.DwellS != params.Dwell || acq.SpectrometerFrequencyMHz != params.SpectrometerFrequency {
		t.Errorf("acquisition %+v, want sources %v", acq, want)
	}
	meta := map[string]any{"PatientName": "DOE^JANE"}
	for _, k := range mrs.ChecklistFields() {
		meta[k] = 1.0
	}
	kept, _ := mrs.Deidentify(meta)
	ds := &mrsio.Dataset{Data: &mrs.Data{Params: params, FIDs: [][]complex128{fid}, Meta: meta}}
	for k := range ds.Acquisition().Header {
		if _, ok := kept[k]; !ok {
			t.Errorf("header field %s reported in _qc.json, dropped by mrs.Deidentify", k)
		}
	}
	if len(ds.Acquisition().Header) != len(mrs.ChecklistFields()) {
		t.Errorf("header %v", ds.Acquisition().Header)
	}
}

// The quantification's TE and TR record where they came from when not
// from the spectrum's header, as the acquisition block does: the TE
// override (Settings.EchoTime) is a flag; an LCModel file's TE given as a
// flag or in its sidecar keeps that source; a header's TE has none. TR is
// the header's when it has a plausible one (NIfTI-MRS stores it in s:
// 2 s is 2000 ms), the flag's when given (Settings.RepetitionTime), and
// assumed (0: full relaxation) when neither, or when the header's is
// outside 100–60000 ms (2000 s: ms written where s belong), with a note.
func TestQuantificationTESource(t *testing.T) {
	set, err := lipidsAnalyzer(t).Basis(params, 1024)
	if err != nil {
		t.Fatal(err)
	}
	fid, _, err := synth.Spectrum(synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: params.Dwell, Amplitudes: amplitudes,
		LorentzHz: 4, GaussHz: 3, NoiseSD: 0.5}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	water := make([]complex128, 1024)
	for k := range water {
		water[k] = complex(20000*math.Exp(-math.Pi*5*float64(k)*params.Dwell), 0)
	}
	dir := t.TempDir()
	bfile := filepath.Join(dir, "press.BASIS")
	if err := set.WriteLCModel(bfile); err != nil {
		t.Fatal(err)
	}
	write := func(name string, p mrs.Params, f []complex128) string {
		path := filepath.Join(dir, name)
		var err error
		if filepath.Ext(name) == ".gz" {
			err = nifti.WriteData(path, &mrs.Data{Params: p, FIDs: [][]complex128{f}})
		} else {
			var b bytes.Buffer
			if err = lcmodel.Write(&b, "s", mrs.Params{}, f); err == nil { // no $SEQPAR: no TE
				err = os.WriteFile(path, b.Bytes(), 0o644)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	nii := write("sub-01_svs.nii.gz", params, fid)
	write("sub-01_mrsref.nii.gz", params, water)
	withTR := params
	withTR.RepetitionTime = 2 // s, as NIfTI-MRS stores it
	niiTR := write("sub-02_svs.nii.gz", withTR, fid)
	write("sub-02_mrsref.nii.gz", withTR, water)
	withTR.RepetitionTime = 2000 // ms written into a field in s
	niiBad := write("sub-03_svs.nii.gz", withTR, fid)
	write("sub-03_mrsref.nii.gz", withTR, water)
	raw := write("flag.RAW", mrs.Params{}, fid)
	write("flag.H2O", mrs.Params{}, water)
	side := write("side.RAW", mrs.Params{}, fid)
	write("side.H2O", mrs.Params{}, water)
	if err := os.WriteFile(filepath.Join(dir, "side.json"), []byte(`{"EchoTime": 0.035}`), 0o644); err != nil {
		t.Fatal(err)
	}
	sideTR := write("sidetr.RAW", mrs.Params{}, fid)
	write("sidetr.H2O", mrs.Params{}, water)
	if err := os.WriteFile(filepath.Join(dir, "sidetr.json"), []byte(`{"EchoTime": 0.030, "RepetitionTime": 1.5}`), 0o644); err != nil {
		t.Fatal(err)
	}
	assumed := map[string]string{"tr_ms": "assumed"}
	for _, c := range []struct {
		name       string
		in         string
		s          analysis.Settings
		teMS, trMS float64
		want       map[string]string
		note       string
	}{
		{"header", nii, analysis.Settings{}, 30, 0, assumed, "the header has no TR and none was given"},
		{"override", nii, analysis.Settings{EchoTime: 0.035}, 35, 0, map[string]string{"te_ms": "flag", "tr_ms": "assumed"}, ""},
		{"LCModel file, TE as a flag", raw, analysis.Settings{Read: mrsio.Options{EchoTime: 0.030}}, 30, 0, map[string]string{"te_ms": "flag", "tr_ms": "assumed"}, ""},
		{"LCModel file, TE in its sidecar", side, analysis.Settings{}, 35, 0, map[string]string{"te_ms": "sidecar", "tr_ms": "assumed"}, ""},
		{"TR from the header, in s", niiTR, analysis.Settings{}, 30, 2000, nil, ""},
		{"TR flag over the header's", niiTR, analysis.Settings{RepetitionTime: 3}, 30, 3000, map[string]string{"tr_ms": "flag"}, "TR 3000 ms given, in place of the header's 2000 ms"},
		{"TR flag, header without", nii, analysis.Settings{RepetitionTime: 1.5}, 30, 1500, map[string]string{"tr_ms": "flag"}, ""},
		{"LCModel file, TR in its sidecar (s)", sideTR, analysis.Settings{}, 30, 1500, map[string]string{"te_ms": "sidecar", "tr_ms": "sidecar"}, ""},
		{"implausible header TR", niiBad, analysis.Settings{}, 30, 0, assumed, "the header's TR 2e+06 ms lies outside 100–60000 ms and is not used"},
	} {
		c.s.Basis, c.s.Preprocess = bfile, preproc.ModeNever
		a, err := analysis.New(c.s)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, c.name)
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		r, err := a.Run(c.in, out, "s")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		q := r.QC.Quantification
		if q == nil || q.TEms != c.teMS || q.TRms != c.trMS || !maps.Equal(q.Sources, c.want) {
			t.Errorf("%s: quantification %+v, want TE %g ms, TR %g ms, sources %v", c.name, q, c.teMS, c.trMS, c.want)
			continue
		}
		if c.note != "" && !strings.Contains(strings.Join(r.QC.Notes, "\n"), c.note) {
			t.Errorf("%s: notes %q lack %q", c.name, r.QC.Notes, c.note)
		}
		if c.trMS > 0 {
			// Gasparovic 2006 with R = exp(−TE/T2)·(1 − exp(−TR/T1)),
			// from the relaxation times the QC states.
			rw := func(t2, t1 float64) float64 { return math.Exp(-c.teMS/t2) * (1 - math.Exp(-c.trMS/t1)) }
			wconc := 1000 / 18.015 * 1000 * (q.GM*q.WaterContent[0]*rw(q.WaterT2ms[0], q.WaterT1ms[0]) +
				q.WM*q.WaterContent[1]*rw(q.WaterT2ms[1], q.WaterT1ms[1]) + q.CSF*q.WaterContent[2]*rw(q.WaterT2ms[2], q.WaterT1ms[2]))
			want := q.ProtonScale / (q.WaterArea / 2) * wconc / rw(q.MetaboliteT2ms, q.MetaboliteT1ms) / (1 - q.CSF)
			if math.Abs(q.Scale-want) > 1e-9*want {
				t.Errorf("%s: scale %.10g mM per unit, want %.10g (closed form with TR %g ms)", c.name, q.Scale, want, c.trMS)
			}
		}
		b, _ := os.ReadFile(filepath.Join(out, "s_qc.json"))
		var js struct {
			Quantification struct {
				Sources map[string]string `json:"sources"`
			} `json:"quantification"`
		}
		if err := json.Unmarshal(b, &js); err != nil || !maps.Equal(js.Quantification.Sources, c.want) {
			t.Errorf("%s: _qc.json quantification sources %v (%v), want %v", c.name, js.Quantification.Sources, err, c.want)
		}
	}
}
