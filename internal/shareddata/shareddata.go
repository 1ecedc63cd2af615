// Package shareddata locates the reference files in ../shared/data (beside
// the repository) for tests, and skips a test cleanly when they are absent,
// as they are in a user's clone. Where they must be present (CI), the
// environment variable GLUSLEEP_REQUIRE_SHARED_DATA=1 turns every such skip
// into a failure.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the path of ../shared/data relative to the module root, and
// whether it exists. The module root is found by walking up from the
// working directory to the folder holding go.mod.
func Root() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
	p := filepath.Join(filepath.Dir(dir), "shared", "data")
	st, err := os.Stat(p)
	return p, err == nil && st.IsDir()
}

// RequireEnv is the environment variable that, set to 1, makes a missing
// shared reference file fail the test instead of skipping it.
const RequireEnv = "GLUSLEEP_REQUIRE_SHARED_DATA"

// Required reports whether shared reference files must be present
// (RequireEnv is 1).
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Skip skips the test with the message, or fails it when Required.
func Skip(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if Required() {
		tb.Fatalf(format+" ("+RequireEnv+"=1: shared data must be present)", args...)
	}
	tb.Skipf(format, args...)
}

// Path returns the path of rel (slash-separated, e.g. "psg/mne/test.edf")
// inside ../shared/data, or skips the test with a message when the file is
// not there (fails it when Required).
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	root, ok := Root()
	if !ok {
		Skip(tb, "../shared/data is absent (a user's clone has none): skipping test that reads %s", rel)
	}
	p := filepath.Join(root, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		Skip(tb, "shared reference file %s is absent: %v", rel, err)
	}
	return p
}
