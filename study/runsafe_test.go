package study

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// okProcessor writes one result file per participant.
func okProcessor(ctx context.Context, p *Participant, dir string) ([]string, error) {
	return nil, os.WriteFile(filepath.Join(dir, "result.tsv"), []byte("ok "+p.Label), 0o644)
}

// deadPID returns the pid of a process that has exited (a child waited
// for), so a lock naming it on this host is stale.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// A participant locked by a live run fails with a message naming the
// holder; a lock left by a process that is gone on this host is stale and
// replaced; a lock from another host is held (its process cannot be
// checked). Locks are released after the run.
func TestRunnerLocks(t *testing.T) {
	d, err := Open(makeDataset(t))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	write(t, lockPath(out, "sub-01"), fmt.Sprintf("%d %s 2026-01-01T00:00:00Z\n", os.Getpid(), hostname()))
	write(t, lockPath(out, "sub-02"), fmt.Sprintf("%d %s 2026-01-01T00:00:00Z\n", deadPID(t), hostname()))
	write(t, lockPath(out, "sub-03"), "4242 node17.cluster 2026-01-01T00:00:00Z\n")
	r := &Runner{Dataset: d, Out: out, Settings: 1, Version: "test", Workers: 2, Process: okProcessor}
	res, err := r.Run(context.Background(), nil)
	if err == nil {
		t.Fatal("run with locked participants: no error")
	}
	status := map[string]Outcome{}
	for _, o := range res {
		status[o.Participant] = o
	}
	var le *LockError
	if o := status["01"]; o.Status != "failed" || !errors.As(o.Err, &le) || le.PID != os.Getpid() || !strings.Contains(o.Err.Error(), "held by another glusleep run") {
		t.Errorf("sub-01 (live lock): %+v", o)
	}
	if o := status["02"]; o.Status != "done" {
		t.Errorf("sub-02 (stale lock): %+v", o)
	}
	if o := status["03"]; o.Status != "failed" || !strings.Contains(fmt.Sprint(o.Err), "node17.cluster") {
		t.Errorf("sub-03 (other host): %+v", o)
	}
	if o := status["04"]; o.Status != "done" {
		t.Errorf("sub-04: %+v", o)
	}
	for _, l := range []string{"02", "04"} {
		if _, err := os.Stat(lockPath(out, "sub-"+l)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("sub-%s lock not released: %v", l, err)
		}
	}
	if _, err := os.Stat(lockPath(out, "sub-01")); err != nil {
		t.Errorf("the live run's lock was removed: %v", err)
	}
}

// Work and staging folders left by a killed run are removed at start,
// unless a live run holds their participant; finished folders are 0777
// less the umask (not os.MkdirTemp's 0700) and provenance 0644 less it.
func TestRunnerCleansStaleWorkAndHonoursUmask(t *testing.T) {
	d, err := Open(makeDataset(t))
	if err != nil {
		t.Fatal(err)
	}
	out, scratch := t.TempDir(), t.TempDir()
	stale := []string{filepath.Join(out, ".work", "sub-01-0a1b2c3d4e5f"), filepath.Join(out, ".work", "sub-02-00aa.old"), filepath.Join(scratch, "sub-04-feedbeef")}
	for _, s := range stale {
		write(t, filepath.Join(s, "half.tsv"), "partial")
	}
	live := filepath.Join(out, ".work", "sub-03-abcdef")
	write(t, filepath.Join(live, "half.tsv"), "in progress")
	write(t, lockPath(out, "sub-03"), fmt.Sprintf("%d %s 2026-01-01T00:00:00Z\n", os.Getpid(), hostname()))
	other := filepath.Join(scratch, "notes-of-someone-else")
	write(t, filepath.Join(other, "x"), "keep")
	var log strings.Builder
	r := &Runner{Dataset: d, Out: out, Settings: 1, Version: "test", Workers: 1, Process: okProcessor, WorkDir: scratch, Log: &log}
	if _, err := r.Run(context.Background(), []string{"01", "02", "04"}); err != nil {
		t.Fatal(err)
	}
	for _, s := range stale {
		if _, err := os.Stat(s); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s not removed (%v)", s, err)
		}
		if !strings.Contains(log.String(), filepath.Base(s)) {
			t.Errorf("removal of %s not reported:\n%s", filepath.Base(s), log.String())
		}
	}
	for _, keep := range []string{live, other} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s removed: %v", keep, err)
		}
	}
	um := currentUmask(t)
	st, err := os.Stat(filepath.Join(out, "sub-01"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := st.Mode().Perm(), 0o777&^um; got != want {
		t.Errorf("participant folder mode %v, want %v (umask %03o)", got, want, um)
	}
	st, err = os.Stat(filepath.Join(out, "sub-01", ProvenanceFile))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := st.Mode().Perm(), 0o644&^um; got != want {
		t.Errorf("provenance mode %v, want %v", got, want)
	}
}

// currentUmask reads the umask by creating a file with mode 0777.
func currentUmask(t *testing.T) os.FileMode {
	p := filepath.Join(t.TempDir(), "probe")
	if err := os.Mkdir(p, 0o777); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	return 0o777 &^ st.Mode().Perm()
}

// Warnings in provenance.json and failures name files relative to the
// dataset and the work folder, never by the site's absolute paths.
func TestRunnerRelativePaths(t *testing.T) {
	root := makeDataset(t)
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(root)
	out := t.TempDir()
	r := &Runner{Dataset: d, Out: out, Settings: 1, Version: "test", Workers: 1,
		Process: func(ctx context.Context, p *Participant, dir string) ([]string, error) {
			if p.Label == "02" {
				return nil, fmt.Errorf("%s: truncated", filepath.Join(abs, "sub-02", "mrs", "sub-02_svs.nii.gz"))
			}
			return []string{filepath.Join(root, "sub-01", "mrs", "sub-01_svs.nii.gz") + ": a warning", "write " + filepath.Join(dir, "x.tsv")}, nil
		}}
	res, _ := r.Run(context.Background(), []string{"01", "02"})
	if got := res[1].Err.Error(); got != "sub-02/mrs/sub-02_svs.nii.gz: truncated" {
		t.Errorf("failure %q", got)
	}
	pv, err := ReadProvenance(filepath.Join(out, "sub-01"))
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(pv.Warnings, "\n")
	if !strings.Contains(all, "sub-01/mrs/sub-01_svs.nii.gz: a warning") || !strings.Contains(all, "write x.tsv") || strings.Contains(all, root) || strings.Contains(all, out) {
		t.Errorf("warnings %q", pv.Warnings)
	}
}

// Open refuses folders that are not BIDS datasets and says what is missing.
func TestOpenRefusesNonBIDS(t *testing.T) {
	cases := []struct {
		name  string
		files []string
		want  []string
	}{
		{"empty folder", nil, []string{"not a BIDS dataset", "dataset_description.json", "participants.tsv", "sub-<label>/ folders"}},
		{"a folder of notes", []string{"notes.txt", "data/x.edf"}, []string{"not a BIDS dataset", "dataset_description.json", "participants.tsv", "sub-<label>/ folders"}},
		{"participants.tsv only", []string{"participants.tsv"}, []string{"not a BIDS dataset", "sub-<label>/ folders"}},
		{"sub- folders only", []string{"sub-01/eeg/x"}, []string{"not a BIDS dataset", "dataset_description.json", "participants.tsv"}},
	}
	for _, c := range cases {
		root := t.TempDir()
		for _, f := range c.files {
			content := "x"
			if f == "participants.tsv" {
				content = "participant_id\tgroup\nsub-01\trls\n"
			}
			write(t, filepath.Join(root, f), content)
		}
		_, err := Open(root)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v lacks %q", c.name, err, w)
			}
		}
	}
	root := t.TempDir()
	write(t, filepath.Join(root, DatasetDescriptionFile), `{"Name": "x", "BIDSVersion": "1.10.0"}`)
	write(t, filepath.Join(root, "sub-01/eeg/x"), "")
	if _, err := Open(root); err != nil {
		t.Errorf("dataset_description.json and a sub- folder: %v", err)
	}
}

// The group level refuses participants without outputs; with
// AllowMissing it leaves them out and lists them in results.txt and the
// report.
func TestGroupMissingOutputs(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "participants.tsv"), "participant_id\tgroup\nsub-01\trls\nsub-02\tcontrol\nsub-03\trls\n")
	for _, l := range []string{"01", "02", "03"} {
		write(t, filepath.Join(root, "sub-"+l, "eeg", "x"), "")
	}
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var me *MissingOutputsError
	if _, err := Group(d, out, DefaultPlan(), "test"); !errors.As(err, &me) || len(me.Labels) != 3 {
		t.Fatalf("no outputs at all: %v", err)
	}
	if _, err := GroupWith(d, out, DefaultPlan(), "test", GroupOptions{AllowMissing: true}); !errors.As(err, &me) {
		t.Errorf("no outputs at all, allow missing: %v", err)
	}
	for _, l := range []string{"01", "02"} {
		write(t, filepath.Join(out, "sub-"+l, "sub-"+l+"_summary.json"), `{"glx_tcr": 1}`)
		write(t, filepath.Join(out, "sub-"+l, ProvenanceFile), `{"key": "`+strings.Repeat("0", 64)+`"}`)
	}
	_, err = Group(d, out, DefaultPlan(), "test")
	if !errors.As(err, &me) || strings.Join(me.Labels, ",") != "03" || !strings.Contains(err.Error(), "1 of 3 participants") || !strings.Contains(err.Error(), "sub-03") {
		t.Fatalf("sub-03 missing: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "group", "report.html")); err == nil {
		t.Error("a refused group level wrote a report")
	}
	res, err := GroupWith(d, out, DefaultPlan(), "test", GroupOptions{AllowMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	results, _ := os.ReadFile(filepath.Join(out, "group", "results.txt"))
	html, _ := os.ReadFile(res.Report)
	cohort, _ := os.ReadFile(res.CohortTSV)
	for name, b := range map[string][]byte{"results.txt": results, "report.html": html} {
		if !strings.Contains(string(b), "Left out (no participant-level outputs): sub-03.") {
			t.Errorf("%s does not list sub-03 as left out", name)
		}
	}
	if strings.Contains(string(cohort), "sub-03") {
		t.Errorf("cohort.tsv holds the left-out participant:\n%s", cohort)
	}
}

// Only participant_id, the group and the columns the plan names reach the
// cohort table; the others are named in a note.
func TestKeptColumns(t *testing.T) {
	plan := DefaultPlan()
	kept, dropped := plan.keptColumns([]string{"participant_id", "name", "group", "age", "birth_date", "sex", "irls_total", "mrn"})
	if strings.Join(kept, ",") != "participant_id,group,age,sex,irls_total" || strings.Join(dropped, ",") != "name,birth_date,mrn" {
		t.Errorf("kept %v, dropped %v", kept, dropped)
	}
	plan.Model, plan.KeepColumns = "", []string{"mrn"}
	kept, _ = plan.keptColumns([]string{"participant_id", "group", "age", "mrn"})
	if strings.Join(kept, ",") != "participant_id,group,mrn" {
		t.Errorf("no model, keep mrn: kept %v", kept)
	}
}

// A participant whose cohort measures come from a fit with
// implausible-result flags (its summary names the spectrum and the flags,
// as a --mrs-results fit's does) is marked in the report's QC section
// with the spectrum and the flag; a flagged spectrum the cohort does not
// use (a second spectrum's _qc.json) marks nobody.
func TestGroupMarksImplausibleFits(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "participants.tsv"), "participant_id\tgroup\nsub-01\trls\nsub-02\tcontrol\nsub-03\tcontrol\n")
	out := t.TempDir()
	summaries := map[string]string{
		"01": `{"glx_tcr": 1, "snr": 20, "fwhm_ppm": 0.05, "glx_crlb_percent": 5, "mrs_input": "sub-01_P1.7"}`,
		"02": `{"glx_tcr": 1, "snr": 20, "fwhm_ppm": 0.05, "glx_crlb_percent": 5, "mrs_input": "sub-02_P1.7", "qc_flags": ["tcr_zero"], "qc_flag_details": [{"name": "tcr_zero", "message": "total creatine fitted as 0"}]}`,
		"03": `{"glx_tcr": 1, "snr": 20, "fwhm_ppm": 0.05, "glx_crlb_percent": 5, "mrs_source": "LCModel result sub-03/P3.table", "qc_flags": ["ratio_implausible"], "qc_flag_details": [{"name": "ratio_implausible", "message": "Glx/tCr = 9 is outside 0.5–4"}]}`,
	}
	for l, sum := range summaries {
		write(t, filepath.Join(root, "sub-"+l, "eeg", "x"), "")
		write(t, filepath.Join(out, "sub-"+l, "sub-"+l+"_summary.json"), sum)
		write(t, filepath.Join(out, "sub-"+l, ProvenanceFile), `{"key": "`+strings.Repeat("0", 64)+`"}`)
	}
	write(t, filepath.Join(out, "sub-01", "sub-01_P2_qc.json"), `{"input": "sub-01_P2.7", "flags": [{"name": "tcr_zero", "message": "not the cohort's spectrum"}]}`)
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Group(d, out, DefaultPlan(), "test")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := os.ReadFile(res.Report)
	for _, want := range []string{"sub-02: ⚠ implausible fit: sub-02_P1.7: tcr_zero (total creatine fitted as 0)",
		"sub-03: ⚠ implausible fit: LCModel result sub-03/P3.table: ratio_implausible (Glx/tCr = 9 is outside 0.5–4)"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(string(html), "sub-01: ⚠") || strings.Contains(string(html), "not the cohort") || !strings.Contains(string(html), "2 of 3 spectra flagged") {
		t.Errorf("report marks the wrong spectra")
	}
}

// Participants the group level leaves out (AllowMissing) are left out of
// the clinical screening too: group/clinical/ neither scores nor screens
// them, and they are not reported as missing from participants.tsv.
func TestGroupMissingOutputsScreening(t *testing.T) {
	src := filepath.Join("..", "clinical", "testdata", "bids")
	root := t.TempDir()
	for _, f := range append([]string{"participants.tsv"}, globRel(t, src, "phenotype/*")...) {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, f), string(b))
	}
	out := t.TempDir()
	ptsv, _ := os.ReadFile(filepath.Join(src, "participants.tsv"))
	for _, line := range strings.Split(string(ptsv), "\n")[1:] {
		id, _, _ := strings.Cut(line, "\t")
		if id == "" {
			continue
		}
		write(t, filepath.Join(root, id, "eeg", "x"), "")
		if id != "sub-03" {
			write(t, filepath.Join(out, id, id+"_summary.json"), `{"glx_tcr": 1}`)
			write(t, filepath.Join(out, id, ProvenanceFile), `{"key": "`+strings.Repeat("0", 64)+`"}`)
		}
	}
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := GroupWith(d, out, DefaultPlan(), "test", GroupOptions{AllowMissing: true}); err != nil {
		t.Fatal(err)
	}
	files := globRel(t, filepath.Join(out, "group", "clinical"), "*")
	if len(files) == 0 {
		t.Fatal("no group/clinical outputs")
	}
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(out, "group", "clinical", f))
		if strings.Contains(string(b), "sub-03") {
			t.Errorf("group/clinical/%s names the left-out sub-03", f)
		}
		if f == "screening.tsv" && !strings.Contains(string(b), "sub-04") {
			t.Errorf("screening.tsv lacks sub-04:\n%s", b)
		}
	}
}

// globRel returns the names matching pattern in dir, relative to dir.
func globRel(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m {
		m[i], _ = filepath.Rel(dir, m[i])
	}
	return m
}
