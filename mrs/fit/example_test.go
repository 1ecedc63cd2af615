package fit_test

import (
	"fmt"
	"math/rand/v2"

	"glusleep/mrs"
	"glusleep/mrs/basis"
	"glusleep/mrs/fit"
	"glusleep/mrs/sim"
	"glusleep/synth"
)

// Fit a PRESS TE 30 ms spectrum at 3 T made from a simulated basis (NAA,
// creatine, phosphocreatine, glutamate, glutamine, myo-inositol) with known
// amplitudes, line broadening, shift, phase and noise, and read ratios to
// total creatine with their Cramér–Rao lower bounds.
func ExampleFit() {
	const mhz, dwell, n = 123.2, 1.0 / 2000, 1024
	set, err := basis.Simulate(sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}, mhz, dwell, n,
		[]string{"NAA", "Cr", "PCr", "Glu", "Gln", "Ins"})
	if err != nil {
		fmt.Println(err)
		return
	}
	truth := map[string]float64{"NAA": 10, "Cr": 4.5, "PCr": 3.5, "Glu": 9, "Gln": 3, "Ins": 6}
	data, _, err := synth.Spectrum(synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: dwell,
		Amplitudes: truth, LorentzHz: 3, GaussHz: 4, ShiftHz: 2, Phase0: 10, NoiseSD: 4},
		rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	p := mrs.Params{SpectrometerFrequency: mhz, Dwell: dwell, Nucleus: "1H", EchoTime: 0.03}

	res, err := fit.Fit(data, p, set, fit.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	tcr, _, _ := res.Combination("Cr", "PCr")
	for _, c := range []fit.Combination{{Name: "NAA", Parts: []string{"NAA"}}, {Name: "Glx", Parts: []string{"Glu", "Gln"}}, {Name: "Ins", Parts: []string{"Ins"}}} {
		amp, sd, _ := res.Combination(c.Parts...)
		want := 0.0
		for _, name := range c.Parts {
			want += truth[name]
		}
		fmt.Printf("%s/tCr %.2f (true %.2f); %s CRLB %.0f%%\n", c.Name, amp/tcr, want/(truth["Cr"]+truth["PCr"]), c.Name, 100*sd/amp)
	}
	fmt.Printf("shift %.1f Hz (true 2), zero-order phase %.0f° (true 10)\n", res.ShiftHz[0], res.Phase0)
	// Output:
	// NAA/tCr 1.21 (true 1.25); NAA CRLB 3%
	// Glx/tCr 1.45 (true 1.50); Glx CRLB 4%
	// Ins/tCr 0.73 (true 0.75); Ins CRLB 4%
	// shift 2.0 Hz (true 2), zero-order phase 7° (true 10)
}
