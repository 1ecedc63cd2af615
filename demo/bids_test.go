package demo

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/bidsschema"
)

// The demo's raw BIDS dataset, written by the demo's own code for three
// participants, follows the BIDS 1.10.0 schema (names, sidecar fields,
// columns, phenotype completeness), and its sidecars state the demo's
// acquisition: 1.5 T GE PRESS, TE 30 ms, 2500 Hz, 2048 points, 16
// transients (mrs.go), one EEG derivation C3-M2 at 16 Hz
// (study.go).
func TestDemoBIDSFollowsSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the clinical and MRS demo steps")
	}
	t.Parallel()
	cfg := Config{Out: t.TempDir(), Seed: 1, RLS: 2, Controls: 2}
	clin, err := Clinical(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := MRSCohort(cfg, clin)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(cfg.Out, "bids")
	n, err := BIDS(cfg, clin, m, root, 3)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d participants written, want 3", n)
	}
	s, err := bidsschema.Load("../internal/bidsschema/testdata/bids-schema-1.10.0/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.CheckDataset(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Error(p)
	}
	for _, id := range []string{"sub-01", "sub-02", "sub-03"} {
		checkDemoMRSSidecar(t, filepath.Join(root, id, "mrs", id+"_svs.json"), 16, true, "bids::"+id+"/mrs/"+id+"_mrsref.nii.gz")
		checkDemoMRSSidecar(t, filepath.Join(root, id, "mrs", id+"_mrsref.json"), 0, false, "")
		for _, run := range []string{"1", "2"} {
			stem := filepath.Join(root, id, "eeg", id+"_task-sleep_run-"+run)
			var eeg map[string]any
			readJSONFile(t, stem+"_eeg.json", &eeg)
			want := map[string]any{"TaskName": "sleep", "SamplingFrequency": 16.0, "PowerLineFrequency": 50.0,
				"SoftwareFilters": "n/a", "EEGReference": "M2", "EEGChannelCount": 1.0, "RecordingType": "continuous"}
			for k, v := range want {
				if eeg[k] != v {
					t.Errorf("%s_eeg.json %s = %v, want %v", stem, k, eeg[k], v)
				}
			}
			b, err := os.ReadFile(stem + "_channels.tsv")
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			if len(lines) != 2 || !strings.HasPrefix(lines[1], "EEG C3-M2\tEEG\tµV\t") || !strings.Contains(lines[1], "\t16\tM2\t") {
				t.Errorf("%s_channels.tsv:\n%s\nwant one row: EEG C3-M2, EEG, µV, 16 Hz, reference M2", stem, b)
			}
		}
	}
	// The truth table is kept out of BIDS by .bidsignore.
	if b, err := os.ReadFile(filepath.Join(root, ".bidsignore")); err != nil || string(b) != "truth.tsv\n" {
		t.Errorf(".bidsignore = %q (%v), want truth.tsv", b, err)
	}
}

func readJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func checkDemoMRSSidecar(t *testing.T, path string, transients int, suppressed bool, ref string) {
	t.Helper()
	var m struct {
		ResonantNucleus        []string
		SpectrometerFrequency  []float64
		SpectralWidth          float64
		EchoTime               float64
		NumberOfSpectralPoints int
		NumberOfTransients     int
		PulseSequenceType      string
		WaterSuppression       bool
		ReferenceSignal        string
	}
	readJSONFile(t, path, &m)
	ok := len(m.ResonantNucleus) == 1 && m.ResonantNucleus[0] == "1H" && len(m.SpectrometerFrequency) == 1 &&
		m.SpectrometerFrequency[0] == 63.87 && m.SpectralWidth == 2500 && m.EchoTime == 0.030 &&
		m.NumberOfSpectralPoints == 2048 && m.NumberOfTransients == transients && m.PulseSequenceType == "PRESS" &&
		m.WaterSuppression == suppressed && m.ReferenceSignal == ref
	if !ok {
		t.Errorf("%s: %+v; want 1H, [63.87] MHz, 2500 Hz, TE 0.030 s, 2048 points, %d transients, PRESS, water suppression %v, reference %q",
			path, m, transients, suppressed, ref)
	}
}
