package lcmodel_test

import (
	"bytes"
	"fmt"

	"glusleep/mrs"
	"glusleep/mrs/format/lcmodel"
)

// Write a four-point FID as an LCModel .RAW file and read it back: the
// header's namelists and the samples (NIfTI-MRS convention both ways).
func Example() {
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.0005, EchoTime: 0.030}
	fid := []complex128{1 + 2i, 0.5 - 1i, 0.25, -0.125i}
	var b bytes.Buffer
	if err := lcmodel.Write(&b, "sub-01", p, fid); err != nil {
		fmt.Println(err)
		return
	}
	f, err := lcmodel.Read(&b, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, nl := range f.Namelists {
		if i > 0 {
			fmt.Print(" ")
		}
		fmt.Print(nl.Name)
	}
	fmt.Println()
	fmt.Println(f.FID)
	// Output:
	// SEQPAR NMID
	// [(1+2i) (0.5-1i) (0.25+0i) (0-0.125i)]
}
