package preproc

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ChooseReference on synthetic spectra whose true offset is known: the
// peaks are placed off their shifts by off ppm, and the correction must
// move them back; the method, the phantom decision and the temperature
// water implies are checked.
func TestChooseReference(t *testing.T) {
	p := params3T
	const n = 2048
	cases := []struct {
		name     string
		off      float64 // ppm the spectrum is displaced by
		lines    []line
		water    float64 // water's position in the data (ppm), 0 none
		phantom  *Phantom
		method   string
		first    string // first reference peak used
		isPh     bool
		tempC    float64 // expected temperature, 0 unchecked
		tolTempC float64
	}{
		{"brain", 0.08, []line{{2.008, 3, 4, 0.3}, {3.027, 2, 4, 0.3}, {3.185, 1.6, 4, 0.3}, {1.3, 0.5, 20, 0.3}},
			4.65 + 0.08, nil, "metabolites", "NAA", false, 37, 1},
		{"creatine phantom at 20 °C", -0.17, []line{{3.027, 3, 3, 0}, {3.913, 2, 3, 0}, {1.26, 1.5, 3, 0}, {1.37, 1.5, 3, 0}},
			4.65, nil, "metabolites", "Cr CH3", true, 20, 1},
		{"acetate only, declared", -0.17, []line{{1.904, 10, 3, 0}}, 4.65,
			&Phantom{Singlets: []RefPeak{{"acetate", 1.904}}}, "metabolites", "acetate", true, 20, 1},
		{"acetate only, undeclared: water at 37 °C", -0.17, []line{{1.904, 10, 3, 0}}, 4.65,
			nil, "water", "water", false, 0, 0},
		{"nothing but noise", 0, nil, 0, nil, "template", "NAA", false, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 1))
			var ls []line
			for _, l := range c.lines {
				l.ppm += c.off
				ls = append(ls, l)
			}
			fid := synthFID(p, n, ls, 0.02, rng)
			var water []complex128
			if c.water != 0 {
				water = synthFID(p, n, []line{{c.water, 1000, 5, 0}}, 0.02, rng)
			}
			r, err := ChooseReference(fid, p, water, p, c.phantom, 0)
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != c.method || r.Peaks[0].Name != c.first || r.Phantom != c.isPh {
				t.Fatalf("method %s, first peak %s, phantom %v; want %s, %s, %v (%+v)", r.Method, r.Peaks[0].Name, r.Phantom, c.method, c.first, c.isPh, r)
			}
			if c.method == "template" {
				if r.Warning == "" {
					t.Error("template fallback without a warning")
				}
				return
			}
			wantHz := -c.off * p.SpectrometerFrequency
			if c.method == "water" {
				wantHz = 0 // water is where 37 °C puts it
			}
			if math.Abs(r.ShiftHz-wantHz) > 0.01*p.SpectrometerFrequency {
				t.Errorf("shift %.2f Hz, want %.2f Hz", r.ShiftHz, wantHz)
			}
			if c.tempC != 0 && math.Abs(r.TemperatureC-c.tempC) > c.tolTempC {
				t.Errorf("temperature %.1f °C, want %.0f ± %.0f", r.TemperatureC, c.tempC, c.tolTempC)
			}
		})
	}
}

func TestWaterPPM(t *testing.T) {
	for _, c := range []struct{ tempC, ppm float64 }{{37, 4.65}, {20, 4.82}, {25, 4.77}} {
		if got := WaterPPM(c.tempC); math.Abs(got-c.ppm) > 1e-9 {
			t.Errorf("WaterPPM(%g) = %g, want %g", c.tempC, got, c.ppm)
		}
		if got := TemperatureFromWater(c.ppm); math.Abs(got-c.tempC) > 1e-9 {
			t.Errorf("TemperatureFromWater(%g) = %g, want %g", c.ppm, got, c.tempC)
		}
	}
}
