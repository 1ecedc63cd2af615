package preproc_test

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/preproc"
	"glusleep/plot"
	"glusleep/synth"
)

// The preprocessing figure marks the motion-spoiled transients planted the
// way the demo plants them (synth.AcquisitionSpec.Corrupt: one transient
// scaled, broadened and rotated), numbered as in the QC JSON, and no
// transient of a clean acquisition.
func TestFiguresMarkPlantedSpoiledTransients(t *testing.T) {
	p := mrs.Params{SpectrometerFrequency: 63.9, Dwell: 1.0 / 2000, Nucleus: "1H"}
	clean := make([]complex128, 2048)
	for k := range clean {
		tt := float64(k) * p.Dwell
		for _, l := range []struct{ ppm, amp float64 }{{2.008, 3}, {3.027, 2}, {3.185, 2}, {2.35, 0.6}, {3.75, 0.5}} {
			hz := (l.ppm - 4.65) * p.SpectrometerFrequency
			clean[k] += complex(l.amp*math.Exp(-math.Pi*4*tt), 0) * cmplx.Rect(1, 2*math.Pi*hz*tt)
		}
	}
	for _, corrupt := range [][]int{nil, {5}, {14}} {
		rng := rand.New(rand.NewPCG(3, uint64(len(corrupt))+7))
		data, truth, err := synth.Acquisition(clean, p, synth.AcquisitionSpec{Transients: 16, NoiseSD: 0.2, DriftHz: 3, JitterHz: 0.4, JitterRad: 0.08,
			WaterAmplitude: 30, WaterLorentzHz: 6, Corrupt: corrupt}, rng)
		if err != nil {
			t.Fatal(err)
		}
		res, err := preproc.Run(data, nil, preproc.Options{})
		if err != nil {
			t.Fatal(err)
		}
		figs := res.Figures("sub-04_svs")
		if len(figs) != 5 {
			t.Fatalf("%d panels, want frequency, phase, before, after, final", len(figs))
		}
		svg := plot.Stack(figs...)
		if probs, err := plot.Check(svg, 12); err != nil || len(probs) > 0 {
			t.Errorf("corrupt %v: %v %q", corrupt, err, probs)
		}
		for _, c := range truth.Corrupt {
			if !strings.Contains(svg, fmt.Sprintf(">#%d rejected<", c)) {
				t.Errorf("planted spoiled transient %d not marked (rejected %v)", c, res.Alignments[0].Rejected)
			}
		}
		if got := strings.Count(svg, " rejected</text>"); got != len(truth.Corrupt) {
			t.Errorf("corrupt %v: %d transients marked rejected", corrupt, got)
		}
		for _, want := range []string{"frequency shift (Hz)", "phase (degrees)", "before alignment", "after alignment", "SNR"} {
			if !strings.Contains(svg, want) {
				t.Errorf("figure lacks %q", want)
			}
		}
	}
}
