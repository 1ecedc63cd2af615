package study

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// mkdirTemp creates a new folder in dir named prefix followed by random
// hex digits. Unlike os.MkdirTemp (always 0700) it honours the umask
// (0755 under the usual 022), so the participant folders renamed into
// place from it can be read by colleagues on a shared cluster.
func mkdirTemp(dir, prefix string) (string, error) {
	var b [6]byte
	for range 100 {
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		name := filepath.Join(dir, prefix+hex.EncodeToString(b[:]))
		err := os.Mkdir(name, 0o777)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("work folder: %w", err)
		}
	}
	return "", fmt.Errorf("work folder in %s: no free name", dir)
}

// reWork matches the work and staging folders of a participant made by
// mkdirTemp (and the ".old" folders of the swap in Runner.one).
var reWork = regexp.MustCompile(`^sub-([A-Za-z0-9]+)-[0-9a-f]+(\.old)?$`)

// removeStale removes, from Out/.work and the work folder, stale locks
// (see AcquireLock) and the work folders of participants no live run
// holds: leftovers of runs that were killed. Folders of participants
// locked by a live run (another array task on the same output folder)
// are kept. It returns what it removed, relative to Out or the work
// folder's parent.
func (r *Runner) removeStale() []string {
	stageRoot := filepath.Join(r.Out, ".work")
	ents, _ := os.ReadDir(stageRoot)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".lock") {
			if _, stale := readLock(filepath.Join(stageRoot, e.Name())); stale {
				os.Remove(filepath.Join(stageRoot, e.Name()))
			}
		}
	}
	held := func(label string) bool {
		_, err := os.Lstat(lockPath(r.Out, "sub-"+label))
		return err == nil
	}
	var removed []string
	roots := []string{stageRoot}
	if r.WorkDir != "" {
		roots = append(roots, r.WorkDir)
	}
	for _, root := range roots {
		ents, _ := os.ReadDir(root)
		for _, e := range ents {
			m := reWork.FindStringSubmatch(e.Name())
			if m == nil || !e.IsDir() || held(m[1]) {
				continue
			}
			if os.RemoveAll(filepath.Join(root, e.Name())) == nil {
				removed = append(removed, filepath.Join(filepath.Base(root), e.Name()))
			}
		}
	}
	return removed
}

// relError is a participant's failure with its message's paths made
// relative (see Runner.relative); it unwraps to the original error.
type relError struct {
	err error
	msg string
}

func (e *relError) Error() string { return e.msg }
func (e *relError) Unwrap() error { return e.err }

// relative rewrites the absolute and as-given paths of the dataset, the
// output folder and the participant's work folder in s to paths relative
// to them, so that provenance warnings and logs name files as the
// dataset does ("sub-01/mrs/sub-01_svs.nii.gz") and carry no site's
// folder layout.
func (r *Runner) relative(s, work string) string {
	var roots []string
	add := func(p string) {
		if p == "" {
			return
		}
		roots = append(roots, filepath.Clean(p))
		if a, err := filepath.Abs(p); err == nil && a != filepath.Clean(p) {
			roots = append(roots, a)
		}
	}
	add(work)
	add(r.Out)
	if r.Dataset != nil {
		add(r.Dataset.Root)
	}
	// Longest first: the work folder lies in the output folder, which may
	// lie in the dataset (derivatives/).
	sort.SliceStable(roots, func(i, j int) bool { return len(roots[i]) > len(roots[j]) })
	for _, rt := range roots {
		s = strings.ReplaceAll(s, rt+string(filepath.Separator), "")
	}
	return s
}

func (r *Runner) relativeAll(s []string, work string) []string {
	for i := range s {
		s[i] = r.relative(s[i], work)
	}
	return s
}
