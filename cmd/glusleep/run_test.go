package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/demo"
)

// --participant-index picks one participant by position (Kubernetes Indexed
// Jobs); an index past the end is an error that says how many there are.
func TestRunParticipantIndex(t *testing.T) {
	root := tinyDataset(t)
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
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"run", root, out, "participant", "--participant-index", "2"}); code != 2 || !strings.Contains(se.String(), "2 participants") || !strings.Contains(se.String(), "--participant-index") {
		t.Errorf("index 2: exit %d, %q; want 2 naming --participant-index and the count", code, se.String())
	}
	// Below -1 (every participant) is a usage error, not everyone.
	se.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"run", root, out, "participant", "--participant-index", "-2"}); code != 2 || !strings.Contains(se.String(), "--participant-index -2") {
		t.Errorf("index -2: exit %d, %q; want 2 naming the flag", code, se.String())
	}
	se.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"run", root, out, "participant", "--preprocess", "sometimes"}); code != 2 || !strings.Contains(se.String(), "sometimes") {
		t.Errorf("--preprocess sometimes: exit %d, %q", code, se.String())
	}
}

// Acceptance (issue 14): a second `run … participant` on the same dataset
// into a fresh folder writes byte-identical files, with --n-cpus 1 and 2,
// apart from provenance.json (timings); so does the group level after it.
func TestRunParticipantReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes two participants and runs them twice")
	}
	t.Parallel()
	cfg := demo.Config{Out: t.TempDir(), Seed: 3, RLS: 2, Controls: 2, Workers: 2}
	root, err := demo.Dataset(cfg, 2)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	out := filepath.Join(tmp, "derivatives")
	trees := map[string]map[string][]byte{}
	for _, n := range []string{"1", "2"} {
		for _, level := range []string{"participant", "group"} {
			if so, se, code := run(t, "run", root, out, level, "--n-cpus", n); code != 0 {
				t.Fatalf("--n-cpus %s %s: exit %d %s %s", n, level, code, so, se)
			}
		}
		trees[n] = readTree(t, out)
		if err := os.Rename(out, filepath.Join(tmp, "run"+n)); err != nil {
			t.Fatal(err)
		}
	}
	same, prov := 0, 0
	for rel, a := range trees["1"] {
		b, ok := trees["2"][rel]
		switch {
		case !ok:
			t.Errorf("%s: only in the first run", rel)
		case filepath.Base(rel) == "provenance.json":
			prov++
		case !bytes.Equal(a, b):
			t.Errorf("%s differs between --n-cpus 1 and 2", rel)
		default:
			same++
		}
	}
	if len(trees["1"]) != len(trees["2"]) || prov != 2 || same < 20 {
		t.Errorf("%d and %d files, %d identical, %d provenance.json", len(trees["1"]), len(trees["2"]), same, prov)
	}
}

// readTree returns every regular file under root by relative path.
func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
