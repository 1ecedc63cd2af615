package stats

import (
	"errors"
	"math"
	"testing"
)

// A NaN or infinite effect size or SD is refused, not bisected into a
// sample size between 2 and 4.
func TestPowerRefusesNonFinite(t *testing.T) {
	for _, o := range []PowerTOptions{{Delta: math.NaN()}, {Delta: math.Inf(1)}, {Delta: 0.5, SD: math.Inf(1)}} {
		if n, err := SampleSizeTTest(o, 0.8); !errors.Is(err, ErrInput) {
			t.Errorf("%+v: n = %g, err = %v; want ErrInput", o, n, err)
		}
	}
}
