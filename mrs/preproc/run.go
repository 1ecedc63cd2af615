package preproc

import (
	"fmt"
	"math"

	"glusleep/mrs"
)

// Run preprocesses d with the optional water reference (either may carry
// DIM_COIL and DIM_DYN): coil combination, alignment with outlier
// rejection, averaging, eddy-current correction, HLSVD water removal,
// referencing and phasing, then truncation, zero-filling and apodisation,
// and measures quality.
func Run(d, water *mrs.Data, opt Options) (*Result, error) {
	if err := checkInputs(d, water); err != nil {
		return nil, err
	}
	c := newChain(d, water, opt)
	if err := c.combineCoils(); err != nil {
		return nil, err
	}
	if err := c.checkCombined(); err != nil {
		return nil, err
	}
	if err := c.alignAndAverage(); err != nil {
		return nil, err
	}
	c.measureSuppression()
	if err := c.correctEddyCurrents(); err != nil {
		return nil, err
	}
	if err := c.removeWater(); err != nil {
		return nil, err
	}
	if err := c.reference(); err != nil {
		return nil, err
	}
	c.finish()
	if err := c.measureQuality(); err != nil {
		return nil, err
	}
	return c.res, nil
}

// checkInputs rejects missing or inconsistent data and water reference.
func checkInputs(d, water *mrs.Data) error {
	if d == nil {
		return fmt.Errorf("preproc: no data")
	}
	if err := d.Validate(); err != nil {
		return fmt.Errorf("preproc: data: %w", err)
	}
	if water != nil {
		if err := water.Validate(); err != nil {
			return fmt.Errorf("preproc: water reference: %w", err)
		}
	}
	return nil
}

// chain is the state of one Run, handed from step to step.
type chain struct {
	d, water *mrs.Data
	opt      Options
	p        mrs.Params // the data's parameters
	l, wl    layout     // layouts of the data and of the water reference
	res      *Result
	q        *QC
	// combined holds the transients after coil combination,
	// [group][transient]; waterFIDs the water reference's.
	combined  [][][]complex128
	waterFIDs [][]complex128
	// avg holds one FID per group once transients are averaged; wfid the
	// averaged water reference (nil without one).
	avg  [][]complex128
	wfid []complex128
	// sameGrid is true when the water reference has the data's points and
	// dwell, so that the two can be compared point by point.
	sameGrid bool
}

// newChain starts a Run: the layouts of the data and water reference, and
// the QC fields known before any step.
func newChain(d, water *mrs.Data, opt Options) *chain {
	c := &chain{d: d, water: water, opt: opt, p: d.Params, l: newLayout(d), res: &Result{}}
	c.q = &c.res.QC
	c.q.SNRDefinition = SNRDefinition
	c.q.Coils = c.l.coils
	if water != nil {
		c.wl = newLayout(water)
	}
	return c
}

// step records a step applied, for QC.Steps.
func (c *chain) step(s string) { c.q.Steps = append(c.q.Steps, s) }

// combineCoils merges the receive channels of every transient (and of the
// water reference, when it has the data's channels) with weights from the
// water reference, when it matches the data's channels and points, else
// from the data; single-channel data pass unchanged.
func (c *chain) combineCoils() error {
	d, water, l, wl := c.d, c.water, c.l, c.wl
	c.combined = make([][][]complex128, l.groups)
	if l.coils > 1 {
		ref := make([][][]complex128, l.coils)
		noise := make([][][]complex128, l.coils)
		useWater := water != nil && wl.coils == l.coils && water.Points() == d.Points()
		for ch := 0; ch < l.coils; ch++ {
			noise[ch] = l.channel(d.FIDs, ch)
			ref[ch] = noise[ch]
			if useWater {
				ref[ch] = wl.channel(water.FIDs, ch)
			}
		}
		co, err := EstimateCoils(ref, noise, c.opt.Coil)
		if err != nil {
			return err
		}
		c.res.Coils = co
		from := "data"
		if useWater {
			from = "water reference"
		}
		c.step(fmt.Sprintf("coil combination (%d channels, weights from the %s, noise-whitened: %v)", l.coils, from, !c.opt.Coil.NoWhitening))
		if c.combined, err = l.combine(d.FIDs, co); err != nil {
			return err
		}
		if water != nil && wl.coils == l.coils {
			wc, err := wl.combine(water.FIDs, co)
			if err != nil {
				return fmt.Errorf("preproc: water reference: %w", err)
			}
			for _, g := range wc {
				c.waterFIDs = append(c.waterFIDs, g...)
			}
		}
	} else {
		for g := 0; g < l.groups; g++ {
			for t := 0; t < l.dyns; t++ {
				c.combined[g] = append(c.combined[g], d.FIDs[l.index[g][0][t]])
			}
		}
	}
	if water != nil && c.waterFIDs == nil {
		if wl.coils > 1 {
			return fmt.Errorf("preproc: water reference has %d channels, data %d: cannot combine them alike", wl.coils, l.coils)
		}
		c.waterFIDs = water.FIDs
	}
	return nil
}

// checkCombined rejects empty, ragged or non-finite transients and water
// reference, and averages the water reference. Non-finite samples anywhere
// reach the combined transients: checking those reads 32× fewer points
// than every channel.
func (c *chain) checkCombined() error {
	for g := range c.combined {
		if err := checkFIDs(fmt.Sprintf("data (spectrum %d, after coil combination)", g), c.combined[g]); err != nil {
			return err
		}
	}
	if c.water != nil {
		if err := checkFIDs("water reference", c.waterFIDs); err != nil {
			return err
		}
		c.wfid = mrs.Average(c.waterFIDs)
	}
	return nil
}

// alignAndAverage aligns each group's transients by spectral registration
// with outlier rejection (unless NoAlign or there is a single transient)
// and averages those accepted; the first group's drift goes to QC.
func (c *chain) alignAndAverage() error {
	c.res.Before = c.combined[0]
	c.res.Alignments = make([]*Alignment, c.l.groups)
	c.q.Transients = len(c.combined[0])
	c.avg = make([][]complex128, c.l.groups)
	for g, fids := range c.combined {
		if len(fids) > 1 && !c.opt.NoAlign {
			a, err := Align(fids, c.p, c.opt.Align)
			if err != nil {
				return fmt.Errorf("preproc: spectrum %d: %w", g, err)
			}
			c.res.Alignments[g] = a
			c.avg[g] = mrs.Average(a.Accepted())
		} else {
			c.avg[g] = mrs.Average(fids)
		}
	}
	if a := c.res.Alignments[0]; a != nil {
		c.step(fmt.Sprintf("spectral registration of %d transients", len(a.Hz)))
		c.q.Rejected = a.Rejected
		c.q.DriftHz = a.Hz
		c.q.DriftRangeHz, c.q.DriftSDHz = driftSpread(a.Hz)
	}
	if c.q.Rejected == nil {
		c.q.Rejected = []int{}
	}
	c.step("averaging")
	return nil
}

// driftSpread returns the range and the sample SD of the transients'
// frequencies hz (Hz).
func driftSpread(hz []float64) (rangeHz, sdHz float64) {
	lo, hi, m := math.Inf(1), math.Inf(-1), 0.0
	for _, v := range hz {
		lo, hi, m = math.Min(lo, v), math.Max(hi, v), m+v
	}
	m /= float64(len(hz))
	ss := 0.0
	for _, v := range hz {
		ss += (v - m) * (v - m)
	}
	return hi - lo, math.Sqrt(ss / float64(max(len(hz)-1, 1)))
}

// measureSuppression measures the water-suppression efficiency before
// anything touches the water. It and eddy-current correction compare the
// water with the data point by point: only on the same time grid, which
// it decides (and says in the steps when not).
func (c *chain) measureSuppression() {
	p, water, wfid, avg := c.p, c.water, c.wfid, c.avg
	c.sameGrid = wfid != nil && len(wfid) == len(avg[0]) && math.Abs(water.Dwell-p.Dwell) <= 1e-9*p.Dwell
	if wfid != nil && !c.sameGrid {
		c.step(fmt.Sprintf("water reference on another time grid (%d points every %g s; data %d every %g s): no eddy-current correction or water-suppression efficiency",
			len(wfid), water.Dwell, len(avg[0]), p.Dwell))
	}
	if !c.sameGrid {
		return
	}
	ws, err1 := MeasurePeak(avg[0], p, WaterWindow, [2]float64{})
	wr, err2 := MeasurePeak(wfid, water.Params, WaterWindow, [2]float64{})
	if err1 == nil && err2 == nil && wr.Height > 0 {
		v := 100 * (1 - math.Abs(ws.Height)/wr.Height)
		c.q.WaterSuppressionPercent = &v
	}
}

// correctEddyCurrents applies Klose's correction with the water reference
// to every spectrum and to the water itself (on the same time grid only,
// unless NoECC).
func (c *chain) correctEddyCurrents() error {
	if !c.sameGrid || c.opt.NoECC {
		return nil
	}
	for g := range c.avg {
		f, err := ECC(c.avg[g], c.wfid)
		if err != nil {
			return err
		}
		c.avg[g] = f
	}
	f, err := ECC(c.wfid, c.wfid)
	if err != nil {
		return err
	}
	c.wfid = f
	c.step("eddy-current correction (Klose)")
	return nil
}

// removeWater subtracts the residual water by HLSVD from every spectrum
// (unless NoWaterRemoval), keeping the first spectrum's model.
func (c *chain) removeWater() error {
	if c.opt.NoWaterRemoval {
		return nil
	}
	for g := range c.avg {
		f, comps, err := RemoveWater(c.avg[g], c.p, c.opt.HLSVD)
		if err != nil {
			return fmt.Errorf("preproc: spectrum %d: %w", g, err)
		}
		c.avg[g] = f
		if g == 0 {
			c.res.Components = comps
		}
	}
	c.step("HLSVD water removal")
	return nil
}

// reference shifts and zero-order phases every spectrum to its reference
// peaks (Options.Peaks, else those ChooseReference picks), then the water
// reference to water (at the phantom's temperature for a phantom), unless
// NoReference.
func (c *chain) reference() error {
	if c.opt.NoReference {
		return nil
	}
	waterPeaks := WaterPeaks
	for g := range c.avg {
		hz, ph, wp, err := c.referenceSpectrum(g)
		if err != nil {
			return fmt.Errorf("preproc: spectrum %d: %w", g, err)
		}
		if wp != nil {
			waterPeaks = wp
		}
		c.avg[g] = Shift(c.avg[g], c.p.Dwell, hz, ph)
		if g == 0 {
			c.q.ReferenceShiftHz, c.q.Phase0Deg = hz, ph*180/math.Pi
		}
	}
	if c.wfid != nil {
		hz, ph, err := Reference(c.wfid, c.water.Params, waterPeaks, 0)
		if err != nil {
			return fmt.Errorf("preproc: water reference: %w", err)
		}
		c.wfid = Shift(c.wfid, c.water.Params.Dwell, hz, ph)
	}
	c.step("referencing and zero-order phasing")
	return nil
}

// referenceSpectrum finds the shift (Hz) and zero-order phase (radians)
// that reference spectrum g. For the first spectrum with automatic peaks
// it records the choice in QC and, for a phantom, returns the water peak
// at the phantom's temperature (else waterPeaks is nil).
func (c *chain) referenceSpectrum(g int) (hz, ph float64, waterPeaks []RefPeak, err error) {
	if len(c.opt.Peaks) > 0 {
		hz, ph, err = Reference(c.avg[g], c.p, c.opt.Peaks, 0)
		return hz, ph, nil, err
	}
	var wp mrs.Params
	if c.water != nil {
		wp = c.water.Params
	}
	r, err := ChooseReference(c.avg[g], c.p, c.wfid, wp, c.opt.Phantom, 0)
	if g == 0 {
		c.q.Referencing = &r
		if r.Phantom {
			waterPeaks = []RefPeak{{"water", WaterPPM(c.opt.Phantom.temperatureOr(r.TemperatureC))}}
		}
	}
	return r.ShiftHz, r.Phase0Rad, waterPeaks, err
}

// finish truncates, zero-fills and apodises every spectrum and the water
// reference, as Options ask.
func (c *chain) finish() {
	o := c.opt
	if !(o.Truncate > 0 || o.ZeroFill > 0 || o.LB != 0 || o.GB != 0) {
		return // finishFID would change nothing
	}
	for g := range c.avg {
		c.avg[g] = o.finishFID(c.avg[g], c.p.Dwell)
	}
	if c.wfid != nil {
		c.wfid = o.finishFID(c.wfid, c.water.Params.Dwell)
	}
	c.step(fmt.Sprintf("truncate %d, zero-fill %d, apodise %g Hz exponential %g Hz Gaussian", o.Truncate, o.ZeroFill, o.LB, o.GB))
}

// finishFID applies Truncate, ZeroFill and the apodisation LB, GB (Hz) to
// one FID sampled every dwell seconds.
func (o Options) finishFID(f []complex128, dwell float64) []complex128 {
	if o.Truncate > 0 {
		f = Truncate(f, o.Truncate)
	}
	if o.ZeroFill > 0 {
		f = ZeroFill(f, o.ZeroFill)
	}
	if o.LB != 0 || o.GB != 0 {
		f = Apodize(f, dwell, o.LB, o.GB)
	}
	return f
}

// measureQuality measures the NAA and Cr singlets and the SNR of the first
// spectrum and the processed water reference's peak, and assembles the
// output data.
func (c *chain) measureQuality() error {
	p, q := c.p, c.q
	var err error
	if q.NAA, q.Cr, err = measureSingletsOf(c.avg[0], p); err != nil {
		return err
	}
	snr := snrOf(q.NAA, q.Cr)
	q.SNR, q.SNRPeak = snr.Value, snr.Peak
	c.res.Data = &mrs.Data{Params: p, Dims: c.l.dims, FIDs: c.avg, Meta: c.d.Meta}
	if c.wfid != nil {
		w, err := MeasurePeak(c.wfid, c.water.Params, WaterWindow, [2]float64{})
		if err != nil {
			return err
		}
		q.Water = &w
		c.res.Water = &mrs.Data{Params: c.water.Params, FIDs: [][]complex128{c.wfid}, Meta: c.water.Meta}
	}
	return nil
}
