package study

import (
	"strings"
	"testing"
)

func TestSlurmScripts(t *testing.T) {
	s, err := Slurm(SlurmOptions{Binary: "/opt/glusleep", BIDS: "/data/my bids", Out: "/data/out",
		Labels: []string{"sub-01", "02", "03"}, Partition: "short"}, "/data/slurm")
	if err != nil {
		t.Fatal(err)
	}
	if s.Participants != "01\n02\n03\n" {
		t.Errorf("participant list %q", s.Participants)
	}
	for _, want := range []string{"#SBATCH --array=0-2", "#SBATCH --partition=short",
		`sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" /data/slurm/participants.txt`,
		"exec /opt/glusleep run '/data/my bids' /data/out participant --participant-label \"$label\""} {
		if !strings.Contains(s.ParticipantJob, want) {
			t.Errorf("participant job lacks %q:\n%s", want, s.ParticipantJob)
		}
	}
	if !strings.Contains(s.GroupJob, "exec /opt/glusleep run '/data/my bids' /data/out group") {
		t.Errorf("group job:\n%s", s.GroupJob)
	}
	if !strings.Contains(s.Submit, `--dependency=afterok:"${array%%;*}"`) {
		t.Errorf("submit script lacks the afterok dependency:\n%s", s.Submit)
	}
	if _, err := Slurm(SlurmOptions{Binary: "g", BIDS: "b", Out: "o"}, "d"); err == nil {
		t.Error("no participants accepted")
	}
	if _, err := Slurm(SlurmOptions{Binary: "g", BIDS: "b", Out: "o", Labels: []string{"a;rm -rf /"}}, "d"); err == nil {
		t.Error("unsafe label accepted")
	}
}
