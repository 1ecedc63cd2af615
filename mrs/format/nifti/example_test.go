package nifti_test

import (
	"fmt"

	"glusleep/mrs"
	"glusleep/mrs/format/nifti"
)

// A voxel given in DICOM's LPS patient coordinates (as Siemens and GE
// DICOM state it) becomes a RAS+ affine in the NIfTI-MRS header: x and y
// change sign.
func ExampleDefaultHeader() {
	d := &mrs.Data{Params: mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025,
		Voxel: mrs.Voxel{Size: [3]float64{20, 25, 15}, Centre: [3]float64{10, -20, 30}, Frame: "LPS"}},
		FIDs: [][]complex128{{1, 0.5, 0.25, 0.125}}}
	h := nifti.DefaultHeader(d)
	fmt.Println(h.IntentName)
	for _, row := range h.Affine() {
		fmt.Println(row)
	}
	// Output:
	// mrs_v0_9
	// [-20 0 0 -10]
	// [0 -25 0 20]
	// [0 0 15 30]
}
