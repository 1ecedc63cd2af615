package legs

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// envelopeOf builds a piecewise-constant envelope at rate Hz: level v from
// each segment's start (s) to the next's.
func envelopeOf(rate float64, total float64, segs ...[2]float64) []float64 {
	n := int(math.Round(total * rate))
	env := make([]float64, n)
	for k, s := range segs {
		end := total
		if k+1 < len(segs) {
			end = segs[k+1][0]
		}
		for i := int(math.Round(s[0] * rate)); i < int(math.Round(end*rate)) && i < n; i++ {
			env[i] = s[1]
		}
	}
	return env
}

// The amplitude and timing thresholds of LM detection on closed-form
// envelopes (rest 0 µV, 100 Hz): onset at 8 µV, offset at the start of
// 0.5 s below 2 µV.
func TestDetectThresholds(t *testing.T) {
	p := DefaultParams(WASM2016)
	cases := []struct {
		name     string
		segs     [][2]float64
		on, off  []float64
		nDetect  int
		peak     float64
		baseline float64
	}{
		{"8 µV starts an LM", [][2]float64{{0, 0}, {10, 8}, {12, 0}}, []float64{10}, []float64{12}, 1, 8, 0},
		{"7.99 µV does not", [][2]float64{{0, 0}, {10, 7.99}, {12, 0}}, nil, nil, 0, 0, 0},
		{"below 2 µV for 0.5 s ends it", [][2]float64{{0, 0}, {10, 20}, {11, 1.99}, {11.5, 20}, {12, 0}}, []float64{10, 11.5}, []float64{11, 12}, 2, 20, 0},
		{"below 2 µV for 0.49 s does not", [][2]float64{{0, 0}, {10, 20}, {11, 1.99}, {11.49, 20}, {12, 0}}, []float64{10}, []float64{12}, 1, 20, 0},
		{"2 µV is not below 2 µV", [][2]float64{{0, 0}, {10, 20}, {11, 2}, {13, 0}}, []float64{10}, []float64{13}, 1, 20, 0},
		{"thresholds are above the resting level", [][2]float64{{0, 5}, {10, 13}, {12, 5}}, []float64{10}, []float64{12}, 1, 8, 5},
		{"resting 5 µV: 12.9 µV is not 8 above", [][2]float64{{0, 5}, {10, 12.9}, {12, 5}}, nil, nil, 0, 0, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := envelopeOf(100, 30, c.segs...)
			base := make([]float64, len(env))
			for i := range base {
				base[i] = c.baseline
			}
			got := Detect(env, base, 100, p)
			if len(got) != c.nDetect {
				t.Fatalf("%d LMs %+v, want %d", len(got), got, c.nDetect)
			}
			for k := range got {
				if math.Abs(got[k].Onset-c.on[k]) > 1e-9 || math.Abs(got[k].Offset-c.off[k]) > 1e-9 {
					t.Errorf("LM %d: %g–%g s, want %g–%g", k, got[k].Onset, got[k].Offset, c.on[k], c.off[k])
				}
			}
			if c.nDetect > 0 && math.Abs(got[0].PeakUV-c.peak) > 1e-9 {
				t.Errorf("peak %g, want %g", got[0].PeakUV, c.peak)
			}
		})
	}
}

// The envelope of a sinusoid well inside the pass band is its mean
// rectified value, 2A/π; a 50 Hz hum is notched out; the baseline of
// Gaussian noise with brief bursts is the noise's envelope level.
func TestEnvelopeAndBaseline(t *testing.T) {
	p := DefaultParams(WASM2016)
	const rate = 256.0
	x := make([]float64, int(120*rate))
	for i := range x {
		x[i] = 10 * math.Sin(2*math.Pi*40*float64(i)/rate)
	}
	env, _ := Envelope(x, rate, p)
	mid := env[len(env)/2]
	if math.Abs(mid-20/math.Pi) > 0.2 {
		t.Errorf("envelope of a 10 µV 40 Hz sine %g, want 2A/π = %.3f", mid, 20/math.Pi)
	}
	hum := make([]float64, len(x))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range hum {
		hum[i] = 20*math.Sin(2*math.Pi*50*float64(i)/rate) + rng.NormFloat64()
	}
	if m := mainsHz(hum, rate); m != 50 {
		t.Fatalf("mains %g Hz, want 50", m)
	}
	envH, _ := Envelope(hum, rate, p)
	// White noise of SD 1 band-passed 10–100 Hz of 128 Hz keeps about
	// √(90/128) of its SD; mean rectified ≈ 0.8·SD ≈ 0.67 µV. The 20 µV hum
	// alone would give 12.7 µV.
	if v := envH[len(envH)/2]; v > 1.5 {
		t.Errorf("envelope with notched hum %g µV, want under 1.5", v)
	}
	noise := make([]float64, len(x))
	for i := range noise {
		noise[i] = rng.NormFloat64()
	}
	for b := 0; b < 10; b++ { // 10 bursts of 2 s in 120 s
		s := int((5 + 12*float64(b)) * rate)
		for i := s; i < s+int(2*rate); i++ {
			noise[i] += 40 * rng.NormFloat64()
		}
	}
	envN, er := Envelope(noise, rate, p)
	if er != 64 {
		t.Errorf("envelope rate %g Hz, want 64", er)
	}
	base := Baseline(envN, er, p)
	if v := base[len(base)/2]; v < 0.5 || v > 0.9 {
		t.Errorf("baseline %g µV, want the noise envelope ≈ 0.67", v)
	}
	if got := Detect(envN, base, er, p); len(got) != 10 {
		t.Errorf("%d bursts detected, want 10", len(got))
	}
}

// A channel slower than the standard's minimum is scored with a warning;
// a missing left channel and a zero rate are errors.
func TestScoreEMGRateWarning(t *testing.T) {
	x := make([]float64, 100*600)
	res, err := ScoreEMG(&Channel{Label: "Leg L", Samples: x, Rate: 100}, nil, nil, DefaultParams(AASM))
	if err != nil {
		t.Fatal(err)
	}
	joined := ""
	for _, w := range res.Warnings {
		joined += w + "\n"
	}
	if !strings.Contains(joined, `"Leg L" is sampled at 100 Hz, below the 200 Hz`) || !strings.Contains(joined, "one leg only") {
		t.Errorf("warnings %q", joined)
	}
	if _, err := ScoreEMG(nil, nil, nil, DefaultParams(AASM)); err == nil {
		t.Error("no channel accepted")
	}
	if _, err := ScoreEMG(&Channel{Label: "x", Samples: x}, nil, nil, DefaultParams(AASM)); err == nil {
		t.Error("zero rate accepted")
	}
}
