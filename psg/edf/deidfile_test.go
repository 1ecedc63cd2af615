package edf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// DeidentifyFile writes what Deidentify writes, and refuses to replace
// its input, also by another name.
func TestDeidentifyFile(t *testing.T) {
	p := writeTemp(t, sampleSignals(), WriteOptions{Patient: "MCH-0234567 F 02-MAY-1951 Haagse_Harry",
		Start: time.Date(2024, 3, 5, 22, 30, 0, 0, time.UTC)})
	in, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var want bytes.Buffer
	if err := Deidentify(in, &want, DeidOptions{ShiftDays: 3}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "deid.edf")
	if err := DeidentifyFile(in, p, out, DeidOptions{ShiftDays: 3}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("file of %d bytes, Deidentify writes %d", len(got), want.Len())
	}
	orig, _ := os.ReadFile(p)
	for _, o := range []string{p, filepath.Join(filepath.Dir(p), ".", filepath.Base(p))} {
		if err := DeidentifyFile(in, p, o, DeidOptions{}); !errors.Is(err, ErrSameFile) {
			t.Errorf("%s: %v", o, err)
		}
	}
	if after, _ := os.ReadFile(p); !bytes.Equal(after, orig) {
		t.Error("the input was changed")
	}
}

// An input removed after it was opened is still recognised by another
// name for it (the names decide when a file does not exist; samefile.Is).
func TestDeidentifyFileRemovedInput(t *testing.T) {
	p := writeTemp(t, sampleSignals(), WriteOptions{Start: time.Date(2024, 3, 5, 22, 30, 0, 0, time.UTC)})
	in, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	o := filepath.Dir(p) + "/./" + filepath.Base(p) // not cleaned: another name
	if err := DeidentifyFile(in, p, o, DeidOptions{}); !errors.Is(err, ErrSameFile) {
		t.Errorf("%s: %v", o, err)
	}
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was written in the input's place: %v", err)
	}
}
