package fit

import (
	"math"
	"testing"
)

// The baseline stiffness: the stiffest candidate within ΔAIC 2 of the
// lowest (Burnham and Anderson's "substantial support"). The first three
// rows are criteria (relative to ED 1 per ppm) at ED 1, 1.5, 2 and 3 per
// ppm that LCModel's regression spectrum gave during this work, with the
// criterion then scored on both parts of the spectrum.
func TestParsimonious(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		aic  []float64
		want int
	}{
		{[]float64{0, -11.8, -11.0, 20}, 1},        // the lowest is the stiffest within 2
		{[]float64{0, -26.6, -28.1, 5.4}, 1},       // 1.5 above the lowest: the stiffer
		{[]float64{0, -57.6, -69.4, -40.7}, 2},     // 11.8 apart: the lowest
		{[]float64{inf, -3, -4.9, -5, -1}, 1},      // the first finite within 2
		{[]float64{inf, inf}, -1},                  // none finite
		{[]float64{math.NaN(), -3, -1}, 1},         // a NaN (failed candidate) is not the best
		{[]float64{math.NaN(), math.NaN()}, -1},    // none finite
		{[]float64{-1000, -1392, -1810, -2031}, 3}, // the most flexible when best by far
	} {
		if got := parsimonious(c.aic); got != c.want {
			t.Errorf("parsimonious(%v) = %d, want %d", c.aic, got, c.want)
		}
	}
}
