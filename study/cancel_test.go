package study

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"glusleep/bids"
)

// A run cancelled while a participant is in progress (SIGINT/SIGTERM in
// `glusleep run`) keeps the participants already finished, removes the
// unfinished participant's work folder, starts no further participant and
// reports the rest as failed with the cancellation.
func TestRunCancelled(t *testing.T) {
	d, err := Open(makeDataset(t))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var work string
	r := &Runner{Dataset: d, Out: out, Settings: 1, Version: "test", Workers: 1,
		Process: func(ctx context.Context, p *Participant, dir string) ([]string, error) {
			if err := os.WriteFile(filepath.Join(dir, "part.tsv"), []byte(p.Label), 0o644); err != nil {
				return nil, err
			}
			if p.Label != "02" {
				return nil, nil
			}
			work = dir
			cancel() // the signal arrives while sub-02 is being processed
			<-ctx.Done()
			return nil, ctx.Err()
		}}
	res, err := r.Run(ctx, nil)
	if err == nil || !errors.Is(res[1].Err, context.Canceled) {
		t.Fatalf("run: %v, outcomes %+v", err, res)
	}
	if res[0].Status != "done" || res[1].Status != "failed" || res[2].Status != "failed" || !errors.Is(res[2].Err, context.Canceled) {
		t.Errorf("outcomes %+v", res)
	}
	if _, err := ReadProvenance(filepath.Join(out, "sub-01")); err != nil {
		t.Errorf("finished sub-01 lost: %v", err)
	}
	for _, gone := range []string{work, filepath.Join(out, "sub-02"), filepath.Join(out, "sub-03")} {
		if _, err := os.Stat(gone); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind (%v)", gone, err)
		}
	}
	left, _ := os.ReadDir(filepath.Join(out, ".work"))
	if len(left) != 0 {
		t.Errorf("work folders left: %v", left)
	}
	var desc bids.Description
	b, _ := os.ReadFile(filepath.Join(out, DatasetDescriptionFile))
	if err := json.Unmarshal(b, &desc); err != nil || desc.DatasetType != "derivative" || desc.GeneratedBy[0].Version != "test" || desc.BIDSVersion != "1.10.0" ||
		len(desc.SourceDatasets) != 1 || desc.SourceDatasets[0].URL == "" {
		t.Errorf("dataset_description.json %s (%v)", b, err)
	}
}
