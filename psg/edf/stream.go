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
	if !f.Format.IsDiscontinuous() {
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

// Block is a run of consecutive data records decoded for a set of signals
// (StreamRecords).
type Block struct {
	// First is the index of the block's first record; Onsets hold each
	// record's onset in s from Start (from the time-keeping TALs for
	// EDF+D/BDF+D).
	First  int
	Onsets []float64
	// Data[j] holds the physical samples of the j-th requested signal in
	// these records, record after record.
	Data [][]float64
}

// StreamRecords reads records [first, first+n) in sequential blocks of
// about blockBytes bytes (0: 4 MiB), decodes the signals chans to physical
// values (in their Dimension) and calls fn with each block. The block and
// its slices are reused between calls, so memory stays one block's whatever
// the file's size; a second goroutine reads the next block while fn runs.
// A non-nil error from fn stops the stream and is returned.
func (f *File) StreamRecords(chans []int, first, n, blockBytes int, fn func(b *Block) error) error {
	for _, i := range chans {
		if i < 0 || i >= len(f.Signals) {
			return fmt.Errorf("%s: signal %d does not exist (file has %d)", f.Name, i+1, len(f.Signals))
		}
		if f.Signals[i].IsAnnotation() {
			return fmt.Errorf("%s: signal %d (%s) holds annotations, not samples", f.Name, i+1, f.Signals[i].Label)
		}
	}
	if first < 0 || n < 0 || first+n > f.Records {
		return fmt.Errorf("%s: records %d to %d requested, file has %d", f.Name, first, first+n, f.Records)
	}
	if blockBytes <= 0 {
		blockBytes = 4 << 20
	}
	per := min(max(1, blockBytes/f.recordBytes), max(1, n))
	onsets := f.onsets
	type raw struct {
		k0, n int
		buf   []byte
		err   error
	}
	// Two buffers alternate between the reading goroutine and the decoder.
	free := make(chan []byte, 2)
	free <- make([]byte, per*f.recordBytes)
	free <- make([]byte, per*f.recordBytes)
	full := make(chan raw, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(full)
		for k0 := first; k0 < first+n; k0 += per {
			var buf []byte
			select {
			case buf = <-free:
			case <-stop:
				return
			}
			m := min(per, first+n-k0)
			blk := buf[:m*f.recordBytes]
			_, err := f.r.ReadAt(blk, f.dataOffset+int64(k0)*int64(f.recordBytes))
			if err != nil {
				err = fmt.Errorf("%s: records %d to %d: %w", f.Name, k0, k0+m, err)
			}
			select {
			case full <- raw{k0, m, buf, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	b := &Block{Data: make([][]float64, len(chans)), Onsets: make([]float64, 0, per)}
	bps := f.bytesPerSample()
	for r := range full {
		if r.err != nil {
			return r.err
		}
		b.First = r.k0
		b.Onsets = b.Onsets[:0]
		for k := r.k0; k < r.k0+r.n; k++ {
			if onsets != nil {
				b.Onsets = append(b.Onsets, onsets[k])
			} else {
				b.Onsets = append(b.Onsets, float64(k)*f.RecordDuration)
			}
		}
		for j, i := range chans {
			s := f.Signals[i]
			need := r.n * s.Samples
			if cap(b.Data[j]) < need {
				b.Data[j] = make([]float64, need)
			}
			b.Data[j] = b.Data[j][:need]
			g, o := s.Gain(), s.Offset()
			for k := 0; k < r.n; k++ {
				src := r.buf[k*f.recordBytes+f.sigOffset[i]:]
				decode(b.Data[j][k*s.Samples:(k+1)*s.Samples], src, bps, g, o)
			}
		}
		free <- r.buf
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}

// decode converts len(dst) little-endian samples of bps bytes in src to
// physical values d·g + o.
func decode(dst []float64, src []byte, bps int, g, o float64) {
	if bps == 2 {
		src = src[:2*len(dst)]
		for j := range dst {
			dst[j] = float64(int16(uint16(src[2*j])|uint16(src[2*j+1])<<8))*g + o
		}
		return
	}
	src = src[:3*len(dst)]
	for j := range dst {
		v := int32(src[3*j]) | int32(src[3*j+1])<<8 | int32(src[3*j+2])<<16
		dst[j] = float64(v<<8>>8)*g + o
	}
}
