package shareddata

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// A missing shared file skips the test, or fails it with
// GLUSLEEP_REQUIRE_SHARED_DATA=1: run in a child process, since a failing
// test would fail this one.
func TestRequire(t *testing.T) {
	if os.Getenv("SHAREDDATA_CHILD") == "1" {
		Path(t, "no/such/file.edf")
		return
	}
	for _, c := range []struct {
		require string
		fail    bool
		want    string
	}{{"", false, "SKIP: TestRequire"}, {"1", true, "GLUSLEEP_REQUIRE_SHARED_DATA=1: shared data must be present"}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRequire$", "-test.v")
		cmd.Env = append(os.Environ(), "SHAREDDATA_CHILD=1", RequireEnv+"="+c.require)
		out, err := cmd.CombinedOutput()
		if (err != nil) != c.fail || !strings.Contains(string(out), c.want) {
			t.Errorf("%s=%q: err %v, output:\n%s", RequireEnv, c.require, err, out)
		}
	}
}
