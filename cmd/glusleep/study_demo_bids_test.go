package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/bidsschema"
)

// The demo study's derivatives (every participant, both levels: CI's demo
// run, or the one demoOutput makes) follow the BIDS 1.10.0 derivative
// rules (names, datatype folders, a column sidecar for every TSV,
// dataset_description with SourceDatasets): mrs/ and eeg/ outputs named
// after their sources with desc- entities.
func TestDemoDerivativesFollowSchema(t *testing.T) {
	demoDir, printed := demoOutput(t)
	if strings.Contains(printed, "flat layout") {
		t.Errorf("flat-layout note on a new study: %s", printed)
	}
	out := filepath.Join(demoDir, "derivatives")
	s, err := bidsschema.Load("../../internal/bidsschema/testdata/bids-schema-1.10.0/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.CheckDerivatives(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Error(p)
	}
	for _, id := range []string{"sub-01", "sub-02", "sub-03"} {
		for _, f := range []string{"mrs/" + id + "_desc-fit_svs.tsv", "mrs/" + id + "_desc-fit_svs.json", "mrs/" + id + "_desc-qc_svs.json",
			"eeg/" + id + "_task-sleep_run-1_desc-sleepstats_eeg.json", "eeg/" + id + "_task-sleep_run-2_desc-sleepstats_eeg.json",
			id + "_summary.json", "provenance.json"} {
			if _, err := os.Stat(filepath.Join(out, id, f)); err != nil {
				t.Errorf("no %s/%s: %v", id, f, err)
			}
		}
	}
	for _, f := range []string{"group/cohort.json", "group/clinical/screening.json", "group/clinical/screening_results.json", ".bidsignore"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}
	var desc struct {
		DatasetType    string
		BIDSVersion    string
		SourceDatasets []struct{ URL string }
	}
	readJSONFile(t, filepath.Join(out, "dataset_description.json"), &desc)
	if desc.DatasetType != "derivative" || desc.BIDSVersion != "1.10.0" || len(desc.SourceDatasets) != 1 || desc.SourceDatasets[0].URL != "../bids" {
		t.Errorf("dataset_description.json: %+v", desc)
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
