package preproc

import (
	"math"
	"math/rand/v2"
	"testing"
)

// MeasureSNR on singlets of known amplitude A and width Δ in white noise of
// SD σ per FID component: the DFT apex is A/(1 − e^{−πΔ·dwell}) (the
// geometric sum) and the spectral noise SD is σ·√n, which gives the
// expected SNR in closed form. A spectrum without NAA is measured on tCr,
// never 0.
func TestMeasureSNR(t *testing.T) {
	p := params3T
	const n, sd = 2048, 0.05
	cases := []struct {
		name  string
		lines []line
		peak  string
		amp   float64
	}{
		{"brain", []line{{2.008, 1.5, 4, 0.7}, {3.027, 1, 4, 0.7}}, "NAA", 1.5},
		{"no NAA", []line{{3.027, 1, 4, -1}, {1.31, 0.5, 4, -1}}, "tCr", 1},
	}
	for _, c := range cases {
		fid := synthFID(p, n, c.lines, sd, rand.New(rand.NewPCG(3, 4)))
		s, err := MeasureSNR(fid, p)
		if err != nil {
			t.Fatal(err)
		}
		want := c.amp / (1 - math.Exp(-math.Pi*4*p.Dwell)) / (sd * math.Sqrt(n))
		if s.Peak != c.peak || math.Abs(s.Value/want-1) > 0.1 || s.Formula != SNRFormula {
			t.Errorf("%s: SNR %.1f on %s, want %.1f on %s", c.name, s.Value, s.Peak, want, c.peak)
		}
	}
}
