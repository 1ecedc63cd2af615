// Package vendortest holds checks shared by the vendor format tests: the
// reference samples (.ref files: complex64, interleaved little-endian
// float32 real and imaginary parts, written by another tool in the sign
// convention opposite to NIfTI-MRS: for Siemens files that is the raw
// data, for Philips SDAT the raw data conjugated) and the NIfTI-MRS
// sign-convention check.
package vendortest

import (
	"encoding/binary"
	"math"
	"math/cmplx"
	"os"
	"testing"

	"glusleep/mrs"
)

// ReadRef reads a .ref file of complex64 samples.
func ReadRef(t testing.TB, path string) []complex128 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]complex128, len(b)/8)
	for k := range out {
		re := math.Float32frombits(binary.LittleEndian.Uint32(b[8*k:]))
		im := math.Float32frombits(binary.LittleEndian.Uint32(b[8*k+4:]))
		out[k] = complex(float64(re), float64(im))
	}
	return out
}

// EqualConjugated checks that the conjugate of fid (in NIfTI-MRS
// convention) equals ref to float32 precision.
func EqualConjugated(t testing.TB, fid, ref []complex128) {
	t.Helper()
	if len(fid) != len(ref) {
		t.Fatalf("%d samples, reference has %d", len(fid), len(ref))
	}
	for k := range fid {
		got := cmplx.Conj(fid[k])
		if cmplx.Abs(got-ref[k]) > 1e-6*math.Max(cmplx.Abs(ref[k]), 1e-30) {
			t.Fatalf("sample %d: %v, reference %v", k, got, ref[k])
		}
	}
}

// NAAOnRightSide checks the NIfTI-MRS sign convention on a brain or
// phantom spectrum with NAA: the largest magnitude near 2.01 ppm exceeds
// that at its mirror image about the transmitter (7.29 ppm).
func NAAOnRightSide(t testing.TB, d *mrs.Data) {
	t.Helper()
	s := mrs.Spectrum(d.FIDs[0])
	ax := d.PPMAxis(len(s))
	peak := func(lo, hi float64) float64 {
		m := 0.0
		for i, p := range ax {
			if p >= lo && p <= hi {
				m = math.Max(m, cmplx.Abs(s[i]))
			}
		}
		return m
	}
	naa, mirror := peak(1.9, 2.1), peak(7.2, 7.4)
	if !(naa > mirror) {
		t.Errorf("largest magnitude at 1.9–2.1 ppm %.3g, at the mirror 7.2–7.4 ppm %.3g: spectrum reversed?", naa, mirror)
	}
}
