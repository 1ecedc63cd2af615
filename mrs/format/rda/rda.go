// Package rda reads Siemens .rda spectroscopy exports: a text header
// between ">>> Begin of header <<<" and ">>> End of header <<<" lines of
// "Key: value" fields, then the FIDs as little-endian float64 pairs (real,
// imaginary). Decimal commas ("63,683977", as some localised consoles
// write) are read as points.
//
// Siemens stores the FID in the opposite sign convention to NIfTI-MRS:
// Read conjugates it (the NAA singlet then lies at 2.01 ppm, not at its
// mirror image about the transmitter frequency), and the raw values are
// recovered with mrs.Conjugate.
//
// Every header field is kept in Data.Meta, including the identifying ones
// (PatientName, PatientID, PatientBirthDate): never print Meta unasked.
package rda

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/format/internal/budget"
)

// ErrFormat reports a file that is not a valid RDA file.
var ErrFormat = errors.New("rda: not a valid Siemens RDA file")

const (
	beginMark = ">>> Begin of header <<<"
	endMark   = ">>> End of header <<<"
)

// ReadFile reads an .rda file.
func ReadFile(path string) (*mrs.Data, error) {
	b, err := budget.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Read(b, path)
}

// Read parses an RDA file's bytes; name is used in errors.
func Read(b []byte, name string) (*mrs.Data, error) {
	bad := func(field, format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s: %s", ErrFormat, name, field, fmt.Sprintf(format, a...))
	}
	if !bytes.HasPrefix(bytes.TrimLeft(b, "\xef\xbb\xbf"), []byte(beginMark)) {
		return nil, bad("header", "does not start with %q", beginMark)
	}
	end := bytes.Index(b, []byte(endMark))
	if end < 0 {
		return nil, bad("header", "no %q line", endMark)
	}
	dataStart := end + len(endMark)
	// The header ends with CR LF (or LF) before the binary data.
	if dataStart < len(b) && b[dataStart] == '\r' {
		dataStart++
	}
	if dataStart < len(b) && b[dataStart] == '\n' {
		dataStart++
	}
	meta := map[string]any{}
	fields := map[string]string{}
	for _, line := range strings.Split(string(b[:end]), "\n") {
		line = strings.TrimRight(line, "\r")
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, ">>>") {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		fields[k] = v
		meta[k] = v
	}
	num := func(key string, required bool) (float64, error) {
		v, ok := fields[key]
		if !ok || v == "" {
			if required {
				return 0, bad(key, "missing")
			}
			return 0, nil
		}
		if !strings.Contains(v, ".") {
			v = strings.Replace(v, ",", ".", 1)
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, bad(key, "%q is not a number", fields[key])
		}
		return x, nil
	}
	d := &mrs.Data{Meta: meta}
	var err error
	if d.SpectrometerFrequency, err = num("MRFrequency", true); err != nil {
		return nil, err
	}
	dwellUS, err := num("DwellTime", true)
	if err != nil {
		return nil, err
	}
	d.Dwell = dwellUS * 1e-6
	n, err := num("VectorSize", true)
	if err != nil {
		return nil, err
	}
	if n < 1 || n > 1<<20 || n != math.Trunc(n) {
		return nil, bad("VectorSize", "%g, want a whole number from 1 to %d", n, 1<<20)
	}
	te, err := num("TE", false)
	if err != nil {
		return nil, err
	}
	tr, err := num("TR", false)
	if err != nil {
		return nil, err
	}
	tm, err := num("TM", false)
	if err != nil {
		return nil, err
	}
	d.EchoTime, d.RepetitionTime, d.MixingTime = te/1000, tr/1000, tm/1000
	if d.FieldStrength, err = num("MagneticFieldStrength", false); err != nil {
		return nil, err
	}
	d.Nucleus, d.Sequence, d.Vendor = fields["Nucleus"], fields["SequenceName"], "Siemens"
	if d.Voxel, err = rdaVoxel(num, fields); err != nil {
		return nil, err
	}
	// Number of FIDs: the CSI matrix (1×1×1 for single voxel).
	nfid := 1
	for i := 0; i < 3; i++ {
		v, err := num(fmt.Sprintf("CSIMatrixSize[%d]", i), false)
		if err != nil {
			return nil, err
		}
		if v > 1 {
			nfid *= int(v)
		}
	}
	if nfid > 1 {
		return nil, bad("CSIMatrixSize", "%d voxels: only single-voxel RDA is read", nfid)
	}
	points := int(n)
	data := b[dataStart:]
	if len(data) < points*16 {
		return nil, bad("data", "%d bytes after the header, VectorSize %d needs %d (truncated?)", len(data), points, points*16)
	}
	fid := make([]complex128, points)
	for k := range fid {
		re := math.Float64frombits(binary.LittleEndian.Uint64(data[16*k:]))
		im := math.Float64frombits(binary.LittleEndian.Uint64(data[16*k+8:]))
		fid[k] = complex(re, -im) // Siemens → NIfTI-MRS convention
	}
	d.FIDs = [][]complex128{fid}
	if err := d.Validate(); err != nil {
		return nil, bad("data", "%v", err)
	}
	if err := budget.Finite(d.FIDs); err != nil {
		return nil, bad("data", "%v", err)
	}
	return d, nil
}

// rdaVoxel returns the voxel of an RDA header in patient coordinates (LPS):
// edges along RowVector, ColumnVector and their vector product (the normal
// as dcm2niix and spec2nii form it), lengths VOIReadoutFOV (older exports
// spell it VOIReadoutVOV), VOIPhaseFOV and VOIThickness, centre
// VOIPosition{Sag,Cor,Tra}; without the VOI fields, PositionVector (the
// plane's corner) moved by half a voxel along row and column.
func rdaVoxel(num func(string, bool) (float64, error), fields map[string]string) (mrs.Voxel, error) {
	get := func(keys ...string) ([]float64, bool, error) {
		out := make([]float64, len(keys))
		found := false
		for i, k := range keys {
			x, err := num(k, false)
			if err != nil {
				return nil, false, err
			}
			out[i] = x
			_, present := fields[k]
			found = found || present
		}
		return out, found, nil
	}
	ro, _, err := get("VOIReadoutFOV")
	if err != nil {
		return mrs.Voxel{}, err
	}
	if ro[0] == 0 {
		if ro, _, err = get("VOIReadoutVOV"); err != nil {
			return mrs.Voxel{}, err
		}
	}
	rest, _, err := get("VOIPhaseFOV", "VOIThickness")
	if err != nil {
		return mrs.Voxel{}, err
	}
	size := [3]float64{ro[0], rest[0], rest[1]}
	pos, hasVOI, err := get("VOIPositionSag", "VOIPositionCor", "VOIPositionTra")
	if err != nil {
		return mrs.Voxel{}, err
	}
	rc, _, err := get("RowVector[0]", "RowVector[1]", "RowVector[2]", "ColumnVector[0]", "ColumnVector[1]", "ColumnVector[2]")
	if err != nil {
		return mrs.Voxel{}, err
	}
	v := mrs.Voxel{Size: size, Centre: [3]float64{pos[0], pos[1], pos[2]}, Frame: "LPS"}
	row, ok1 := mrs.Unit([3]float64{rc[0], rc[1], rc[2]})
	col, ok2 := mrs.Unit([3]float64{rc[3], rc[4], rc[5]})
	n, ok3 := mrs.Unit(mrs.Cross(row, col))
	if !ok1 || !ok2 || !ok3 {
		return v, nil
	}
	v.Axes = [3][3]float64{row, col, n}
	if !hasVOI {
		pv, found, err := get("PositionVector[0]", "PositionVector[1]", "PositionVector[2]")
		if err != nil {
			return mrs.Voxel{}, err
		}
		if found {
			for i := 0; i < 3; i++ {
				v.Centre[i] = pv[i] + (row[i]*size[0]+col[i]*size[1])/2
			}
		}
	}
	return v, nil
}
