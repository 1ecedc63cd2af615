package cli

import (
	"flag"
	"fmt"

	"glusleep/mrs"
	"glusleep/mrs/format/mrsio"
)

// AcquisitionRanges are the plausible values of the MRS acquisition flags
// (sequence timing in ms, as LCModel, FSL-MRS and spec2nii users type it;
// dwell in s and frequency in MHz, as NIfTI-MRS stores them; field in T).
// CheckAcquisition refuses values outside, never clamps them.
var AcquisitionRanges = map[string]Range{
	"te":                     {Unit: "ms", Lo: 5, Hi: 1000},
	"te1":                    {Unit: "ms", Lo: 1, Hi: 1000},
	"te2":                    {Unit: "ms", Lo: 1, Hi: 1000},
	"tm":                     {Unit: "ms", Lo: 1, Hi: 1000},
	"tr":                     {Unit: "ms", Lo: 100, Hi: 60000},
	"field":                  {Unit: "T", Lo: 0.5, Hi: 14},
	"spectrometer-frequency": {Unit: "MHz", Lo: 0.5 * mrs.ProtonMHzPerTesla, Hi: 14 * mrs.ProtonMHzPerTesla},
	"points":                 {Unit: "points", Lo: 64, Hi: 65536, ZeroIsValue: true},
	"dwell":                  {Unit: "s", Lo: 1e-5, Hi: 1e-2},
}

// CheckAcquisition refuses acquisition flags of fs outside their
// AcquisitionRanges (ErrUsage).
func CheckAcquisition(fs *flag.FlagSet) error { return CheckRanges(fs, AcquisitionRanges) }

// Acquisition are the MRS acquisition flags of a command, each in its
// unit: times in ms (converted to s by their methods, as mrs.Params holds
// them), dwell in s, frequencies in MHz, field in T; 0 is "not given".
type Acquisition struct {
	Dwell, MHz, TE, TM, TR float64
}

// AddRead defines what every command that reads MRS data may need to be
// told of an input lacking it (an LCModel .RAW without a sidecar):
// --dwell (s), --spectrometer-frequency (MHz) and --te (ms).
func (a *Acquisition) AddRead(fs *flag.FlagSet) {
	fs.Float64Var(&a.Dwell, "dwell", 0, "dwell time in s, for inputs that lack it (LCModel .RAW)")
	fs.Float64Var(&a.MHz, "spectrometer-frequency", 0, "spectrometer frequency in MHz, for inputs that lack it")
	a.AddTE(fs, "default: from the input")
}

// AddTE defines --te, the echo time in ms; note completes the help.
func (a *Acquisition) AddTE(fs *flag.FlagSet, note string) {
	fs.Float64Var(&a.TE, "te", 0, fmt.Sprintf("echo time in ms (%s)", note))
}

// AddTM defines --tm, the STEAM mixing time in ms.
func (a *Acquisition) AddTM(fs *flag.FlagSet) {
	fs.Float64Var(&a.TM, "tm", 0, "STEAM mixing time in ms")
}

// AddTR defines --tr, the repetition time in ms; note completes the help.
func (a *Acquisition) AddTR(fs *flag.FlagSet, note string) {
	fs.Float64Var(&a.TR, "tr", 0, fmt.Sprintf("repetition time in ms (%s)", note))
}

// EchoTime returns --te in s.
func (a *Acquisition) EchoTime() float64 { return a.TE / 1000 }

// MixingTime returns --tm in s.
func (a *Acquisition) MixingTime() float64 { return a.TM / 1000 }

// RepetitionTime returns --tr in s.
func (a *Acquisition) RepetitionTime() float64 { return a.TR / 1000 }

// ReadOptions returns the read flags as mrsio options (TE in s).
func (a *Acquisition) ReadOptions() mrsio.Options {
	return mrsio.Options{Dwell: a.Dwell, SpectrometerFrequency: a.MHz, EchoTime: a.EchoTime()}
}
