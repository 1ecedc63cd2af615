// Package atomicfile writes files so that a reader never sees a partial file
// and a crash never leaves one behind: data goes to a temporary file in the
// same folder, which is synced and then renamed over the target.
package atomicfile

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically with permission perm.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := io.Copy(w, bytes.NewReader(data))
		return err
	})
}

// Write creates path atomically from what fill writes. If fill fails, the
// target is left untouched and the temporary file removed.
func Write(path string, perm os.FileMode, fill func(w io.Writer) error) error {
	return write(path, perm, true, fill)
}

// WriteNoSync is Write without the fsync: a reader still never sees a
// partial file, but a system crash may lose the file. For large outputs
// re-created from their inputs at will (exports), where syncing gigabytes
// doubles the time.
func WriteNoSync(path string, perm os.FileMode, fill func(w io.Writer) error) error {
	return write(path, perm, false, fill)
}

func write(path string, perm os.FileMode, sync bool, fill func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = fill(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if sync {
		if err = f.Sync(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Chmod(tmp, perm&^umask()); err != nil { // as os.WriteFile would
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
