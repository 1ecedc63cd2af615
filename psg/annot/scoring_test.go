package annot_test

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"glusleep/psg/annot"
	"glusleep/psg/sleep"
)

// gunzip writes testdata/name.xml.gz decompressed into a temporary folder
// and returns its path.
func gunzip(t *testing.T, name string) string {
	t.Helper()
	fh, err := os.Open(filepath.Join("testdata", name+".xml.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	z, err := gzip.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name+".xml")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// emblaStart is the recording start of the Embla study 10007 (the NSRR
// translation's "Recording Start Time" ClockTime 26.01.10 21.29.59).
var emblaStart = time.Date(2010, 1, 26, 21, 29, 59, 0, time.UTC)

type scoringRef struct {
	WindowFrom  string             `json:"window_from"`
	LightsOff   float64            `json:"lights_off_s"`
	LightsOn    float64            `json:"lights_on_s"`
	Epochs      int                `json:"epochs"`
	FileEpochs  int                `json:"scored_epochs_in_file"`
	TIB         float64            `json:"tib_min"`
	TST         float64            `json:"tst_min"`
	SPT         float64            `json:"spt_min"`
	SOL         float64            `json:"sleep_onset_latency_min"`
	REMLat      float64            `json:"rem_latency_min"`
	WASO        float64            `json:"waso_min"`
	WAFA        float64            `json:"wake_after_final_awakening_min"`
	SE          float64            `json:"sleep_efficiency_pct"`
	StageMin    map[string]float64 `json:"stage_min"`
	Awakenings  int                `json:"awakenings"`
	StageShifts int                `json:"stage_shifts"`
	Labels      map[string]int     `json:"event_labels"`
}

// The real Compumedics and Embla exports (native and NSRR-translated) give
// the sleep measures that scoring_reference.py works out from their epochs
// independently, and carry every event the files list.
func TestRealScoringExports(t *testing.T) {
	b, err := os.ReadFile("testdata/scoring_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var refs map[string]scoringRef
	if err := json.Unmarshal(b, &refs); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, dialect string
	}{
		{"compumedics_100022", annot.DialectCompumedics},
		{"compumedics_100022_nsrr_sdo", annot.DialectNSRR},
		{"embla_10007_eventexport", annot.DialectEmbla},
		{"embla_10007_nsrr", annot.DialectNSRR},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ref, ok := refs[c.name]
			if !ok {
				t.Fatalf("no reference for %s", c.name)
			}
			h, err := annot.ReadFile(gunzip(t, c.name), annot.Options{Origin: emblaStart})
			if err != nil {
				t.Fatal(err)
			}
			if h.Dialect != c.dialect || len(h.Stages) != ref.FileEpochs {
				t.Fatalf("dialect %q with %d epochs, want %q with %d", h.Dialect, len(h.Stages), c.dialect, ref.FileEpochs)
			}
			st, err := sleep.Compute(h, sleep.Options{})
			if err != nil {
				t.Fatal(err)
			}
			near := func(name string, got, want float64) {
				if math.Abs(got-want) > 1e-6 {
					t.Errorf("%s = %.9g, reference %.9g", name, got, want)
				}
			}
			near("lights off", st.LightsOff, ref.LightsOff)
			near("lights on", st.LightsOn, ref.LightsOn)
			near("TIB", st.TIB, ref.TIB)
			near("TST", st.TST, ref.TST)
			near("SPT", st.SPT, ref.SPT)
			near("SOL", st.SOL, ref.SOL)
			near("REM latency", st.REMLatency, ref.REMLat)
			near("WASO", st.WASO, ref.WASO)
			near("wake after final awakening", st.WakeAfterFinalAwakening, ref.WAFA)
			near("SE", st.SE, ref.SE)
			for k, v := range map[string]float64{"W": st.W, "N1": st.N1, "N2": st.N2, "N3": st.N3, "R": st.R, "?": st.Unscored} {
				near("minutes "+k, v, ref.StageMin[k])
			}
			if st.Epochs != ref.Epochs || st.Awakenings != ref.Awakenings || st.StageShifts != ref.StageShifts || st.WindowFrom != ref.WindowFrom {
				t.Errorf("epochs %d, awakenings %d, shifts %d, window %q; reference %d, %d, %d, %q",
					st.Epochs, st.Awakenings, st.StageShifts, st.WindowFrom, ref.Epochs, ref.Awakenings, ref.StageShifts, ref.WindowFrom)
			}
			got := map[string]int{}
			for _, e := range h.Events {
				got[e.Label]++
			}
			for l, n := range ref.Labels {
				if got[l] != n {
					t.Errorf("event %q: %d read, file has %d", l, got[l], n)
				}
			}
			if len(got) != len(ref.Labels) {
				t.Errorf("%d distinct event labels read, file has %d", len(got), len(ref.Labels))
			}
		})
	}
}

// The native Embla export, its NSRR translations (SRO concepts, and the
// "EmblaStub" one with Embla's own type names) agree epoch by epoch and on
// every respiratory, arousal and limb event's onset; the translation whose
// start times are empty is refused naming the cause.
func TestEmblaVariantsAgree(t *testing.T) {
	native, err := annot.ReadFile(gunzip(t, "embla_10007_eventexport"), annot.Options{Origin: emblaStart})
	if err != nil {
		t.Fatal(err)
	}
	if native.Start != 4351 || len(native.Stages) != 959 {
		t.Fatalf("native: start %g s, %d epochs; want 4351 s (22:42:30 − 21:29:59), 959", native.Start, len(native.Stages))
	}
	count := func(h *annot.Hypnogram) map[annot.EventKind]int {
		m := map[annot.EventKind]int{}
		for _, e := range h.Events {
			m[e.Kind]++
		}
		return m
	}
	nk := count(native)
	// Hand count from the file's Event types: APNEA-* 188 (92 central, 1
	// mixed, 95 obstructive), HYPOPNEA* 151, RESP-RERA 1, AROUSAL* 9,
	// LIGHTS-ON 1, PLM/PLM-LM/PLM-RRLM 3.
	want := map[annot.EventKind]int{annot.Apnea: 188, annot.Hypopnea: 151, annot.RERA: 1, annot.Arousal: 9, annot.LightsOn: 1, annot.LegMovement: 3}
	for k, n := range want {
		if nk[k] != n {
			t.Errorf("native %s: %d, want %d", k, nk[k], n)
		}
	}
	for _, name := range []string{"embla_10007_nsrr", "embla_10007_nsrr_stub"} {
		h, err := annot.ReadFile(gunzip(t, name), annot.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if h.Start != native.Start || len(h.Stages) != len(native.Stages) {
			t.Fatalf("%s: start %g, %d epochs; native %g, %d", name, h.Start, len(h.Stages), native.Start, len(native.Stages))
		}
		for i := range h.Stages {
			if h.Stages[i] != native.Stages[i] {
				t.Errorf("%s epoch %d: %v, native %v", name, i, h.Stages[i], native.Stages[i])
				break
			}
		}
		hk := count(h)
		for _, k := range []annot.EventKind{annot.Apnea, annot.Hypopnea, annot.RERA, annot.Arousal, annot.LightsOn} {
			if hk[k] != nk[k] {
				t.Errorf("%s %s: %d, native %d", name, k, hk[k], nk[k])
			}
		}
		// Respiratory onsets agree to within the translator's 0.1 s truncation.
		var a, b []float64
		for _, e := range native.Events {
			if e.Kind.Respiratory() {
				a = append(a, e.Onset)
			}
		}
		for _, e := range h.Events {
			if e.Kind.Respiratory() {
				b = append(b, e.Onset)
			}
		}
		for i := range a {
			if d := a[i] - b[i]; d < -1e-6 || d > 0.1+1e-6 {
				t.Errorf("%s respiratory event %d at %g s, native %g s", name, i, b[i], a[i])
				break
			}
		}
	}
	_, err = annot.ReadFile(gunzip(t, "embla_10007_nsrr_nostart"), annot.Options{})
	if err == nil || !strings.Contains(err.Error(), "no Start time") || !strings.Contains(err.Error(), "SRO:AnalysisStart") {
		t.Errorf("translation without start times: %v", err)
	}
}

// Files in no known dialect are refused with the list of dialects read.
func TestUnknownDialectRefused(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"other.xml": `<?xml version="1.0"?><SleepStudy><Epoch>W</Epoch></SleepStudy>`,
		"notes.txt": "patient slept well\nlights off at ten\n",
		"table.csv": "when,what\n10,stuff\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		_, err := annot.ReadFile(p, annot.Options{})
		if err == nil || !errors.Is(err, annot.ErrDialect) && !strings.Contains(err.Error(), "lacks an onset column") {
			t.Errorf("%s: %v, want a refusal", name, err)
			continue
		}
		if errors.Is(err, annot.ErrDialect) && !strings.Contains(err.Error(), annot.DialectEmbla) {
			t.Errorf("%s: error does not list the dialects: %v", name, err)
		}
	}
}
