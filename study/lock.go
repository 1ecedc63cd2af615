package study

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Lock is a lock file held by this process: created with O_EXCL and
// holding "pid host start", so that a second glusleep run on the same
// output folder neither redoes nor overwrites the work of the first.
type Lock struct {
	path string
}

// LockError says that a lock is held by another run.
type LockError struct {
	// Path is the lock file; PID, Host and Since are its holder's.
	Path  string
	PID   int
	Host  string
	Since string
}

// Error names the holder and how to clear a lock left by a run that is gone.
func (e *LockError) Error() string {
	return fmt.Sprintf("%s is held by another glusleep run (pid %d on host %s, since %s); wait for it, or remove the file if that run is gone",
		e.Path, e.PID, e.Host, e.Since)
}

// hostname is the host recorded in lock files ("unknown" when the system
// does not say).
func hostname() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "unknown"
	}
	return h
}

// AcquireLock creates the lock file path (its folder must exist). A lock
// left by a process that is gone — same host, pid not running — is stale
// and replaced; a lock held by a live process, or by a process on another
// host (whose liveness cannot be checked), is a *LockError.
func AcquireLock(path string) (*Lock, error) {
	for attempt := 0; attempt < 3; attempt++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := fmt.Fprintf(f, "%d %s %s\n", os.Getpid(), hostname(), time.Now().UTC().Format(time.RFC3339))
			cerr := f.Close()
			if werr != nil || cerr != nil {
				os.Remove(path)
				return nil, fmt.Errorf("lock %s: %w", path, errors.Join(werr, cerr))
			}
			return &Lock{path: path}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		held, stale := readLock(path)
		if !stale {
			return nil, held
		}
		// Remove the stale lock and try again: another run may win the
		// O_EXCL race, in which case its lock is live on the next attempt.
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("stale lock %s: %w", path, err)
		}
	}
	return nil, fmt.Errorf("lock %s: taken and released repeatedly by other runs", path)
}

// readLock reads a lock file and says whether it is stale: written on
// this host by a process that no longer runs. An unreadable or malformed
// lock is stale when it is older than a minute (a writer killed between
// creating and filling it), else held.
func readLock(path string) (*LockError, bool) {
	le := &LockError{Path: path, Host: "unknown", Since: "unknown"}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return le, true
	}
	f := strings.Fields(string(b))
	if len(f) >= 2 {
		le.Host = f[1]
		if len(f) >= 3 {
			le.Since = f[2]
		}
		if pid, perr := strconv.Atoi(f[0]); perr == nil && pid > 0 {
			le.PID = pid
			return le, le.Host == hostname() && !processAlive(pid)
		}
	}
	st, serr := os.Stat(path)
	return le, serr == nil && time.Since(st.ModTime()) > time.Minute
}

// Release removes the lock file.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("lock %s: %w", l.path, err)
	}
	return nil
}

// lockPath is the lock file of a participant (label) or of the group
// level ("group") in the output folder out.
func lockPath(out, name string) string {
	return filepath.Join(out, ".work", name+".lock")
}
