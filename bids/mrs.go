package bids

import (
	"fmt"
	"math"
	"strings"

	"glusleep/mrs"
)

// MRSSidecar is the JSON sidecar of a BIDS-MRS spectrum (_svs, _mrsref,
// _unloc, _mrsi). Times are in seconds, as BIDS stores them.
type MRSSidecar struct {
	// ResonantNucleus lists the nucleus of each spectral dimension, e.g. ["1H"].
	ResonantNucleus []string `json:"ResonantNucleus"`
	// SpectrometerFrequency lists the transmitter frequency in MHz.
	SpectrometerFrequency []float64 `json:"SpectrometerFrequency"`
	// SpectralWidth is the sampled bandwidth in Hz (1/dwell time).
	SpectralWidth float64 `json:"SpectralWidth"`
	// EchoTime is TE in s.
	EchoTime float64 `json:"EchoTime"`
	// RepetitionTime is TR in s (omitted when unknown).
	RepetitionTime float64 `json:"RepetitionTime,omitempty"`
	// MixingTime is STEAM's TM in s (omitted for other sequences).
	MixingTime float64 `json:"MixingTime,omitempty"`
	// NumberOfSpectralPoints is the number of points of each FID.
	NumberOfSpectralPoints int `json:"NumberOfSpectralPoints"`
	// NumberOfTransients is the number of averages acquired (svs, unloc).
	NumberOfTransients int `json:"NumberOfTransients,omitempty"`
	// AcquisitionVoxelSize is the voxel's edge lengths in mm.
	AcquisitionVoxelSize []float64 `json:"AcquisitionVoxelSize,omitempty"`
	// PulseSequenceType is the localisation, e.g. "PRESS", "STEAM", "sLASER".
	PulseSequenceType string `json:"PulseSequenceType,omitempty"`
	// WaterSuppression says whether water suppression was applied.
	WaterSuppression bool `json:"WaterSuppression"`
	// ReferenceSignal is the BIDS URI of the water reference of a spectrum.
	ReferenceSignal string `json:"ReferenceSignal,omitempty"`
	// Manufacturer of the scanner.
	Manufacturer string `json:"Manufacturer,omitempty"`
	// MagneticFieldStrength is B0 in T (omitted when unknown).
	MagneticFieldStrength float64 `json:"MagneticFieldStrength,omitempty"`
}

// MRSOptions are the facts of an MRS acquisition that are not in its
// NIfTI-MRS header, or that override it.
type MRSOptions struct {
	// Suffix is the file's BIDS suffix: "svs", "mrsref", "unloc" or "mrsi".
	Suffix string
	// ReferenceSignal is the BIDS URI of the water reference
	// ("bids::sub-01/mrs/sub-01_mrsref.nii.gz"), for a spectrum.
	ReferenceSignal string
	// VoxelSize is the voxel's edge lengths in mm (the NIfTI pixdim[1..3]);
	// zero omits AcquisitionVoxelSize.
	VoxelSize [3]float64
}

// MRSFromData builds the sidecar of a spectrum from its data and
// parameters (SI units: Dwell and EchoTime in s, frequency in MHz). It
// fails when a field BIDS requires is unknown, or when a time is not
// plausible in seconds (a TE of 30 "s" is 30 ms written in the wrong unit).
func MRSFromData(d *mrs.Data, opt MRSOptions) (MRSSidecar, error) {
	switch opt.Suffix {
	case "svs", "mrsref", "unloc", "mrsi":
	default:
		return MRSSidecar{}, fmt.Errorf("mrs sidecar: suffix %q, want svs, mrsref, unloc or mrsi", opt.Suffix)
	}
	if d.Points() == 0 {
		return MRSSidecar{}, fmt.Errorf("mrs sidecar: the spectrum has no points")
	}
	if !(d.SpectrometerFrequency > 0) || math.IsInf(d.SpectrometerFrequency, 0) {
		return MRSSidecar{}, fmt.Errorf("mrs sidecar: spectrometer frequency %g MHz, want > 0", d.SpectrometerFrequency)
	}
	if !(d.Dwell > 0) || math.IsInf(d.Dwell, 0) {
		return MRSSidecar{}, fmt.Errorf("mrs sidecar: dwell time %g s, want > 0", d.Dwell)
	}
	// Plausible ranges in s: a value past them is most likely in ms.
	times := []struct {
		name     string
		v, max   float64
		required bool
	}{{"echo time", d.EchoTime, 1, true}, {"repetition time", d.RepetitionTime, 60, false}, {"mixing time", d.MixingTime, 1, false}}
	for _, t := range times {
		if t.required && !(t.v > 0) {
			return MRSSidecar{}, fmt.Errorf("mrs sidecar: %s unknown (%g s); BIDS requires it", t.name, t.v)
		}
		if t.v < 0 || t.v > t.max || math.IsNaN(t.v) {
			return MRSSidecar{}, fmt.Errorf("mrs sidecar: %s %g s, want 0–%g s (seconds, not ms)", t.name, t.v, t.max)
		}
	}
	nuc := d.Nucleus
	if nuc == "" {
		nuc = "1H"
	}
	s := MRSSidecar{
		ResonantNucleus:        []string{nuc},
		SpectrometerFrequency:  []float64{d.SpectrometerFrequency},
		SpectralWidth:          1 / d.Dwell,
		EchoTime:               d.EchoTime,
		RepetitionTime:         d.RepetitionTime,
		NumberOfSpectralPoints: d.Points(),
		PulseSequenceType:      d.Sequence,
		WaterSuppression:       opt.Suffix != "mrsref",
		Manufacturer:           d.Vendor,
		MagneticFieldStrength:  d.FieldStrength,
	}
	if ws, ok := d.Meta["WaterSuppressed"].(bool); ok {
		s.WaterSuppression = ws
	}
	if strings.EqualFold(d.Sequence, "STEAM") {
		s.MixingTime = d.MixingTime
	}
	if opt.Suffix == "svs" || opt.Suffix == "unloc" {
		for _, dim := range d.Dims {
			if dim.Tag == mrs.DimDyn {
				s.NumberOfTransients = max(s.NumberOfTransients, 1) * dim.Size
			}
		}
		if opt.ReferenceSignal != "" {
			if !strings.HasPrefix(opt.ReferenceSignal, "bids:") {
				return MRSSidecar{}, fmt.Errorf("mrs sidecar: reference signal %q, want a BIDS URI (bids::sub-…)", opt.ReferenceSignal)
			}
			s.ReferenceSignal = opt.ReferenceSignal
		}
	}
	if v := opt.VoxelSize; v[0] > 0 && v[1] > 0 && v[2] > 0 {
		s.AcquisitionVoxelSize = []float64{v[0], v[1], v[2]}
	}
	return s, nil
}
