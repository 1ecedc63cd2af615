// Package tissue measures the tissue composition of a single MRS voxel from
// a T1-space segmentation, for water-scaled quantification with tissue and
// relaxation correction (Gasparovic et al. 2006):
//
//   - it reads scalar NIfTI-1/NIfTI-2 volumes (.nii, .nii.gz) within a
//     size budget: FSL FAST partial-volume maps (pve_0/1/2 = CSF/GM/WM),
//     SPM's c1/c2/c3 (GM/WM/CSF) or a FreeSurfer-style labelled volume
//     (aseg, aparc+aseg) with a label → tissue table;
//   - Measure places the spectrum's voxel (its affine: size, orientation
//     and centre in RAS+ mm) in the segmentation's grid, weights each
//     segmentation voxel by the exact volume of its overlap with the box
//     and returns the GM, WM and CSF volume fractions;
//   - Figure draws the voxel on three orthogonal slices as SVG.
//
// Coordinates are NIfTI world coordinates (RAS+, mm) throughout: the
// segmentation's sform (or qform) and the spectrum's affine must refer to
// the same scanner space, as they do when both come from one session.
package tissue

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/mrs"
	"glusleep/mrs/format/nifti"
)

// ErrFormat reports a volume that is not a readable scalar NIfTI file.
var ErrFormat = errors.New("tissue: not a readable 3-D NIfTI volume")

// MaxVoxels is the read budget: the most voxels a volume may have (64 Mi:
// 400³, 256 MiB as float32), checked against the header before the data
// are read or decompressed.
var MaxVoxels int64 = 1 << 26

// Volume is a 3-D scalar image on a grid placed in world space.
type Volume struct {
	// Dims are the grid sizes along i, j, k.
	Dims [3]int
	// Affine maps a voxel index (i, j, k) to RAS+ mm.
	Affine mrs.Affine
	// Data holds the values, i fastest: Data[i + Dims[0]·(j + Dims[1]·k)].
	Data []float32
}

// At returns the value at index (i, j, k) and false outside the grid.
func (v *Volume) At(i, j, k int) (float32, bool) {
	if i < 0 || j < 0 || k < 0 || i >= v.Dims[0] || j >= v.Dims[1] || k >= v.Dims[2] {
		return 0, false
	}
	return v.Data[i+v.Dims[0]*(j+v.Dims[1]*k)], true
}

// NewVolume returns a zero volume of the given grid.
func NewVolume(dims [3]int, affine mrs.Affine) (*Volume, error) {
	n := int64(1)
	for _, d := range dims {
		if d < 1 {
			return nil, fmt.Errorf("tissue: grid %v, want ≥ 1 voxel along each axis", dims)
		}
		n *= int64(d)
		if n > MaxVoxels {
			return nil, fmt.Errorf("tissue: grid %v is over the %d-voxel budget (tissue.MaxVoxels)", dims, MaxVoxels)
		}
	}
	if _, err := affine.Inverse(); err != nil {
		return nil, fmt.Errorf("tissue: %w", err)
	}
	return &Volume{Dims: dims, Affine: affine, Data: make([]float32, n)}, nil
}

// sameGrid reports whether two volumes share a grid (dimensions equal,
// affines within 0.01 mm).
func sameGrid(a, b *Volume) bool {
	if a.Dims != b.Dims {
		return false
	}
	for r := 0; r < 3; r++ {
		for c := 0; c < 4; c++ {
			if math.Abs(a.Affine[r][c]-b.Affine[r][c]) > 0.01 {
				return false
			}
		}
	}
	return true
}

// ReadVolume reads a 3-D scalar NIfTI-1 or NIfTI-2 file (.nii or .nii.gz;
// integer or floating-point data, scaled by scl_slope/scl_inter) within
// MaxVoxels. A fourth dimension of size 1 is accepted.
func ReadVolume(path string) (*Volume, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return decodeVolume(bufio.NewReader(fh), path)
}

// DecodeVolume reads a volume from NIfTI bytes (gzip-compressed or not);
// name is used in errors.
func DecodeVolume(b []byte, name string) (*Volume, error) {
	return decodeVolume(bufio.NewReader(bytes.NewReader(b)), name)
}

func badf(name, field, format string, a ...any) error {
	return fmt.Errorf("%w: %s: %s: %s", ErrFormat, name, field, fmt.Sprintf(format, a...))
}

// decodeVolume reads a volume (gzip-compressed or not): the header, the
// budget check, then the data.
func decodeVolume(br *bufio.Reader, name string) (*Volume, error) {
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: gzip: %v", ErrFormat, name, err)
		}
		r = zr
	}
	h, err := readVolHeader(r, name)
	if err != nil {
		return nil, err
	}
	size, ok := bytesPer[h.Datatype]
	if !ok {
		return nil, badf(name, "datatype", "%d, want a scalar type (2 uint8, 4 int16, 8 int32, 16 float32, 64 float64, 256 int8, 512 uint16, 768 uint32)", h.Datatype)
	}
	if h.VoxOffset < int64(h.Len) || h.VoxOffset > int64(h.Len)+1<<24 {
		return nil, badf(name, "vox_offset", "%d, want %d to %d", h.VoxOffset, h.Len, h.Len+1<<24)
	}
	if _, err := io.CopyN(io.Discard, r, h.VoxOffset-int64(h.Len)); err != nil {
		return nil, badf(name, "extensions", "file ends before the data offset %d", h.VoxOffset)
	}
	if h.SformCode <= 0 && h.QformCode <= 0 {
		// Without an sform or a qform the volume has no place in the
		// scanner: the MRS voxel could only be laid on it at an arbitrary
		// spot, so the fractions would mislead.
		return nil, badf(name, "sform_code/qform_code", "both 0: the volume states no position in scanner space, want a T1-space segmentation with an sform or qform")
	}
	v, err := NewVolume([3]int{int(h.Dim[1]), int(h.Dim[2]), int(h.Dim[3])}, h.Affine())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	slope, inter := h.SclSlope, h.SclInter
	if slope == 0 || math.IsNaN(slope) || math.IsInf(slope, 0) {
		slope, inter = 1, 0
	}
	// Decode in chunks: no second copy of the data in memory.
	chunk := make([]byte, size*4096)
	for i := 0; i < len(v.Data); i += 4096 {
		m := min(4096, len(v.Data)-i)
		if _, err := io.ReadFull(r, chunk[:m*size]); err != nil {
			return nil, badf(name, "data", "ends after %d of %d voxels (truncated?)", i, len(v.Data))
		}
		for k := 0; k < m; k++ {
			x := sample(chunk[k*size:], h.Datatype, h.ByteOrder)*slope + inter
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, badf(name, "data", "voxel %d is %g, want a finite value", i+k, x)
			}
			v.Data[i+k] = float32(x)
		}
	}
	return v, nil
}

var bytesPer = map[int]int{2: 1, 4: 2, 8: 4, 16: 4, 64: 8, 256: 1, 512: 2, 768: 4}

// sample decodes one stored value.
func sample(b []byte, datatype int, bo binary.ByteOrder) float64 {
	switch datatype {
	case 2:
		return float64(b[0])
	case 256:
		return float64(int8(b[0]))
	case 4:
		return float64(int16(bo.Uint16(b)))
	case 512:
		return float64(bo.Uint16(b))
	case 8:
		return float64(int32(bo.Uint32(b)))
	case 768:
		return float64(bo.Uint32(b))
	case 16:
		return float64(math.Float32frombits(bo.Uint32(b)))
	default: // 64
		return math.Float64frombits(bo.Uint64(b))
	}
}

// readVolHeader reads a NIfTI-1 or NIfTI-2 header (nifti.ReadHeader)
// and checks it describes one 3-D volume within MaxVoxels, stored in this
// file.
func readVolHeader(r io.Reader, name string) (*nifti.RawHeader, error) {
	h, err := nifti.ReadHeader(r)
	if he := (*nifti.HeaderError)(nil); errors.As(err, &he) {
		return nil, badf(name, he.Field, "%s", he.Problem)
	} else if err != nil {
		return nil, badf(name, "header", "%v", err)
	}
	if h.Pair {
		return nil, badf(name, "magic", "a .hdr/.img pair: convert it to a single .nii file")
	}
	dim := h.Dim
	if dim[0] < 3 || dim[0] > 7 {
		return nil, badf(name, "dim[0]", "%d, want 3 (a 3-D volume)", dim[0])
	}
	for i := 1; i <= int(dim[0]); i++ {
		if i <= 3 && (dim[i] < 1 || dim[i] > 1<<16) {
			return nil, badf(name, fmt.Sprintf("dim[%d]", i), "%d, want 1 to %d", dim[i], 1<<16)
		}
		if i > 3 && dim[i] != 1 {
			return nil, badf(name, fmt.Sprintf("dim[%d]", i), "%d: a 4-D series; give one 3-D volume per tissue", dim[i])
		}
	}
	if n := dim[1] * dim[2] * dim[3]; n > MaxVoxels {
		return nil, badf(name, "dim", "%d×%d×%d voxels, over the %d-voxel read budget (tissue.MaxVoxels)", dim[1], dim[2], dim[3], MaxVoxels)
	}
	for i := 1; i <= 3; i++ {
		if p := h.Pixdim[i]; !(p > 0) || p > 1e3 {
			if h.SformCode <= 0 {
				return nil, badf(name, fmt.Sprintf("pixdim[%d]", i), "%g mm, want a positive voxel size", p)
			}
		}
	}
	return h, nil
}

// WriteVolume writes v as an uncompressed or (path ending in .gz)
// gzip-compressed NIfTI-1 float32 file with the affine as sform and qform
// (code 2). Compression is gzip's fastest level: segmentation maps, long
// runs of equal values, come out within a few per cent of the default
// level's size in a third of the time. The bytes are reproducible.
//
// The file is written to a temporary file in the same folder and renamed
// over path on success, so a failed write leaves any earlier file at path
// as it was and no partial file behind.
func WriteVolume(path string, v *Volume) error {
	return writeVolume(path, v, EncodeVolume)
}

// writeVolume is WriteVolume with the encoder as a parameter (tests pass
// one that fails part-way).
func writeVolume(path string, v *Volume, encode func(io.Writer, *Volume) error) error {
	if err := encodable(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	// atomicfile wraps its errors with the path.
	return atomicfile.Write(path, 0o644, func(w io.Writer) error {
		if !strings.HasSuffix(strings.ToLower(path), ".gz") {
			bw := bufio.NewWriterSize(w, 1<<16)
			if err := encode(bw, v); err != nil {
				return err
			}
			return bw.Flush()
		}
		zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
		if err != nil {
			return err
		}
		if err := encode(zw, v); err != nil {
			return err
		}
		return zw.Close()
	})
}

// EncodeVolume writes v as NIfTI-1 float32 to w.
func EncodeVolume(w io.Writer, v *Volume) error {
	if err := encodable(v); err != nil {
		return err
	}
	var g nifti.Header
	g.SetAffine(v.Affine)
	b := make([]byte, 352)
	le := binary.LittleEndian
	le.PutUint32(b, 348)
	dim := []int{3, v.Dims[0], v.Dims[1], v.Dims[2], 1, 1, 1, 1}
	for i, d := range dim {
		le.PutUint16(b[40+2*i:], uint16(d))
	}
	le.PutUint16(b[70:], 16)
	le.PutUint16(b[72:], 32)
	g.Pixdim[4] = 1
	for i, p := range g.Pixdim {
		le.PutUint32(b[76+4*i:], math.Float32bits(float32(p)))
	}
	le.PutUint32(b[108:], math.Float32bits(352))
	b[123] = 2 // mm
	le.PutUint16(b[252:], 2)
	le.PutUint16(b[254:], 2)
	for i := 0; i < 3; i++ {
		le.PutUint32(b[256+4*i:], math.Float32bits(float32(g.Quatern[i])))
		le.PutUint32(b[268+4*i:], math.Float32bits(float32(g.QOffset[i])))
		for j := 0; j < 4; j++ {
			le.PutUint32(b[280+16*i+4*j:], math.Float32bits(float32(g.Srow[i][j])))
		}
	}
	copy(b[344:], "n+1\x00")
	if _, err := w.Write(b); err != nil {
		return err
	}
	// The data in chunks of 16 Ki values.
	chunk := make([]byte, 0, 4<<14)
	for i, x := range v.Data {
		chunk = le.AppendUint32(chunk, math.Float32bits(x))
		if len(chunk) == cap(chunk) || i == len(v.Data)-1 {
			if _, err := w.Write(chunk); err != nil {
				return err
			}
			chunk = chunk[:0]
		}
	}
	return nil
}

// encodable checks that v fits a NIfTI-1 header and holds its grid's
// values.
func encodable(v *Volume) error {
	if len(v.Data) != v.Dims[0]*v.Dims[1]*v.Dims[2] || v.Dims[0] > 32767 || v.Dims[1] > 32767 || v.Dims[2] > 32767 {
		return fmt.Errorf("tissue: volume of %v holds %d values", v.Dims, len(v.Data))
	}
	return nil
}
