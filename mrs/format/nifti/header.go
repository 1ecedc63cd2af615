package nifti

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// RawHeader is a NIfTI-1 or NIfTI-2 header as stored, before the checks
// a reader of one kind of image makes (NIfTI-MRS here, a tissue
// segmentation in mrs/tissue): the fields Header keeps and where the data
// are.
type RawHeader struct {
	Header
	// ByteOrder is the header's byte order; Len its size in bytes (348
	// for NIfTI-1, 540 for NIfTI-2).
	ByteOrder binary.ByteOrder
	Len       int
	// Dim is dim[0..7], dim[0] the number of dimensions.
	Dim [8]int64
	// VoxOffset is the byte offset of the data in the file.
	VoxOffset int64
	// Pair is set for the header of a .hdr/.img pair (magic "ni1" or
	// "ni2"), whose data are in another file.
	Pair bool
}

// HeaderError is ReadHeader's error: the header field that is wrong
// (sizeof_hdr, magic, ...) and why. Readers wrap it with their file name
// and their own format error.
type HeaderError struct {
	Field, Problem string
}

// Error returns "field: problem".
func (e *HeaderError) Error() string { return e.Field + ": " + e.Problem }

func headerErr(field, format string, a ...any) error {
	return &HeaderError{Field: field, Problem: fmt.Sprintf(format, a...)}
}

// version tells a NIfTI-1 (348) from a NIfTI-2 (540) header by sizeof_hdr
// in either byte order (0 when it is neither).
func version(b []byte) (int, binary.ByteOrder) {
	switch {
	case binary.LittleEndian.Uint32(b) == 348:
		return 1, binary.LittleEndian
	case binary.BigEndian.Uint32(b) == 348:
		return 1, binary.BigEndian
	case binary.LittleEndian.Uint32(b) == 540:
		return 2, binary.LittleEndian
	case binary.BigEndian.Uint32(b) == 540:
		return 2, binary.BigEndian
	}
	return 0, binary.LittleEndian
}

// ReadHeader reads a NIfTI-1 (348 bytes) or NIfTI-2 (540 bytes) header
// from r and nothing after it. It checks sizeof_hdr, the magic and that
// vox_offset is a byte offset, nothing else; the error is a *HeaderError.
func ReadHeader(r io.Reader) (*RawHeader, error) {
	b := make([]byte, 540)
	if n, err := io.ReadFull(r, b[:348]); err != nil {
		return nil, headerErr("header", "%d bytes, want at least 348", n)
	}
	v, bo := version(b)
	h := &RawHeader{ByteOrder: bo}
	switch v {
	case 1:
		h.Version, h.Len = 1, 348
		return h, h.parse1(b)
	case 2:
		if n, err := io.ReadFull(r, b[348:]); err != nil {
			return nil, headerErr("header", "%d bytes, want 540 for NIfTI-2", 348+n)
		}
		h.Version, h.Len = 2, 540
		return h, h.parse2(b)
	}
	return nil, headerErr("sizeof_hdr", "%d, want 348 (NIfTI-1) or 540 (NIfTI-2)", binary.LittleEndian.Uint32(b))
}

// parse1 reads the fields of a NIfTI-1 header.
func (h *RawHeader) parse1(b []byte) error {
	bo := h.ByteOrder
	u16 := func(o int) int { return int(int16(bo.Uint16(b[o:]))) }
	f32 := func(o int) float64 { return float64(math.Float32frombits(bo.Uint32(b[o:]))) }
	m := string(b[344:347])
	if m != "n+1" && m != "ni1" {
		return headerErr("magic", "%q, want \"n+1\"", b[344:348])
	}
	h.Pair = m == "ni1"
	for i := range h.Dim {
		h.Dim[i] = int64(u16(40 + 2*i))
	}
	h.Datatype = u16(70)
	for i := range h.Pixdim {
		h.Pixdim[i] = f32(76 + 4*i)
	}
	vo := f32(108)
	if !(vo >= 0 && vo < 1<<40) {
		return headerErr("vox_offset", "%g, want a byte offset", vo)
	}
	h.VoxOffset = int64(vo)
	h.SclSlope, h.SclInter = f32(112), f32(116)
	h.XYZTUnits = int(b[123])
	h.Descrip = cstr(b[148:228])
	h.QformCode, h.SformCode = u16(252), u16(254)
	for i := 0; i < 3; i++ {
		h.Quatern[i] = f32(256 + 4*i)
		h.QOffset[i] = f32(268 + 4*i)
		for j := 0; j < 4; j++ {
			h.Srow[i][j] = f32(280 + 16*i + 4*j)
		}
	}
	h.IntentName = cstr(b[328:344])
	return nil
}

// parse2 reads the fields of a NIfTI-2 header.
func (h *RawHeader) parse2(b []byte) error {
	bo := h.ByteOrder
	f64 := func(o int) float64 { return math.Float64frombits(bo.Uint64(b[o:])) }
	m := string(b[4:7])
	if m != "n+2" && m != "ni2" {
		return headerErr("magic", "%q, want \"n+2\"", b[4:12])
	}
	h.Pair = m == "ni2"
	h.Datatype = int(int16(bo.Uint16(b[12:])))
	for i := range h.Dim {
		h.Dim[i] = int64(bo.Uint64(b[16+8*i:]))
	}
	for i := range h.Pixdim {
		h.Pixdim[i] = f64(104 + 8*i)
	}
	h.VoxOffset = int64(bo.Uint64(b[168:]))
	h.SclSlope, h.SclInter = f64(176), f64(184)
	h.Descrip = cstr(b[240:320])
	h.QformCode, h.SformCode = int(int32(bo.Uint32(b[344:]))), int(int32(bo.Uint32(b[348:])))
	for i := 0; i < 3; i++ {
		h.Quatern[i] = f64(352 + 8*i)
		h.QOffset[i] = f64(376 + 8*i)
		for j := 0; j < 4; j++ {
			h.Srow[i][j] = f64(400 + 32*i + 8*j)
		}
	}
	h.XYZTUnits = int(int32(bo.Uint32(b[500:])))
	h.IntentName = cstr(b[508:524])
	return nil
}
