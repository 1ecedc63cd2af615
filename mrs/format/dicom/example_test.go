package dicom_test

import (
	"encoding/binary"
	"fmt"
	"math"

	"glusleep/mrs/format/dicom"
)

// element encodes one explicit-VR little-endian DICOM attribute, its value
// padded to an even length.
func element(group, elem uint16, vr string, value []byte) []byte {
	if len(value)%2 == 1 {
		pad := byte(' ')
		if vr == "UI" {
			pad = 0
		}
		value = append(value, pad)
	}
	b := binary.LittleEndian.AppendUint16(nil, group)
	b = binary.LittleEndian.AppendUint16(b, elem)
	b = append(b, vr...)
	switch vr {
	case "OB", "OF", "SQ", "UN", "UT":
		b = append(b, 0, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(value)))
	default:
		b = binary.LittleEndian.AppendUint16(b, uint16(len(value)))
	}
	return append(b, value...)
}

func fd(v float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)) }

// spectroscopyFile builds a minimal MR Spectroscopy Storage file: the
// 128-byte preamble, "DICM", the transfer syntax, the attributes Read
// needs (Transmitter Frequency in MHz, Spectral Width in Hz, Data Point
// Columns) and some it reports (times in ms), and the FID as float32
// (real, imaginary) pairs in Spectroscopy Data.
func spectroscopyFile(fid []complex128) []byte {
	b := append(make([]byte, 128), "DICM"...)
	// Transfer Syntax: explicit VR little endian; SOP Class: MR Spectroscopy Storage.
	b = append(b, element(0x0002, 0x0010, "UI", []byte("1.2.840.10008.1.2.1"))...)
	b = append(b, element(0x0008, 0x0016, "UI", []byte("1.2.840.10008.5.1.4.1.1.4.2"))...)
	b = append(b, element(0x0008, 0x0070, "LO", []byte("Philips"))...) // Manufacturer
	b = append(b, element(0x0018, 0x0080, "DS", []byte("2000"))...)    // Repetition Time, ms
	b = append(b, element(0x0018, 0x0087, "DS", []byte("3"))...)       // Magnetic Field Strength, T
	b = append(b, element(0x0018, 0x9052, "FD", fd(2000))...)          // Spectral Width, Hz
	b = append(b, element(0x0018, 0x9082, "FD", fd(30))...)            // Effective Echo Time, ms
	b = append(b, element(0x0018, 0x9098, "FD", fd(127.786142))...)    // Transmitter Frequency, MHz
	b = append(b, element(0x0018, 0x9100, "CS", []byte("1H"))...)      // Resonant Nucleus
	cols := binary.LittleEndian.AppendUint32(nil, uint32(len(fid)))
	b = append(b, element(0x0028, 0x9002, "UL", cols)...) // Data Point Columns
	var data []byte
	for _, v := range fid {
		data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(real(v))))
		data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(imag(v))))
	}
	return append(b, element(0x5600, 0x0020, "OF", data)...)
}

// Read a DICOM MR Spectroscopy Storage object. A Philips object holds the
// FID in the NIfTI-MRS sign convention already, so it is read as stored
// (a Siemens one would be conjugated).
func ExampleRead() {
	b := spectroscopyFile([]complex128{1 + 0.5i, 0.5 - 0.25i, 0.25 + 0.125i, -0.125i})
	d, err := dicom.Read(b, "sub-01_svs.dcm")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s, %s at %g MHz (%g T)\n", d.Vendor, d.Nucleus, d.SpectrometerFrequency, d.FieldStrength)
	fmt.Printf("dwell %g s, TE %g s, TR %g s, %d points\n", d.Dwell, d.EchoTime, d.RepetitionTime, d.Points())
	fmt.Println(d.FIDs[0])
	// Output:
	// Philips, 1H at 127.786142 MHz (3 T)
	// dwell 0.0005 s, TE 0.03 s, TR 2 s, 4 points
	// [(1+0.5i) (0.5-0.25i) (0.25+0.125i) (0-0.125i)]
}

// A file cut short inside its spectroscopy data is refused with the byte
// offset and the attribute that runs past the end.
func ExampleRead_truncated() {
	b := spectroscopyFile([]complex128{1 + 0.5i, 0.5 - 0.25i, 0.25 + 0.125i, -0.125i})
	_, err := dicom.Read(b[:len(b)-8], "sub-01_svs.dcm")
	fmt.Println(err)
	// Output:
	// dicom: not readable DICOM spectroscopy: sub-01_svs.dcm: byte 316: element (5600,0020) of 32 bytes runs past the end (340)
}
