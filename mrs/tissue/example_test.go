package tissue_test

import (
	"fmt"
	"os"
	"path/filepath"

	"glusleep/mrs"
	"glusleep/mrs/fit"
	"glusleep/mrs/tissue"
	"glusleep/synth"
)

// Measure the tissue fractions of a 20 mm voxel on a segmentation (here a
// synthetic one; in a study ReadFAST, ReadSPM or ReadLabels reads it) and
// use them in the water scaling.
func ExampleMeasure() {
	l, _ := synth.LayeredSegmentation(synth.LayeredSpec{Dims: [3]int{60, 60, 60}, SpacingMM: [3]float64{1, 1, 1},
		OriginMM: [3]float64{-30, -30, -30}, CSFToGM: -6, GMToWM: 4})
	seg, _ := tissue.NewSegmentation(l.GM, l.WM, l.CSF, "synthetic")
	vox := mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{0, 0, 0}, Frame: "RAS"}
	f, err := tissue.Measure(seg, vox)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("GM %.3f WM %.3f CSF %.3f\n", f.GM, f.WM, f.CSF)
	tis, _ := fit.Tissue{}.WithFractions(f.GM, f.WM, f.CSF, f.Source)
	ws, _ := fit.WaterScale(1000, 1, 0.030, 2, tis)
	fmt.Printf("%s fractions: relaxation-weighted water %.1f M\n", ws.Tissue.FractionsFrom, ws.WaterConcMM/1000)
	// Output:
	// GM 0.500 WM 0.300 CSF 0.200
	// synthetic fractions: relaxation-weighted water 21.1 M
}

// Find FSL FAST's three partial-volume maps and the T1 beside them from
// any one map (fsl_anat's names here).
func ExampleDetect() {
	dir, _ := os.MkdirTemp("", "detect")
	defer os.RemoveAll(dir)
	l, _ := synth.LayeredSegmentation(synth.LayeredSpec{Dims: [3]int{8, 8, 8}, SpacingMM: [3]float64{1, 1, 1}, CSFToGM: 2, GMToWM: 5})
	for name, v := range map[string]*tissue.Volume{"T1_fast_pve_0.nii.gz": l.CSF, "T1_fast_pve_1.nii.gz": l.GM, "T1_fast_pve_2.nii.gz": l.WM, "T1_fast.nii.gz": l.T1} {
		tissue.WriteVolume(filepath.Join(dir, name), v)
	}
	f, err := tissue.Detect(filepath.Join(dir, "T1_fast_pve_2.nii.gz"), "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Source(), filepath.Base(f.GM), filepath.Base(f.WM), filepath.Base(f.CSF), filepath.Base(f.T1))
	// Output:
	// FSL FAST T1_fast_pve_1.nii.gz T1_fast_pve_2.nii.gz T1_fast_pve_0.nii.gz T1_fast.nii.gz
}
