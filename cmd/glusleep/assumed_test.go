package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
)

// probeS writes a copy of one of the study's 1.5 T PROBE-P P-files whose
// psdname (revision 9: offset 60248) says PROBE-S: a STEAM file, whose
// mixing time the header does not hold (gepfile assumes 12 ms).
func probeS(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(shareddata.Path(t, "mrs/ge-1.5T-press-te30/P1830_1.5T_030_2000.7"))
	if err != nil {
		t.Fatal(err)
	}
	copy(b[60248:60248+33], append([]byte("PROBE-S"), make([]byte, 26)...))
	p := filepath.Join(t.TempDir(), "P1830.7")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A basis simulated for a PROBE-S P-file follows an assumed TM of 12 ms:
// `mrs basis --like` and `mrs fit --simulate` say so on a warning: line
// naming the value and how to set it; --tm silences `mrs basis`.
func TestAssumedTMWarning(t *testing.T) {
	in := probeS(t)
	dir := t.TempDir()
	for _, c := range []struct {
		extra []string
		warn  bool
	}{{nil, true}, {[]string{"--tm", "10"}, false}} {
		var so, se bytes.Buffer
		args := append([]string{"mrs", "basis", "--like", in, "--metabolites", "Cr", "--out", filepath.Join(dir, "b.BASIS")}, c.extra...)
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 0 {
			t.Fatalf("%v: exit %d: %s", c.extra, code, se.String())
		}
		got := strings.Contains(se.String(), "warning: "+in+": TM 12 ms assumed") && strings.Contains(se.String(), "--tm MS (ms)")
		if got != c.warn {
			t.Errorf("mrs basis --like %v: stderr %q; want the assumed-TM warning %v", c.extra, se.String(), c.warn)
		}
	}
	if testing.Short() {
		return // mrs fit: simulates a whole STEAM basis and fits
	}
	var so, se bytes.Buffer
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "fit", "--simulate", "--max-shift-ppm", "0.3", "--out", filepath.Join(dir, "fit"), in}); code != 0 {
		t.Fatalf("mrs fit: exit %d: %s", code, se.String())
	}
	if s := se.String(); !strings.Contains(s, "glusleep mrs fit: warning: P1830.7: the simulated basis uses TM 12 ms, assumed") || !strings.Contains(s, "mrs fit has no --tm") ||
		!strings.Contains(s, "glusleep mrs basis --like P1830.7 --tm MS") {
		t.Errorf("mrs fit --simulate: stderr %q lacks the assumed-TM warning", s)
	}
}
