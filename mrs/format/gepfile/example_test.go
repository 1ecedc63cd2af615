package gepfile_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"glusleep/mrs/format/gepfile"
)

// pfile builds a revision 9 P-file of one receiver: the 61464-byte header
// with the fields Read uses at their revision 9 offsets, then the int32
// (real, imaginary) samples of a baseline frame (zeros) and of each frame.
// The first water frames of the file are the water reference (rhuser19);
// psd is the pulse sequence's name.
func pfile(frames [][]complex128, water int, psd string) []byte {
	h := make([]byte, 61464)
	le := binary.LittleEndian
	le.PutUint32(h[0:], math.Float32bits(9))                     // header revision
	le.PutUint16(h[74:], uint16(len(frames)))                    // frames
	le.PutUint16(h[80:], uint16(len(frames[0])))                 // points per frame
	le.PutUint16(h[82:], 4)                                      // bytes per sample part (int32)
	le.PutUint32(h[216+4*19:], math.Float32bits(float32(water))) // rhuser19: water frames
	le.PutUint32(h[368:], math.Float32bits(2500))                // spectral width, Hz
	le.PutUint32(h[424:], 638726220)                             // transmitter frequency, 0.1 Hz
	le.PutUint32(h[60128:], 2000000)                             // TR, µs
	le.PutUint32(h[60136:], 30000)                               // TE, µs
	copy(h[60248:60280], psd)                                    // psdname
	for k, mm := range []float32{20, 20, 20, 0, -10, 5} {        // opuser8–13: voxel size and centre, mm
		le.PutUint32(h[60384+4*k:], math.Float32bits(mm))
	}
	b := append(h, make([]byte, 8*len(frames[0]))...) // baseline frame
	for _, fid := range frames {
		for _, v := range fid {
			b = le.AppendUint32(b, uint32(int32(real(v))))
			b = le.AppendUint32(b, uint32(int32(imag(v))))
		}
	}
	return b
}

// Read a PROBE-P P-file with one water frame and two water-suppressed
// frames. The FIDs come back conjugated into the NIfTI-MRS convention;
// Data arranges the suppressed frames along DIM_DYN for preprocessing.
func ExampleRead() {
	b := pfile([][]complex128{
		{9000 + 3000i, 4000 - 1000i, 2000 + 250i, 1000 + 500i}, // water
		{300 + 100i, 200, 100 - 50i, 50},
		{310 + 90i, 190, 110 - 40i, 40},
	}, 1, "PROBE-P")
	f, err := gepfile.Read(bytes.NewReader(b), int64(len(b)), "P12345.7")
	if err != nil {
		fmt.Println(err)
		return
	}
	p := f.Params
	fmt.Printf("revision %g, %s %s, %.7f MHz (%g T)\n", f.Revision, p.Vendor, p.Sequence, p.SpectrometerFrequency, p.FieldStrength)
	fmt.Printf("dwell %g s, TE %g s, TR %g s, voxel %g mL\n", p.Dwell, p.EchoTime, p.RepetitionTime, p.Voxel.Volume())
	fmt.Printf("%d receiver: %d water and %d suppressed frames\n", f.Receivers, len(f.Water[0]), len(f.Metab[0]))
	fmt.Println("water", f.Water[0][0])
	d := f.Data(true)
	fmt.Println(len(d.FIDs), "FIDs of", d.Points(), "points, dims", d.Dims)
	// Output:
	// revision 9, GE PRESS, 63.8726220 MHz (1.5 T)
	// dwell 0.0004 s, TE 0.03 s, TR 2 s, voxel 8 mL
	// 1 receiver: 1 water and 2 suppressed frames
	// water [(9000-3000i) (4000+1000i) (2000-250i) (1000-500i)]
	// 2 FIDs of 4 points, dims [{DIM_DYN 2}]
}

// A P-file shorter than its header declares is refused, naming the file
// and the sizes.
func ExampleRead_truncated() {
	b := pfile([][]complex128{{1, 2, 3, 4}, {5, 6, 7, 8}}, 1, "PROBE-P")
	b = b[:len(b)-16]
	_, err := gepfile.Read(bytes.NewReader(b), int64(len(b)), "P12345.7")
	fmt.Println(err)
	// Output:
	// gepfile: not a readable GE P-file: P12345.7: data are 80 bytes, 1 receiver × (1 baseline + 2 frames) × 4 points need 96
}

// The sequence comes from the header's pulse-sequence name: PROBE-S is
// STEAM, whose mixing time GE does not record (AssumedMixingTime); an
// unknown name is assumed PRESS.
func ExampleRead_sequence() {
	for _, psd := range []string{"PROBE-P", "PROBE-S", "myseq"} {
		b := pfile([][]complex128{{1, 2, 3, 4}, {5, 6, 7, 8}}, 1, psd)
		f, err := gepfile.Read(bytes.NewReader(b), int64(len(b)), "P12345.7")
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %s (assumed %v), TM %g ms (assumed %v)\n", f.PSDName, f.Params.Sequence, f.SequenceAssumed,
			1000*f.Params.MixingTime, f.MixingTimeAssumed)
	}
	// Output:
	// PROBE-P: PRESS (assumed false), TM 0 ms (assumed false)
	// PROBE-S: STEAM (assumed false), TM 12 ms (assumed true)
	// myseq: PRESS (assumed true), TM 0 ms (assumed false)
}
