package study

import (
	"os"
	"path/filepath"
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
	dir := filepath.Join(t.TempDir(), "slurm")
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "participants.txt")); err != nil || string(b) != s.Participants {
		t.Errorf("participants.txt %q %v", b, err)
	}
	if st, err := os.Stat(filepath.Join(dir, "submit.sh")); err != nil || st.Mode().Perm()&0o100 == 0 {
		t.Errorf("submit.sh not executable: %v", err)
	}
	if _, err := Slurm(SlurmOptions{Binary: "g", BIDS: "b", Out: "o"}, "d"); err == nil {
		t.Error("no participants accepted")
	}
	if _, err := Slurm(SlurmOptions{Binary: "g", BIDS: "b", Out: "o", Labels: []string{"a;rm -rf /"}}, "d"); err == nil {
		t.Error("unsafe label accepted")
	}
}
