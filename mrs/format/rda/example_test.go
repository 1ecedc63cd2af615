package rda_test

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"glusleep/mrs/format/rda"
)

// rdaFile builds a small single-voxel RDA export: the text header Siemens
// writes (times in ms, dwell in µs, frequency in MHz) and the FID as
// little-endian float64 (real, imaginary) pairs.
func rdaFile(fid []complex128) []byte {
	var b bytes.Buffer
	b.WriteString(">>> Begin of header <<<\r\n")
	b.WriteString("SequenceName: svs_se\r\n")
	b.WriteString("TE: 30.000000\r\nTR: 1500.000000\r\n")
	b.WriteString("MRFrequency: 123.255489\r\nMagneticFieldStrength: 2.893620\r\n")
	b.WriteString("Nucleus: 1H\r\nDwellTime: 500\r\n")
	fmt.Fprintf(&b, "VectorSize: %d\r\n", len(fid))
	b.WriteString("VOIReadoutFOV: 20\r\nVOIPhaseFOV: 20\r\nVOIThickness: 20\r\n")
	b.WriteString(">>> End of header <<<\r\n")
	for _, v := range fid {
		binary.Write(&b, binary.LittleEndian, [2]float64{real(v), imag(v)})
	}
	return b.Bytes()
}

// Read an RDA export: the parameters come back in glusleep's units (MHz,
// dwell and TE in seconds) and the FID in the NIfTI-MRS sign convention,
// the conjugate of what Siemens stores.
func ExampleRead() {
	b := rdaFile([]complex128{4 + 1i, 2 + 0.5i, 1 + 0.25i, 0.5 + 0.125i})
	d, err := rda.Read(b, "sub-01_svs.rda")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s %s at %.6f MHz (%.1f T)\n", d.Vendor, d.Sequence, d.SpectrometerFrequency, d.FieldStrength)
	fmt.Printf("dwell %g s (%g Hz), TE %g s, TR %g s\n", d.Dwell, d.Bandwidth(), d.EchoTime, d.RepetitionTime)
	fmt.Printf("%d FID of %d points, voxel %g mL\n", len(d.FIDs), d.Points(), d.Voxel.Volume())
	fmt.Println(d.FIDs[0])
	// Output:
	// Siemens svs_se at 123.255489 MHz (2.9 T)
	// dwell 0.0005 s (2000 Hz), TE 0.03 s, TR 1.5 s
	// 1 FID of 4 points, voxel 8 mL
	// [(4-1i) (2-0.5i) (1-0.25i) (0.5-0.125i)]
}

// A file cut short in its data is refused with an error that names the
// file and says how many bytes the header's VectorSize needs.
func ExampleRead_truncated() {
	b := rdaFile([]complex128{4 + 1i, 2 + 0.5i, 1 + 0.25i, 0.5 + 0.125i})
	_, err := rda.Read(b[:len(b)-20], "sub-01_svs.rda")
	fmt.Println(err)
	// Output:
	// rda: not a valid Siemens RDA file: sub-01_svs.rda: data: 44 bytes after the header, VectorSize 4 needs 64 (truncated?)
}
