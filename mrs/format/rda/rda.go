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
	"os"
	"strconv"
	"strings"

	"glusleep/mrs"
)

// ErrFormat reports a file that is not a valid RDA file.
var ErrFormat = errors.New("rda: not a valid Siemens RDA file")

const (
	beginMark = ">>> Begin of header <<<"
	endMark   = ">>> End of header <<<"
)

// ReadFile reads an .rda file.
func ReadFile(path string) (*mrs.Data, error) {
	b, err := os.ReadFile(path)
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
	// Voxel: VOI sizes (readout, phase, thickness; older exports spell the
	// readout field "VOIReadoutVOV") and centre in patient coordinates.
	ro, _ := num("VOIReadoutFOV", false)
	if ro == 0 {
		ro, _ = num("VOIReadoutVOV", false)
	}
	ph, _ := num("VOIPhaseFOV", false)
	th, _ := num("VOIThickness", false)
	sag, _ := num("VOIPositionSag", false)
	cor, _ := num("VOIPositionCor", false)
	tra, _ := num("VOIPositionTra", false)
	d.Voxel = mrs.Voxel{Size: [3]float64{ro, ph, th}, Centre: [3]float64{sag, cor, tra}, Frame: "LPS"}
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
	return d, nil
}
