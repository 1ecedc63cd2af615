package npy

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"testing"
)

// The bytes of arrays written here equal those NumPy 1.24 writes for the
// same arrays (testdata/make_reference.py): magic, version 1.0, header
// length, the dictionary padded to a 64-byte boundary, then the data.
func TestMatchesNumPy(t *testing.T) {
	write := map[string]func(w io.Writer) error{
		"f8_3x2.npy": func(w io.Writer) error {
			fw, err := NewFloatWriter(w, Float64, []int{3, 2})
			if err != nil {
				return err
			}
			fw.Write([]float64{0, 1.5, -2.25})
			fw.Write([]float64{1e-300, 3e10, negZero()})
			return fw.Close()
		},
		"f4_5.npy": func(w io.Writer) error {
			fw, _ := NewFloatWriter(w, Float32, []int{5})
			fw.Write([]float64{1, -1, 0.5, 1e6, -3.25})
			return fw.Close()
		},
		"U_labels.npy": func(w io.Writer) error { return WriteStrings(w, []string{"EEG Fpz-Cz", "Leg L", "µV"}) },
		"f8_empty.npy": func(w io.Writer) error {
			fw, _ := NewFloatWriter(w, Float64, []int{0, 3})
			return fw.Close()
		},
	}
	for name, fn := range write {
		want, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := fn(&got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: %d bytes differ from NumPy's %d:\n%q\n%q", name, got.Len(), len(want), got.Bytes()[:min(got.Len(), 128)], want[:min(len(want), 128)])
		}
	}
}

func negZero() float64 { var z float64; return -z }

// The header follows the format: the data start at a multiple of 64; a
// header over 65535 bytes switches to version 2.0 with a 4-byte length.
func TestHeaderLayout(t *testing.T) {
	for _, shape := range [][]int{{1}, {28800 * 256, 24}, {3, 4, 5}} {
		h := Header("<f4", shape)
		if len(h)%64 != 0 || string(h[:6]) != "\x93NUMPY" || h[6] != 1 || h[7] != 0 || h[len(h)-1] != '\n' {
			t.Errorf("shape %v: header %q", shape, h)
		}
		if n := int(binary.LittleEndian.Uint16(h[8:10])); n+10 != len(h) {
			t.Errorf("shape %v: length field %d, header %d", shape, n, len(h))
		}
	}
	long := make([]int, 30000) // "0, " × 30000: over 65535 bytes
	h := Header("<f8", long)
	if h[6] != 2 || int(binary.LittleEndian.Uint32(h[8:12]))+12 != len(h) || len(h)%64 != 0 {
		t.Errorf("long header: version %d, %d bytes", h[6], len(h))
	}
}

// Writing more or fewer values than the shape holds is an error.
func TestShapeEnforced(t *testing.T) {
	fw, _ := NewFloatWriter(io.Discard, Float64, []int{2})
	if err := fw.Write([]float64{1, 2, 3}); err == nil {
		t.Error("3 values into a 2-element array accepted")
	}
	fw, _ = NewFloatWriter(io.Discard, Float64, []int{2})
	fw.Write([]float64{1})
	if fw.Close() == nil {
		t.Error("1 value of 2 accepted")
	}
	if _, err := NewFloatWriter(io.Discard, "<i2", []int{2}); err == nil {
		t.Error("int16 accepted")
	}
}

// An archive holds stored members named NAME.npy with the same bytes as
// the standalone files, and equal inputs give equal archives.
func TestArchive(t *testing.T) {
	mk := func() []byte {
		var buf bytes.Buffer
		a := NewArchive(&buf)
		w, _ := a.Create("channels")
		WriteStrings(w, []string{"EEG Fpz-Cz", "Leg L", "µV"})
		w, _ = a.Create("x")
		WriteFloats(w, []float64{1, 2})
		a.Close()
		return buf.Bytes()
	}
	b := mk()
	if !bytes.Equal(b, mk()) {
		t.Error("same arrays, different archives")
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if len(z.File) != 2 || z.File[0].Name != "channels.npy" || z.File[0].Method != zip.Store {
		t.Fatalf("members %v", z.File)
	}
	r, _ := z.File[0].Open()
	got, _ := io.ReadAll(r)
	want, _ := os.ReadFile("testdata/U_labels.npy")
	if !bytes.Equal(got, want) {
		t.Error("archive member differs from NumPy's file")
	}
}
