package analysis_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
)

// A fit whose creatine was fitted as 0: _fit.tsv says it was not
// detected and writes no ratio to it as a number.
func ExampleFitTSV() {
	res := &fit.Result{Names: []string{"Cr", "PCr", "Lac"}, Amplitudes: []float64{0, 0, 5}, SD: []float64{0.2, 0.3, 0.25},
		Cov: mat.NewSymDense(3, []float64{0.04, 0, 0, 0, 0.09, 0, 0, 0, 0.0625})}
	rows := analysis.FitRows(res, math.NaN()) // NaN: not water-scaled
	fmt.Print(string(analysis.FitTSV(rows, false)))
	// Output:
	// metabolite	amplitude	crlb_percent	ratio_tcr	detection
	// Cr	0	n/a	n/a	not_detected
	// PCr	0	n/a	n/a	not_detected
	// Lac	5	5	n/a	detected
	// tCr	0	n/a	n/a	not_detected
}
