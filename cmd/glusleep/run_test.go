package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --participant-index picks one participant by position (Kubernetes Indexed
// Jobs); an index past the end is an error that says how many there are.
func TestRunParticipantIndex(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "participants.tsv"), []byte("participant_id\tgroup\nsub-01\trls\nsub-02\tcontrol\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"sub-01", "sub-02"} {
		if err := os.MkdirAll(filepath.Join(root, s, "eeg"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	var so, se bytes.Buffer
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"run", root, out, "participant", "--participant-index", "1"}); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	if _, err := os.Stat(filepath.Join(out, "sub-02", "sub-02_summary.json")); err != nil {
		t.Errorf("sub-02 not processed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "sub-01")); err == nil {
		t.Error("sub-01 processed too")
	}
	se.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"run", root, out, "participant", "--participant-index", "2"}); code == 0 || !strings.Contains(se.String(), "2 participants") {
		t.Errorf("index 2: exit %d, %q", code, se.String())
	}
	se.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"run", root, out, "participant", "--preprocess", "sometimes"}); code != 2 || !strings.Contains(se.String(), "sometimes") {
		t.Errorf("--preprocess sometimes: exit %d, %q", code, se.String())
	}
}
