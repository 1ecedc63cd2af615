package export

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestFormatFor(t *testing.T) {
	for _, c := range []struct {
		name, out string
		want      Format
		ok        bool
	}{
		{"", "", TSV, true},
		{"", "x.npz", NPZ, true},
		{"", "x.NPY", NPY, true},
		{"tsv", "x.npz", TSV, true},
		{"", "x.csv", "", false},
		{"parquet", "", "", false},
	} {
		got, err := FormatFor(c.name, c.out)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("FormatFor(%q, %q) = %q, %v", c.name, c.out, got, err)
		}
	}
}

// WriteFile writes the same bytes as Write, adds the NPY sidecar, and
// refuses to overwrite the recording it reads.
func TestWriteFile(t *testing.T) {
	f, _ := openEDFD(t)
	dir := t.TempDir()
	opt := Options{Format: NPY, Channels: []int{0}}
	var want bytes.Buffer
	if _, err := Write(&want, f, opt); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "x.npy")
	sum, err := WriteFile("testdata/edfd_gaps.edf", out, f, opt)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, want.Bytes()) || len(sum.Columns) == 0 {
		t.Errorf("file of %d bytes, Write gives %d", len(got), want.Len())
	}
	if _, err := os.Stat(filepath.Join(dir, "x.json")); err != nil {
		t.Errorf("no sidecar: %v", err)
	}
	in := filepath.Join(dir, "in.edf")
	b, _ := os.ReadFile("testdata/edfd_gaps.edf")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteFile(in, filepath.Join(dir, ".", "in.edf"), f, Options{Format: TSV}); !errors.Is(err, ErrOutputIsInput) {
		t.Errorf("output is the input: %v", err)
	}
	if after, _ := os.ReadFile(in); !bytes.Equal(after, b) {
		t.Error("the input was changed")
	}
}

// The NPY sidecar (<out without extension>.json) may not replace the
// input either, and an input removed after it was opened is still
// recognised by another name for it.
func TestWriteFileRefusesInput(t *testing.T) {
	f, _ := openEDFD(t)
	b, err := os.ReadFile("testdata/edfd_gaps.edf")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, in, out string
		format        Format
		remove        bool
	}{
		{"sidecar", "rec.json", "rec.npy", NPY, false},
		{"removed input", "rec.edf", "./rec.edf", TSV, true},
	} {
		dir := t.TempDir()
		in := filepath.Join(dir, c.in)
		if err := os.WriteFile(in, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if c.remove {
			if err := os.Remove(in); err != nil {
				t.Fatal(err)
			}
		}
		_, err := WriteFile(in, filepath.Join(dir, c.out), f, Options{Format: c.format, Channels: []int{0}})
		if !errors.Is(err, ErrOutputIsInput) {
			t.Errorf("%s: %v", c.name, err)
		}
		after, err := os.ReadFile(in)
		if c.remove {
			if !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s: a file was written in the input's place", c.name)
			}
		} else if !bytes.Equal(after, b) {
			t.Errorf("%s: the input was changed", c.name)
		}
	}
}
