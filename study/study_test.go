package study

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// makeDataset writes a small BIDS dataset: sub-01 complete with two nights
// in sessions, sub-02 without water reference or events, sub-03 listed but
// absent, sub-04 present but unlisted.
func makeDataset(t *testing.T) string {
	root := t.TempDir()
	write(t, filepath.Join(root, "participants.tsv"), "participant_id\tgroup\tage\nsub-01\trls\t60\nsub-02\tcontrol\t58\nsub-03\trls\tn/a\n")
	write(t, filepath.Join(root, "sub-01/mrs/sub-01_svs.nii.gz"), "svs1")
	write(t, filepath.Join(root, "sub-01/mrs/sub-01_mrsref.nii.gz"), "ref1")
	for _, ses := range []string{"1", "2"} {
		base := filepath.Join(root, "sub-01/ses-"+ses+"/eeg/sub-01_ses-"+ses+"_task-sleep")
		write(t, base+"_eeg.edf", "edf"+ses)
		write(t, base+"_events.tsv", "onset\tduration\ttrial_type\n")
		write(t, base+"_channels.tsv", "name\ttype\tunits\n")
	}
	write(t, filepath.Join(root, "sub-02/mrs/sub-02_svs.nii.gz"), "svs2")
	write(t, filepath.Join(root, "sub-02/eeg/sub-02_task-sleep_run-1_eeg.edf"), "edf")
	write(t, filepath.Join(root, "sub-02/eeg/sub-02_task-rest_eeg.edf"), "not sleep")
	write(t, filepath.Join(root, "sub-04/mrs/sub-04_svs.nii.gz"), "svs4")
	return root
}

func TestOpenFindsFilesAndProblems(t *testing.T) {
	root := makeDataset(t)
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Participants) != 4 {
		t.Fatalf("%d participants, want 4", len(d.Participants))
	}
	p1 := d.Participant("sub-01")
	if len(p1.MRS) != 1 || p1.MRS[0].Ref == "" || len(p1.Nights) != 2 || p1.Fields["group"] != "rls" {
		t.Errorf("sub-01: %+v", p1)
	}
	if p1.Nights[0].Session != "1" || p1.Nights[1].Session != "2" || p1.Nights[0].Events == "" || p1.Nights[0].Channels == "" {
		t.Errorf("sub-01 nights: %+v", p1.Nights)
	}
	if len(p1.Problems) != 0 {
		t.Errorf("sub-01 problems: %v", p1.Problems)
	}
	cases := []struct {
		label string
		want  []string
	}{
		{"02", []string{"no water reference", "no _events.tsv"}},
		{"03", []string{"no sub-03 folder", "no MRS data", "no sleep recording"}},
		{"04", []string{"not listed in participants.tsv", "no sleep recording"}},
	}
	for _, c := range cases {
		p := d.Participant(c.label)
		all := strings.Join(p.Problems, "; ")
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("sub-%s problems %q lack %q", c.label, all, w)
			}
		}
	}
	if n := len(d.Participant("02").Nights); n != 1 {
		t.Errorf("sub-02: %d nights, want 1 (task-rest is not a sleep recording)", n)
	}
}

func TestOpenBadParticipantsTSV(t *testing.T) {
	cases := map[string]string{
		"wrong first column": "id\tgroup\nsub-01\trls\n",
		"ragged row":         "participant_id\tgroup\nsub-01\n",
		"bad label":          "participant_id\tgroup\n01\trls\n",
		"duplicate":          "participant_id\tgroup\nsub-01\trls\nsub-01\trls\n",
	}
	for name, content := range cases {
		root := t.TempDir()
		write(t, filepath.Join(root, "participants.tsv"), content)
		if _, err := Open(root); err == nil || !strings.Contains(err.Error(), "participants.tsv") {
			t.Errorf("%s: error %v, want one naming participants.tsv", name, err)
		}
	}
}

func TestRunnerSkipsAndKeepsFinishedWork(t *testing.T) {
	root := makeDataset(t)
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var calls atomic.Int32
	r := &Runner{Dataset: d, Out: out, Settings: map[string]int{"x": 1}, Version: "test", Workers: 2,
		Process: func(ctx context.Context, p *Participant, dir string) ([]string, error) {
			calls.Add(1)
			switch p.Label {
			case "03":
				return nil, errors.New("no data")
			case "04":
				panic("boom")
			}
			return nil, os.WriteFile(filepath.Join(dir, "result.tsv"), []byte("ok "+p.Label), 0o644)
		}}
	res, err := r.Run(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "2 of 4 participants failed") {
		t.Fatalf("error %v, want 2 failures summarised", err)
	}
	status := map[string]string{}
	for _, o := range res {
		status[o.Participant] = o.Status
	}
	if status["01"] != "done" || status["02"] != "done" || status["03"] != "failed" || status["04"] != "failed" {
		t.Fatalf("statuses %v", status)
	}
	if b, err := os.ReadFile(filepath.Join(out, "sub-01", "result.tsv")); err != nil || string(b) != "ok 01" {
		t.Fatalf("sub-01 output %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(out, "sub-03")); err == nil {
		t.Error("failed participant left an output folder")
	}
	// Rerun of the finished ones: skipped, no processing.
	calls.Store(0)
	res, err = r.Run(context.Background(), []string{"01", "sub-02"})
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 0 || res[0].Status != "skipped" || res[1].Status != "skipped" {
		t.Errorf("rerun: %d calls, %+v; want both skipped", calls.Load(), res)
	}
	// Changed input: reprocessed. Changed settings: reprocessed.
	write(t, filepath.Join(root, "sub-01/mrs/sub-01_svs.nii.gz"), "svs1 changed")
	res, _ = r.Run(context.Background(), []string{"01", "02"})
	if res[0].Status != "done" || res[1].Status != "skipped" {
		t.Errorf("after input change: %+v", res)
	}
	r.Settings = map[string]int{"x": 2}
	res, _ = r.Run(context.Background(), []string{"02"})
	if res[0].Status != "done" {
		t.Errorf("after settings change: %+v", res)
	}
	// A failing rerun keeps the earlier complete outputs.
	r.Settings = map[string]int{"x": 3}
	r.Process = func(ctx context.Context, p *Participant, dir string) ([]string, error) {
		os.WriteFile(filepath.Join(dir, "partial"), nil, 0o644)
		return nil, errors.New("crash")
	}
	r.Run(context.Background(), []string{"01"})
	if b, err := os.ReadFile(filepath.Join(out, "sub-01", "result.tsv")); err != nil || string(b) != "ok 01" {
		t.Errorf("earlier outputs lost after failed rerun: %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(out, "sub-01", "partial")); err == nil {
		t.Error("partial output of a failed rerun visible")
	}
	prov, err := ReadProvenance(filepath.Join(out, "sub-01"))
	if err != nil || prov.Inputs["sub-01/mrs/sub-01_svs.nii.gz"] == "" {
		t.Errorf("provenance %+v, %v", prov, err)
	}
	if _, err := r.Run(context.Background(), []string{"99"}); err == nil {
		t.Error("unknown participant accepted")
	}
}

// With a separate work folder (node-local scratch), outputs, including a
// subfolder, arrive in Out and the work folder is left empty.
func TestRunnerWorkDir(t *testing.T) {
	d, err := Open(makeDataset(t))
	if err != nil {
		t.Fatal(err)
	}
	out, scratch := t.TempDir(), t.TempDir()
	r := &Runner{Dataset: d, Out: out, Settings: 1, Version: "test", WorkDir: scratch,
		Process: func(ctx context.Context, p *Participant, dir string) ([]string, error) {
			if err := os.MkdirAll(filepath.Join(dir, "figs"), 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(filepath.Join(dir, "figs", "a.svg"), []byte("<svg/>"), 0o644); err != nil {
				return nil, err
			}
			return nil, os.WriteFile(filepath.Join(dir, "r.tsv"), []byte(p.Label), 0o644)
		}}
	if _, err := r.Run(context.Background(), []string{"01", "02"}); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"01", "02"} {
		if b, err := os.ReadFile(filepath.Join(out, "sub-"+l, "r.tsv")); err != nil || string(b) != l {
			t.Errorf("sub-%s: %q, %v", l, b, err)
		}
		if _, err := os.Stat(filepath.Join(out, "sub-"+l, "figs", "a.svg")); err != nil {
			t.Errorf("sub-%s subfolder: %v", l, err)
		}
		if _, err := ReadProvenance(filepath.Join(out, "sub-"+l)); err != nil {
			t.Errorf("sub-%s provenance: %v", l, err)
		}
	}
	left, _ := os.ReadDir(scratch)
	if len(left) != 0 {
		t.Errorf("work folder not cleaned: %d entries", len(left))
	}
}
