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
	sb, err := os.ReadFile(spar)
	if err != nil {
		return nil, fmt.Errorf("%s: the parameters of %s: %w", spar, filepath.Base(sdat), err)
	}
	db, err := os.ReadFile(sdat)
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
	if u&0x7f800000 == 0 {
		return 0 // exponent 0: zero (or a reserved operand)
	}
	// Same bit layout as IEEE single, but the exponent bias is 128 and the
	// significand 0.1f: the IEEE reading is 4 times too large.
	return float64(math.Float32frombits(u)) / 4
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
	lr, _ := num("lr_size", false)
	ap, _ := num("ap_size", false)
	cc, _ := num("cc_size", false)
	lo, _ := num("lr_off_center", false)
	ao, _ := num("ap_off_center", false)
	co, _ := num("cc_off_center", false)
	d.Voxel = mrs.Voxel{Size: [3]float64{lr, ap, cc}, Centre: [3]float64{lo, ao, co}, Frame: "LPS"}
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
	return d, nil
}
