// Package philips reads Philips SPAR/SDAT single-voxel spectroscopy: the
// .SPAR text file of "key : value" parameters and the .SDAT file of FIDs
// as VAX F-floating pairs (real, imaginary).
//
// The SDAT samples are already in the NIfTI-MRS sign convention (the NAA
// singlet of the fixture lies at 2.01 ppm as read; conjugated it would lie
// at its mirror image about the transmitter), so Read does not conjugate.
//
// Every SPAR field is kept in Data.Meta, including the identifying ones
// (patient_name, patient_birth_date): never print Meta unasked.
package philips

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/format/internal/budget"
)

// ErrFormat reports files that are not valid SPAR/SDAT.
var ErrFormat = errors.New("philips: not valid SPAR/SDAT")

// SPARPath returns the SPAR file beside an SDAT path (same stem, .SPAR or
// .spar as found; .SPAR when neither exists).
func SPARPath(sdat string) string {
	stem := strings.TrimSuffix(sdat, filepath.Ext(sdat))
	for _, ext := range []string{".SPAR", ".spar", ".Spar"} {
		if _, err := os.Stat(stem + ext); err == nil {
			return stem + ext
		}
	}
	return stem + ".SPAR"
}

// ReadFile reads an SDAT file and the SPAR file beside it.
func ReadFile(sdat string) (*mrs.Data, error) {
	spar := SPARPath(sdat)
	sb, err := budget.ReadFile(spar)
	if err != nil {
		return nil, fmt.Errorf("%s: the parameters of %s: %w", spar, filepath.Base(sdat), err)
	}
	db, err := budget.ReadFile(sdat)
	if err != nil {
		return nil, err
	}
	return Read(sb, db, spar, sdat)
}

// ParseSPAR returns the SPAR fields (keys as written; "!" comment lines
// skipped).
func ParseSPAR(b []byte) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(strings.TrimRight(line, "\r"))
		if line == "" || strings.HasPrefix(line, "!") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out
}

// vaxFloat converts a VAX F-floating number (two little-endian 16-bit
// words: sign, 8-bit exponent biased by 128 and the high fraction bits in
// the first; the low fraction bits in the second; value 0.1f × 2^(e−128))
// to float64.
func vaxFloat(b []byte) float64 {
	w0 := uint32(binary.LittleEndian.Uint16(b[0:]))
	w1 := uint32(binary.LittleEndian.Uint16(b[2:]))
	u := w0<<16 | w1
	exp := int(u >> 23 & 0xff)
	if exp == 0 {
		if u&0x80000000 != 0 {
			return math.NaN() // a reserved operand: not a number
		}
		return 0
	}
	// 0.1f × 2^(e−128) = 1.f × 2^(e−129); exponent 255 is an ordinary
	// (large) number in VAX, not an infinity as in IEEE.
	v := math.Ldexp(1+float64(u&0x7fffff)/(1<<23), exp-129)
	if u&0x80000000 != 0 {
		v = -v
	}
	return v
}

// Read parses SPAR and SDAT bytes (names for errors).
func Read(spar, sdat []byte, sparName, sdatName string) (*mrs.Data, error) {
	f := ParseSPAR(spar)
	bad := func(name, field, format string, a ...any) error {
		return fmt.Errorf("%w: %s: %s: %s", ErrFormat, name, field, fmt.Sprintf(format, a...))
	}
	num := func(key string, required bool) (float64, error) {
		v, ok := f[key]
		if !ok || v == "" {
			if required {
				return 0, bad(sparName, key, "missing")
			}
			return 0, nil
		}
		x, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, bad(sparName, key, "%q is not a number", v)
		}
		return x, nil
	}
	meta := map[string]any{}
	for k, v := range f {
		meta[k] = v
	}
	d := &mrs.Data{Meta: meta}
	hz, err := num("synthesizer_frequency", true)
	if err != nil {
		return nil, err
	}
	sf, err := num("sample_frequency", true)
	if err != nil {
		return nil, err
	}
	if !(hz > 0) || !(sf > 0) {
		return nil, bad(sparName, "synthesizer_frequency/sample_frequency", "%g Hz and %g Hz, want > 0", hz, sf)
	}
	d.SpectrometerFrequency, d.Dwell = hz/1e6, 1/sf
	n, err := num("samples", true)
	if err != nil {
		return nil, err
	}
	rows, err := num("rows", false)
	if err != nil {
		return nil, err
	}
	if rows == 0 {
		rows = 1
	}
	if n < 1 || n > 1<<20 || n != math.Trunc(n) || rows < 1 || rows > 1<<16 || rows != math.Trunc(rows) {
		return nil, bad(sparName, "samples/rows", "%g samples × %g rows, want whole numbers ≥ 1", n, rows)
	}
	te, _ := num("echo_time", false)
	tr, _ := num("repetition_time", false)
	d.EchoTime, d.RepetitionTime = te/1000, tr/1000
	d.Nucleus = f["nucleus"]
	if d.Nucleus == "" {
		d.Nucleus = "1H"
	}
	d.Vendor = "Philips"
	d.Sequence = f["scan_id"]
	if d.Voxel, err = sparVoxel(num); err != nil {
		return nil, err
	}
	points, nfid := int(n), int(rows)
	if len(sdat) != points*nfid*8 {
		return nil, bad(sdatName, "size", "%d bytes, SPAR's %d samples × %d rows need %d", len(sdat), points, nfid, points*nfid*8)
	}
	for j := 0; j < nfid; j++ {
		fid := make([]complex128, points)
		for k := range fid {
			o := (j*points + k) * 8
			fid[k] = complex(vaxFloat(sdat[o:]), vaxFloat(sdat[o+4:]))
		}
		d.FIDs = append(d.FIDs, fid)
	}
	if nfid > 1 {
		d.Dims = []mrs.Dim{{Tag: mrs.DimDyn, Size: nfid}}
	}
	if err := d.Validate(); err != nil {
		return nil, bad(sdatName, "data", "%v", err)
	}
	if err := budget.Finite(d.FIDs); err != nil {
		return nil, bad(sdatName, "data", "%v (a VAX reserved operand)", err)
	}
	return d, nil
}

// sparVoxel returns the SPAR voxel in RAS: Philips gives sizes, off-centres
// and angulations (degrees) in its LPH patient frame (x to the left, y
// posterior, z to the head: DICOM's LPS), so the RAS centre is
// (−lr, −ap, cc) and the rotation, applied to the lr/ap/cc-sized edges, is
// Rx(−lr_angulation)·Ry(−ap_angulation)·Rz(cc_angulation) (intrinsic
// x-y-z rotations, the convention spec2nii uses for SPAR).
func sparVoxel(num func(string, bool) (float64, error)) (mrs.Voxel, error) {
	var v [9]float64
	for i, key := range []string{"lr_size", "ap_size", "cc_size", "lr_off_center", "ap_off_center", "cc_off_center",
		"lr_angulation", "ap_angulation", "cc_angulation"} {
		x, err := num(key, false)
		if err != nil {
			return mrs.Voxel{}, err
		}
		v[i] = x
	}
	for i := 6; i < 9; i++ {
		if math.Abs(v[i]) > 360 {
			return mrs.Voxel{}, fmt.Errorf("%w: angulation %g°, want −360 to 360", ErrFormat, v[i])
		}
	}
	r := matMul(matMul(rotX(-v[6]), rotY(-v[7])), rotZ(v[8]))
	vox := mrs.Voxel{Size: [3]float64{v[0], v[1], v[2]}, Centre: [3]float64{-v[3], -v[4], v[5]}, Frame: "RAS"}
	for c := 0; c < 3; c++ {
		vox.Axes[c] = [3]float64{r[0][c], r[1][c], r[2][c]}
	}
	if vox.Axes == [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}} {
		vox.Axes = [3][3]float64{}
	}
	return vox, nil
}

type mat3 [3][3]float64

func rotX(deg float64) mat3 {
	s, c := math.Sincos(deg * math.Pi / 180)
	return mat3{{1, 0, 0}, {0, c, -s}, {0, s, c}}
}

func rotY(deg float64) mat3 {
	s, c := math.Sincos(deg * math.Pi / 180)
	return mat3{{c, 0, s}, {0, 1, 0}, {-s, 0, c}}
}

func rotZ(deg float64) mat3 {
	s, c := math.Sincos(deg * math.Pi / 180)
	return mat3{{c, -s, 0}, {s, c, 0}, {0, 0, 1}}
}

func matMul(a, b mat3) mat3 {
	var m mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				m[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return m
}
