package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/psg/edf"
	"glusleep/stats"
	"glusleep/study"
)

func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var so, se bytes.Buffer
	code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args)
	return so.String(), se.String(), code
}

// An EDF+ whose patient field holds a name and birth date.
func identifiedEDF(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "night.edf")
	x := make([]float64, 512)
	for i := range x {
		x[i] = float64(i%100) - 50
	}
	var buf bytes.Buffer
	err := edf.Write(&buf, []edf.SignalData{{Signal: edf.Signal{Label: "EEG Cz", Dimension: "uV", PhysMin: -100, PhysMax: 100, DigMin: -32768, DigMax: 32767, Samples: 256}, Data: x}},
		edf.WriteOptions{Patient: "P123 F 02-MAY-1951 Jane_Doe", Recording: "Startdate 05-MAR-2024 ADM Tech Eq", Annotations: []edf.Annotation{{Onset: 0, Duration: 30, Text: "Sleep stage W"}}})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, buf.Bytes(), 0o644)
	return p
}

func TestPSGInfoHidesIdentifiers(t *testing.T) {
	p := identifiedEDF(t)
	out, _, code := run(t, "psg", "info", p)
	if code != 0 || strings.Contains(out, "Jane_Doe") || strings.Contains(out, "1951") || !strings.Contains(out, "EEG Cz") {
		t.Errorf("info (exit %d) leaks identifiers or lacks signals:\n%s", code, out)
	}
	out, _, _ = run(t, "psg", "info", p, "--json")
	var info map[string]any
	if err := json.Unmarshal([]byte(out), &info); err != nil || strings.Contains(out, "Jane_Doe") {
		t.Errorf("json: %v\n%s", err, out)
	}
	out, _, _ = run(t, "psg", "info", "--show-identifiers", p)
	if !strings.Contains(out, "Jane_Doe") {
		t.Errorf("--show-identifiers did not show the patient field")
	}
}

func TestPSGExport(t *testing.T) {
	p := identifiedEDF(t)
	out, se, code := run(t, "psg", "export", p, "--channel", "EEG Cz", "--start", "1", "--duration", "0.5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, se)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 129 || lines[0] != "time_s\tEEG Cz (uV)" || !strings.HasPrefix(lines[1], "1\t") {
		t.Errorf("export: %d lines, first %q %q", len(lines), lines[0], lines[1])
	}
	_, se, code = run(t, "psg", "export", p, "--channel", "Leg L")
	if code != 1 || !strings.Contains(se, `"EEG Cz"`) {
		t.Errorf("missing channel: exit %d, %q; want the channel list", code, se)
	}
}

func TestPSGDeidCommand(t *testing.T) {
	p := identifiedEDF(t)
	out := filepath.Join(t.TempDir(), "deid.edf")
	so, se, code := run(t, "psg", "deid", p, out, "--shift-days", "10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, se)
	}
	if strings.Contains(so+se, "Jane_Doe") || strings.Contains(so+se, "P123") {
		t.Errorf("deid logged identifiers: %s %s", so, se)
	}
	if !strings.Contains(se, " records; date shifted 10 days; annotations kept)\n") {
		t.Errorf("deid summary %q", se)
	}
	b, _ := os.ReadFile(out)
	if bytes.Contains(b, []byte("Jane_Doe")) || bytes.Contains(b, []byte("02-MAY-1951")) {
		t.Error("output keeps identifiers")
	}
	f, err := edf.Open(out, edf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Start.Format("2006-01-02") != "1985-01-11" {
		// the written file had no date (1985-01-01), shifted by 10 days
		t.Errorf("start %v", f.Start)
	}
}

func TestPSGInfoSharedFiles(t *testing.T) {
	p := shareddata.Path(t, "psg/mne/SC4001EC-Hypnogram.edf")
	out, se, code := run(t, "psg", "info", p)
	if code != 0 || !strings.Contains(out, "annotations 154") {
		t.Errorf("exit %d %s\n%s", code, se, out)
	}
}

func TestPSGSleepCommand(t *testing.T) {
	p := shareddata.Path(t, "psg/mne/SC4001EC-Hypnogram.edf")
	out := t.TempDir()
	so, se, code := run(t, "psg", "sleep", "--hypnogram", p, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, se)
	}
	b, err := os.ReadFile(filepath.Join(out, "SC4001EC_sleep.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	// Reference values: psg/sleep/testdata/sc4001ec_stats.json.
	if st["tst_min"] != 326.5 || st["waso_min"] != 34.0 || st["definitions"] == nil {
		t.Errorf("sleep.json %v", st)
	}
	svg, _ := os.ReadFile(filepath.Join(out, "SC4001EC_hypnogram.svg"))
	if !bytes.Contains(svg, []byte("<svg")) || !strings.Contains(so, "TST 326.5") {
		t.Errorf("no figure or summary: %s", so)
	}
}

// The demo runs end to end, writes what it announces, and its study finds
// the truth it planted. The whole demo (demoOutput): skipped with -short.
func TestDemoRuns(t *testing.T) {
	out, so := demoOutput(t)
	for _, f := range []string{"psg/sub-demo_task-sleep_eeg.edf", "psg/sub-demo_task-sleep_sleep.json", "psg/sub-demo_task-sleep_hypnogram.svg", "psg/sub-demo_task-sleep_events.tsv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("demo did not write %s", f)
		}
	}
	if !strings.Contains(so, "WASO 45.0 min") || !strings.Contains(so, "MRS: 48 spectra fitted") {
		t.Errorf("demo summary: %s", so)
	}
	if _, err := os.Stat(filepath.Join(out, "mrs", "cohort_mrs.tsv")); err != nil {
		t.Errorf("demo wrote no MRS cohort table: %v", err)
	}
	html, err := os.ReadFile(filepath.Join(out, "derivatives", "group", "report.html"))
	if err != nil || !bytes.Contains(html, []byte("Glutamate by group")) || !bytes.Contains(html, []byte("<svg")) {
		t.Errorf("demo report missing or incomplete: %v", err)
	}
	// The BIDS spectra are raw transients: the participant level found
	// every motion-spoiled transient the synthesis planted, and kept the
	// Glx/tCr truth (r ≥ 0.85 over the 48 participants).
	truths, _ := filepath.Glob(filepath.Join(out, "mrs", "raw", "*_acquisition_truth.json"))
	planted := 0
	for _, tf := range truths {
		var tr struct {
			Corrupt []int `json:"corrupt_transients"`
		}
		b, _ := os.ReadFile(tf)
		if err := json.Unmarshal(b, &tr); err != nil {
			t.Fatal(err)
		}
		id := strings.TrimSuffix(filepath.Base(tf), "_acquisition_truth.json")
		var qc struct {
			QC struct {
				Rejected []int `json:"rejected"`
			} `json:"qc"`
		}
		b, err := os.ReadFile(filepath.Join(out, "derivatives", id, "mrs", id+"_desc-preprocqc_svs.json"))
		if err != nil || json.Unmarshal(b, &qc) != nil {
			t.Fatalf("%s: no preprocessing QC: %v", id, err)
		}
		for _, c := range tr.Corrupt {
			planted++
			if !slices.Contains(qc.QC.Rejected, c) {
				t.Errorf("%s: spoiled transient %d not rejected (rejected %v)", id, c, qc.QC.Rejected)
			}
		}
	}
	if len(truths) != 48 || planted == 0 {
		t.Errorf("%d acquisition truths, %d spoiled transients", len(truths), planted)
	}
	_, truthRows, err := study.ReadTSV(filepath.Join(out, "bids", "truth.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	hdr, rows, err := study.ReadTSV(filepath.Join(out, "derivatives", "group", "cohort.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(hdr, "glx_tcr")
	est := map[string]float64{}
	for _, r := range rows {
		est[r[0]], _ = strconv.ParseFloat(r[col], 64)
	}
	var x, y []float64
	for _, r := range truthRows {
		v, _ := strconv.ParseFloat(r[2], 64)
		x, y = append(x, v), append(y, est[r[0]])
	}
	c, err := stats.Correlation(x, y, stats.CorOptions{})
	if err != nil || c.Estimate < 0.85 {
		t.Errorf("study Glx/tCr against the truth: r = %v (%v), want ≥ 0.85", c.Estimate, err)
	}
	t.Logf("study Glx/tCr (raw transients, preprocessed, fitted) against the truth: r = %.3f, %d spoiled transients all rejected", c.Estimate, planted)
	// A rerun of the participant level skips every participant.
	so, se, code := run(t, "run", filepath.Join(out, "bids"), filepath.Join(out, "derivatives"), "participant")
	if code != 0 || !strings.Contains(so, "0 done, 48 skipped") {
		t.Errorf("rerun: exit %d, %s %s", code, so, se)
	}
}

// hypnogramEDF writes an annotation-only EDF+ hypnogram (one record, as
// Sleep-EDF's are) of 2 W and 2 N2 epochs and returns its path.
func hypnogramEDF(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "n-Hypnogram.edf")
	var buf bytes.Buffer
	anns := []edf.Annotation{{Onset: 0, Duration: 60, Text: "Sleep stage W"}, {Onset: 60, Duration: 60, Text: "Sleep stage 2"}}
	sig := []edf.SignalData{{Signal: edf.Signal{Label: "x", Dimension: "uV", PhysMin: -1, PhysMax: 1, DigMin: -32768, DigMax: 32767, Samples: 1}, Data: []float64{0}}}
	if err := edf.Write(&buf, sig, edf.WriteOptions{RecordDuration: 1, Annotations: anns}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, buf.Bytes(), 0o644)
	return p
}

// Damaged inputs end with a non-zero exit and one line naming the file and
// the problem (issue 15): a hypnogram EDF cut by one byte; an EDF whose
// record duration is 1e-300 s.
func TestPSGDamagedInputs(t *testing.T) {
	hyp := hypnogramEDF(t)
	so, se, code := run(t, "psg", "sleep", "--hypnogram", hyp, "--out", t.TempDir())
	if code != 0 || !strings.Contains(so, "TST 1.0 min") {
		t.Fatalf("sound hypnogram: exit %d %s %s", code, so, se)
	}
	b, _ := os.ReadFile(hyp)
	cut := filepath.Join(t.TempDir(), "cut-Hypnogram.edf")
	os.WriteFile(cut, b[:len(b)-1], 0o644)
	_, se, code = run(t, "psg", "sleep", "--hypnogram", cut, "--out", t.TempDir())
	if code == 0 || !strings.Contains(se, "cut-Hypnogram.edf") || !strings.Contains(se, "truncated") || !strings.Contains(se, "--allow-truncated") {
		t.Errorf("truncated hypnogram: exit %d, %q", code, se)
	}
	_, se, code = run(t, "psg", "sleep", "--hypnogram", cut, "--allow-truncated", "--out", t.TempDir())
	if code == 0 || !strings.Contains(se, "no scored sleep stages") {
		t.Errorf("truncated hypnogram read anyway (no complete record): exit %d, %q", code, se)
	}
	edfPath := identifiedEDF(t)
	b, _ = os.ReadFile(edfPath)
	copy(b[244:252], "1e-300  ")
	tiny := filepath.Join(t.TempDir(), "tiny.edf")
	os.WriteFile(tiny, b, 0o644)
	for _, args := range [][]string{{"psg", "legs", tiny, "--left", "EEG Cz", "--out", t.TempDir()}, {"psg", "info", tiny}, {"psg", "export", tiny}} {
		_, se, code = run(t, args...)
		if code == 0 || !strings.Contains(se, "tiny.edf") || !strings.Contains(se, "duration of a data record") || strings.Contains(se, "panic") {
			t.Errorf("%v: exit %d, %q", args[:2], code, se)
		}
	}
}

// psg info lists the gaps of an EDF+D file and data beyond the declared
// records; export warns about the latter on stderr and writes .npz.
func TestPSGInfoGapsAndTrailing(t *testing.T) {
	out, se, code := run(t, "psg", "info", "../../psg/export/testdata/edfd_gaps.edf", "--json")
	if code != 0 {
		t.Fatalf("exit %d %s", code, se)
	}
	var info edf.Info
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		t.Fatal(err)
	}
	if info.Format != "EDF+D" || len(info.Gaps) != 2 || info.Gaps[1].OnsetS != 4 || info.Gaps[1].DurationS != 6.25 || info.SpanS != 11.25 {
		t.Errorf("info %+v", info)
	}
	p := identifiedEDF(t)
	b, _ := os.ReadFile(p)
	os.WriteFile(p, append(b, make([]byte, 100)...), 0o644)
	out, _, code = run(t, "psg", "info", p)
	if code != 0 || !strings.Contains(out, "trailing    100 bytes beyond the 2 declared records") {
		t.Errorf("trailing data not reported:\n%s", out)
	}
	npz := filepath.Join(t.TempDir(), "x.npz")
	so, se, code := run(t, "psg", "export", p, "--out", npz, "--quiet")
	if code != 0 || !strings.Contains(se, "warning: ") || !strings.Contains(se, "100 bytes beyond") || !strings.Contains(so, "1 signals, 0 to 2 s") {
		t.Errorf("export: exit %d, %q, %q", code, so, se)
	}
	if st, err := os.Stat(npz); err != nil || st.Size() < 512*8 {
		t.Errorf("npz: %v", err)
	}
	_, se, code = run(t, "psg", "export", p, "--format", "npy")
	if code == 0 || !strings.Contains(se, "needs --out") {
		t.Errorf("npy to stdout: exit %d %q", code, se)
	}
}

// psg sleep reads a native Embla EventExport XML (issue 15: it gave 0
// epochs and TST 0 with exit 0): 959 epochs, TST 340 min as
// psg/annot/testdata/scoring_reference.json works out independently.
func TestPSGSleepEmbla(t *testing.T) {
	t.Parallel()
	fh, err := os.Open("../../psg/annot/testdata/embla_10007_eventexport.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	z, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(z)
	p := filepath.Join(t.TempDir(), "embla.xml")
	os.WriteFile(p, b, 0o644)
	out := t.TempDir()
	so, se, code := run(t, "psg", "sleep", "--hypnogram", p, "--out", out)
	if code != 0 || !strings.Contains(so, "TST 340.0 min, WASO 62.0 min") {
		t.Fatalf("exit %d: %s %s", code, so, se)
	}
	js, _ := os.ReadFile(filepath.Join(out, "embla_sleep.json"))
	if !strings.Contains(string(js), `"epochs": 952`) {
		t.Errorf("sleep.json: %s", js)
	}
}
