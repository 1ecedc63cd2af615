package synth_test

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"

	"glusleep/mrs"
	"glusleep/psg/sleep"
	"glusleep/synth"
)

// Make a two-hour synthetic night and check its truth with psg/sleep: the
// hypnogram has exactly the requested sleep onset latency and WASO. The
// signals, in µV, are sampled at Samples Hz (one-second EDF records).
func ExampleNewNight() {
	n, err := synth.NewNight(synth.NightSpec{Seed: 1, InBedHours: 2, WASOMinutes: 10, EEGRate: 16})
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := sleep.Compute(n.Hypnogram, sleep.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("lights off %g s, on %g s\n", n.LightsOff, n.LightsOn)
	fmt.Printf("TIB %g min, SOL %g min, WASO %g min, final wake %g min\n", st.TIB, st.SOL, st.WASO, st.WakeAfterFinalAwakening)
	for _, s := range n.Signals {
		fmt.Printf("%s %d Hz\n", s.Label, s.Samples)
	}
	// Output:
	// lights off 600 s, on 7800 s
	// TIB 120 min, SOL 15 min, WASO 10 min, final wake 5 min
	// EEG C3-M2 16 Hz
	// EOG E1-M2 8 Hz
	// EMG Chin 8 Hz
	// Leg L 16 Hz
	// Leg R 16 Hz
}

// A noiseless spectrum of one singlet basis FID (all ones) is the closed
// form a·exp(−π·L·t + i(2π·s·t + φ0)): at t = 0 the amplitude 2 turned by
// the 90° phase.
func ExampleSpectrum() {
	basis := make([]complex128, 128)
	for i := range basis {
		basis[i] = 1
	}
	fid, truth, err := synth.Spectrum(synth.SpectrumSpec{
		Names: []string{"S"}, Basis: [][]complex128{basis}, Dwell: 0.001,
		Amplitudes: map[string]float64{"S": 2}, LorentzHz: 5, ShiftHz: 10, Phase0: 90,
	}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f\n", fid[0])
	fmt.Printf("|FID| at 0.1 s: %.4f, closed form %.4f\n", cmplx.Abs(fid[100]), 2*math.Exp(-math.Pi*5*0.1))
	fmt.Println(truth.Amplitudes, truth.LorentzHz, "Hz")
	// Output:
	// (0.000+2.000i)
	// |FID| at 0.1 s: 0.4158, closed form 0.4158
	// map[S:2] 5 Hz
}

// Turn a clean FID into the transients a scanner stores: a linear drift
// of 4 Hz from the first transient to the last, centred on zero, and no
// jitter or noise; the truth records each transient's shift.
func ExampleAcquisition() {
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.0005}
	clean := []complex128{1, 0.5, 0.25, 0.125}
	d, truth, err := synth.Acquisition(clean, p, synth.AcquisitionSpec{Transients: 5, DriftHz: 4}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(d.FIDs), "transients along", d.Dims)
	fmt.Println("shift Hz", truth.Hz)
	// Output:
	// 5 transients along [{DIM_DYN 5}]
	// shift Hz [-2 -1 0 1 2]
}

// A cohort in the shape of the study: patients first, then controls, then
// the screen failures, whose designed screening outcome is ineligible.
func ExampleClinicalCohort() {
	for _, p := range synth.ClinicalCohort(1, synth.ClinicalOptions{RLS: 2, Controls: 2, ScreenFailures: 1}) {
		fmt.Println(p.ID, p.Truth.Group, "criteria met:", p.Truth.RLSCriteriaMet, "eligible:", p.Truth.Eligible, "nights:", len(p.PLMCounts))
	}
	// Output:
	// sub-01 rls criteria met: true eligible: true nights: 2
	// sub-02 rls criteria met: true eligible: true nights: 2
	// sub-03 control criteria met: false eligible: true nights: 2
	// sub-04 control criteria met: false eligible: true nights: 2
	// sub-05 rls criteria met: true eligible: false nights: 2
}

// The partial volumes of a voxel whose tissue depends on world x alone are
// exact: a slab from x = −1 to 4 mm across boundaries at 0 and 3 mm.
func ExampleLayeredSpec_SlabFractions() {
	spec := synth.LayeredSpec{CSFToGM: 0, GMToWM: 3}
	csf, gm, wm := spec.SlabFractions(-1, 4)
	fmt.Println(csf, gm, wm)
	// Output: 0.2 0.6 0.2
}
