package study

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/psg/edf"
	"glusleep/stats"
)

// A participant with a GE P-file in sourcedata and two scored nights: the
// summary holds the fit's Glx/tCr and the nights' mean TST and WASO (worked
// by hand from the stage lists below).
func TestPipelineParticipant(t *testing.T) {
	t.Parallel()
	pf := shareddata.Path(t, "mrs/ge-1.5T-press-te30/P1830_1.5T_030_2000.7") // a creatine phantom: tCr > 0
	root := t.TempDir()
	write(t, filepath.Join(root, "participants.tsv"), "participant_id\tgroup\nsub-01\trls\n")
	b, _ := os.ReadFile(pf)
	write(t, filepath.Join(root, "sourcedata/sub-01/mrs/P1830.7"), string(b))
	// Night 1: W N1 N2 W N2 R W → TST 2 min, WASO 0.5; night 2: W N2 N2 N2 W W → TST 1.5, WASO 0.
	ev := func(stages ...string) string {
		s := "onset\tduration\ttrial_type\tstage\n"
		for i, st := range stages {
			s += strings.Join([]string{itoa(30 * i), "30", "sleep_stage", st}, "\t") + "\n"
		}
		return s
	}
	write(t, filepath.Join(root, "sub-01/eeg/sub-01_task-sleep_run-1_events.tsv"), ev("W", "N1", "N2", "W", "N2", "R", "W"))
	write(t, filepath.Join(root, "sub-01/eeg/sub-01_task-sleep_run-1_eeg.edf"), tinyEDF(t))
	write(t, filepath.Join(root, "sub-01/eeg/sub-01_task-sleep_run-2_events.tsv"), ev("W", "N2", "N2", "N2", "W", "W"))
	write(t, filepath.Join(root, "sub-01/eeg/sub-01_task-sleep_run-2_eeg.edf"), tinyEDF(t))
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	pl := &Pipeline{Settings: Settings{FitRangePPM: [2]float64{0.2, 4}, MaxShiftPPM: 0.3, Lipids: true}}
	w, err := pl.Process(context.Background(), d.Participant("01"), out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("warnings: %v", w)
	var s Summary
	js, _ := os.ReadFile(filepath.Join(out, "sub-01_summary.json"))
	if err := json.Unmarshal(js, &s); err != nil {
		t.Fatal(err)
	}
	if s.Nights != 2 || *s.TST != 1.75 || *s.WASO != 0.25 {
		t.Errorf("nights %d, TST %v, WASO %v; want 2, 1.75, 0.25", s.Nights, deref(s.TST), deref(s.WASO))
	}
	if s.GlxTCr == nil && s.NAATCr == nil {
		t.Errorf("no MRS measure in the summary: %s", js)
	}
	if _, err := os.Stat(filepath.Join(out, "mrs", "sub-01_acq-P1830_desc-fit_svs.tsv")); err != nil {
		t.Errorf("no fit table: %v", err)
	}
	// 16 transients: preprocessed by default, with its QC and figure.
	var pq struct {
		QC struct {
			Transients int      `json:"transients"`
			Steps      []string `json:"steps"`
		} `json:"qc"`
	}
	js, _ = os.ReadFile(filepath.Join(out, "mrs", "sub-01_acq-P1830_desc-preprocqc_svs.json"))
	if err := json.Unmarshal(js, &pq); err != nil || pq.QC.Transients != 16 || len(pq.QC.Steps) < 4 {
		t.Errorf("preprocessing QC: %v %s", err, js)
	}
	if _, err := os.Stat(filepath.Join(out, "mrs", "sub-01_acq-P1830_desc-preproc_svs.svg")); err != nil {
		t.Errorf("no preprocessing figure: %v", err)
	}
	// "never" averages as read (not with -short: another basis simulation
	// and fit); an unknown mode is an error naming it.
	if !testing.Short() {
		out2 := t.TempDir()
		pl.Settings.Preprocess = "never"
		if _, err := pl.Process(context.Background(), d.Participant("01"), out2); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(out2, "mrs", "sub-01_acq-P1830_desc-preprocqc_svs.json")); err == nil {
			t.Error("preprocess never: preprocessing QC written")
		}
	}
	pl.Settings.Preprocess = "sometimes"
	if _, err := pl.Process(context.Background(), d.Participant("01"), t.TempDir()); err == nil || !strings.Contains(err.Error(), "sometimes") {
		t.Errorf("preprocess sometimes: %v", err)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// The group level on hand-made summaries: the cohort table holds them, and
// the Student t line equals stats.TTest on the same numbers.
func TestGroupLevel(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "participants.tsv"), "participant_id\tgroup\tage\tsex\n"+
		"sub-01\trls\t60\tF\nsub-02\trls\t62\tM\nsub-03\trls\t58\tF\nsub-04\tcontrol\t61\tM\nsub-05\tcontrol\t59\tF\nsub-06\tcontrol\t63\tM\n")
	out := t.TempDir()
	glx := []float64{1.3, 1.1, 1.25, 0.8, 0.9, 0.7}
	waso := []float64{80, 60, 75, 30, 20, 35}
	for i := range glx {
		lab := "0" + itoa(i+1)
		write(t, filepath.Join(root, "sub-"+lab, "anat", "x"), "")
		s := Summary{Participant: "sub-" + lab, GlxTCr: &glx[i], WASO: &waso[i], TST: ptr(400 - waso[i]), Nights: 2}
		b, _ := json.Marshal(s)
		write(t, filepath.Join(out, "sub-"+lab, "sub-"+lab+"_summary.json"), string(b))
		write(t, filepath.Join(out, "sub-"+lab, ProvenanceFile), `{"key": "`+strings.Repeat("cd", 32)+`"}`)
	}
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	prov := func(seconds float64) {
		b, _ := json.Marshal(Provenance{Participant: "01", Version: "test", Key: strings.Repeat("ab", 32), Inputs: map[string]string{"x": "y"}, Seconds: seconds})
		write(t, filepath.Join(out, "sub-01", ProvenanceFile), string(b))
	}
	prov(1.5)
	plan := DefaultPlan()
	plan.Model = "waso_min ~ glx_tcr + group"
	plan.KeepColumns = []string{"age", "sex"} // not in the model: kept only when named
	res, err := Group(d, out, plan, "test")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := stats.TTest(glx[:3], glx[3:], stats.TTestOptions{Alternative: stats.Greater, VarEqual: true})
	if !strings.Contains(res.Lines[0], want.APA()) {
		t.Errorf("first line %q lacks %q", res.Lines[0], want.APA())
	}
	cohort, _ := os.ReadFile(res.CohortTSV)
	if !strings.Contains(string(cohort), "sub-01\trls\t60\tF\t1.3\t") {
		t.Errorf("cohort table:\n%s", cohort)
	}
	html, _ := os.ReadFile(res.Report)
	if !strings.Contains(string(html), "Glutamate and sleep") {
		t.Error("report lacks the sleep section")
	}
	// A second run writes the same bytes: no dates or timings in the
	// group outputs (they are in each participant's provenance.json).
	results, _ := os.ReadFile(filepath.Join(out, "group", "results.txt"))
	if !strings.Contains(string(html), "sub-01: key abababababab") {
		t.Error("report lacks sub-01's provenance")
	}
	prov(9.25) // the same participant outputs, made at another speed
	if _, err := Group(d, out, plan, "test"); err != nil {
		t.Fatal(err)
	}
	for name, first := range map[string][]byte{res.Report: html, res.CohortTSV: cohort, filepath.Join(out, "group", "results.txt"): results} {
		again, _ := os.ReadFile(name)
		if len(first) == 0 || !bytes.Equal(first, again) {
			t.Errorf("%s differs between two runs", filepath.Base(name))
		}
	}
}

// The plan printed in README.md (copied to testdata/plan_paper.json) is the
// default plan; a misspelt field is an error naming the file.
func TestReadPlan(t *testing.T) {
	p, err := ReadPlan(filepath.Join("testdata", "plan_paper.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, DefaultPlan()) {
		t.Errorf("README plan %+v\ndiffers from DefaultPlan %+v", p, DefaultPlan())
	}
	bad := filepath.Join(t.TempDir(), "plan.json")
	write(t, bad, `{"outcom": "glx_tcr"}`)
	if _, err := ReadPlan(bad); err == nil || !strings.Contains(err.Error(), "plan.json") || !strings.Contains(err.Error(), "outcom") {
		t.Errorf("misspelt field: %v", err)
	}
}

// tinyEDF is a sound one-channel EDF (no leg channels: the hypnogram comes
// from the events), as the participant level refuses recordings that do
// not open.
func tinyEDF(t testing.TB) string {
	t.Helper()
	var b bytes.Buffer
	sig := []edf.SignalData{{Signal: edf.Signal{Label: "EEG C3-M2", Dimension: "uV", PhysMin: -100, PhysMax: 100, DigMin: -32768, DigMax: 32767, Samples: 1}, Data: make([]float64, 210)}}
	if err := edf.Write(&b, sig, edf.WriteOptions{RecordDuration: 1}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
