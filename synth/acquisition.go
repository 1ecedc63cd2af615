package synth

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"

	"glusleep/mrs"
)

// AcquisitionSpec describes a raw single-voxel acquisition built from a
// clean (noiseless) FID: the transients a scanner stores before any
// averaging, with the faults preprocessing must undo.
type AcquisitionSpec struct {
	// Transients is the number of water-suppressed averages (DIM_DYN).
	Transients int
	// NoiseSD is the complex noise SD per component of each transient;
	// the average of n transients has NoiseSD/√n.
	NoiseSD float64
	// DriftHz is a linear frequency drift from the first transient to the
	// last (Hz, e.g. gradient heating); JitterHz and JitterRad are random
	// per-transient frequency (Hz) and zero-order phase (radians) SDs.
	DriftHz, JitterHz, JitterRad float64
	// Water is the residual water signal left by suppression in every
	// transient: amplitude (FID units at t = 0), width (Lorentzian FWHM,
	// Hz) and position (ppm; 0 means 4.65).
	WaterAmplitude, WaterLorentzHz, WaterPPM float64
	// Corrupt lists transients spoiled by motion: scaled by 0.6, broadened
	// by 8 Hz and rotated by 1 radian, as outlier rejection should find.
	Corrupt []int
}

// AcquisitionTruth is what was applied to each transient.
type AcquisitionTruth struct {
	// Hz and Rad are the frequency shift (Hz) and phase (radians) of each
	// transient; Corrupt the spoiled transients.
	Hz, Rad []float64
	Corrupt []int
}

// Acquisition returns the transients of spec made from clean (sampled
// every p.Dwell seconds), as a mrs.Data with a DIM_DYN dimension, and what
// was applied.
func Acquisition(clean []complex128, p mrs.Params, spec AcquisitionSpec, rng *rand.Rand) (*mrs.Data, AcquisitionTruth, error) {
	if spec.Transients < 1 {
		return nil, AcquisitionTruth{}, fmt.Errorf("synth: %d transients, want at least 1", spec.Transients)
	}
	if len(clean) == 0 || !(p.Dwell > 0) || !(p.SpectrometerFrequency > 0) {
		return nil, AcquisitionTruth{}, fmt.Errorf("synth: acquisition needs a FID, dwell and frequency (have %d points, %g s, %g MHz)", len(clean), p.Dwell, p.SpectrometerFrequency)
	}
	for _, c := range spec.Corrupt {
		if c < 0 || c >= spec.Transients {
			return nil, AcquisitionTruth{}, fmt.Errorf("synth: corrupt transient %d of %d", c, spec.Transients)
		}
	}
	wppm := spec.WaterPPM
	if wppm == 0 {
		wppm = 4.65
	}
	water := (wppm - p.Central()) * p.SpectrometerFrequency
	n := len(clean)
	tr := AcquisitionTruth{Hz: make([]float64, spec.Transients), Rad: make([]float64, spec.Transients), Corrupt: append([]int(nil), spec.Corrupt...)}
	d := &mrs.Data{Params: p, Dims: []mrs.Dim{{Tag: mrs.DimDyn, Size: spec.Transients}}, FIDs: make([][]complex128, spec.Transients)}
	bad := map[int]bool{}
	for _, c := range spec.Corrupt {
		bad[c] = true
	}
	for i := range d.FIDs {
		frac := 0.0
		if spec.Transients > 1 {
			frac = float64(i)/float64(spec.Transients-1) - 0.5
		}
		hz := spec.DriftHz*frac + spec.JitterHz*rng.NormFloat64()
		ph := spec.JitterRad * rng.NormFloat64()
		tr.Hz[i], tr.Rad[i] = hz, ph
		scale, broad, rot := 1.0, 0.0, 0.0
		if bad[i] {
			scale, broad, rot = 0.6, 8, 1
		}
		f := make([]complex128, n)
		for k, v := range clean {
			t := float64(k) * p.Dwell
			s := v * complex(scale*math.Exp(-math.Pi*broad*t), 0)
			if spec.WaterAmplitude != 0 {
				s += complex(spec.WaterAmplitude*math.Exp(-math.Pi*spec.WaterLorentzHz*t), 0) * cmplx.Rect(1, 2*math.Pi*water*t)
			}
			s *= cmplx.Rect(1, 2*math.Pi*hz*t+ph+rot)
			if spec.NoiseSD > 0 {
				s += complex(spec.NoiseSD*rng.NormFloat64(), spec.NoiseSD*rng.NormFloat64())
			}
			f[k] = s
		}
		d.FIDs[i] = f
	}
	return d, tr, nil
}

// WaterSpec describes an unsuppressed water reference.
type WaterSpec struct {
	// Frames is the number of water FIDs (DIM_DYN when more than one).
	Frames int
	// Amplitude is the water signal at t = 0 (FID units); PPM its position
	// (0 means 4.65).
	Amplitude, PPM float64
	// LorentzHz and GaussHz are the line widths (FWHM, Hz); ShiftHz and
	// Phase0 (degrees) the frequency shift and phase the metabolites share.
	LorentzHz, GaussHz, ShiftHz, Phase0 float64
	// NoiseSD is the complex noise SD per component of each frame.
	NoiseSD float64
}

// WaterReference returns spec's water reference: n points every p.Dwell
// seconds per frame.
func WaterReference(p mrs.Params, n int, spec WaterSpec, rng *rand.Rand) (*mrs.Data, error) {
	if n < 1 || spec.Frames < 1 || !(p.Dwell > 0) || !(p.SpectrometerFrequency > 0) {
		return nil, fmt.Errorf("synth: water reference of %d points × %d frames, dwell %g s, %g MHz", n, spec.Frames, p.Dwell, p.SpectrometerFrequency)
	}
	ppm := spec.PPM
	if ppm == 0 {
		ppm = 4.65
	}
	hz := (ppm-p.Central())*p.SpectrometerFrequency + spec.ShiftHz
	g := math.Pow(math.Pi*spec.GaussHz, 2) / (4 * math.Ln2)
	d := &mrs.Data{Params: p, FIDs: make([][]complex128, spec.Frames)}
	if spec.Frames > 1 {
		d.Dims = []mrs.Dim{{Tag: mrs.DimDyn, Size: spec.Frames}}
	}
	for i := range d.FIDs {
		f := make([]complex128, n)
		for k := range f {
			t := float64(k) * p.Dwell
			f[k] = complex(spec.Amplitude*math.Exp(-math.Pi*spec.LorentzHz*t-g*t*t), 0) * cmplx.Rect(1, 2*math.Pi*hz*t+spec.Phase0*math.Pi/180)
			if spec.NoiseSD > 0 {
				f[k] += complex(spec.NoiseSD*rng.NormFloat64(), spec.NoiseSD*rng.NormFloat64())
			}
		}
		d.FIDs[i] = f
	}
	return d, nil
}
