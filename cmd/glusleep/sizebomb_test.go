package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bombChildEnv makes the test binary, re-run by TestSizeBombsUnderAddressLimit,
// run one glusleep command line (its arguments after "--") and exit with
// its status.
const bombChildEnv = "GLUSLEEP_BOMB_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(bombChildEnv) == "1" {
		args := os.Args
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		os.Exit(runMain(&cmdEnv{stdout: os.Stdout, stderr: os.Stderr}, args))
	}
	code := m.Run()
	removeDemoRun()
	os.Exit(code)
}

// Issue 15 acceptance: size bombs — files declaring gigabytes in a few
// kilobytes, and a basis of 10⁸ points — under a 1 GiB address-space
// limit (ulimit -v) end with exit 1 or 2 and a line naming the file or
// flag, never with an out-of-memory death; inside `run … participant` the
// bomb fails its participant only.
func TestSizeBombsUnderAddressLimit(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to set ulimit -v")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bombs := []string{"nifti-bomb-2GiB-declared.nii.gz", "nifti-bomb-64MiB-tail.nii.gz", "nifti-dims-bomb.nii", "ge-frames-bomb.7",
		"rda-vectorsize-bomb.rda", "philips-samples-bomb.SDAT", "dicom-columns-bomb.dcm"}
	type bombCase struct {
		args []string
		code int
		want string
	}
	var cases []bombCase
	for _, b := range bombs {
		in := filepath.Join(badInputDir, b)
		out := t.TempDir()
		cases = append(cases,
			bombCase{[]string{"mrs", "info", in}, 1, b},
			bombCase{[]string{"mrs", "convert", in, filepath.Join(out, "x_svs.nii.gz")}, 1, b},
			bombCase{[]string{"mrs", "preproc", in, "--out", out}, 1, b})
	}
	cases = append(cases,
		bombCase{[]string{"mrs", "basis", "--sequence", "press", "--te", "30", "--field", "3", "--dwell", "0.0004", "--points", "99999999", "--out", filepath.Join(t.TempDir(), "b.BASIS")}, 2, "--points"},
		bombCase{[]string{"run", studyDataset(t), t.TempDir(), "participant", "--participant-label", "03"}, 1, "glusleep run: sub-03 failed: nifti: not valid NIfTI-MRS: sub-03/mrs/sub-03_svs.nii.gz"})
	for _, c := range cases {
		// 1 GiB of address space: the Go runtime and the command fit, a
		// 2 GiB allocation does not.
		const script = `ulimit -v 1048576 && exec "$0" -test.run=^$ -- "$@"`
		cmd := exec.Command(sh, append([]string{"-c", script, exe}, c.args...)...)
		cmd.Env = append(os.Environ(), bombChildEnv+"=1")
		var se bytes.Buffer
		cmd.Stderr = &se
		err := cmd.Run()
		code := cmd.ProcessState.ExitCode()
		if code != c.code || !strings.Contains(se.String(), c.want) || strings.Contains(se.String(), "out of memory") || strings.Contains(se.String(), "goroutine ") {
			t.Errorf("%v: exit %d (%v), want %d; stderr:\n%s", c.args[:2], code, err, c.code, se.String())
		}
	}
}
