package analysis_test

import (
	"fmt"
	"math"
	"testing"

	"glusleep/mrs/analysis"
)

// The phantom flag parsers accept only finite values in their ranges and
// never panic.
func FuzzParsePhantom(f *testing.F) {
	for _, s := range []string{"", "true", "22", "1.904:acetate", "2.1", ":", "NaN:x", "Inf", "1e308", "-0", "3.0:", "abc:def:ghi"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := analysis.ParsePhantomTemperature(s); err == nil && v != 0 && !(v >= analysis.PhantomMinTempC && v <= analysis.PhantomMaxTempC) {
			t.Errorf("temperature %q accepted as %g", s, v)
		}
		if pk, err := analysis.ParseSinglet(s); err == nil && (math.IsNaN(pk.PPM) || pk.PPM < analysis.SingletMinPPM || pk.PPM > analysis.SingletMaxPPM || pk.Name == "") {
			t.Errorf("singlet %q accepted as %+v", s, pk)
		}
	})
}

// A phantom's known singlet as typed on the command line.
func ExampleParseSinglet() {
	pk, err := analysis.ParseSinglet("1.904:acetate")
	fmt.Println(pk.Name, pk.PPM, err)
	_, err = analysis.ParseSinglet("12")
	fmt.Println(err)
	// Output:
	// acetate 1.904 <nil>
	// "12": want PPM[:NAME] with a shift in ppm from -1 to 10 (e.g. 1.904:acetate)
}

// Tissue fractions as typed on the command line, and one refused.
func ExampleParseFractions() {
	f, err := analysis.ParseFractions("0.6,0.35,0.05")
	fmt.Println(f, err)
	_, err = analysis.ParseFractions("0.6,0.4,0.3")
	fmt.Println(err)
	// Output:
	// [0.6 0.35 0.05] <nil>
	// tissue fractions 0.6,0.4,0.3 sum to 1.3, want 1 ± 0.02 (GM,WM,CSF volume fractions of the voxel)
}
