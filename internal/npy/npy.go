// Package npy writes NumPy .npy arrays (format version 1.0, or 2.0 when the
// header needs more than 65535 bytes) and .npz archives of them, streaming:
// the header is written from the shape given in advance, then the values
// in C (row-major) order as they come, so arrays larger than memory can be
// written. The format: NumPy Enhancement Proposal 1 and numpy.lib.format
// ("\x93NUMPY", version, little-endian header length, a Python dict literal
// with 'descr', 'fortran_order' and 'shape', padded with spaces and ended by
// a newline so that the data start at a multiple of 64 bytes).
package npy

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DType is a NumPy element type written by this package.
type DType string

// The element types: little-endian IEEE floats and UCS-4 strings (the
// width in characters follows "<U").
const (
	Float32 DType = "<f4"
	Float64 DType = "<f8"
)

// ParseDType reads "float32"/"f4" or "float64"/"f8".
func ParseDType(s string) (DType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "float32", "f4", "<f4":
		return Float32, nil
	case "float64", "f8", "<f8", "":
		return Float64, nil
	}
	return "", fmt.Errorf("npy: data type %q, want float32 or float64", s)
}

// Size returns the bytes per element of a float type (4 or 8).
func (d DType) Size() int {
	if d == Float32 {
		return 4
	}
	return 8
}

// Header returns the complete .npy header (magic, version, length and
// padded dictionary) for an array of dtype descr and shape, in C order.
func Header(descr string, shape []int) []byte {
	dims := make([]string, len(shape))
	for i, n := range shape {
		dims[i] = strconv.Itoa(n)
	}
	sh := strings.Join(dims, ", ")
	if len(shape) == 1 {
		sh += ","
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, sh)
	// Version 1.0 has a 2-byte length (10-byte preamble); 2.0 a 4-byte one.
	pre, ver := 10, byte(1)
	if len(dict)+1+pre > 65535 {
		pre, ver = 12, 2
	}
	total := (pre + len(dict) + 1 + 63) / 64 * 64
	hlen := total - pre
	b := make([]byte, 0, total)
	b = append(b, "\x93NUMPY"...)
	b = append(b, ver, 0)
	if ver == 1 {
		b = binary.LittleEndian.AppendUint16(b, uint16(hlen))
	} else {
		b = binary.LittleEndian.AppendUint32(b, uint32(hlen))
	}
	b = append(b, dict...)
	for len(b) < total-1 {
		b = append(b, ' ')
	}
	return append(b, '\n')
}

// FloatWriter writes float values of one array after its header.
type FloatWriter struct {
	w     io.Writer
	dtype DType
	buf   []byte
	left  int64
}

// NewFloatWriter writes the header of a float array of the given shape to
// w and returns a writer for its values (in C order).
func NewFloatWriter(w io.Writer, dtype DType, shape []int) (*FloatWriter, error) {
	if dtype != Float32 && dtype != Float64 {
		return nil, fmt.Errorf("npy: data type %q, want %s or %s", dtype, Float32, Float64)
	}
	n := int64(1)
	for _, d := range shape {
		if d < 0 {
			return nil, fmt.Errorf("npy: negative dimension in shape %v", shape)
		}
		n *= int64(d)
	}
	if _, err := w.Write(Header(string(dtype), shape)); err != nil {
		return nil, err
	}
	return &FloatWriter{w: w, dtype: dtype, left: n}, nil
}

// Write appends values; writing more values than the shape holds is an
// error.
func (fw *FloatWriter) Write(x []float64) error {
	if int64(len(x)) > fw.left {
		return fmt.Errorf("npy: %d values written beyond the array's shape", int64(len(x))-fw.left)
	}
	sz := fw.dtype.Size()
	if cap(fw.buf) < len(x)*sz {
		fw.buf = make([]byte, len(x)*sz)
	}
	b := fw.buf[:len(x)*sz]
	if sz == 4 {
		for i, v := range x {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(v)))
		}
	} else {
		for i, v := range x {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
		}
	}
	fw.left -= int64(len(x))
	_, err := fw.w.Write(b)
	return err
}

// Close reports an error when fewer values were written than the shape
// holds (the array would be unreadable).
func (fw *FloatWriter) Close() error {
	if fw.left != 0 {
		return fmt.Errorf("npy: %d values missing from the array", fw.left)
	}
	return nil
}

// WriteStrings writes a 1-D array of strings as '<U n' (UCS-4, n the
// longest string's length in characters, at least 1).
func WriteStrings(w io.Writer, s []string) error {
	width := 1
	for _, x := range s {
		width = max(width, utf8.RuneCountInString(x))
	}
	if _, err := w.Write(Header("<U"+strconv.Itoa(width), []int{len(s)})); err != nil {
		return err
	}
	b := make([]byte, 4*width)
	for _, x := range s {
		clear(b)
		i := 0
		for _, r := range x {
			binary.LittleEndian.PutUint32(b[4*i:], uint32(r))
			i++
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// WriteFloats writes a 1-D float64 array.
func WriteFloats(w io.Writer, x []float64) error {
	fw, err := NewFloatWriter(w, Float64, []int{len(x)})
	if err != nil {
		return err
	}
	if err := fw.Write(x); err != nil {
		return err
	}
	return fw.Close()
}

// Archive is an .npz file: a zip of .npy members, stored uncompressed
// (numpy.savez's layout) with a fixed modification time so that the same
// arrays give the same bytes.
type Archive struct {
	z *zip.Writer
}

// NewArchive starts an .npz archive on w.
func NewArchive(w io.Writer) *Archive { return &Archive{z: zip.NewWriter(w)} }

// Create starts the member name+".npy"; write one array to it (with the
// functions above) before creating the next.
func (a *Archive) Create(name string) (io.Writer, error) {
	h := &zip.FileHeader{Name: name + ".npy", Method: zip.Store}
	h.Modified = zipEpoch
	return a.z.CreateHeader(h)
}

// Close writes the archive's central directory.
func (a *Archive) Close() error { return a.z.Close() }

// zipEpoch is the members' modification time (the earliest a zip can
// hold), so that outputs do not depend on when they were written.
var zipEpoch = zipTime()
