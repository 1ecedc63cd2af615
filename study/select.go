package study

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"glusleep/internal/errkind"
)

// ErrSettings is the kind (internal/errkind) of the errors of settings
// that cannot apply whatever the data hold (an MRS results folder that is
// not a folder): a command reports them as mistakes in its command line.
var ErrSettings = errors.New("study: invalid settings")

// Labels returns the labels (without "sub-") of the dataset's
// participants, in the dataset's order (participants.tsv's).
func (d *Dataset) Labels() []string {
	out := make([]string, len(d.Participants))
	for i, p := range d.Participants {
		out[i] = p.Label
	}
	return out
}

// LabelAt returns the label of the participant at the 0-based position i
// of the dataset's participant list (Labels), as a job array's task index
// selects one (Kubernetes Indexed Jobs' JOB_COMPLETION_INDEX); an index
// outside the list is an error naming the valid ones.
func (d *Dataset) LabelAt(i int) (string, error) {
	if i < 0 || i >= len(d.Participants) {
		return "", fmt.Errorf("participant index %d: the dataset has %d participants (indices 0 to %d)", i, len(d.Participants), len(d.Participants)-1)
	}
	return d.Participants[i].Label, nil
}

// UseMRSResults makes the participant level take the existing MRS fits in
// the folder dir instead of fitting (Settings.MRSResults), with the digest
// of its files (MRSResultsDigest into MRSResultsSHA256), so that changed
// results re-run the participants. A dir that is not a folder is an
// ErrSettings error starting with dir; a file that cannot be read, an
// error naming it.
func (s *Settings) UseMRSResults(dir string) error {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return errkind.Errorf(ErrSettings, "%s: want a folder of result files", dir)
	}
	sum, err := MRSResultsDigest(dir)
	if err != nil {
		return err
	}
	s.MRSResults, s.MRSResultsSHA256 = dir, sum
	return nil
}

// Counts are how many participants of a run were done, skipped
// (unchanged since an earlier run) and failed.
type Counts struct{ Done, Skipped, Failed int }

// Count counts the outcomes of Runner.Run by status.
func Count(res []Outcome) Counts {
	var c Counts
	for _, o := range res {
		switch o.Status {
		case "done":
			c.Done++
		case "skipped":
			c.Skipped++
		case "failed":
			c.Failed++
		}
	}
	return c
}

// Reason returns the failure of a failed outcome on one line (runs of
// white space, newlines included, become one space); "" when it did not
// fail.
func (o Outcome) Reason() string {
	if o.Err == nil {
		return ""
	}
	return strings.Join(strings.Fields(o.Err.Error()), " ")
}
