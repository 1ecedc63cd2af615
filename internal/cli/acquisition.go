package cli

import (
	"flag"
	"fmt"

	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/basis"
	"glusleep/mrs/format/mrsio"
)

// AcquisitionRanges are the plausible values of the MRS acquisition flags
// (sequence timing in ms, as LCModel, FSL-MRS and spec2nii users type it;
// dwell in s and frequency in MHz, as NIfTI-MRS stores them; field in T).
// Values outside are refused by Parse, never clamped.
var AcquisitionRanges = map[string]Range{
	"te":                     {Unit: "ms", Lo: 5, Hi: 1000},
	"te1":                    {Unit: "ms", Lo: 1, Hi: 1000},
	"te2":                    {Unit: "ms", Lo: 1, Hi: 1000},
	"tm":                     {Unit: "ms", Lo: 1, Hi: 1000},
	"tr":                     {Unit: "ms", Lo: analysis.MinRepetitionTimeMS, Hi: analysis.MaxRepetitionTimeMS},
	"field":                  {Unit: "T", Lo: 0.5, Hi: 14},
	"spectrometer-frequency": {Unit: "MHz", Lo: 0.5 * mrs.ProtonMHzPerTesla, Hi: 14 * mrs.ProtonMHzPerTesla},
	"points":                 {Unit: "points", Lo: 64, Hi: 65536, ZeroIsValue: true},
	"dwell":                  {Unit: "s", Lo: 1e-5, Hi: 1e-2},
}

// Acquisition are the MRS acquisition flags of a command, each in its
// unit: times in ms (their methods convert them to s, as mrs.Params holds
// them), dwell in s, frequency in MHz, field in T; 0 is "not given". The
// Add methods define them with their AcquisitionRanges, which Parse
// checks.
type Acquisition struct {
	Dwell, MHz, Field    float64
	TE, TE1, TE2, TM, TR float64
	Points               int
}

// float defines the float flag name at p with its AcquisitionRange.
func (a *Acquisition) float(fs *flag.FlagSet, p *float64, name, help string) {
	fs.Float64Var(p, name, 0, help)
	SetRange(fs, name, AcquisitionRanges[name])
}

// AddRead defines what every command that reads MRS data may need to be
// told of an input lacking it (an LCModel .RAW without a sidecar):
// --dwell (s), --spectrometer-frequency (MHz) and --te (ms).
func (a *Acquisition) AddRead(fs *flag.FlagSet) {
	a.AddDwell(fs, "dwell time in s, for inputs that lack it (LCModel .RAW)")
	a.AddMHz(fs, "spectrometer frequency in MHz, for inputs that lack it")
	a.AddTE(fs, "default: from the input")
}

// AddDwell defines --dwell, the dwell time in s, with help text help.
func (a *Acquisition) AddDwell(fs *flag.FlagSet, help string) { a.float(fs, &a.Dwell, "dwell", help) }

// AddMHz defines --spectrometer-frequency in MHz, with help text help.
func (a *Acquisition) AddMHz(fs *flag.FlagSet, help string) {
	a.float(fs, &a.MHz, "spectrometer-frequency", help)
}

// AddField defines --field, the field strength in T.
func (a *Acquisition) AddField(fs *flag.FlagSet) {
	a.float(fs, &a.Field, "field", fmt.Sprintf("field strength in T (1H frequency %.6f MHz/T)", mrs.ProtonMHzPerTesla))
}

// AddPoints defines --points, the number of points of an FID.
func (a *Acquisition) AddPoints(fs *flag.FlagSet) {
	fs.IntVar(&a.Points, "points", 0, "number of points")
	SetRange(fs, "points", AcquisitionRanges["points"])
}

// AddTE defines --te, the echo time in ms; note completes the help.
func (a *Acquisition) AddTE(fs *flag.FlagSet, note string) {
	a.float(fs, &a.TE, "te", fmt.Sprintf("echo time in ms (%s)", note))
}

// AddPRESS defines --te1 and --te2, PRESS's echo times in ms.
func (a *Acquisition) AddPRESS(fs *flag.FlagSet) {
	a.float(fs, &a.TE1, "te1", "PRESS first echo time in ms")
	a.float(fs, &a.TE2, "te2", "PRESS second echo time in ms")
}

// AddTM defines --tm, the STEAM mixing time in ms.
func (a *Acquisition) AddTM(fs *flag.FlagSet) { a.float(fs, &a.TM, "tm", "STEAM mixing time in ms") }

// AddTR defines --tr, the repetition time in ms; note completes the help.
func (a *Acquisition) AddTR(fs *flag.FlagSet, note string) {
	a.float(fs, &a.TR, "tr", fmt.Sprintf("repetition time in ms (%s)", note))
}

// CheckPRESS refuses --te1 and --te2 whose sum, the echo time, lies
// outside the range of --te.
func (a *Acquisition) CheckPRESS() error {
	te, r := a.TE1+a.TE2, AcquisitionRanges["te"]
	if te > 0 && (te < r.Lo || te > r.Hi) {
		return Usagef("--te1 %g ms + --te2 %g ms = TE %g ms is outside the plausible range %g–%g ms", a.TE1, a.TE2, te, r.Lo, r.Hi)
	}
	return nil
}

// EchoTime returns --te in s.
func (a *Acquisition) EchoTime() float64 { return a.TE / 1000 }

// RepetitionTime returns --tr in s.
func (a *Acquisition) RepetitionTime() float64 { return a.TR / 1000 }

// MixingTime returns --tm in s.
func (a *Acquisition) MixingTime() float64 { return a.TM / 1000 }

// BasisGiven returns the flags as the parameters of a simulated basis
// (times in s, frequency in MHz, field in T, dwell in s; 0: not given).
func (a *Acquisition) BasisGiven() basis.Given {
	return basis.Given{TE1: a.TE1 / 1000, TE2: a.TE2 / 1000, TE: a.TE / 1000, TM: a.TM / 1000,
		MHz: a.MHz, FieldT: a.Field, Dwell: a.Dwell, Points: a.Points}
}

// ReadOptions returns the read flags as mrsio options (TE in s).
func (a *Acquisition) ReadOptions() mrsio.Options {
	return mrsio.Options{Dwell: a.Dwell, SpectrometerFrequency: a.MHz, EchoTime: a.EchoTime()}
}
