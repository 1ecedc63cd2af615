package preproc

import (
	"fmt"
	"math"

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
	// pads to ZeroFill points (0 none); LB and GB are exponential and
	// Gaussian apodisation in Hz (0 none). They are applied last.
	Truncate, ZeroFill int
	LB, GB             float64
}

// QC holds the spectral quality measures of a preprocessed dataset.
type QC struct {
	// SNR is measured by MeasureSNR (SNRFormula, stored in
	// SNRDefinition); SNRPeak names the singlet it used.
	SNR           float64 `json:"snr"`
	SNRPeak       string  `json:"snr_peak"`
	SNRDefinition string  `json:"snr_definition"`
	// NAA and Cr describe those singlets of the final spectrum.
	NAA PeakQuality `json:"naa"`
	Cr  PeakQuality `json:"cr"`
	// Water describes the processed water reference, nil without one.
	Water *PeakQuality `json:"water,omitempty"`
	// WaterSuppressionPercent is 100·(1 − residual water peak height in
	// the averaged suppressed spectrum ÷ water reference peak height),
	// both per transient; nil without a water reference.
	WaterSuppressionPercent *float64 `json:"water_suppression_percent,omitempty"`
	// Transients is the number of transients, Rejected those left out.
	Transients int   `json:"transients"`
	Rejected   []int `json:"rejected"`
	// DriftHz is each transient's frequency relative to the aligned mean
	// (Hz), DriftRangeHz its range and DriftSDHz its SD.
	DriftHz      []float64 `json:"drift_hz"`
	DriftRangeHz float64   `json:"drift_range_hz"`
	DriftSDHz    float64   `json:"drift_sd_hz"`
	// ReferenceShiftHz and Phase0Deg are the referencing corrections
	// applied (Hz, degrees).
	ReferenceShiftHz float64 `json:"reference_shift_hz"`
	Phase0Deg        float64 `json:"phase0_deg"`
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

// layout maps (group, coil, transient) to FID indices of d, groups being
// the combinations of dimensions other than DIM_COIL and DIM_DYN in
// column-major order.
type layout struct {
	groups, coils, dyns int
	index               [][][]int
	dims                []mrs.Dim
}

// channel returns every transient of channel c, group after group.
func (l layout) channel(fids [][]complex128, c int) [][]complex128 {
	var out [][]complex128
	for g := 0; g < l.groups; g++ {
		for t := 0; t < l.dyns; t++ {
			out = append(out, fids[l.index[g][c][t]])
		}
	}
	return out
}

// combine merges the channels of every transient with co: [group][transient].
func (l layout) combine(fids [][]complex128, co *Coils) ([][][]complex128, error) {
	out := make([][][]complex128, l.groups)
	ch := make([][]complex128, l.coils)
	for g := 0; g < l.groups; g++ {
		for t := 0; t < l.dyns; t++ {
			for c := range ch {
				ch[c] = fids[l.index[g][c][t]]
			}
			f, err := co.Combine(ch)
			if err != nil {
				return nil, err
			}
			out[g] = append(out[g], f)
		}
	}
	return out, nil
}

func newLayout(d *mrs.Data) layout {
	l := layout{coils: 1, dyns: 1, groups: 1}
	ci, di := d.DimIndex(mrs.DimCoil), d.DimIndex(mrs.DimDyn)
	for k, dm := range d.Dims {
		switch k {
		case ci:
			l.coils = dm.Size
		case di:
			l.dyns = dm.Size
		default:
			l.groups *= dm.Size
			l.dims = append(l.dims, dm)
		}
	}
	l.index = make([][][]int, l.groups)
	for g := range l.index {
		l.index[g] = make([][]int, l.coils)
		for c := range l.index[g] {
			l.index[g][c] = make([]int, l.dyns)
		}
	}
	for f := range d.FIDs {
		rem, stride := f, 1
		g, c, t := 0, 0, 0
		for k, dm := range d.Dims {
			i := rem % dm.Size
			rem /= dm.Size
			switch k {
			case ci:
				c = i
			case di:
				t = i
			default:
				g += i * stride
				stride *= dm.Size
			}
		}
		l.index[g][c][t] = f
	}
	return l
}

// Run preprocesses d with the optional water reference (either may carry
// DIM_COIL and DIM_DYN): coil combination, alignment with outlier
// rejection, averaging, eddy-current correction, HLSVD water removal,
// referencing and phasing, then truncation, zero-filling and apodisation,
// and measures quality.
func Run(d, water *mrs.Data, opt Options) (*Result, error) {
	if d == nil {
		return nil, fmt.Errorf("preproc: no data")
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("preproc: data: %w", err)
	}
	if water != nil {
		if err := water.Validate(); err != nil {
			return nil, fmt.Errorf("preproc: water reference: %w", err)
		}
	}
	res := &Result{}
	q := &res.QC
	q.SNRDefinition = SNRDefinition
	p := d.Params
	l := newLayout(d)
	q.Coils = l.coils

	// Coil combination.
	var wl layout
	if water != nil {
		wl = newLayout(water)
	}
	combined := make([][][]complex128, l.groups) // [group][transient]
	var waterFIDs [][]complex128
	if l.coils > 1 {
		ref := make([][][]complex128, l.coils)
		noise := make([][][]complex128, l.coils)
		useWater := water != nil && wl.coils == l.coils && water.Points() == d.Points()
		for c := 0; c < l.coils; c++ {
			noise[c] = l.channel(d.FIDs, c)
			ref[c] = noise[c]
			if useWater {
				ref[c] = wl.channel(water.FIDs, c)
			}
		}
		co, err := EstimateCoils(ref, noise, opt.Coil)
		if err != nil {
			return nil, err
		}
		res.Coils = co
		from := "data"
		if useWater {
			from = "water reference"
		}
		q.Steps = append(q.Steps, fmt.Sprintf("coil combination (%d channels, weights from the %s, noise-whitened: %v)", l.coils, from, !opt.Coil.NoWhitening))
		if combined, err = l.combine(d.FIDs, co); err != nil {
			return nil, err
		}
		if water != nil && wl.coils == l.coils {
			wc, err := wl.combine(water.FIDs, co)
			if err != nil {
				return nil, fmt.Errorf("preproc: water reference: %w", err)
			}
			for _, g := range wc {
				waterFIDs = append(waterFIDs, g...)
			}
		}
	} else {
		for g := 0; g < l.groups; g++ {
			for t := 0; t < l.dyns; t++ {
				combined[g] = append(combined[g], d.FIDs[l.index[g][0][t]])
			}
		}
	}
	if water != nil && waterFIDs == nil {
		if wl.coils > 1 {
			return nil, fmt.Errorf("preproc: water reference has %d channels, data %d: cannot combine them alike", wl.coils, l.coils)
		}
		waterFIDs = water.FIDs
	}
	// Non-finite samples anywhere reach the combined transients: check
	// those (32× fewer points than every channel).
	for g := range combined {
		if err := checkFIDs(fmt.Sprintf("data (spectrum %d, after coil combination)", g), combined[g]); err != nil {
			return nil, err
		}
	}
	var wfid []complex128
	if water != nil {
		if err := checkFIDs("water reference", waterFIDs); err != nil {
			return nil, err
		}
		wfid = mrs.Average(waterFIDs)
	}

	// Alignment and averaging per group.
	res.Before = combined[0]
	res.Alignments = make([]*Alignment, l.groups)
	q.Transients = len(combined[0])
	avg := make([][]complex128, l.groups)
	for g, fids := range combined {
		if len(fids) > 1 && !opt.NoAlign {
			a, err := Align(fids, p, opt.Align)
			if err != nil {
				return nil, fmt.Errorf("preproc: spectrum %d: %w", g, err)
			}
			res.Alignments[g] = a
			avg[g] = mrs.Average(a.Accepted())
		} else {
			avg[g] = mrs.Average(fids)
		}
	}
	if a := res.Alignments[0]; a != nil {
		q.Steps = append(q.Steps, fmt.Sprintf("spectral registration of %d transients", len(a.Hz)))
		q.Rejected = a.Rejected
		q.DriftHz = a.Hz
		lo, hi, m := math.Inf(1), math.Inf(-1), 0.0
		for _, v := range a.Hz {
			lo, hi, m = math.Min(lo, v), math.Max(hi, v), m+v
		}
		m /= float64(len(a.Hz))
		ss := 0.0
		for _, v := range a.Hz {
			ss += (v - m) * (v - m)
		}
		q.DriftRangeHz, q.DriftSDHz = hi-lo, math.Sqrt(ss/float64(max(len(a.Hz)-1, 1)))
	}
	if q.Rejected == nil {
		q.Rejected = []int{}
	}
	q.Steps = append(q.Steps, "averaging")

	// Water-suppression efficiency and ECC compare the water with the data
	// point by point: only on the same time grid.
	sameGrid := wfid != nil && len(wfid) == len(avg[0]) && math.Abs(water.Dwell-p.Dwell) <= 1e-9*p.Dwell
	if wfid != nil && !sameGrid {
		q.Steps = append(q.Steps, fmt.Sprintf("water reference on another time grid (%d points every %g s; data %d every %g s): no eddy-current correction or water-suppression efficiency",
			len(wfid), water.Dwell, len(avg[0]), p.Dwell))
	}
	// Water-suppression efficiency, before anything touches the water.
	if sameGrid {
		ws, err1 := MeasurePeak(avg[0], p, WaterWindow, [2]float64{})
		wr, err2 := MeasurePeak(wfid, water.Params, WaterWindow, [2]float64{})
		if err1 == nil && err2 == nil && wr.Height > 0 {
			v := 100 * (1 - math.Abs(ws.Height)/wr.Height)
			q.WaterSuppressionPercent = &v
		}
	}

	// Eddy-current correction.
	if sameGrid && !opt.NoECC {
		for g := range avg {
			f, err := ECC(avg[g], wfid)
			if err != nil {
				return nil, err
			}
			avg[g] = f
		}
		f, err := ECC(wfid, wfid)
		if err != nil {
			return nil, err
		}
		wfid = f
		q.Steps = append(q.Steps, "eddy-current correction (Klose)")
	}

	// Water removal.
	if !opt.NoWaterRemoval {
		for g := range avg {
			f, comps, err := RemoveWater(avg[g], p, opt.HLSVD)
			if err != nil {
				return nil, fmt.Errorf("preproc: spectrum %d: %w", g, err)
			}
			avg[g] = f
			if g == 0 {
				res.Components = comps
			}
		}
		q.Steps = append(q.Steps, "HLSVD water removal")
	}

	// Referencing and phasing.
	if !opt.NoReference {
		waterPeaks := WaterPeaks
		for g := range avg {
			hz, ph, err := 0.0, 0.0, error(nil)
			if len(opt.Peaks) > 0 {
				hz, ph, err = Reference(avg[g], p, opt.Peaks, 0)
			} else {
				var r Referencing
				var wp mrs.Params
				if water != nil {
					wp = water.Params
				}
				r, err = ChooseReference(avg[g], p, wfid, wp, opt.Phantom, 0)
				hz, ph = r.ShiftHz, r.Phase0Rad
				if g == 0 {
					q.Referencing = &r
					if r.Phantom {
						waterPeaks = []RefPeak{{"water", WaterPPM(opt.Phantom.temperatureOr(r.TemperatureC))}}
					}
				}
			}
			if err != nil {
				return nil, fmt.Errorf("preproc: spectrum %d: %w", g, err)
			}
			avg[g] = Shift(avg[g], p.Dwell, hz, ph)
			if g == 0 {
				q.ReferenceShiftHz, q.Phase0Deg = hz, ph*180/math.Pi
			}
		}
		if wfid != nil {
			hz, ph, err := Reference(wfid, water.Params, waterPeaks, 0)
			if err != nil {
				return nil, fmt.Errorf("preproc: water reference: %w", err)
			}
			wfid = Shift(wfid, water.Params.Dwell, hz, ph)
		}
		q.Steps = append(q.Steps, "referencing and zero-order phasing")
	}

	finish := func(f []complex128, dwell float64) []complex128 {
		if opt.Truncate > 0 {
			f = Truncate(f, opt.Truncate)
		}
		if opt.ZeroFill > 0 {
			f = ZeroFill(f, opt.ZeroFill)
		}
		if opt.LB != 0 || opt.GB != 0 {
			f = Apodize(f, dwell, opt.LB, opt.GB)
		}
		return f
	}
	for g := range avg {
		avg[g] = finish(avg[g], p.Dwell)
	}
	if opt.Truncate > 0 || opt.ZeroFill > 0 || opt.LB != 0 || opt.GB != 0 {
		q.Steps = append(q.Steps, fmt.Sprintf("truncate %d, zero-fill %d, apodise %g Hz exponential %g Hz Gaussian", opt.Truncate, opt.ZeroFill, opt.LB, opt.GB))
	}

	// Quality of the first spectrum.
	var err error
	if q.NAA, err = MeasurePeak(avg[0], p, NAAWindow, NoiseWindow); err != nil {
		return nil, err
	}
	snr, err := MeasureSNR(avg[0], p)
	if err != nil {
		return nil, err
	}
	q.SNR, q.SNRPeak = snr.Value, snr.Peak
	if q.Cr, err = MeasurePeak(avg[0], p, CrWindow, NoiseWindow); err != nil {
		return nil, err
	}
	out := &mrs.Data{Params: p, Dims: l.dims, FIDs: avg, Meta: d.Meta}
	res.Data = out
	if wfid != nil {
		wfid = finish(wfid, water.Params.Dwell)
		w, err := MeasurePeak(wfid, water.Params, WaterWindow, [2]float64{})
		if err != nil {
			return nil, err
		}
		res.QC.Water = &w
		res.Water = &mrs.Data{Params: water.Params, FIDs: [][]complex128{wfid}, Meta: water.Meta}
	}
	return res, nil
}

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
