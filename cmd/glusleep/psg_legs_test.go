package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/legs"
	"glusleep/synth"
)

// legNight is the 3-hour synthetic night with leg movements the tests
// share, built once per test run: the EDF+ file of its signals (leg
// channels "Leg L" and "Leg R" in µV) and stage annotations, its events
// TSV and true PLMS count.
var legNight struct {
	once   sync.Once
	err    error
	edf    []byte
	events []byte
	plms   int
}

func buildLegNight() {
	n, err := synth.NewNight(synth.NightSpec{Seed: 11, InBedHours: 3, WASOMinutes: 12, EEGRate: 256})
	if err != nil {
		legNight.err = err
		return
	}
	rng := rand.New(rand.NewPCG(11, 12))
	truth, resp := synth.PLMNight(n.Hypnogram, synth.PLMSpec{Series: 3, Isolated: 8, LongInWake: 1, Respiratory: 3}, rng)
	n.Hypnogram.Events = append(n.Hypnogram.Events, resp...)
	sort.SliceStable(n.Hypnogram.Events, func(i, j int) bool { return n.Hypnogram.Events[i].Onset < n.Hypnogram.Events[j].Onset })
	ll, lr := n.Channel("Leg L"), n.Channel("Leg R")
	if err := synth.AddLegMovements(ll.Data, lr.Data, 256, truth, rng); err != nil {
		legNight.err = err
		return
	}
	var eb bytes.Buffer
	w := bufio.NewWriter(&eb)
	if err := annot.WriteEventsTSV(w, n.Hypnogram); err != nil {
		legNight.err = err
		return
	}
	w.Flush()
	var tl, tr []legs.Interval
	for _, m := range truth {
		if m.Side != "right" {
			tl = append(tl, legs.Interval{Onset: m.Onset, Offset: m.Onset + m.Duration})
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
		}
	}
	sort.Slice(tl, func(i, j int) bool { return tl[i].Onset < tl[j].Onset })
	sort.Slice(tr, func(i, j int) bool { return tr[i].Onset < tr[j].Onset })
	var b bytes.Buffer
	if err := edf.Write(&b, n.Signals, edf.WriteOptions{RecordDuration: 1, Annotations: n.Annotations()}); err != nil {
		legNight.err = err
		return
	}
	legNight.edf, legNight.events = b.Bytes(), eb.Bytes()
	legNight.plms = legs.Score(tl, tr, n.Hypnogram, legs.DefaultParams(legs.WASM2016)).Measures.PLMSCount
}

// writeLegNight writes the shared 3-hour night (legNight) in dir as EDF+
// (leg channels relabelled and in the given unit) with its events TSV
// (stages and apneas); it returns the paths and the true PLMS count. The
// night is written once (edf.Write, in buildLegNight); a relabelled copy
// differs from it only in the leg channels' header fields, so those are
// rewritten in place: label, physical dimension, and the physical range
// scaled to the unit with the digital samples unchanged (the same signal
// in mV or V).
func writeLegNight(t *testing.T, dir, leftLabel, rightLabel, unit string) (string, string, int) {
	t.Helper()
	legNight.once.Do(buildLegNight)
	if legNight.err != nil {
		t.Fatal(legNight.err)
	}
	b := slices.Clone(legNight.edf)
	if err := relabelEDF(b, map[string]string{"Leg L": leftLabel, "Leg R": rightLabel}, unit); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sub-01_task-sleep_eeg.edf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	ev := filepath.Join(dir, "sub-01_task-sleep_events.tsv")
	if err := os.WriteFile(ev, legNight.events, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, ev, legNight.plms
}

// relabelEDF rewrites, in the EDF header b, the label of each signal named
// in labels, and sets its physical dimension to unit ("uV", "mV" or "V")
// with its physical range, stored in µV, scaled to it. The header layout
// is the EDF specification's: 256 bytes, then per-signal fields of ns
// entries each (label 16 bytes, transducer 80, dimension 8, physical
// minimum 8, physical maximum 8, …).
func relabelEDF(b []byte, labels map[string]string, unit string) error {
	scale, ok := map[string]float64{"uV": 1, "mV": 1e-3, "V": 1e-6}[unit]
	if !ok {
		return fmt.Errorf("unit %q", unit)
	}
	ns, err := strconv.Atoi(strings.TrimSpace(string(b[252:256])))
	if err != nil || len(b) < 256*(ns+1) {
		return fmt.Errorf("EDF header: %d signals, %d bytes: %v", ns, len(b), err)
	}
	field := func(offset, width, i int) []byte {
		at := 256 + ns*offset + i*width
		return b[at : at+width]
	}
	put := func(dst []byte, s string) error {
		if len(s) > len(dst) {
			return fmt.Errorf("EDF header field %q longer than %d bytes", s, len(dst))
		}
		copy(dst, s+strings.Repeat(" ", len(dst)-len(s)))
		return nil
	}
	found := 0
	for i := range ns {
		label, ok := labels[strings.TrimSpace(string(field(0, 16, i)))]
		if !ok {
			continue
		}
		found++
		if err := put(field(0, 16, i), label); err != nil {
			return err
		}
		if err := put(field(16+80, 8, i), unit); err != nil {
			return err
		}
		for _, off := range []int{16 + 80 + 8, 16 + 80 + 8 + 8} {
			v, err := strconv.ParseFloat(strings.TrimSpace(string(field(off, 8, i))), 64)
			if err != nil {
				return err
			}
			if err := put(field(off, 8, i), strconv.FormatFloat(v*scale, 'g', -1, 64)); err != nil {
				return err
			}
		}
	}
	if found != len(labels) {
		return fmt.Errorf("EDF header: %d of the channels %v found", found, labels)
	}
	return nil
}

// `psg legs` finds the leg channels by their usual names in any voltage
// unit, writes the three outputs, and its PLMS count equals that of the
// true movements under the same rules.
func TestPSGLegsCommand(t *testing.T) {
	t.Parallel()
	for i, c := range []struct{ l, r, unit string }{{"EMG Left Leg", "EMG Right Leg", "V"}, {"Leg L", "Leg R", "uV"}, {"LAT", "RAT", "mV"}, {"Tib L", "Tib R", "uV"}} {
		t.Run(c.l+"_"+c.unit, func(t *testing.T) {
			if testing.Short() && i >= 1 {
				t.Skip("-short scores the night with one of the four namings (in V; TestNightOutputsSameAcrossEntryPoints scores it in µV)")
			}
			t.Parallel()
			dir := t.TempDir()
			path, ev, want := writeLegNight(t, dir, c.l, c.r, c.unit)
			out := filepath.Join(dir, "out")
			var so, se bytes.Buffer
			if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"psg", "legs", path, "--hypnogram", ev, "--out", out}); code != 0 {
				t.Fatalf("exit %d: %s", code, se.String())
			}
			var js map[string]any
			b, err := os.ReadFile(filepath.Join(out, "sub-01_task-sleep_legs.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &js); err != nil {
				t.Fatal(err)
			}
			if got := int(js["plms_count"].(float64)); got != want || want < 10 {
				t.Errorf("PLMS %d, true movements give %d", got, want)
			}
			if js["standard"] != "wasm2016" || js["plm_count"] == nil {
				t.Errorf("json %s", b)
			}
			tsv, _ := os.ReadFile(filepath.Join(out, "sub-01_task-sleep_legmovements.tsv"))
			if !strings.HasPrefix(string(tsv), "onset\tduration\ttrial_type\tside\tkind\tseries\tstage\texcluded_reason") || strings.Count(string(tsv), "\tPLM\t") != int(js["plm_count"].(float64)) {
				t.Errorf("TSV %q…", tsv[:min(len(tsv), 300)])
			}
			if _, err := os.Stat(filepath.Join(out, "sub-01_task-sleep_legs.svg")); err != nil {
				t.Error(err)
			}
		})
	}
}

// A missing channel is an error listing the file's channels; so is a
// named channel that does not exist; an unknown standard is a usage error.
func TestPSGLegsErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path, ev, _ := writeLegNight(t, dir, "Foot 1", "Foot 2", "uV")
	var so, se bytes.Buffer
	code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"psg", "legs", path, "--hypnogram", ev, "--out", dir})
	if code == 0 || !strings.Contains(se.String(), `"Foot 1"`) || !strings.Contains(se.String(), `"EEG C3-M2"`) {
		t.Errorf("exit %d: %s", code, se.String())
	}
	se.Reset()
	code = runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"psg", "legs", path, "--left", "Leg X", "--out", dir})
	if code == 0 || !strings.Contains(se.String(), `no channel "Leg X"`) {
		t.Errorf("exit %d: %s", code, se.String())
	}
	se.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"psg", "legs", path, "--standard", "rk", "--out", dir}); code != 2 {
		t.Errorf("unknown standard: exit %d: %s", code, se.String())
	}
	se.Reset()
	if testing.Short() {
		return // scoring with explicit labels, progress and --quiet: full run only
	}
	// With explicit labels the same file scores; on a terminal with
	// progress on stderr, not with --quiet.
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se, terminal: true}, []string{"psg", "legs", path, "--left", "Foot 1", "--right", "foot 2", "--hypnogram", ev, "--out", dir}); code != 0 {
		t.Errorf("explicit labels: exit %d: %s", code, se.String())
	}
	if !strings.Contains(se.String(), "psg legs: scoring ") || !strings.Contains(se.String(), "done in") {
		t.Errorf("no progress on a terminal: %q", se.String())
	}
	se.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se, terminal: true}, []string{"psg", "legs", path, "--left", "Foot 1", "--right", "foot 2", "--hypnogram", ev, "--out", dir, "--quiet"}); code != 0 || strings.Contains(se.String(), "psg legs:") {
		t.Errorf("--quiet: exit %d, stderr %q", code, se.String())
	}
}
