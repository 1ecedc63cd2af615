package analysis_test

import (
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
