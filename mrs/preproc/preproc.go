package preproc

import (
	"fmt"

	"glusleep/mrs"
)

// Options select and tune the steps of Run. The zero value runs every
// step that the data allow with defaults.
type Options struct {
	// Coil tunes coil combination (applied when the data have DIM_COIL).
	Coil CoilOptions
	// Align tunes spectral registration (applied along DIM_DYN).
	Align AlignOptions
	// NoAlign averages transients without aligning them.
	NoAlign bool
	// NoECC skips eddy-current correction (applied when a water reference
	// of the same length is given).
	NoECC bool
	// NoWaterRemoval skips HLSVD residual water removal (use it for
	// spectra acquired without water suppression).
	NoWaterRemoval bool
	// HLSVD tunes water removal.
	HLSVD HLSVDOptions
	// NoReference skips chemical-shift referencing and zero-order phasing.
	NoReference bool
	// Peaks are the reference peaks; when empty, ChooseReference picks
	// those present (NAA/Cr/Cho, creatine, water) and reports its choice.
	Peaks []RefPeak
	// Phantom declares the data a phantom (its temperature sets water's
	// shift; its singlets are tried as reference peaks); nil lets
	// ChooseReference detect one.
	Phantom *Phantom
	// Truncate keeps the first Truncate points (0 keeps all); ZeroFill
	// pads to ZeroFill points (0 none). They and the apodisation are
	// applied last, to the spectra and the water reference.
	Truncate, ZeroFill int
	// LB and GB are exponential and Gaussian apodisation in Hz (added
	// Lorentzian and Gaussian FWHM, as Apodize; 0 none).
	LB, GB float64
}

// QC holds the spectral quality measures of a preprocessed dataset.
type QC struct {
	// SNR is the first spectrum's signal-to-noise ratio (dimensionless)
	// by MeasureSNR.
	SNR float64 `json:"snr"`
	// SNRPeak names the singlet the SNR used, "NAA" or "tCr".
	SNRPeak string `json:"snr_peak"`
	// SNRDefinition is the SNR's formula, SNRDefinition.
	SNRDefinition string `json:"snr_definition"`
	// NAA describes the NAA singlet (NAAWindow) of the final spectrum.
	NAA PeakQuality `json:"naa"`
	// Cr describes its creatine CH3 singlet (CrWindow).
	Cr PeakQuality `json:"cr"`
	// Water describes the processed water reference, nil without one.
	Water *PeakQuality `json:"water,omitempty"`
	// WaterSuppressionPercent is 100·(1 − residual water peak height in
	// the averaged suppressed spectrum ÷ water reference peak height),
	// both per transient; nil without a water reference.
	WaterSuppressionPercent *float64 `json:"water_suppression_percent,omitempty"`
	// Transients is the number of transients of the first spectrum.
	Transients int `json:"transients"`
	// Rejected lists the transients left out as outliers (indices,
	// ascending; empty when none).
	Rejected []int `json:"rejected"`
	// DriftHz is each transient's frequency relative to the aligned mean
	// (Hz; nil without alignment).
	DriftHz []float64 `json:"drift_hz"`
	// DriftRangeHz is the range of DriftHz (Hz).
	DriftRangeHz float64 `json:"drift_range_hz"`
	// DriftSDHz is the sample SD of DriftHz (Hz).
	DriftSDHz float64 `json:"drift_sd_hz"`
	// ReferenceShiftHz is the frequency correction referencing applied
	// (Hz).
	ReferenceShiftHz float64 `json:"reference_shift_hz"`
	// Phase0Deg is the zero-order phase correction referencing applied
	// (degrees).
	Phase0Deg float64 `json:"phase0_deg"`
	// Referencing says which peaks the referencing used and whether the
	// data were taken for a phantom (nil with Options.Peaks or
	// NoReference).
	Referencing *Referencing `json:"referencing,omitempty"`
	// Coils is the number of channels combined (1 when none).
	Coils int `json:"coils"`
	// Steps lists the steps applied, in order.
	Steps []string `json:"steps"`
}

// Result is the output of Run.
type Result struct {
	// Data is the processed spectrum: coil and transient dimensions
	// removed, other dimensions kept.
	Data *mrs.Data
	// Water is the processed water reference (combined, averaged, eddy-
	// current corrected, referenced), nil without one.
	Water *mrs.Data
	// QC describes the first spectrum of Data.
	QC QC
	// Coils is the coil combination used, nil for single-channel data.
	Coils *Coils
	// Alignments holds one alignment per spectrum of Data (nil entries
	// where there was a single transient or alignment was off).
	Alignments []*Alignment
	// Before holds the first spectrum's transients before alignment
	// (after coil combination), for figures.
	Before [][]complex128
	// Components holds the HLSVD model of the first spectrum.
	Components []Component
}

// SNRDefinition is the text stored with every SNR glusleep reports.
const SNRDefinition = SNRFormula

// Mode says when a pipeline preprocesses a spectrum before fitting it.
type Mode string

// Modes: ModeAuto preprocesses data with more than one FID (coils or
// transients), ModeAlways everything, ModeNever nothing (FIDs are averaged
// as read).
const (
	ModeAuto   Mode = "auto"
	ModeAlways Mode = "always"
	ModeNever  Mode = "never"
)

// ParseMode reads a mode name; the empty string means ModeAuto.
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", ModeAuto:
		return ModeAuto, nil
	case ModeAlways, ModeNever:
		return Mode(s), nil
	}
	return "", fmt.Errorf("preprocess %q, want auto, always or never", s)
}

// Applies reports whether d is to be preprocessed under m.
func (m Mode) Applies(d *mrs.Data) bool {
	return m == ModeAlways || (m != ModeNever && len(d.FIDs) > 1)
}
