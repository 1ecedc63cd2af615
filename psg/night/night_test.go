package night

import (
	"bufio"
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/legs"
	"glusleep/synth"
)

// testNight is a 2-hour synthetic night (sleep onset 15 min, WASO 10 min,
// final wake 5 min) with leg movements, built once per test run: its EDF+
// bytes (leg channels "Leg L"/"Leg R"), events TSV and the PLMS count of
// the true movements under WASM 2016.
var testNight struct {
	once        sync.Once
	err         error
	edf, events []byte
	eventsOnly  []byte // the events with the true leg movements listed
	plms        int
}

func buildNight() {
	n, err := synth.NewNight(synth.NightSpec{Seed: 5, InBedHours: 2, SleepOnsetMinutes: 15, WASOMinutes: 10, FinalWakeMinutes: 5, EEGRate: 128})
	if err != nil {
		testNight.err = err
		return
	}
	rng := rand.New(rand.NewPCG(5, 6))
	truth, _ := synth.PLMNight(n.Hypnogram, synth.PLMSpec{Series: 2, Isolated: 4}, rng)
	ll, lr := n.Channel("Leg L"), n.Channel("Leg R")
	if err := synth.AddLegMovements(ll.Data, lr.Data, 128, truth, rng); err != nil {
		testNight.err = err
		return
	}
	var b bytes.Buffer
	if err := edf.Write(&b, n.Signals, edf.WriteOptions{RecordDuration: 1, Annotations: n.Annotations()}); err != nil {
		testNight.err = err
		return
	}
	testNight.edf = b.Bytes()
	write := func(h *annot.Hypnogram) []byte {
		var eb bytes.Buffer
		w := bufio.NewWriter(&eb)
		if err := annot.WriteEventsTSV(w, h); err != nil {
			testNight.err = err
		}
		w.Flush()
		return eb.Bytes()
	}
	testNight.events = write(n.Hypnogram)
	var tl, tr []legs.Interval
	withLegs := *n.Hypnogram
	withLegs.Events = append([]annot.Event(nil), n.Hypnogram.Events...)
	for _, m := range truth {
		if m.Side != "right" {
			tl = append(tl, legs.Interval{Onset: m.Onset, Offset: m.Onset + m.Duration})
			withLegs.Events = append(withLegs.Events, annot.Event{Onset: m.Onset, Duration: m.Duration, Kind: annot.LegMovement, Label: "Limb movement left"})
		}
		if m.Side != "left" {
			on, d := m.Onset, m.Duration
			if m.Side == "bilateral" {
				on += m.RightLag
				if m.RightDuration > 0 {
					d = m.RightDuration
				}
			}
			tr = append(tr, legs.Interval{Onset: on, Offset: on + d})
			withLegs.Events = append(withLegs.Events, annot.Event{Onset: on, Duration: d, Kind: annot.LegMovement, Label: "Limb movement right"})
		}
	}
	sort.Slice(tl, func(i, j int) bool { return tl[i].Onset < tl[j].Onset })
	sort.Slice(tr, func(i, j int) bool { return tr[i].Onset < tr[j].Onset })
	sort.SliceStable(withLegs.Events, func(i, j int) bool { return withLegs.Events[i].Onset < withLegs.Events[j].Onset })
	testNight.eventsOnly = write(&withLegs)
	testNight.plms = legs.Score(tl, tr, n.Hypnogram, legs.DefaultParams(legs.WASM2016)).Measures.PLMSCount
}

// nightFiles writes the test night into dir; it returns the EDF and events
// paths.
func nightFiles(t *testing.T, dir string) (string, string) {
	t.Helper()
	testNight.once.Do(buildNight)
	if testNight.err != nil {
		t.Fatal(testNight.err)
	}
	rec := filepath.Join(dir, "sub-01_task-sleep_eeg.edf")
	ev := filepath.Join(dir, "sub-01_task-sleep_events.tsv")
	if err := os.WriteFile(rec, testNight.edf, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ev, testNight.events, 0o644); err != nil {
		t.Fatal(err)
	}
	return rec, ev
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rec, ev := nightFiles(t, dir)
	legsOnly := filepath.Join(dir, "scored_events.tsv")
	if err := os.WriteFile(legsOnly, testNight.eventsOnly, 0o644); err != nil {
		t.Fatal(err)
	}
	p := legs.DefaultParams(legs.WASM2016)
	for _, c := range []struct {
		name    string
		in      Input
		opt     Options
		stem    string
		outputs int
		warn    string
	}{
		{"sleep from events", Input{Hypnogram: ev}, Options{Sleep: true}, "sub-01_task-sleep", 2, ""},
		{"sleep from the EDF's annotations", Input{Hypnogram: rec}, Options{Sleep: true}, "sub-01_task-sleep", 2, ""},
		{"sleep only, stages from the recording", Input{Recording: rec}, Options{Sleep: true}, "sub-01_task-sleep", 2, ""},
		{"sleep and legs from EMG", Input{Recording: rec, Hypnogram: ev}, Options{Sleep: true, Legs: true, LegParams: p}, "sub-01_task-sleep", 6, ""},
		{"legs, stages from the EDF", Input{Recording: rec}, Options{Legs: true, LegParams: p}, "sub-01_task-sleep", 6, ""},
		{"legs, stages from the EDF, events merged", Input{Recording: rec, Events: ev}, Options{Legs: true, LegParams: p}, "sub-01_task-sleep", 6, ""},
		{"legs from scored events", Input{Hypnogram: legsOnly}, Options{Sleep: true, Legs: true, LegParams: p}, "scored", 6, ""},
		{"unreadable EDF, scored events", Input{Recording: filepath.Join(dir, "missing.edf"), Hypnogram: legsOnly}, Options{Sleep: true, Legs: true, LegParams: p}, "missing", 6, "scored the leg movements listed in the events"},
		{"unreadable EDF, optional legs", Input{Recording: filepath.Join(dir, "missing.edf"), Hypnogram: ev}, Options{Sleep: true, Legs: true, LegsOptional: true, LegParams: p}, "missing", 2, "leg movements:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			n, err := Analyze(c.in, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			// Truth: 120 min in bed − 15 min latency − 10 min WASO − 5 min final wake.
			if !n.HasSleep || math.Abs(n.Sleep.TST-90) > 0.5 || math.Abs(n.Sleep.WASO-10) > 0.5 {
				t.Errorf("TST %.1f WASO %.1f, want 90 and 10", n.Sleep.TST, n.Sleep.WASO)
			}
			if n.Legs != nil && n.Legs.Measures.PLMSCount != testNight.plms {
				t.Errorf("PLMS %d, the true movements give %d", n.Legs.Measures.PLMSCount, testNight.plms)
			}
			if n.Stem != c.stem || len(n.Outputs(dir)) != c.outputs {
				t.Errorf("stem %q outputs %v", n.Stem, n.Outputs(dir))
			}
			if c.warn != "" && !strings.Contains(strings.Join(n.Warnings, "\n"), c.warn) {
				t.Errorf("warnings %q, want %q", n.Warnings, c.warn)
			}
			out := t.TempDir()
			if err := n.Write(out); err != nil {
				t.Fatal(err)
			}
			for _, f := range n.Outputs(out) {
				if fi, err := os.Stat(f); err != nil || fi.Size() < 100 {
					t.Errorf("%s: %v", f, err)
				}
			}
		})
	}
	if testNight.plms < 5 {
		t.Errorf("the test night has %d true PLMS", testNight.plms)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rec, _ := nightFiles(t, dir)
	empty := filepath.Join(dir, "empty_events.tsv")
	if err := os.WriteFile(empty, []byte("onset\tduration\ttrial_type\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		in   Input
		opt  Options
		want string
	}{
		{"no input", Input{}, Options{Sleep: true}, "need a recording or a hypnogram"},
		{"no analysis", Input{Hypnogram: empty}, Options{}, "no analysis selected"},
		{"no stages", Input{Hypnogram: empty}, Options{Sleep: true}, "empty_events.tsv: sleep: no scored sleep stages"},
		{"missing hypnogram", Input{Hypnogram: filepath.Join(dir, "none.tsv")}, Options{Sleep: true}, "none.tsv"},
		{"no hypnogram in the recording", Input{Recording: filepath.Join(dir, "none.edf")}, Options{Sleep: true}, "none.edf: no scored sleep stages: no hypnogram found"},
		{"no legs anywhere", Input{Hypnogram: empty}, Options{Legs: true, LegParams: legs.DefaultParams(legs.AASM)}, "no recording and no scored leg movements"},
		{"named channel absent", Input{Recording: rec}, Options{Legs: true, LeftChannel: "Foot", LegParams: legs.DefaultParams(legs.AASM)}, `no channel "Foot"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Analyze(c.in, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
	n := &Night{Stem: "x"}
	if n.WriteSleep(dir) == nil || n.WriteLegs(dir) == nil {
		t.Error("writing absent outputs is not an error")
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{
		"a/sub-01_task-sleep_events.tsv": "sub-01_task-sleep", "sub-01_task-sleep_eeg.bdf": "sub-01_task-sleep",
		"SC4001EC-Hypnogram.edf": "SC4001EC", "night.xml": "night", "stages.txt": "stages", "rec.EDF": "rec",
	} {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

// AnalyzeTo makes the output folder and writes exactly the selected
// analyses' files, the same bytes as Analyze followed by Write*.
func TestAnalyzeTo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rec, ev := nightFiles(t, dir)
	p := legs.DefaultParams(legs.WASM2016)
	missing := filepath.Join(dir, "missing.edf")
	for _, c := range []struct {
		name  string
		in    Input
		opt   Options
		files []string
	}{
		{"sleep", Input{Hypnogram: ev}, Options{Sleep: true},
			[]string{"sub-01_task-sleep_hypnogram.svg", "sub-01_task-sleep_sleep.json"}},
		{"legs, sleep statistics not written", Input{Recording: rec, Hypnogram: ev}, Options{Legs: true, LegParams: p},
			[]string{"sub-01_task-sleep_legmovements.tsv", "sub-01_task-sleep_legs.json", "sub-01_task-sleep_legs.svg", "sub-01_task-sleep_legs_emg.svg"}},
		{"optional legs that failed", Input{Recording: missing, Hypnogram: ev}, Options{Sleep: true, Legs: true, LegsOptional: true, LegParams: p},
			[]string{"missing_hypnogram.svg", "missing_sleep.json"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "a", "b")
			n, err := AnalyzeTo(c.in, c.opt, out)
			if err != nil {
				t.Fatal(err)
			}
			ents, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range ents {
				got = append(got, e.Name())
			}
			if strings.Join(got, " ") != strings.Join(c.files, " ") {
				t.Fatalf("wrote %v, want %v", got, c.files)
			}
			ref, err := Analyze(c.in, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			refDir := t.TempDir()
			if err := ref.Write(refDir); err != nil {
				t.Fatal(err)
			}
			for _, f := range got {
				a, _ := os.ReadFile(filepath.Join(out, f))
				b, _ := os.ReadFile(filepath.Join(refDir, f))
				if len(a) == 0 || !bytes.Equal(a, b) {
					t.Errorf("%s: %d bytes differ from Analyze+Write's %d", f, len(a), len(b))
				}
			}
			if len(n.Warnings) != len(ref.Warnings) {
				t.Errorf("warnings %q, Analyze gives %q", n.Warnings, ref.Warnings)
			}
		})
	}
	// A folder that cannot be made: the error, and the night for its
	// warnings.
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := AnalyzeTo(Input{Recording: missing, Hypnogram: ev}, Options{Sleep: true, Legs: true, LegsOptional: true, LegParams: p}, filepath.Join(blocker, "out"))
	if err == nil || n == nil || !strings.Contains(strings.Join(n.Warnings, "\n"), "leg movements:") {
		t.Errorf("unwritable folder: night %v, error %v", n, err)
	}
	if _, err := AnalyzeTo(Input{}, Options{Sleep: true}, dir); err == nil {
		t.Error("no input: no error")
	}
}
