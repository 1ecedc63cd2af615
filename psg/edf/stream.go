package edf

import (
	"fmt"
	"math"
)

// Stream reads signal i record by record from start seconds for duration
// seconds (duration < 0: to the end) and calls fn with each record's
// physical samples and the time of the first of them (s from Start). The
// slice passed to fn is reused between calls: memory stays one record's,
// whatever the file's size. A non-nil error from fn stops the stream and is
// returned.
func (f *File) Stream(i int, start, duration float64, fn func(t0 float64, x []float64) error) error {
	if i < 0 || i >= len(f.Signals) {
		return fmt.Errorf("%s: signal %d does not exist (file has %d)", f.Name, i+1, len(f.Signals))
	}
	s := f.Signals[i]
	if s.IsAnnotation() {
		return fmt.Errorf("%s: signal %d (%s) holds annotations, not samples", f.Name, i+1, s.Label)
	}
	rate := s.Rate(f.RecordDuration)
	if rate == 0 || math.IsNaN(start) || start < 0 {
		return fmt.Errorf("%s: signal %d (%s): cannot stream from %g s at %g Hz", f.Name, i+1, s.Label, start, rate)
	}
	end := math.Inf(1)
	if duration >= 0 {
		end = start + duration
	}
	dig := make([]int32, s.Samples)
	buf := make([]byte, s.Samples*f.bytesPerSample())
	phys := make([]float64, 0, s.Samples)
	gain, off := s.Gain(), s.Offset()
	// Continuous files: record k starts at k·RecordDuration (no onset table
	// is built, so memory stays one record's); EDF+D: the TAL onsets.
	k0, k1 := 0, f.Records
	if f.Format != EDFPlusD {
		k0 = max(0, int(math.Floor(start/f.RecordDuration)))
		if !math.IsInf(end, 1) {
			k1 = min(f.Records, int(math.Ceil(end/f.RecordDuration)))
		}
	}
	for k := k0; k < k1; k++ {
		on := float64(k) * f.RecordDuration
		if f.onsets != nil {
			on = f.onsets[k]
		}
		if on+f.RecordDuration <= start || on >= end {
			continue
		}
		if err := f.readRecordSignal(dig, buf, i, k); err != nil {
			return err
		}
		phys = phys[:0]
		t0 := math.NaN()
		for j, d := range dig[:s.Samples] {
			t := on + float64(j)/rate
			if t >= start-1e-9 && t < end-1e-9 {
				if math.IsNaN(t0) {
					t0 = t
				}
				phys = append(phys, float64(d)*gain+off)
			}
		}
		if len(phys) > 0 {
			if err := fn(t0, phys); err != nil {
				return err
			}
		}
	}
	return nil
}

// Microvolts returns the factor converting signal i's physical values to
// µV, or an error naming the signal when its dimension is not a voltage.
func (f *File) Microvolts(i int) (float64, error) {
	if i < 0 || i >= len(f.Signals) {
		return 0, fmt.Errorf("%s: signal %d does not exist", f.Name, i+1)
	}
	u, ok := UnitScale(f.Signals[i].Dimension)
	if !ok {
		return 0, fmt.Errorf("%s: signal %d (%s) has physical dimension %q, not a voltage (V, mV, uV, µV, nV)", f.Name, i+1, f.Signals[i].Label, f.Signals[i].Dimension)
	}
	return u, nil
}
