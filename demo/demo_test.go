package demo

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// small is a reduced demo that still runs every step: 2 RLS patients and 2
// controls, a 2-hour PSG night.
func small(out string, workers int) Config {
	return Config{Out: out, Seed: 7, RLS: 2, Controls: 2, NightHours: 2, Workers: workers, Version: "test"}
}

// runSpecific reports whether rel (a path under the demo's output) holds
// facts of one run by nature: only provenance.json (timings) does.
func runSpecific(rel string) bool { return filepath.Base(rel) == "provenance.json" }

// readTree returns every regular file under root by slash-separated
// relative path.
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

// Acceptance (issue 14): two runs of the demo — one participant at a time,
// then two at once — write byte-identical files, apart from the
// participant level's provenance.json (timings). Every step runs, so
// every output kind (EDF, TSV, JSON, SVG, HTML, NIfTI-MRS, .RAW) is
// compared.
func TestRunReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the reduced demo twice")
	}
	t.Parallel()
	tmp := t.TempDir()
	out := filepath.Join(tmp, "demo")
	var log1, progress bytes.Buffer
	cfg := small(out, 1)
	cfg.Stdout, cfg.Log = &log1, &progress
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Study == nil || res.Study.Participants != 4 || res.MRS == nil || len(res.MRS.Spectra) != 4 {
		t.Fatalf("reduced demo: %+v", res)
	}
	for _, step := range StepNames {
		if !strings.Contains(progress.String(), "demo: "+step) {
			t.Errorf("no progress line for step %s:\n%s", step, progress.String())
		}
	}
	first := filepath.Join(tmp, "first")
	if err := os.Rename(out, first); err != nil {
		t.Fatal(err)
	}
	var log2 bytes.Buffer
	cfg = small(out, 2)
	cfg.Stdout = &log2
	if _, err := Run(cfg); err != nil {
		t.Fatal(err)
	}
	a, b := readTree(t, first), readTree(t, out)
	compared, provenance := 0, 0
	for rel, x := range a {
		y, ok := b[rel]
		switch {
		case !ok:
			t.Errorf("%s: written by the first run only", rel)
		case runSpecific(rel):
			provenance++
		case !bytes.Equal(x, y):
			t.Errorf("%s differs between the runs (%d and %d bytes)%s", rel, len(x), len(y), firstDiff(x, y))
		default:
			compared++
		}
	}
	for rel := range b {
		if _, ok := a[rel]; !ok {
			t.Errorf("%s: written by the second run only", rel)
		}
	}
	if log1.String() != log2.String() {
		t.Errorf("printed summaries differ:\n%s\n---\n%s", log1.String(), log2.String())
	}
	for _, want := range []string{"psg/sub-demo_task-sleep_hypnogram.svg", "mrs/cohort_mrs.tsv", "derivatives/group/report.html", "stats/paper_check.json"} {
		if _, ok := a[want]; !ok {
			t.Errorf("the demo wrote no %s", want)
		}
	}
	if provenance != 4 {
		t.Errorf("%d provenance.json files, want one per participant (4)", provenance)
	}
	t.Logf("%d files byte-identical, %d provenance.json skipped", compared, provenance)
}

// firstDiff describes where x and y first differ (a line of each), for
// text files.
func firstDiff(x, y []byte) string {
	lx, ly := strings.Split(string(x), "\n"), strings.Split(string(y), "\n")
	for i := range min(len(lx), len(ly)) {
		if lx[i] != ly[i] {
			return fmt.Sprintf("; line %d:\n  %s\n  %s", i+1, trim(lx[i]), trim(ly[i]))
		}
	}
	return ""
}

func trim(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// Configurations the steps cannot honour are refused with the reason.
func TestConfigRefused(t *testing.T) {
	if _, err := PSGNight(Config{Out: t.TempDir(), NightHours: 1}); err == nil || !strings.Contains(err.Error(), "at least 2 h") {
		t.Errorf("1 h night: %v", err)
	}
	if _, err := Run(Config{}); err == nil {
		t.Error("no output folder accepted")
	}
	if _, err := Legs(Config{Out: t.TempDir()}, nil); err == nil {
		t.Error("legs without a night accepted")
	}
}
