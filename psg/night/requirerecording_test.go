package night

import (
	"os"
	"path/filepath"
	"testing"

	"glusleep/psg/legs"
)

// RequireRecording fails a night whose recording does not open even when
// scored leg movements could stand in for it (the study's rule); without
// it the events are scored, with a warning.
func TestRequireRecording(t *testing.T) {
	dir := t.TempDir()
	nightFiles(t, dir) // builds testNight
	legsOnly := filepath.Join(dir, "scored_events.tsv")
	if err := os.WriteFile(legsOnly, testNight.eventsOnly, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "sub-01_task-sleep_eeg.edf")
	if err := os.WriteFile(bad, []byte("0       truncated header"), 0o644); err != nil {
		t.Fatal(err)
	}
	opt := Options{Sleep: true, Legs: true, LegsOptional: true, LegParams: legs.DefaultParams(legs.WASM2016)}
	if _, err := Analyze(Input{Recording: bad, Hypnogram: legsOnly}, opt); err != nil {
		t.Fatalf("without RequireRecording: %v", err)
	}
	opt.RequireRecording = true
	if _, err := Analyze(Input{Recording: bad, Hypnogram: legsOnly}, opt); err == nil {
		t.Error("a recording that does not open passed with RequireRecording")
	}
}
