// Package shareddata locates the reference files in ../shared/data (beside
// the repository) for tests, and skips a test cleanly when they are absent,
// as they are in a user's clone.
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

// Path returns the path of rel (slash-separated, e.g. "psg/mne/test.edf")
// inside ../shared/data, or skips the test with a message when the file is
// not there.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	root, ok := Root()
	if !ok {
		tb.Skipf("../shared/data is absent (a user's clone has none): skipping test that reads %s", rel)
	}
	p := filepath.Join(root, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared reference file %s is absent: %v", rel, err)
	}
	return p
}
