package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"glusleep/study"
)

// `psg sleep` and `psg legs` on a night, and `run … participant` on a BIDS
// dataset holding the same night, write byte-identical night outputs: the
// three entry points share one night pipeline (psg/night).
func TestNightOutputsSameAcrossEntryPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("full run only: three entry points score the same night; -short covers psg/night's pipeline directly")
	}
	t.Parallel()
	root := t.TempDir()
	bids := filepath.Join(root, "bids")
	eeg := filepath.Join(bids, "sub-01", "eeg")
	if err := os.MkdirAll(eeg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bids, "participants.tsv"), []byte("participant_id\tgroup\nsub-01\trls\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	edfPath, ev, _ := writeLegNight(t, eeg, "Leg L", "Leg R", "uV")
	cli := filepath.Join(root, "cli")
	run := func(args ...string) {
		t.Helper()
		var so, se bytes.Buffer
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, se.String())
		}
	}
	// psg sleep is given the recording too: the hypnogram's clock time
	// comes from its header, as it does for run participant.
	run("psg", "sleep", "--hypnogram", ev, "--out", cli, edfPath)
	run("psg", "legs", edfPath, "--hypnogram", ev, "--out", cli)
	deriv := filepath.Join(root, "derivatives")
	run("run", bids, deriv, "participant", "--n-cpus", "1")
	for _, suffix := range []string{"_sleep.json", "_hypnogram.svg", "_legmovements.tsv", "_legs.json", "_legs.svg", "_legs_emg.svg"} {
		name := "sub-01_task-sleep" + suffix
		a, err := os.ReadFile(filepath.Join(cli, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(deriv, study.DerivativePath("01", ev, "eeg", suffix[1:])))
		if err != nil {
			t.Fatal(err)
		}
		if len(a) < 100 || !bytes.Equal(a, b) {
			t.Errorf("%s: psg commands wrote %d bytes, run participant %d, not identical", name, len(a), len(b))
		}
	}
}
