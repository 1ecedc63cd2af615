package study

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

// A participant folder the scan cannot read is reported relative to the
// dataset root: the problem reaches report.html, where an absolute path
// (often with a user's name in it) must not.
func TestRootRelative(t *testing.T) {
	root := "/home/jane.doe/studies/rls"
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"inside", &fs.PathError{Op: "open", Path: root + "/sub-01", Err: syscall.EACCES}, "open sub-01: permission denied"},
		{"outside", &fs.PathError{Op: "open", Path: "/mnt/other/sub-02", Err: syscall.EACCES}, "open sub-02: permission denied"},
		{"not a path error", errors.New("too many open files"), "too many open files"},
	} {
		got := rootRelative(root, c.err)
		if got != c.want || strings.Contains(got, "jane") {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
