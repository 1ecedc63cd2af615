// Package nifti reads and writes NIfTI-MRS: single-voxel MR spectroscopy
// in a NIfTI-1 or NIfTI-2 file (.nii, or gzip-compressed .nii.gz) whose
// fourth dimension is the spectral (time-domain) one, dimensions 5 to 7 are
// tagged in the JSON header extension (code 44), and pixdim[4] is the dwell
// time in seconds. The data are complex (complex64 or complex128) in the
// NIfTI-MRS sign convention, which is glusleep's (package mrs); no
// conjugation happens here.
//
// Reading fills mrs.Data: the JSON header's SpectrometerFrequency (MHz),
// ResonantNucleus, EchoTime, RepetitionTime, MixingTime (s), Manufacturer,
// SequenceName and MagneticFieldStrength become Params; every JSON field,
// these included, is also kept in Data.Meta, which may hold identifying
// fields (PatientName, PatientDoB, ...): never print Meta unasked.
// Writing produces NIfTI-2 complex64 files with intent name "mrs_v0_9" (the
// current standard version, as spec2nii writes it) and the voxel's
// geometry as sform and qform unless the Header says otherwise; a file
// written by Write reads back to the same Data (NIfTI-1 keeps the dwell
// time and geometry as float32), and written again to the same bytes.
package nifti

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/mrs"
	"glusleep/mrs/format/internal/budget"
)

// ErrFormat reports a file that is not valid NIfTI-MRS.
var ErrFormat = errors.New("nifti: not valid NIfTI-MRS")

// NIfTI datatype codes used by NIfTI-MRS.
const (
	typeComplex64  = 32
	typeComplex128 = 1792
)

// ExtensionCode is the NIfTI header extension code of the NIfTI-MRS JSON
// header.
const ExtensionCode = 44

// Header holds the NIfTI fields glusleep keeps besides the data: version,
// data type, voxel sizes, the spatial transforms and text fields, so that a
// file read and written again keeps its geometry.
type Header struct {
	// Version is 1 or 2.
	Version int
	// Datatype is 32 (complex64) or 1792 (complex128).
	Datatype int
	// Pixdim holds pixdim[0..7]; Pixdim[1..3] are the voxel size in mm and
	// Pixdim[4] the dwell time in s.
	Pixdim [8]float64
	// QformCode, SformCode and the quaternion and affine rows as NIfTI
	// defines them (mm, RAS).
	QformCode, SformCode int
	Quatern              [3]float64
	QOffset              [3]float64
	Srow                 [3][4]float64
	// XYZTUnits, IntentName and Descrip as stored.
	XYZTUnits  int
	IntentName string
	Descrip    string
	// SclSlope and SclInter scale the stored values (0 slope: none).
	SclSlope, SclInter float64
}

// File is a NIfTI-MRS file: its header fields and its data.
type File struct {
	Header
	Data *mrs.Data
}

// Version is the NIfTI-MRS standard version Write declares in the intent
// name: 0.9, the version of the specification's definitions.json
// (wtclarke/mrs_nifti_standard) that spec2nii and nifti_mrs write today.
const Version = "mrs_v0_9"

// DefaultHeader returns the header Write uses for d when none is given:
// NIfTI-2, complex64, intent Version, the voxel's geometry (d.Voxel:
// size, orientation and centre, LPS converted to RAS+) as an sform and a
// qform (code 2, aligned), units mm and s. When the voxel size is unknown
// the header says so: sform and qform codes 0 (no position; Header.Voxel
// then reports no geometry) and pixdim[1..3] 10 mm only because NIfTI-MRS
// wants positive sizes — a made-up position would let a segmentation be
// measured at the scanner centre without an error.
func DefaultHeader(d *mrs.Data) Header {
	h := Header{Version: 2, Datatype: typeComplex64, IntentName: Version, XYZTUnits: 2 | 8}
	v := d.Voxel
	if v.Size[0] > 0 && v.Size[1] > 0 && v.Size[2] > 0 {
		h.SetAffine(v.RASAffine())
	} else {
		h.Pixdim[0] = 1
		for i := 1; i <= 3; i++ {
			h.Pixdim[i] = 10
		}
	}
	h.Pixdim[4] = d.Dwell
	for i := 5; i < 8; i++ {
		h.Pixdim[i] = 1
	}
	return h
}

// MaxBytes is the read budget: the largest NIfTI-MRS file (header,
// extensions and samples, after decompression) that ReadFile and Read
// accept, checked against the header's declared size before the samples
// are allocated, so that a small .nii.gz that unpacks to gigabytes is
// refused with an error, not read until memory runs out. 256 MiB holds
// 64 coils × 4096 points × 128 transients of complex64.
var MaxBytes int64 = 256 << 20

// ReadFile reads a .nii or .nii.gz NIfTI-MRS file within MaxBytes.
func ReadFile(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	b, err := load(fh, path)
	if err != nil {
		return nil, err
	}
	return Read(b, path)
}

// ReadData reads a NIfTI-MRS file's data.
func ReadData(path string) (*mrs.Data, error) {
	f, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return f.Data, nil
}

// load returns the bytes of a NIfTI file from r, decompressing gzip, within
// MaxBytes: for compressed input the header is read first and the size it
// declares checked before the rest is read.
func load(r io.Reader, name string) ([]byte, error) {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(2)
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		b, err := io.ReadAll(io.LimitReader(br, MaxBytes+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if int64(len(b)) > MaxBytes {
			return nil, fmt.Errorf("%w: %s: file is larger than the %d-byte read budget (nifti.MaxBytes)", ErrFormat, name, MaxBytes)
		}
		return b, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: gzip: %v", ErrFormat, name, err)
	}
	return inflate(zr, name)
}

// inflate reads a decompressed NIfTI stream: the header, then exactly the
// bytes it declares, once they are known to fit MaxBytes.
func inflate(zr io.Reader, name string) ([]byte, error) {
	head := make([]byte, 544)
	n, err := io.ReadFull(zr, head)
	if err == io.ErrUnexpectedEOF && n < 348 {
		return nil, fmt.Errorf("%w: %s: gzip: the compressed stream ends after %d bytes of the header (file cut short)", ErrFormat, name, n)
	}
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("%w: %s: gzip: %v", ErrFormat, name, err)
	}
	head = head[:n]
	_, l, err := parseHeader(head, name)
	if err != nil {
		return nil, err
	}
	need, err := l.declaredSize(name)
	if err != nil {
		return nil, err
	}
	// Grow with the data actually decompressed (at most need bytes), so a
	// header declaring much more than the stream holds costs nothing.
	buf := bytes.NewBuffer(make([]byte, 0, min(need, 1<<20)))
	buf.Write(head)
	if int64(n) < need {
		if _, err := buf.ReadFrom(io.LimitReader(zr, need-int64(n))); err != nil {
			if err == io.ErrUnexpectedEOF {
				return nil, fmt.Errorf("%w: %s: gzip: the compressed stream ends after %d of the %d bytes the header declares (file cut short)", ErrFormat, name, buf.Len(), need)
			}
			return nil, fmt.Errorf("%w: %s: gzip: %v", ErrFormat, name, err)
		}
	}
	b := buf.Bytes()
	if int64(len(b)) < need {
		return b, nil // Read reports the missing data
	}
	// Read to the end of the stream so that gzip checks its length and
	// CRC (a damaged file is refused, not read in part), but no further
	// than maxTrailing bytes beyond what the header declares.
	extra, err := io.Copy(io.Discard, io.LimitReader(zr, maxTrailing+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: gzip: %v (file damaged or cut short)", ErrFormat, name, err)
	}
	if extra > maxTrailing {
		return nil, fmt.Errorf("%w: %s: decompresses to more than %d bytes beyond the %d the header declares: refused", ErrFormat, name, maxTrailing, need)
	}
	return b, nil
}

// maxTrailing bounds the bytes a compressed file may hold after the data
// its header declares.
const maxTrailing = 16 << 20

// layout is what the binary header says about where things are.
type layout struct {
	bo        binary.ByteOrder
	hdrLen    int
	dim       [8]int64
	voxOffset int64
	bytesPer  int
	points    int
	nfid      int
}

// declaredSize returns the file size the header declares (data offset plus
// samples), or an error when it exceeds MaxBytes.
func (l *layout) declaredSize(name string) (int64, error) {
	need := l.voxOffset + int64(l.points)*int64(l.nfid)*int64(l.bytesPer)
	if l.voxOffset < int64(l.hdrLen) || need > MaxBytes || need < 0 {
		return 0, fmt.Errorf("%w: %s: dim/vox_offset: the header declares %d points × %d FIDs of %d bytes at offset %d, over the %d-byte read budget (nifti.MaxBytes) or invalid",
			ErrFormat, name, l.points, l.nfid, l.bytesPer, l.voxOffset, MaxBytes)
	}
	return need, nil
}

// Read parses NIfTI-MRS from b (gzip-compressed or not, within MaxBytes);
// name is used in errors.
func Read(b []byte, name string) (*File, error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: gzip: %v", ErrFormat, name, err)
		}
		if b, err = inflate(zr, name); err != nil {
			return nil, err
		}
	}
	f, l, err := parseHeader(b, name)
	if err != nil {
		return nil, err
	}
	if _, err := l.declaredSize(name); err != nil {
		return nil, err
	}
	meta, err := readExtensions(b, l, name)
	if err != nil {
		return nil, err
	}
	need := l.voxOffset + int64(l.points*l.nfid*l.bytesPer)
	if int64(len(b)) < need {
		return nil, badf(name, "data", "file has %d bytes, the header's %d points × %d FIDs need %d (truncated?)", len(b), l.points, l.nfid, need)
	}
	d := &mrs.Data{Meta: meta}
	d.Dwell = f.Pixdim[4]
	if f.XYZTUnits&0x38 == 16 { // ms
		d.Dwell /= 1000
	} else if f.XYZTUnits&0x38 == 24 { // µs
		d.Dwell /= 1e6
	}
	defTags := []string{mrs.DimCoil, mrs.DimDyn, mrs.DimIndirect}
	for i := 5; i <= int(l.dim[0]); i++ {
		tag, _ := meta[fmt.Sprintf("dim_%d", i)].(string)
		if tag == "" {
			tag = defTags[i-5]
		}
		d.Dims = append(d.Dims, mrs.Dim{Tag: tag, Size: int(l.dim[i])})
	}
	if err := paramsFromMeta(d, meta); err != nil {
		return nil, badf(name, "JSON header extension", "%v", err)
	}
	d.Voxel = f.Header.Voxel()
	d.FIDs = decodeSamples(b[l.voxOffset:], l, f.SclSlope, f.SclInter)
	f.Data = d
	if err := d.Validate(); err != nil {
		return nil, badf(name, "data", "%v", err)
	}
	if err := budget.Finite(d.FIDs); err != nil {
		return nil, badf(name, "data", "%v", err)
	}
	return f, nil
}

// badf returns an ErrFormat error naming the file and the field.
func badf(name, field, format string, a ...any) error {
	return fmt.Errorf("%w: %s: %s: %s", ErrFormat, name, field, fmt.Sprintf(format, a...))
}

// parseHeader reads the NIfTI-1 or NIfTI-2 header fields of b
// (ReadHeader) and checks the dimensions and data type.
func parseHeader(b []byte, name string) (*File, *layout, error) {
	if len(b) < 348 {
		return nil, nil, badf(name, "header", "file has %d bytes, want at least 348", len(b))
	}
	if v, _ := version(b); v == 2 && len(b) < 544 {
		return nil, nil, badf(name, "header", "file has %d bytes, want at least 544 for NIfTI-2", len(b))
	}
	h, err := ReadHeader(bytes.NewReader(b))
	if he := (*HeaderError)(nil); errors.As(err, &he) {
		return nil, nil, badf(name, he.Field, "%s", he.Problem)
	} else if err != nil {
		return nil, nil, badf(name, "header", "%v", err)
	}
	f := &File{Header: h.Header}
	l := &layout{bo: h.ByteOrder, hdrLen: h.Len, dim: h.Dim, voxOffset: h.VoxOffset}
	if err := l.checkDims(f.Datatype, name); err != nil {
		return nil, nil, err
	}
	return f, l, nil
}

// cstr returns a NUL- or space-padded header string.
func cstr(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return strings.TrimRight(string(b), " ")
}

// checkDims checks the dimensions (single voxel, 4 to 7 dimensions) and
// the complex data type, and fills points, nfid and bytesPer.
func (l *layout) checkDims(datatype int, name string) error {
	nd := int(l.dim[0])
	if nd < 4 || nd > 7 {
		return badf(name, "dim[0]", "%d dimensions, want 4 to 7 (x, y, z, spectral, then up to three tagged)", nd)
	}
	for i := 1; i <= nd; i++ {
		if l.dim[i] < 1 || l.dim[i] > 1<<24 {
			return badf(name, fmt.Sprintf("dim[%d]", i), "%d, want 1 to %d", l.dim[i], 1<<24)
		}
	}
	if l.dim[1] != 1 || l.dim[2] != 1 || l.dim[3] != 1 {
		return badf(name, "dim[1..3]", "%d×%d×%d voxels: only single-voxel NIfTI-MRS is read", l.dim[1], l.dim[2], l.dim[3])
	}
	switch datatype {
	case typeComplex64:
		l.bytesPer = 8
	case typeComplex128:
		l.bytesPer = 16
	default:
		return badf(name, "datatype", "%d, want complex (32: complex64 or 1792: complex128); NIfTI-MRS data must be complex", datatype)
	}
	l.points = int(l.dim[4])
	total := l.dim[4]
	l.nfid = 1
	for i := 5; i <= nd; i++ {
		l.nfid *= int(l.dim[i])
		total *= l.dim[i]
		if total > MaxBytes {
			return badf(name, "dim", "%d×%d×%d×%d samples: over the %d-byte read budget (nifti.MaxBytes)", l.dim[4], l.dim[5], l.dim[6], l.dim[7], MaxBytes)
		}
	}
	return nil
}

// readExtensions returns the JSON header extension (code 44) as a map; other
// extensions are skipped.
func readExtensions(b []byte, l *layout, name string) (map[string]any, error) {
	meta := map[string]any{}
	if l.voxOffset < int64(l.hdrLen) || l.voxOffset > int64(len(b)) {
		return nil, badf(name, "vox_offset", "%d, want %d to %d", l.voxOffset, l.hdrLen, len(b))
	}
	if l.voxOffset < int64(l.hdrLen)+4 || b[l.hdrLen] == 0 {
		return meta, nil
	}
	o := l.hdrLen + 4
	for o+8 <= int(l.voxOffset) {
		esize := int(int32(l.bo.Uint32(b[o:])))
		ecode := int(int32(l.bo.Uint32(b[o+4:])))
		if esize < 8 || o+esize > int(l.voxOffset) {
			return nil, badf(name, "extension", "size %d at byte %d runs past the data offset %d", esize, o, l.voxOffset)
		}
		if ecode == ExtensionCode {
			content := bytes.TrimRight(b[o+8:o+esize], "\x00 \n\r\t")
			if err := json.Unmarshal(content, &meta); err != nil {
				return nil, badf(name, "JSON header extension", "%v", err)
			}
		}
		o += esize
	}
	return meta, nil
}

// decodeSamples converts the stored samples to complex128 FIDs, applying
// the scaling (slope 0 or NaN: none).
func decodeSamples(raw []byte, l *layout, slope, inter float64) [][]complex128 {
	if slope == 0 || math.IsNaN(slope) {
		slope, inter = 1, 0
	}
	bo := l.bo
	fids := make([][]complex128, l.nfid)
	for j := range fids {
		fid := make([]complex128, l.points)
		for k := range fid {
			o := (j*l.points + k) * l.bytesPer
			var re, im float64
			if l.bytesPer == 8 {
				re, im = float64(math.Float32frombits(bo.Uint32(raw[o:]))), float64(math.Float32frombits(bo.Uint32(raw[o+4:])))
			} else {
				re, im = math.Float64frombits(bo.Uint64(raw[o:])), math.Float64frombits(bo.Uint64(raw[o+8:]))
			}
			fid[k] = complex(re*slope+inter, im*slope)
		}
		fids[j] = fid
	}
	return fids
}

// paramsFromMeta fills d's Params from the NIfTI-MRS JSON header.
func paramsFromMeta(d *mrs.Data, meta map[string]any) error {
	num := func(key string) (float64, error) {
		v, ok := meta[key]
		if !ok {
			return 0, nil
		}
		if a, ok := v.([]any); ok && len(a) > 0 {
			v = a[0]
		}
		x, ok := v.(float64)
		if !ok {
			return 0, fmt.Errorf("%s is %v, want a number", key, v)
		}
		return x, nil
	}
	var err error
	if d.SpectrometerFrequency, err = num("SpectrometerFrequency"); err != nil {
		return err
	}
	if d.SpectrometerFrequency == 0 {
		return fmt.Errorf("no SpectrometerFrequency (MHz): it is required")
	}
	for key, dst := range map[string]*float64{"EchoTime": &d.EchoTime, "RepetitionTime": &d.RepetitionTime,
		"MixingTime": &d.MixingTime, "MagneticFieldStrength": &d.FieldStrength} {
		if *dst, err = num(key); err != nil {
			return err
		}
	}
	str := func(key string) string {
		v := meta[key]
		if a, ok := v.([]any); ok && len(a) > 0 {
			v = a[0]
		}
		s, _ := v.(string)
		return s
	}
	d.Nucleus, d.Vendor, d.Sequence = str("ResonantNucleus"), str("Manufacturer"), str("SequenceName")
	return nil
}

// metaFromData returns the JSON header for d: d.Meta with the Params and
// dimension tags written over it.
func metaFromData(d *mrs.Data) map[string]any {
	m := map[string]any{}
	for k, v := range d.Meta {
		m[k] = v
	}
	m["SpectrometerFrequency"] = []any{d.SpectrometerFrequency}
	nuc := d.Nucleus
	if nuc == "" {
		nuc = "1H"
	}
	m["ResonantNucleus"] = []any{nuc}
	set := func(key string, v float64) {
		if v != 0 {
			m[key] = v
		}
	}
	set("EchoTime", d.EchoTime)
	set("RepetitionTime", d.RepetitionTime)
	set("MixingTime", d.MixingTime)
	set("MagneticFieldStrength", d.FieldStrength)
	if d.Vendor != "" {
		m["Manufacturer"] = d.Vendor
	}
	if d.Sequence != "" {
		m["SequenceName"] = d.Sequence
	}
	for i := 5; i <= 7; i++ {
		delete(m, fmt.Sprintf("dim_%d", i))
	}
	for i, dm := range d.Dims {
		m[fmt.Sprintf("dim_%d", i+5)] = dm.Tag
	}
	return m
}

// Write writes f as NIfTI-MRS (uncompressed) to w. f.Header gives the
// version (1 or 2; 0 means 2), data type (0 means complex64) and geometry;
// f.Data the data and JSON header.
func Write(w io.Writer, f *File) error {
	d := f.Data
	if d == nil {
		return fmt.Errorf("nifti: nothing to write")
	}
	if err := d.Validate(); err != nil {
		return fmt.Errorf("nifti: %w", err)
	}
	if len(d.Dims) > 3 {
		return fmt.Errorf("nifti: %d higher dimensions, NIfTI-MRS allows 3", len(d.Dims))
	}
	h := f.Header
	if h.Version == 0 {
		h.Version = 2
	}
	if h.Datatype == 0 {
		h.Datatype = typeComplex64
	}
	if h.IntentName == "" {
		h.IntentName = Version
	}
	if h.Version != 1 && h.Version != 2 {
		return fmt.Errorf("nifti: version %d, want 1 or 2", h.Version)
	}
	bytesPer := 8
	switch h.Datatype {
	case typeComplex64:
	case typeComplex128:
		bytesPer = 16
	default:
		return fmt.Errorf("nifti: datatype %d, want 32 (complex64) or 1792 (complex128)", h.Datatype)
	}
	h.Pixdim[4] = d.Dwell
	if h.XYZTUnits&0x38 == 16 {
		h.Pixdim[4] *= 1000
	} else if h.XYZTUnits&0x38 == 24 {
		h.Pixdim[4] *= 1e6
	}
	for i := 5; i <= 7; i++ {
		if h.Pixdim[i] == 0 {
			h.Pixdim[i] = 1
		}
	}
	// encoding/json writes map keys sorted: the header is reproducible.
	js, err := json.Marshal(metaFromData(d))
	if err != nil {
		return fmt.Errorf("nifti: JSON header: %w", err)
	}
	// Extension: 8-byte header + JSON padded with spaces to a multiple of 16.
	esize := 8 + len(js)
	if r := esize % 16; r != 0 {
		esize += 16 - r
	}
	hdrLen := 348
	if h.Version == 2 {
		hdrLen = 540
	}
	vox := hdrLen + 4 + esize
	buf := make([]byte, vox)
	le := binary.LittleEndian
	dim := []int64{int64(4 + len(d.Dims)), 1, 1, 1, int64(d.Points()), 1, 1, 1}
	for i, dm := range d.Dims {
		dim[5+i] = int64(dm.Size)
	}
	encodeHeader(buf, &h, dim, vox, bytesPer)
	buf[hdrLen] = 1 // an extension follows
	o := hdrLen + 4
	le.PutUint32(buf[o:], uint32(esize))
	le.PutUint32(buf[o+4:], ExtensionCode)
	copy(buf[o+8:], js)
	for k := o + 8 + len(js); k < o+esize; k++ {
		buf[k] = ' '
	}
	bw := bufio.NewWriter(w)
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	slope := h.SclSlope
	if slope == 0 {
		slope = 1
	}
	var sample [16]byte
	for _, fid := range d.FIDs {
		for _, v := range fid {
			re, im := (real(v)-h.SclInter)/slope, imag(v)/slope
			if bytesPer == 8 {
				le.PutUint32(sample[0:], math.Float32bits(float32(re)))
				le.PutUint32(sample[4:], math.Float32bits(float32(im)))
			} else {
				le.PutUint64(sample[0:], math.Float64bits(re))
				le.PutUint64(sample[8:], math.Float64bits(im))
			}
			if _, err := bw.Write(sample[:bytesPer]); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// encodeHeader writes the NIfTI-1 or NIfTI-2 header fields of h into buf
// (little endian), with the dimensions dim, the data offset vox and the
// sample size bytesPer.
func encodeHeader(buf []byte, h *Header, dim []int64, vox, bytesPer int) {
	le := binary.LittleEndian
	putStr := func(o, n int, s string) { copy(buf[o:o+n], s) }
	if h.Version == 1 {
		le.PutUint32(buf[0:], 348)
		buf[39] = 0
		for i, v := range dim {
			le.PutUint16(buf[40+2*i:], uint16(v))
		}
		le.PutUint16(buf[70:], uint16(h.Datatype))
		le.PutUint16(buf[72:], uint16(bytesPer*8))
		for i, v := range h.Pixdim {
			le.PutUint32(buf[76+4*i:], math.Float32bits(float32(v)))
		}
		le.PutUint32(buf[108:], math.Float32bits(float32(vox)))
		le.PutUint32(buf[112:], math.Float32bits(float32(h.SclSlope)))
		le.PutUint32(buf[116:], math.Float32bits(float32(h.SclInter)))
		buf[123] = byte(h.XYZTUnits)
		putStr(148, 80, h.Descrip)
		le.PutUint16(buf[252:], uint16(h.QformCode))
		le.PutUint16(buf[254:], uint16(h.SformCode))
		for i := 0; i < 3; i++ {
			le.PutUint32(buf[256+4*i:], math.Float32bits(float32(h.Quatern[i])))
			le.PutUint32(buf[268+4*i:], math.Float32bits(float32(h.QOffset[i])))
			for j := 0; j < 4; j++ {
				le.PutUint32(buf[280+16*i+4*j:], math.Float32bits(float32(h.Srow[i][j])))
			}
		}
		putStr(328, 16, h.IntentName)
		copy(buf[344:], "n+1\x00")
	} else {
		le.PutUint32(buf[0:], 540)
		copy(buf[4:], "n+2\x00\r\n\x1a\n")
		le.PutUint16(buf[12:], uint16(h.Datatype))
		le.PutUint16(buf[14:], uint16(bytesPer*8))
		for i, v := range dim {
			le.PutUint64(buf[16+8*i:], uint64(v))
		}
		for i, v := range h.Pixdim {
			le.PutUint64(buf[104+8*i:], math.Float64bits(v))
		}
		le.PutUint64(buf[168:], uint64(vox))
		le.PutUint64(buf[176:], math.Float64bits(h.SclSlope))
		le.PutUint64(buf[184:], math.Float64bits(h.SclInter))
		putStr(240, 80, h.Descrip)
		le.PutUint32(buf[344:], uint32(int32(h.QformCode)))
		le.PutUint32(buf[348:], uint32(int32(h.SformCode)))
		for i := 0; i < 3; i++ {
			le.PutUint64(buf[352+8*i:], math.Float64bits(h.Quatern[i]))
			le.PutUint64(buf[376+8*i:], math.Float64bits(h.QOffset[i]))
			for j := 0; j < 4; j++ {
				le.PutUint64(buf[400+32*i+8*j:], math.Float64bits(h.Srow[i][j]))
			}
		}
		le.PutUint32(buf[500:], uint32(int32(h.XYZTUnits)))
		putStr(508, 16, h.IntentName)
	}
}

// WriteFile writes f to path atomically, gzip-compressed when path ends in
// ".gz" (with a zero modification time, so the bytes are reproducible).
func WriteFile(path string, f *File) error {
	return atomicfile.Write(path, 0o644, func(w io.Writer) error {
		if !strings.HasSuffix(strings.ToLower(path), ".gz") {
			return Write(w, f)
		}
		zw := gzip.NewWriter(w)
		if err := Write(zw, f); err != nil {
			return err
		}
		return zw.Close()
	})
}

// WriteData writes d to path with DefaultHeader(d).
func WriteData(path string, d *mrs.Data) error {
	return WriteFile(path, &File{Header: DefaultHeader(d), Data: d})
}
