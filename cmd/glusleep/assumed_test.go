package main

import (
	"bytes"
	"encoding/json"
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
// naming the value and how to set it (--tm, ms). With --tm they say the
// given value was used in place of the assumed one, the basis follows it,
// and _qc.json records it as a flag with what it replaced.
func TestAssumedTMWarning(t *testing.T) {
	in := probeS(t)
	dir := t.TempDir()
	for _, c := range []struct {
		extra []string
		want  string
		basis string
	}{
		{nil, "warning: " + in + ": TM 12 ms assumed (the header does not state it): give the mixing time with --tm MS (ms)", "STEAM TE 30 ms, TM 12 ms"},
		{[]string{"--tm", "10"}, "warning: " + in + ": the simulated basis uses TM 10 ms, given with --tm, in place of TM 12 ms, assumed (the header does not state it)", "STEAM TE 30 ms, TM 10 ms"},
	} {
		var so, se bytes.Buffer
		args := append([]string{"mrs", "basis", "--like", in, "--metabolites", "Cr", "--out", filepath.Join(dir, "b.BASIS")}, c.extra...)
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 0 {
			t.Fatalf("%v: exit %d: %s", c.extra, code, se.String())
		}
		if !strings.Contains(se.String(), c.want) || !strings.Contains(so.String(), c.basis) {
			t.Errorf("mrs basis --like %v: stdout %q, stderr %q; want %q and a %s basis", c.extra, so.String(), se.String(), c.want, c.basis)
		}
	}
	if testing.Short() {
		return // mrs fit: simulates a whole STEAM basis and fits
	}
	for _, c := range []struct {
		extra              []string
		want, basis, tmSrc string
		replaced           string
	}{
		{nil, "glusleep mrs fit: warning: P1830.7: the simulated basis uses TM 12 ms, assumed (the header does not state it); give mrs fit the mixing time with --tm MS (ms), as `glusleep mrs basis --like P1830.7 --tm MS` takes it",
			"STEAM TE 30 ms, TM 12 ms", "assumed", ""},
		{[]string{"--tm", "20"}, "glusleep mrs fit: warning: P1830.7: the simulated basis uses TM 20 ms, given with --tm, in place of TM 12 ms, assumed (the header does not state it)",
			"STEAM TE 30 ms, TM 20 ms", "flag", `"replaced": {
      "tm_ms": {
        "value": 12,
        "source": "assumed"
      }
    }`},
	} {
		var so, se bytes.Buffer
		out := filepath.Join(dir, "fit"+strings.Join(c.extra, ""))
		args := append([]string{"mrs", "fit", "--simulate", "--max-shift-ppm", "0.3", "--out", out, in}, c.extra...)
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 0 {
			t.Fatalf("mrs fit %v: exit %d: %s", c.extra, code, se.String())
		}
		if s := se.String(); !strings.Contains(s, c.want) {
			t.Errorf("mrs fit --simulate %v: stderr %q lacks %q", c.extra, s, c.want)
		}
		b, err := os.ReadFile(filepath.Join(out, "P1830_qc.json"))
		if err != nil {
			t.Fatal(err)
		}
		var qc struct {
			Basis       string `json:"basis"`
			Acquisition struct {
				TMms    float64           `json:"tm_ms"`
				Sources map[string]string `json:"sources"`
			} `json:"acquisition"`
		}
		if err := json.Unmarshal(b, &qc); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(qc.Basis, c.basis) || qc.Acquisition.Sources["tm_ms"] != c.tmSrc || !strings.Contains(string(b), c.replaced) {
			t.Errorf("mrs fit %v: _qc.json basis %q, tm_ms from %q; want %s, from %s, replaced %s", c.extra, qc.Basis, qc.Acquisition.Sources["tm_ms"], c.basis, c.tmSrc, c.replaced)
		}
	}
}
