// Package samefile says whether two paths name the same file, so that a
// command can refuse an output that would replace one of its inputs.
package samefile

import (
	"os"
	"path/filepath"
)

// Is reports whether the paths a and b name the same file. When both
// exist they are compared as files (os.SameFile), so a symbolic or hard
// link, "./x" and "x" all name the file x. When either does not exist,
// the paths are compared by their absolute, cleaned names after resolving
// the symbolic links of the folder each is in (when that folder exists).
func Is(a, b string) bool {
	sa, ea := os.Stat(a)
	sb, eb := os.Stat(b)
	if ea == nil && eb == nil {
		return os.SameFile(sa, sb)
	}
	ra, ok1 := resolve(a)
	rb, ok2 := resolve(b)
	return ok1 && ok2 && ra == rb
}

// resolve returns p's absolute name with the links of its folder resolved.
func resolve(p string) (string, bool) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", false
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs)), true
	}
	return abs, true
}
