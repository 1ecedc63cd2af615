package main

import (
	"flag"
	"fmt"
	"math"

	"glusleep/mrs"
	"glusleep/mrs/format/mrsio"
)

// mrsRange is the plausible range of an MRS flag, in the unit users type.
type mrsRange struct {
	unit   string
	lo, hi float64
}

// mrsRanges are the plausible values of the MRS flags every mrs command
// shares (sequence timing in ms, as LCModel, FSL-MRS and spec2nii users
// type it; dwell in s and frequency in MHz, as NIfTI-MRS stores them).
// Values outside are refused, never clamped.
var mrsRanges = map[string]mrsRange{
	"te":                     {"ms", 5, 1000},
	"te1":                    {"ms", 1, 1000},
	"te2":                    {"ms", 1, 1000},
	"tm":                     {"ms", 1, 1000},
	"tr":                     {"ms", 100, 60000},
	"field":                  {"T", 0.5, 14},
	"spectrometer-frequency": {"MHz", 0.5 * mrs.ProtonMHzPerTesla, 14 * mrs.ProtonMHzPerTesla},
	"points":                 {"points", 64, 65536},
	"dwell":                  {"s", 1e-5, 1e-2},
}

// checkMRSRanges refuses every set flag of fs named in mrsRanges whose
// value lies outside its plausible range (a value of 0 means "not given").
func checkMRSRanges(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		r, ok := mrsRanges[f.Name]
		if !ok || err != nil {
			return
		}
		g, ok := f.Value.(flag.Getter)
		if !ok {
			return
		}
		var v float64
		switch x := g.Get().(type) {
		case float64:
			v = x
		case int:
			v = float64(x)
		default:
			return
		}
		if v == 0 && f.Name != "points" {
			return
		}
		if math.IsNaN(v) || v < r.lo || v > r.hi {
			err = fmt.Errorf("%w: --%s %s %s is outside the plausible range %g–%g %s", errUsage, f.Name, f.Value.String(), r.unit, r.lo, r.hi, r.unit)
			if r.unit == "ms" && v > 0 && v*1000 >= r.lo && v*1000 <= r.hi {
				err = fmt.Errorf("%w (times are typed in ms: did you mean --%s %g?)", err, f.Name, v*1000)
			}
		}
	})
	return err
}

// mrsReadFlags are the flags of every mrs command that reads data: what
// an input lacks (LCModel .RAW without a sidecar).
type mrsReadFlags struct {
	dwell, mhz, te *float64
}

func addMRSReadFlags(fs *flag.FlagSet) *mrsReadFlags {
	return &mrsReadFlags{
		dwell: fs.Float64("dwell", 0, "dwell time in s, for inputs that lack it (LCModel .RAW)"),
		mhz:   fs.Float64("spectrometer-frequency", 0, "spectrometer frequency in MHz, for inputs that lack it"),
		te:    fs.Float64("te", 0, "echo time in ms (default: from the input)"),
	}
}

// options returns the flags as mrsio options (TE converted to s).
func (r *mrsReadFlags) options() mrsio.Options {
	return mrsio.Options{Dwell: *r.dwell, SpectrometerFrequency: *r.mhz, EchoTime: *r.te / 1000}
}
