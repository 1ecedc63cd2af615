package philips_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"glusleep/mrs/format/philips"
)

// A SPAR file's parameters as Philips writes them: frequencies in Hz,
// times in ms, sizes in mm; "!" lines are comments.
const spar = `!-------------------------------------------------
! Spectroscopy parameters
!-------------------------------------------------
scan_id : PRESS_te30
synthesizer_frequency : 127786142
sample_frequency : 2000
samples : 4
rows : 2
echo_time : 30
repetition_time : 2000
nucleus : 1H
lr_size : 20
ap_size : 20
cc_size : 15
`

// sdat encodes samples as an SDAT file: VAX F-floating (real, imaginary)
// pairs. A VAX F-float of v has the bits of the IEEE float32 of 4·v with
// its two 16-bit halves swapped.
func sdat(samples []complex128) []byte {
	var b []byte
	for _, c := range samples {
		for _, v := range []float64{real(c), imag(c)} {
			bits := math.Float32bits(float32(4 * v))
			b = binary.LittleEndian.AppendUint16(b, uint16(bits>>16))
			b = binary.LittleEndian.AppendUint16(b, uint16(bits))
		}
	}
	return b
}

// Read an SDAT file and the SPAR file beside it: two rows (transients) of
// four points, with the acquisition parameters in glusleep's units.
func ExampleReadFile() {
	dir, err := os.MkdirTemp("", "philips-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	samples := []complex128{1 + 0.5i, 0.5 - 0.25i, 0.25, -0.125i, 2, 1i, -1, 0.5 + 0.5i}
	os.WriteFile(filepath.Join(dir, "sub-01_press.SPAR"), []byte(spar), 0o644)
	os.WriteFile(filepath.Join(dir, "sub-01_press.SDAT"), sdat(samples), 0o644)

	d, err := philips.ReadFile(filepath.Join(dir, "sub-01_press.SDAT"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %s, %g MHz, dwell %g s, TE %g s, TR %g s\n", d.Vendor, d.Sequence, d.SpectrometerFrequency, d.Dwell, d.EchoTime, d.RepetitionTime)
	fmt.Printf("%d FIDs of %d points along %s, voxel %g mL\n", len(d.FIDs), d.Points(), d.Dims[0].Tag, d.Voxel.Volume())
	fmt.Println(d.FIDs[0])
	fmt.Println(d.FIDs[1])
	// Output:
	// Philips PRESS_te30, 127.786142 MHz, dwell 0.0005 s, TE 0.03 s, TR 2 s
	// 2 FIDs of 4 points along DIM_DYN, voxel 6 mL
	// [(1+0.5i) (0.5-0.25i) (0.25+0i) (0-0.125i)]
	// [(2+0i) (0+1i) (-1+0i) (0.5+0.5i)]
}

// An SDAT file whose size does not match the SPAR's samples × rows is
// refused, naming the file.
func ExampleRead_size() {
	b := sdat([]complex128{1, 2, 3, 4, 5, 6, 7})
	_, err := philips.Read([]byte(spar), b, "sub-01_press.SPAR", "sub-01_press.SDAT")
	fmt.Println(err)
	// Output:
	// philips: not valid SPAR/SDAT: sub-01_press.SDAT: size: 56 bytes, SPAR's 4 samples × 2 rows need 64
}

// ParseSPAR returns the SPAR's fields as written, for those Read does not
// interpret.
func ExampleParseSPAR() {
	f := philips.ParseSPAR([]byte(spar))
	fmt.Println(f["scan_id"], f["cc_size"], len(f))
	// Output: PRESS_te30 15 11
}
