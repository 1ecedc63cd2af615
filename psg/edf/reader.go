package edf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sort"
	"sync"
)

// Options control how a file is opened.
type Options struct {
	// AllowTruncated reads a file shorter than its header declares: the
	// complete records are used and File.Truncated says what was missing.
	// Without it such a file is an error.
	AllowTruncated bool
}

// File is an opened recording. Its methods read samples on demand from the
// underlying io.ReaderAt; it is safe for concurrent use when that is.
type File struct {
	Header
	// Name is the file name used in error messages.
	Name string
	// Truncated is non-empty when the file was shorter than declared and
	// Options.AllowTruncated let it open: it says how many records were
	// declared, how many are complete and how many bytes remain.
	Truncated string
	// Warnings list what was read although it does not follow the format:
	// data beyond the declared records, a record count the file size does
	// not match, record onsets that go backwards. Nothing is ignored
	// silently: each is also in Truncated, Trailing or Gaps.
	Warnings []string
	// Trailing is non-empty when the file holds bytes beyond the records
	// its header declares (whole records or a partial one); they are not
	// read.
	Trailing string

	r           io.ReaderAt
	closer      io.Closer
	dataOffset  int64
	recordBytes int
	sigOffset   []int // byte offset of each signal within a record
	onsets      []float64
	tals        []Annotation
	talsRead    bool
}

// Open opens the EDF/BDF file at path. Close it when done.
func Open(path string, opt Options) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	f, err := NewReader(fh, st.Size(), path, opt)
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// Close closes the file opened by Open.
func (f *File) Close() error {
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// NewReader reads the header of a recording of size bytes from r. name is
// used in error messages.
func NewReader(r io.ReaderAt, size int64, name string, opt Options) (*File, error) {
	fix := make([]byte, 256)
	if n, err := r.ReadAt(fix, 0); n < 256 {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("%s: %w: file has %d bytes, shorter than the 256-byte header", name, ErrFormat, n)
	}
	ns, err := parseIntField("number of signals", fix[252:256])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if ns < 1 || ns > 4096 {
		return nil, fmt.Errorf("%s: %w", name, fieldError("number of signals", fmt.Sprint(ns), "1 to 4096"))
	}
	full := make([]byte, 256*(ns+1))
	n, _ := r.ReadAt(full, 0)
	h, hb, err := parseHeader(full[:n])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f := &File{Header: *h, Name: name, r: r, dataOffset: int64(hb)}
	f.recordBytes = h.recordBytes()
	f.sigOffset = make([]int, len(h.Signals))
	off := 0
	for i, s := range h.Signals {
		f.sigOffset[i] = off
		off += s.Samples * h.bytesPerSample()
	}
	if f.recordBytes == 0 {
		return nil, fmt.Errorf("%s: %w: data records hold no samples", name, ErrFormat)
	}
	if f.recordBytes > MaxRecordBytes {
		return nil, fmt.Errorf("%s: %w: one data record would hold %d bytes, over the %d MiB glusleep reads (the EDF+ specification asks for at most 61440)",
			name, ErrFormat, f.recordBytes, MaxRecordBytes>>20)
	}
	if err := f.checkSize(size, hb, opt); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if f.Format.IsPlus() || f.annotationIndex() >= 0 {
		if err := f.readTALs(); err != nil {
			return nil, err
		}
	}
	f.checkOnsets()
	return f, nil
}

// MaxRecordBytes is the largest data record read (64 MiB): the readers
// allocate a record's worth of memory per signal or block, and larger
// records come from damaged headers.
const MaxRecordBytes = 64 << 20

// ErrTruncated marks a file shorter than its header declares (wrapped with
// ErrFormat); Options.AllowTruncated reads its complete records.
var ErrTruncated = errors.New("file is truncated")

// checkSize compares the file size with the declared records: a short file
// is an error (or, with AllowTruncated, read up to its last complete
// record); bytes beyond the declared records are a warning.
func (f *File) checkSize(size int64, hb int, opt Options) error {
	data := size - int64(hb)
	avail := data / int64(f.recordBytes)
	rest := data % int64(f.recordBytes)
	declared := f.Header.Records
	switch {
	case declared == -1:
		f.Records = int(avail)
		f.Warnings = append(f.Warnings, fmt.Sprintf("header gives the number of data records as -1 (unknown): %d complete records counted from the file size", avail))
		if rest > 0 {
			f.Trailing = fmt.Sprintf("%d bytes after the last complete record (a partial record) are not read", rest)
			f.Warnings = append(f.Warnings, f.Trailing)
		}
	case int64(declared) > avail:
		if !opt.AllowTruncated {
			return fmt.Errorf("%w: %w: header declares %d data records of %d bytes, but the file holds %d complete records (%d bytes short)",
				ErrFormat, ErrTruncated, declared, f.recordBytes, avail, int64(declared)*int64(f.recordBytes)-data)
		}
		f.Truncated = fmt.Sprintf("header declares %d records; %d complete records read, %d bytes of a partial record ignored", declared, avail, rest)
		f.Warnings = append(f.Warnings, "truncated: "+f.Truncated)
		f.Records = int(avail)
	case int64(declared) < avail || (int64(declared) == avail && rest > 0):
		extra := data - int64(declared)*int64(f.recordBytes)
		f.Trailing = fmt.Sprintf("%d bytes beyond the %d declared records (%d whole records and %d bytes) are not read: the header's record count may be wrong",
			extra, declared, extra/int64(f.recordBytes), extra%int64(f.recordBytes))
		f.Warnings = append(f.Warnings, f.Trailing)
	}
	return nil
}

// Gap is a stretch of time between two records of a discontinuous
// (EDF+D/BDF+D) file that holds no data.
type Gap struct {
	// Record is the index of the record after the gap.
	Record int
	// Onset is the end of the record before the gap and Duration the time
	// to the next record's onset, in s from Start.
	Onset, Duration float64
}

// Gaps returns the gaps between records of a discontinuous file (none for
// continuous files): times where a record's onset lies more than 1 µs after
// the end of the record before it.
func (f *File) Gaps() []Gap {
	var out []Gap
	for k := 1; k < len(f.onsets); k++ {
		end := f.onsets[k-1] + f.RecordDuration
		if d := f.onsets[k] - end; d > 1e-6 {
			out = append(out, Gap{Record: k, Onset: end, Duration: d})
		}
	}
	return out
}

// checkOnsets warns about records of a discontinuous file that start
// before the previous record ends (EDF+ requires increasing onsets).
func (f *File) checkOnsets() {
	bad, first := 0, -1
	for k := 1; k < len(f.onsets); k++ {
		if f.onsets[k] < f.onsets[k-1]+f.RecordDuration-1e-6 {
			if first < 0 {
				first = k
			}
			bad++
		}
	}
	if bad > 0 {
		f.Warnings = append(f.Warnings, fmt.Sprintf("%d records start before the previous record ends (first: record %d at %g s); their samples overlap in time",
			bad, first, f.onsets[first]))
	}
}

func (f *File) annotationIndex() int {
	for i, s := range f.Signals {
		if s.IsAnnotation() {
			return i
		}
	}
	return -1
}

// RecordOnsets returns the onset of each data record in seconds from
// Start: k·RecordDuration for continuous files, the time-keeping TALs'
// onsets for EDF+D.
func (f *File) RecordOnsets() []float64 {
	if f.onsets != nil {
		return f.onsets
	}
	out := make([]float64, f.Records)
	for i := range out {
		out[i] = float64(i) * f.RecordDuration
	}
	return out
}

// readRecordSignal reads signal i of record k as digital values into dst.
func (f *File) readRecordSignal(dst []int32, buf []byte, i, k int) error {
	s := f.Signals[i]
	bps := f.bytesPerSample()
	n := s.Samples * bps
	off := f.dataOffset + int64(k)*int64(f.recordBytes) + int64(f.sigOffset[i])
	if _, err := f.r.ReadAt(buf[:n], off); err != nil {
		return fmt.Errorf("%s: signal %d (%s) record %d: %w", f.Name, i+1, s.Label, k, err)
	}
	if bps == 2 {
		for j := range dst[:s.Samples] {
			dst[j] = int32(int16(binary.LittleEndian.Uint16(buf[2*j:])))
		}
		return nil
	}
	for j := range dst[:s.Samples] {
		v := int32(buf[3*j]) | int32(buf[3*j+1])<<8 | int32(buf[3*j+2])<<16
		dst[j] = v << 8 >> 8 // sign-extend 24 bits
	}
	return nil
}

// Digital returns signal i's digital samples of records [first, first+n).
func (f *File) Digital(i, first, n int) ([]int32, error) {
	if i < 0 || i >= len(f.Signals) {
		return nil, fmt.Errorf("%s: signal %d does not exist (file has %d)", f.Name, i+1, len(f.Signals))
	}
	if first < 0 || n < 0 || first+n > f.Records {
		return nil, fmt.Errorf("%s: records %d to %d requested, file has %d", f.Name, first, first+n, f.Records)
	}
	s := f.Signals[i]
	out := make([]int32, n*s.Samples)
	buf := make([]byte, s.Samples*f.bytesPerSample())
	for k := 0; k < n; k++ {
		if err := f.readRecordSignal(out[k*s.Samples:], buf, i, first+k); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Physical returns signal i's physical samples (in its Dimension) from
// start seconds for duration seconds (duration < 0: to the end). Samples
// are read record by record, touching only this signal's bytes, with
// memory proportional to the samples returned. For EDF+D files the time
// axis is that of the record onsets: samples of records that start inside
// [start, start+duration) are returned, concatenated.
func (f *File) Physical(i int, start, duration float64) ([]float64, error) {
	if i < 0 || i >= len(f.Signals) {
		return nil, fmt.Errorf("%s: signal %d does not exist (file has %d)", f.Name, i+1, len(f.Signals))
	}
	s := f.Signals[i]
	if s.IsAnnotation() {
		return nil, fmt.Errorf("%s: signal %d (%s) holds annotations, not samples", f.Name, i+1, s.Label)
	}
	if math.IsNaN(start) || math.IsNaN(duration) || start < 0 {
		return nil, fmt.Errorf("%s: time window start %g s, duration %g s: want start ≥ 0", f.Name, start, duration)
	}
	rate := s.Rate(f.RecordDuration)
	if rate == 0 {
		return nil, fmt.Errorf("%s: signal %d (%s) has no sampling rate (record duration %g s)", f.Name, i+1, s.Label, f.RecordDuration)
	}
	end := math.Inf(1)
	if duration >= 0 {
		end = start + duration
	}
	onsets := f.RecordOnsets()
	gain, offset := s.Gain(), s.Offset()
	dig := make([]int32, s.Samples)
	buf := make([]byte, s.Samples*f.bytesPerSample())
	var out []float64
	if !f.Format.IsDiscontinuous() {
		first := int(math.Ceil(start*rate - 1e-9))
		last := f.Records * s.Samples
		if !math.IsInf(end, 1) {
			last = min(last, int(math.Ceil(end*rate-1e-9)))
		}
		if first >= last {
			return []float64{}, nil
		}
		out = make([]float64, 0, last-first)
		for k := first / s.Samples; k*s.Samples < last; k++ {
			if err := f.readRecordSignal(dig, buf, i, k); err != nil {
				return nil, err
			}
			for j, d := range dig[:s.Samples] {
				idx := k*s.Samples + j
				if idx >= first && idx < last {
					out = append(out, float64(d)*gain+offset)
				}
			}
		}
		return out, nil
	}
	for k, on := range onsets {
		if on+f.RecordDuration <= start || on >= end {
			continue
		}
		if err := f.readRecordSignal(dig, buf, i, k); err != nil {
			return nil, err
		}
		for j, d := range dig[:s.Samples] {
			t := on + float64(j)/rate
			if t >= start && t < end {
				out = append(out, float64(d)*gain+offset)
			}
		}
	}
	if out == nil {
		out = []float64{}
	}
	return out, nil
}

// Annotations returns the annotations of every annotation signal, sorted by
// onset (stable), without the empty time-keeping entries. Onsets are
// seconds from Start.
func (f *File) Annotations() []Annotation {
	out := append([]Annotation(nil), f.tals...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].Onset < out[b].Onset })
	return out
}

// readTALs parses the annotation signals of every record, collecting the
// annotations, the record onsets (first TAL of each record in the first
// annotation signal) and the sub-second start offset.
func (f *File) readTALs() error {
	var idx []int
	for i, s := range f.Signals {
		if s.IsAnnotation() {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		if f.Format.IsPlus() {
			return fmt.Errorf("%s: %w: %s file has no \"EDF Annotations\" signal", f.Name, ErrFormat, f.Format)
		}
		return nil
	}
	onsets := make([]float64, f.Records)
	bps := f.bytesPerSample()
	// Records are read talBatch at a time (about 1 MiB), not one read per
	// record: an 8-hour night has 28,800 records.
	talBatch := max(1, (1<<20)/f.recordBytes)
	batch := make([]byte, min(talBatch, max(f.Records, 1))*f.recordBytes)
	// Each batch is read once for all annotation signals; each signal's
	// TALs are kept apart and joined in signal order at the end.
	tals := make([][]Annotation, len(idx))
	first := -1 // the first record in batch
	for k := 0; k < f.Records; k++ {
		if first < 0 || k >= first+talBatch {
			first = k
			m := min(talBatch, f.Records-k)
			if _, err := f.r.ReadAt(batch[:m*f.recordBytes], f.dataOffset+int64(k)*int64(f.recordBytes)); err != nil {
				return fmt.Errorf("%s: annotation signals, records %d–%d: %w", f.Name, k, k+m-1, err)
			}
		}
		for n, i := range idx {
			s := f.Signals[i]
			at := (k-first)*f.recordBytes + f.sigOffset[i]
			got, keep, err := parseTALs(batch[at : at+s.Samples*bps])
			if err != nil {
				return fmt.Errorf("%s: annotation signal %d (%s) record %d: %w", f.Name, i+1, s.Label, k, err)
			}
			if n == 0 {
				if !keep.ok && f.Format.IsPlus() {
					return fmt.Errorf("%s: %w: annotation signal record %d has no time-keeping TAL", f.Name, ErrFormat, k)
				}
				onsets[k] = keep.onset
			}
			tals[n] = append(tals[n], got...)
		}
	}
	for _, t := range tals {
		f.tals = append(f.tals, t...)
	}
	// The first record's onset is the sub-second part of the start time
	// (EDF+ §2.2.4); onsets are made relative to the header's start.
	if f.Records > 0 {
		sub := onsets[0] - math.Floor(onsets[0])
		if sub > 0 {
			f.Start = f.Start.Add(timeDuration(sub))
			for k := range onsets {
				onsets[k] -= sub
			}
			for j := range f.tals {
				f.tals[j].Onset -= sub
			}
		}
		if f.Format.IsDiscontinuous() {
			f.onsets = onsets
		}
	}
	f.talsRead = true
	return nil
}

// ReadAll returns the physical samples of every signal (nil for annotation
// signals), reading the data records in large sequential blocks: the
// fastest way to load a whole recording.
func (f *File) ReadAll() ([][]float64, error) {
	return f.ReadAllInto(nil)
}

// ReadAllInto is ReadAll decoding into dst where dst[i] has the capacity
// for signal i (reusing memory across files); missing or short slices are
// allocated.
func (f *File) ReadAllInto(dst [][]float64) ([][]float64, error) {
	out := make([][]float64, len(f.Signals))
	gain := make([]float64, len(f.Signals))
	offs := make([]float64, len(f.Signals))
	for i, s := range f.Signals {
		if s.IsAnnotation() {
			continue
		}
		n := f.Records * s.Samples
		if i < len(dst) && cap(dst[i]) >= n {
			out[i] = dst[i][:n]
		} else {
			out[i] = make([]float64, n)
		}
		gain[i], offs[i] = s.Gain(), s.Offset()
	}
	bps := f.bytesPerSample()
	per := max(1, (4<<20)/f.recordBytes)
	// Blocks of records are read and decoded by one worker per CPU; each
	// block is independent, so they run in parallel.
	type block struct{ k0, n int }
	blocks := make(chan block)
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, per*f.recordBytes)
			for b := range blocks {
				blk := buf[:b.n*f.recordBytes]
				if _, err := f.r.ReadAt(blk, f.dataOffset+int64(b.k0)*int64(f.recordBytes)); err != nil {
					select {
					case errc <- fmt.Errorf("%s: records %d to %d: %w", f.Name, b.k0, b.k0+b.n, err):
					default:
					}
					continue
				}
				f.decodeBlock(out, gain, offs, blk, b.k0, b.n, bps)
			}
		}()
	}
	for k0 := 0; k0 < f.Records; k0 += per {
		blocks <- block{k0, min(per, f.Records-k0)}
	}
	close(blocks)
	wg.Wait()
	select {
	case err := <-errc:
		return nil, err
	default:
	}
	return out, nil
}

// decodeBlock converts n records starting at record k0, held in blk, to
// physical values in out.
func (f *File) decodeBlock(out [][]float64, gain, offs []float64, blk []byte, k0, n, bps int) {
	for k := 0; k < n; k++ {
		rec := blk[k*f.recordBytes:]
		for i, s := range f.Signals {
			if out[i] == nil {
				continue
			}
			dst := out[i][(k0+k)*s.Samples : (k0+k+1)*s.Samples]
			decode(dst, rec[f.sigOffset[i]:f.sigOffset[i]+s.Samples*bps], bps, gain[i], offs[i])
		}
	}
}
