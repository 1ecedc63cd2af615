package study

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Labels keep the dataset's order; LabelAt picks by 0-based position and
// refuses an index outside the list, naming the valid ones.
func TestLabelAt(t *testing.T) {
	d := &Dataset{Participants: []*Participant{{Label: "03"}, {Label: "01"}, {Label: "02"}}}
	if got := d.Labels(); !slices.Equal(got, []string{"03", "01", "02"}) {
		t.Errorf("Labels %v", got)
	}
	for _, c := range []struct {
		i    int
		want string
		err  string
	}{{0, "03", ""}, {2, "02", ""}, {3, "", "participant index 3: the dataset has 3 participants (indices 0 to 2)"}, {-1, "", "participant index -1"}} {
		got, err := d.LabelAt(c.i)
		if got != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), c.err)) {
			t.Errorf("LabelAt(%d) = %q, %v; want %q, %q", c.i, got, err, c.want, c.err)
		}
	}
}

// UseMRSResults takes a folder with its digest; a file or a missing path
// is an ErrSettings error naming it, and leaves the settings unchanged.
func TestUseMRSResults(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sub-01.table"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	set := DefaultSettings()
	for _, bad := range []string{filepath.Join(dir, "sub-01.table"), filepath.Join(dir, "none")} {
		if err := set.UseMRSResults(bad); !errors.Is(err, ErrSettings) || !strings.HasPrefix(err.Error(), bad+": want a folder") || set.MRSResults != "" {
			t.Errorf("%s: %v, settings %q", bad, err, set.MRSResults)
		}
	}
	if err := set.UseMRSResults(dir); err != nil {
		t.Fatal(err)
	}
	want, err := MRSResultsDigest(dir)
	if err != nil || set.MRSResults != dir || set.MRSResultsSHA256 != want || len(want) != 64 {
		t.Errorf("settings %q %q, digest %q %v", set.MRSResults, set.MRSResultsSHA256, want, err)
	}
}

// Count counts outcomes by status; Reason puts a failure on one line.
func TestCountAndReason(t *testing.T) {
	res := []Outcome{{Status: "done"}, {Status: "failed", Err: errors.New("fit:\n  no NAA\tpeak")}, {Status: "skipped"}, {Status: "done"}}
	if c := Count(res); c != (Counts{Done: 2, Skipped: 1, Failed: 1}) {
		t.Errorf("Count %+v", c)
	}
	if r := res[1].Reason(); r != "fit: no NAA peak" {
		t.Errorf("Reason %q", r)
	}
	if r := res[0].Reason(); r != "" {
		t.Errorf("Reason of a done outcome %q", r)
	}
}

// WriteSlurm fills the labels from the dataset, the binary from the
// running executable and the paths made absolute, into OUT/slurm by
// default.
func TestWriteSlurm(t *testing.T) {
	out := t.TempDir()
	d := &Dataset{Root: "my-bids", Participants: []*Participant{{Label: "01"}, {Label: "02"}}}
	dir, n, err := WriteSlurm(d, SlurmOptions{Out: out}, "")
	if err != nil || dir != filepath.Join(out, "slurm") || n != 2 {
		t.Fatalf("WriteSlurm: %q %d %v", dir, n, err)
	}
	exe, _ := os.Executable()
	bids, _ := filepath.Abs("my-bids")
	list, err1 := os.ReadFile(filepath.Join(dir, "participants.txt"))
	job, err2 := os.ReadFile(filepath.Join(dir, "participant.sbatch"))
	if err1 != nil || err2 != nil || string(list) != "01\n02\n" {
		t.Fatalf("participants.txt %q: %v %v", list, err1, err2)
	}
	for _, want := range []string{"exec " + shellQuote(exe) + " run " + shellQuote(bids) + " " + shellQuote(out) + " participant", filepath.Join(dir, "participants.txt")} {
		if !strings.Contains(string(job), want) {
			t.Errorf("participant.sbatch lacks %q:\n%s", want, job)
		}
	}
	if _, _, err := WriteSlurm(&Dataset{Root: "b"}, SlurmOptions{Out: out}, filepath.Join(out, "x")); err == nil {
		t.Error("a dataset without participants accepted")
	}
}

// ReadPlan of no path is the default plan.
func TestReadPlanDefault(t *testing.T) {
	if p, err := ReadPlan(""); err != nil || !reflect.DeepEqual(p, DefaultPlan()) {
		t.Errorf("ReadPlan(\"\") = %+v, %v", p, err)
	}
}

// The cohort columns are the summary's JSON keys: a summary written and
// read back gives each measure under its column, NaN for a null one and
// for every column of a participant without a summary.
func TestCohortValues(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	s := Summary{Participant: "sub-01", GlxTCr: f(1.5), GlxCRLB: f(7), NAATCr: f(1.2), SNR: f(30), FWHMPPM: f(0.05), Nights: 2,
		TST: f(400), WASO: f(35), SE: f(88), SOL: nil, PLMSIndex: f(12), PLMPerNight: f(80)}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "sub-01")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub-01_summary.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readSummary(filepath.Dir(dir), "01")
	if err != nil {
		t.Fatal(err)
	}
	v := got.cohortValues()
	for _, c := range cohortColumns {
		k, ok := keys[c]
		x, isNum := k.(float64)
		if !ok {
			t.Errorf("cohort column %s is not a summary key", c)
		} else if !isNum {
			x = math.NaN()
		}
		if !(v[c] == x || math.IsNaN(v[c]) && math.IsNaN(x)) {
			t.Errorf("%s: %g, want %g", c, v[c], x)
		}
	}
	if !math.IsNaN(v["sleep_onset_latency_min"]) || v["nights"] != 2 {
		t.Errorf("values %v", v)
	}
	none, err := readSummary(filepath.Dir(dir), "02")
	if err != nil || none != nil {
		t.Fatalf("missing summary: %v %v", none, err)
	}
	for c, x := range none.cohortValues() {
		if !math.IsNaN(x) {
			t.Errorf("no summary: %s = %g", c, x)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "sub-01_summary.json"), []byte(`{"glx_tcr": "high"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readSummary(filepath.Dir(dir), "01"); err == nil || !strings.Contains(err.Error(), "sub-01 summary") {
		t.Errorf("a string measure: %v", err)
	}
	// A summary that exists but cannot be read (a folder in its place)
	// is an error naming the file, not a participant without outputs.
	bad := filepath.Join(filepath.Dir(dir), "sub-03", "sub-03_summary.json")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if s, err := readSummary(filepath.Dir(dir), "03"); err == nil || s != nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("unreadable summary: %v, %v; want an error naming %s", s, err, bad)
	}
}
