package results_test

import (
	"fmt"

	"glusleep/mrs/results"
)

// Read LCModel's table of a spectrum and report ratios to tCr under
// glusleep's names (LCModel's GPC+PCh is tCho).
func ExampleReadFile() {
	rs, err := results.ReadFile("testdata/sub01.table")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rs[0]
	fmt.Printf("%s: Glx/tCr %.3f, tCho/tCr %.3f, S/N %.0f\n", r.Tool, r.Ratio("Glx"), r.Ratio("tCho"), r.SNR)
	// Output: LCModel: Glx/tCr 1.393, tCho/tCr 0.183, S/N 40
}
