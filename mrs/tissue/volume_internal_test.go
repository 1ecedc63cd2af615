package tissue

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs"
)

// A write that fails part-way leaves the earlier file at the path as it
// was and no temporary file, and the error names the path and wraps the
// cause; a write that succeeds replaces the file.
func TestWriteVolumeAtomic(t *testing.T) {
	v := &Volume{Dims: [3]int{2, 2, 2}, Affine: mrs.Affine{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}}, Data: make([]float32, 8)}
	broken := errors.New("disk full")
	failing := func(w io.Writer, v *Volume) error {
		if _, err := w.Write(make([]byte, 352)); err != nil {
			return err
		}
		return broken
	}
	for _, name := range []string{"gm.nii", "gm.nii.gz"} {
		dir := t.TempDir()
		path := filepath.Join(dir, name)
		old := []byte("earlier file")
		if err := os.WriteFile(path, old, 0o644); err != nil {
			t.Fatal(err)
		}
		err := writeVolume(path, v, failing)
		if !errors.Is(err, broken) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the path and wrapping %v", name, err, broken)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != string(old) {
			t.Errorf("%s: after the failed write the file holds %q (%v), want %q", name, b, err, old)
		}
		if e, _ := os.ReadDir(dir); len(e) != 1 {
			t.Errorf("%s: %d entries in the folder after the failed write, want 1", name, len(e))
		}
		if err := WriteVolume(path, v); err != nil {
			t.Fatal(err)
		}
		got, err := ReadVolume(path)
		if err != nil || got.Dims != v.Dims {
			t.Errorf("%s: read back %v, %v", name, got, err)
		}
	}
	bad := &Volume{Dims: [3]int{2, 2, 2}}
	if err := WriteVolume(filepath.Join(t.TempDir(), "x.nii"), bad); err == nil || !strings.Contains(err.Error(), "x.nii") {
		t.Errorf("volume without data: %v", err)
	}
}
