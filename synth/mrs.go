package synth

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
)

// SpectrumTruth is the known truth of a synthetic spectrum.
type SpectrumTruth struct {
	// Amplitudes are the basis scale factors used, by metabolite name.
	Amplitudes map[string]float64
	// LorentzHz and GaussHz are the applied line broadenings (FWHM, Hz).
	LorentzHz, GaussHz float64
	// ShiftHz is the applied frequency shift (Hz); Phase0 the zero-order
	// phase (degrees).
	ShiftHz, Phase0 float64
	// NoiseSD is the SD of the complex time-domain noise added (per real and
	// imaginary part).
	NoiseSD float64
}

// SpectrumSpec describes a synthetic single-voxel spectrum made from basis
// FIDs (NIfTI-MRS convention, dwell s).
type SpectrumSpec struct {
	// Names and Basis are the metabolite FIDs, all of the same length.
	Names []string
	Basis [][]complex128
	// Dwell is the sampling interval in s.
	Dwell float64
	// Amplitudes are the scale factors per metabolite name (missing: 0).
	Amplitudes map[string]float64
	// LorentzHz, GaussHz, ShiftHz, Phase0 as in SpectrumTruth.
	LorentzHz, GaussHz, ShiftHz, Phase0 float64
	// NoiseSD is the SD of complex white noise added in the time domain.
	NoiseSD float64
}

// Spectrum returns the FID of the spec and its truth. The result is
// Σ a_m b_m(t)·exp(−π·L·t − (π·G)²t²/(4 ln 2) + i(2π·s·t + φ0)) + noise.
func Spectrum(spec SpectrumSpec, rng *rand.Rand) ([]complex128, SpectrumTruth, error) {
	if len(spec.Basis) == 0 || len(spec.Names) != len(spec.Basis) {
		return nil, SpectrumTruth{}, fmt.Errorf("synth: %d names for %d basis FIDs", len(spec.Names), len(spec.Basis))
	}
	n := len(spec.Basis[0])
	for i, b := range spec.Basis {
		if len(b) != n {
			return nil, SpectrumTruth{}, fmt.Errorf("synth: basis %s has %d points, %s has %d", spec.Names[i], len(b), spec.Names[0], n)
		}
	}
	if !(spec.Dwell > 0) {
		return nil, SpectrumTruth{}, fmt.Errorf("synth: dwell %g s, want > 0", spec.Dwell)
	}
	for name := range spec.Amplitudes {
		found := false
		for _, n := range spec.Names {
			found = found || n == name
		}
		if !found {
			return nil, SpectrumTruth{}, fmt.Errorf("synth: amplitude given for %s, which is not in the basis", name)
		}
	}
	g := math.Pow(math.Pi*spec.GaussHz, 2) / (4 * math.Ln2)
	out := make([]complex128, n)
	for k := range out {
		t := float64(k) * spec.Dwell
		var s complex128
		for m, b := range spec.Basis {
			if a := spec.Amplitudes[spec.Names[m]]; a != 0 {
				s += complex(a, 0) * b[k]
			}
		}
		e := cmplx.Exp(complex(-math.Pi*spec.LorentzHz*t-g*t*t, 2*math.Pi*spec.ShiftHz*t+spec.Phase0*math.Pi/180))
		out[k] = s * e
		if spec.NoiseSD > 0 {
			out[k] += complex(spec.NoiseSD*rng.NormFloat64(), spec.NoiseSD*rng.NormFloat64())
		}
	}
	amps := make(map[string]float64, len(spec.Amplitudes))
	for k, v := range spec.Amplitudes {
		amps[k] = v
	}
	return out, SpectrumTruth{Amplitudes: amps, LorentzHz: spec.LorentzHz, GaussHz: spec.GaussHz,
		ShiftHz: spec.ShiftHz, Phase0: spec.Phase0, NoiseSD: spec.NoiseSD}, nil
}
