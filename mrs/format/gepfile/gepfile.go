// Package gepfile reads GE MR spectroscopy raw data (P-files, "P12345.7")
// written by the PROBE-P (PRESS) and PROBE-S (STEAM) single-voxel
// sequences: the header fields that give the acquisition parameters, and
// the frames of each receiver, separated into the water-unsuppressed
// reference frames and the water-suppressed frames.
//
// The localisation is read from the pulse-sequence name in the image
// header (psdname: "PROBE-P", "PROBE-S", ...; SequenceOf). GE does not
// record PROBE-S's mixing time in any header field the public readers
// know, so a STEAM file gets an assumed TM (AssumedMixingTime), and a
// file whose sequence name is unknown is assumed PRESS; File says which
// values were assumed.
//
// The layout depends on the header revision (a float32 at byte 0).
// Revision 9 (LX/EXCITE era, the 1.5 T files of the study) is supported: a
// 61464-byte header, then int32 real/imaginary pairs, per receiver one
// baseline frame followed by the frames. The number of water frames is
// rhuser19 (PROBE's convention); the others are water-suppressed. Other
// revisions are reported as unsupported rather than read wrongly.
//
// GE stores the FID with the opposite sign convention to NIfTI-MRS; it is
// conjugated on reading, so NAA appears at 2.01 ppm.
package gepfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/format/internal/budget"
)

// layout holds the byte offsets of one header revision.
type layout struct {
	headerSize                  int
	nframes, frameSize, pointSz int // int16, uint16, int16
	navs                        int
	dabStart                    int // int16 start/stop receiver pairs, 4 of them
	user0                       int // float32 rhuser0..19 at user0 + 4k (user0..19 consecutive)
	spectralWidth               int // float32, Hz
	psMpsFreq                   int // int32, 0.1 Hz
	te                          int // int32, µs (image header)
	tr                          int // int32, µs (image header)
	opuser8                     int // float32 opuser8..13 (image header): voxel size R/L, A/P, S/I and centre R, A, S in mm
	corners                     int // float32 tlhc, trhc, brhc (R, A, S each; image header), mm
	psdName                     int // char[33], the pulse sequence's name (image header)
}

// layouts by revision. Revision 9 offsets were read from the 1.5 T PROBE-P
// files of the study and agree with the published rdb_hdr_rec field order
// (nframes 74, frame_size 80, point_size 82, dab 200, rhuser0–19 216–295,
// spectral width 368, ps_mps_freq 424) and the image header te at 60136,
// tr at 60128, tlhc/trhc/brhc at 60088–60123 and opuser8–13 at 60384–60407
// (the image header field order of revision 9 as spec2nii's ge_hdr_fields
// lists it; the values read there match the SAGE .shf files sdbm wrote for
// the study's P-files), and the image header's psdname at 60248 (the same
// field order; the study's files hold "probe-p" there). Later revisions
// move psdname (spec2nii and spant agree on 145132 for revision 14–15,
// 148972 for 20, 23 and 24, 149520 for 21, 199812 for 26 and 208004 for
// 27–30) along with every other field; they are not read.
var layouts = map[float32]layout{
	9: {headerSize: 61464, nframes: 74, frameSize: 80, pointSz: 82, navs: 72, dabStart: 200, user0: 216,
		spectralWidth: 368, psMpsFreq: 424, te: 60136, tr: 60128, opuser8: 60384, corners: 60088, psdName: 60248},
}

// ErrFormat reports a file that is not a P-file this package reads
// (damaged, cut short, or of an unsupported header revision).
var ErrFormat = errors.New("gepfile: not a readable GE P-file")

// AssumedMixingTime is the STEAM mixing time in s given to a PROBE-S
// file: GE does not record TM in any header field that the public P-file
// readers document (spec2nii's GE reader lists MixingTime as not known;
// spant and TARQUIN do not read one), so 12 ms, TARQUIN's default STEAM
// TM, is assumed (File.MixingTimeAssumed).
const AssumedMixingTime = 0.012

// SequenceOf returns the localisation of GE's pulse sequence psd (the
// header's psdname, any case): "PRESS" for PROBE-P and its variants
// (probe-p, probe-p_ach, presscsi, mrs-press), "STEAM" for PROBE-S; ok is
// false for any other name.
func SequenceOf(psd string) (seq string, ok bool) {
	switch strings.ToLower(strings.TrimSpace(psd)) {
	case "probe-p", "probe-p_ach", "presscsi", "mrs-press":
		return "PRESS", true
	case "probe-s":
		return "STEAM", true
	}
	return "", false
}

// File is a read P-file.
type File struct {
	// Revision is the header revision.
	Revision float32
	// Params are the acquisition parameters (NIfTI-MRS convention).
	Params mrs.Params
	// Receivers is the number of receive channels.
	Receivers int
	// Water and Metab hold, per receiver, the water-reference and the
	// water-suppressed frames (each a FID of Params points).
	Water, Metab [][][]complex128
	// User holds rhuser0–19 (sequence-specific values).
	User [20]float32
	// PSDName is the pulse sequence's name in the image header (e.g.
	// "PROBE-P"; empty when the field holds no printable name).
	PSDName string
	// SequenceAssumed says that PSDName names no sequence SequenceOf
	// knows, so Params.Sequence is PRESS by assumption.
	SequenceAssumed bool
	// MixingTimeAssumed says that Params.MixingTime (STEAM) is
	// AssumedMixingTime, not a value from the file.
	MixingTimeAssumed bool
}

// plural returns "n word", with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// psdName returns the NUL-terminated name in b, or "" when it holds
// anything but printable ASCII.
func psdName(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return ""
		}
	}
	return strings.TrimSpace(string(b))
}

// Read reads a P-file from r (size bytes). name is used in errors, which
// wrap ErrFormat for a file that is not a readable P-file.
func Read(r io.ReaderAt, size int64, name string) (*File, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrFormat, name, fmt.Sprintf(format, a...))
	}
	// readAt fills p from offset off; a failure (the file shorter than
	// size says, an I/O error) wraps ErrFormat and says what was read.
	readAt := func(p []byte, off int64, what string) error {
		n, err := r.ReadAt(p, off)
		if n == len(p) {
			return nil // io.ReaderAt may return io.EOF with a full read at the end
		}
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("%w: %s: reading %s (bytes %d to %d of the %d given): %d bytes read: %w", ErrFormat, name, what, off, off+int64(len(p)), size, n, err)
	}
	rev := make([]byte, 4)
	if _, err := r.ReadAt(rev, 0); err != nil {
		return nil, fmt.Errorf("%w: %s: file shorter than 4 bytes: %w", ErrFormat, name, io.ErrUnexpectedEOF)
	}
	f := &File{Revision: math.Float32frombits(binary.LittleEndian.Uint32(rev))}
	lay, ok := layouts[f.Revision]
	if !ok {
		return nil, bad("header revision %g is not supported (glusleep reads revision 9)", f.Revision)
	}
	if size < int64(lay.headerSize) {
		return nil, bad("file has %d bytes, shorter than the revision %g header (%d bytes)", size, f.Revision, lay.headerSize)
	}
	h := make([]byte, lay.headerSize)
	if err := readAt(h, 0, "the header"); err != nil {
		return nil, err
	}
	i16 := func(o int) int { return int(int16(binary.LittleEndian.Uint16(h[o:]))) }
	u16 := func(o int) int { return int(binary.LittleEndian.Uint16(h[o:])) }
	i32 := func(o int) int { return int(int32(binary.LittleEndian.Uint32(h[o:]))) }
	f32 := func(o int) float64 { return float64(math.Float32frombits(binary.LittleEndian.Uint32(h[o:]))) }
	for k := range f.User {
		f.User[k] = float32(f32(lay.user0 + 4*k))
	}
	frames, points, psize := i16(lay.nframes), u16(lay.frameSize), i16(lay.pointSz)
	if frames < 1 || points < 1 {
		return nil, bad("header says %d frames of %d points, want ≥ 1 each", frames, points)
	}
	if psize != 4 && psize != 2 {
		return nil, bad("header point size %d bytes, want 2 or 4", psize)
	}
	f.Receivers = 0
	for k := 0; k < 4; k++ {
		start, stop := i16(lay.dabStart+4*k), i16(lay.dabStart+4*k+2)
		if stop >= start && (k == 0 || start != 0 || stop != 0) {
			f.Receivers += stop - start + 1
		}
	}
	if f.Receivers < 1 {
		f.Receivers = 1
	}
	sw := f32(lay.spectralWidth)
	if !(sw > 0) {
		sw = float64(f.User[0])
	}
	mhz := float64(i32(lay.psMpsFreq)) / 1e7
	if !(sw > 0) || !(mhz > 1) {
		return nil, bad("header spectral width %g Hz, frequency %g MHz: want positive values", sw, mhz)
	}
	f.Params = mrs.Params{SpectrometerFrequency: mhz, Dwell: 1 / sw, Nucleus: "1H", Vendor: "GE",
		EchoTime: float64(i32(lay.te)) / 1e6, RepetitionTime: float64(i32(lay.tr)) / 1e6,
		FieldStrength: math.Round(mhz/42.577478*10) / 10}
	f.PSDName = psdName(h[lay.psdName : lay.psdName+33])
	f.Params.Sequence, ok = SequenceOf(f.PSDName)
	if !ok {
		f.Params.Sequence, f.SequenceAssumed = "PRESS", true
	}
	if f.Params.Sequence == "STEAM" {
		f.Params.MixingTime, f.MixingTimeAssumed = AssumedMixingTime, true
	}
	vox, err := voxel(h, lay)
	if err != nil {
		return nil, bad("%v", err)
	}
	f.Params.Voxel = vox
	water := int(f.User[19])
	if water < 0 || water > frames {
		return nil, bad("rhuser19 says %d water frames of %d, want 0 to %d", water, frames, frames)
	}
	perRcv := (frames + 1) * points * 2 * psize
	want := int64(lay.headerSize) + int64(perRcv)*int64(f.Receivers)
	if want-int64(lay.headerSize) > budget.MaxFileBytes {
		return nil, bad("header declares %s × (1 baseline + %d frames) × %d points, %d bytes: over the %d-byte read budget for an MRS file",
			plural(f.Receivers, "receiver"), frames, points, want-int64(lay.headerSize), budget.MaxFileBytes)
	}
	if size < want {
		return nil, bad("data are %d bytes, %s × (1 baseline + %d frames) × %d points need %d",
			size-int64(lay.headerSize), plural(f.Receivers, "receiver"), frames, points, want-int64(lay.headerSize))
	}
	buf := make([]byte, perRcv)
	for rc := 0; rc < f.Receivers; rc++ {
		if err := readAt(buf, int64(lay.headerSize)+int64(rc)*int64(perRcv), fmt.Sprintf("receiver %d", rc)); err != nil {
			return nil, err
		}
		var wat, met [][]complex128
		for fr := 1; fr <= frames; fr++ { // frame 0 is the baseline
			fid := make([]complex128, points)
			for k := range fid {
				o := ((fr*points + k) * 2) * psize
				var re, im float64
				if psize == 4 {
					re = float64(int32(binary.LittleEndian.Uint32(buf[o:])))
					im = float64(int32(binary.LittleEndian.Uint32(buf[o+4:])))
				} else {
					re = float64(int16(binary.LittleEndian.Uint16(buf[o:])))
					im = float64(int16(binary.LittleEndian.Uint16(buf[o+2:])))
				}
				fid[k] = complex(re, -im) // GE → NIfTI-MRS convention
			}
			if fr <= water {
				wat = append(wat, fid)
			} else {
				met = append(met, fid)
			}
		}
		f.Water = append(f.Water, wat)
		f.Metab = append(f.Metab, met)
	}
	return f, nil
}

// ReadFile reads the P-file at path.
func ReadFile(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gepfile: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("gepfile: %w", err)
	}
	return Read(fh, st.Size(), path)
}

// Data returns the water-suppressed frames (metab true) or the water
// frames as an mrs.Data with dimensions DIM_COIL (receivers) and DIM_DYN
// (frames), coil fastest.
func (f *File) Data(metab bool) *mrs.Data {
	src := f.Water
	if metab {
		src = f.Metab
	}
	d := &mrs.Data{Params: f.Params, Meta: map[string]any{"GERevision": f.Revision}}
	if len(src) == 0 || len(src[0]) == 0 {
		return d
	}
	nf := len(src[0])
	for fr := 0; fr < nf; fr++ {
		for rc := range src {
			d.FIDs = append(d.FIDs, src[rc][fr])
		}
	}
	if f.Receivers > 1 {
		d.Dims = append(d.Dims, mrs.Dim{Tag: mrs.DimCoil, Size: f.Receivers})
	}
	d.Dims = append(d.Dims, mrs.Dim{Tag: mrs.DimDyn, Size: nf})
	return d
}

// voxel returns the PROBE voxel geometry of a header: edge directions from
// the image plane's corners (row = trhc − tlhc, column = brhc − trhc, and
// the negated vector product of the two, as GE's and spec2nii's readers
// form the direction cosines), edge lengths opuser8/9/10 (the R/L, A/P and
// S/I sizes, each given to the edge most nearly along that axis) and
// centre opuser11/12/13 (R, A, S in mm). GE's patient coordinates are RAS
// (R positive to the patient's right, as DICOM's x = −R shows).
func voxel(h []byte, lay layout) (mrs.Voxel, error) {
	f32 := func(o int) float64 { return float64(math.Float32frombits(binary.LittleEndian.Uint32(h[o:]))) }
	var corner [3][3]float64 // tlhc, trhc, brhc
	for c := range corner {
		for i := range corner[c] {
			corner[c][i] = f32(lay.corners + 12*c + 4*i)
		}
	}
	var user [6]float64
	for k := range user {
		user[k] = f32(lay.opuser8 + 4*k)
		if math.IsNaN(user[k]) || math.IsInf(user[k], 0) || math.Abs(user[k]) > 1e4 {
			return mrs.Voxel{}, fmt.Errorf("header opuser%d (voxel geometry) is %g, want a size or position in mm", 8+k, user[k])
		}
	}
	row, ok1 := mrs.Unit([3]float64{corner[1][0] - corner[0][0], corner[1][1] - corner[0][1], corner[1][2] - corner[0][2]})
	col, ok2 := mrs.Unit([3]float64{corner[2][0] - corner[1][0], corner[2][1] - corner[1][1], corner[2][2] - corner[1][2]})
	v := mrs.Voxel{Centre: [3]float64{user[3], user[4], user[5]}, Frame: "RAS"}
	if !ok1 || !ok2 {
		// No image plane: an unrotated voxel.
		v.Size = [3]float64{user[0], user[1], user[2]}
		return v, nil
	}
	n := mrs.Cross(row, col)
	v.Axes = [3][3]float64{row, col, {-n[0], -n[1], -n[2]}}
	for axis := 0; axis < 3; axis++ {
		best := 0
		for e := 1; e < 3; e++ {
			if math.Abs(v.Axes[e][axis]) > math.Abs(v.Axes[best][axis]) {
				best = e
			}
		}
		v.Size[best] = user[axis]
	}
	return v, nil
}
