// Package edf reads and writes EDF, EDF+ and BDF recordings: the header
// and signal headers, physical samples of one signal or a time window
// (streamed from an io.ReaderAt, touching only that signal's bytes), the
// time-stamped annotation lists (TALs) of EDF+ and BDF+ annotation signals,
// and record onsets of discontinuous (EDF+D) files.
//
// The formats: Kemp et al., "A simple format for exchange of digitized
// polygraphic recordings", EEG Clin Neurophysiol 1992 (EDF); Kemp and
// Olivan, Clin Neurophysiol 2003 (EDF+); BioSemi's BDF (24-bit samples).
//
// The patient and recording fields of a header identify people: they are
// kept in Header but never printed by glusleep unless asked, and Deidentify
// replaces them.
package edf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Format is the file variant.
type Format int

const (
	// EDF is plain EDF (16-bit samples, no annotation signal required).
	EDF Format = iota
	// EDFPlusC is a continuous EDF+ recording.
	EDFPlusC
	// EDFPlusD is a discontinuous EDF+ recording: record onsets come from
	// the time-keeping TALs.
	EDFPlusD
	// BDF is BioSemi's 24-bit variant without BDF+ time-keeping.
	BDF
	// BDFPlusC is a continuous BDF+ recording (reserved field "BDF+C").
	BDFPlusC
	// BDFPlusD is a discontinuous BDF+ recording (reserved field "BDF+D"):
	// record onsets come from the time-keeping TALs.
	BDFPlusD
)

// String returns the format's name ("EDF", "EDF+C", "EDF+D", "BDF",
// "BDF+C", "BDF+D"); an unknown value gives "Format(n)".
func (f Format) String() string {
	names := [...]string{"EDF", "EDF+C", "EDF+D", "BDF", "BDF+C", "BDF+D"}
	if f < 0 || int(f) >= len(names) {
		return fmt.Sprintf("Format(%d)", int(f))
	}
	return names[f]
}

// IsBDF reports whether samples are BioSemi's 24-bit (BDF, BDF+C, BDF+D).
func (f Format) IsBDF() bool { return f == BDF || f == BDFPlusC || f == BDFPlusD }

// IsPlus reports whether the format is EDF+ or BDF+ (time-keeping TALs in
// every record).
func (f Format) IsPlus() bool {
	return f == EDFPlusC || f == EDFPlusD || f == BDFPlusC || f == BDFPlusD
}

// IsDiscontinuous reports whether records may be separated by gaps (EDF+D,
// BDF+D): their onsets come from the time-keeping TALs.
func (f Format) IsDiscontinuous() bool { return f == EDFPlusD || f == BDFPlusD }

// Header is the fixed part of an EDF/BDF header and its signal headers.
type Header struct {
	// Format is the variant read from the version and reserved fields.
	Format Format
	// Version is the 8-byte version field ("0" for EDF, "\xffBIOSEMI" for BDF).
	Version string
	// Patient is the local patient identification (EDF+: code, sex, birth
	// date, name). It identifies a person: do not print it.
	Patient string
	// Recording is the local recording identification (EDF+: start date,
	// administration code, technician, equipment). It may identify a person.
	Recording string
	// Start is the recording start (date and time fields, plus the
	// sub-second offset of the first time-keeping TAL in EDF+), in the
	// recording's local time, which EDF does not state: UTC is used as the
	// zone.
	Start time.Time
	// Reserved is the 44-byte reserved field ("EDF+C", "EDF+D", "24BIT", …).
	Reserved string
	// Records is the number of data records (−1 in the header means
	// unknown; it is then computed from the file size).
	Records int
	// RecordDuration is the duration of a data record in seconds (0 for
	// annotation-only files).
	RecordDuration float64
	// Signals are the signal headers, annotation signals included.
	Signals []Signal
}

// Signal is one signal's header.
type Signal struct {
	// Label names the signal, e.g. "EEG Fpz-Cz" or "EDF Annotations".
	Label string
	// Transducer describes the sensor.
	Transducer string
	// Dimension is the physical unit, e.g. "uV", "µV", "mV".
	Dimension string
	// PhysMin and PhysMax are the physical values of DigMin and DigMax.
	PhysMin, PhysMax float64
	// DigMin and DigMax are the digital extremes.
	DigMin, DigMax int
	// Prefilter describes the filtering, e.g. "HP:0.1Hz LP:75Hz".
	Prefilter string
	// Samples is the number of samples per data record.
	Samples int
	// Reserved is the signal's reserved field.
	Reserved string
}

// IsAnnotation reports whether the signal holds EDF+/BDF+ annotations.
func (s Signal) IsAnnotation() bool {
	l := strings.TrimSpace(s.Label)
	return l == "EDF Annotations" || l == "BDF Annotations"
}

// Rate returns the sampling rate in Hz for records of duration d seconds.
func (s Signal) Rate(d float64) float64 {
	if d <= 0 {
		return 0
	}
	return float64(s.Samples) / d
}

// Gain returns the physical units per digital step; Offset the physical
// value of digital 0: physical = digital·Gain + Offset.
func (s Signal) Gain() float64 {
	return (s.PhysMax - s.PhysMin) / float64(s.DigMax-s.DigMin)
}

// Offset returns the physical value of digital 0.
func (s Signal) Offset() float64 {
	return s.PhysMin - float64(s.DigMin)*s.Gain()
}

// UnitScale returns the factor converting a signal's physical values in
// unit dim to µV, and whether dim is a voltage unit glusleep knows (V, mV,
// µV/uV, nV, in any case, with or without spaces).
func UnitScale(dim string) (float64, bool) {
	d := strings.TrimSpace(dim)
	switch d {
	case "V", "v":
		return 1e6, true
	case "mV", "mv", "MV":
		return 1e3, true
	case "uV", "µV", "μV", "uv", "UV", "microV", "microvolt":
		return 1, true
	case "nV", "nv":
		return 1e-3, true
	}
	return 0, false
}

// ErrFormat wraps every error about a malformed file.
var ErrFormat = errors.New("edf: malformed file")

// fieldError reports a malformed header field.
func fieldError(field, value, want string) error {
	return fmt.Errorf("%w: field %s is %q, want %s", ErrFormat, field, value, want)
}

func ascii(b []byte) string { return strings.TrimRight(string(b), " \x00") }

func parseIntField(field string, b []byte) (int, error) {
	s := strings.TrimSpace(string(b))
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fieldError(field, s, "an integer")
	}
	return v, nil
}

func parseFloatField(field string, b []byte) (float64, error) {
	s := strings.TrimSpace(string(b))
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fieldError(field, s, "a number")
	}
	return v, nil
}

// dotted reads "nn.nn.nn" (spaces removed; each number one or two
// digits, nothing else).
func dotted(f string) (a, b, c int, ok bool) {
	p := strings.Split(strings.ReplaceAll(f, " ", ""), ".")
	if len(p) != 3 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, x := range p {
		if len(x) < 1 || len(x) > 2 || strings.Trim(x, "0123456789") != "" {
			return 0, 0, 0, false
		}
		n[i], _ = strconv.Atoi(x)
	}
	return n[0], n[1], n[2], true
}

// parseStart reads the dd.mm.yy and hh.mm.ss fields. Years 85–99 are
// 1985–1999, 00–84 are 2000–2084 (the EDF clipping date convention); an
// EDF+ recording field "Startdate dd-MMM-yyyy" gives the full year.
func parseStart(date, clock, recording string) (time.Time, error) {
	d, mo, y, ok := dotted(date)
	if !ok {
		return time.Time{}, fieldError("startdate", date, "dd.mm.yy")
	}
	h, mi, s, ok := dotted(clock)
	if !ok {
		return time.Time{}, fieldError("starttime", clock, "hh.mm.ss")
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 {
		return time.Time{}, fieldError("startdate/starttime", date+" "+clock, "a valid date and time")
	}
	if y >= 85 {
		y += 1900
	} else {
		y += 2000
	}
	if f := strings.Fields(recording); len(f) >= 2 && f[0] == "Startdate" {
		if t, err := time.Parse("02-Jan-2006", monthCase(f[1])); err == nil && t.Day() == d && int(t.Month()) == mo {
			y = t.Year()
		}
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC), nil
}

// signalFieldWidths are the widths in bytes of the signal header fields,
// in their order: label, transducer, dimension, physical minimum and
// maximum, digital minimum and maximum, prefilter, samples per record,
// reserved. They are stored field by field: all labels, then all
// transducers, …
var signalFieldWidths = [...]int{16, 80, 8, 8, 8, 8, 8, 80, 8, 32}

// parseHeader parses the full header (256 + 256·ns bytes) in b: the fixed
// part (parseFixed), then the signal headers (parseSignals).
func parseHeader(b []byte) (*Header, int, error) {
	h, ns, nbytes, err := parseFixed(b)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < nbytes {
		return nil, 0, fmt.Errorf("%w: file ends in the signal headers (%d of %d header bytes)", ErrFormat, len(b), nbytes)
	}
	if h.Signals, err = parseSignals(b[256:nbytes], ns, h.RecordDuration, h.Format.IsBDF()); err != nil {
		return nil, 0, err
	}
	return h, nbytes, nil
}

// parseFixed parses the fixed 256 bytes of the header at the start of b
// and returns them with the number of signals and the header's size in
// bytes (256·(ns+1)).
func parseFixed(b []byte) (h *Header, ns, nbytes int, err error) {
	if len(b) < 256 {
		return nil, 0, 0, fmt.Errorf("%w: header has %d bytes, want at least 256", ErrFormat, len(b))
	}
	h = &Header{}
	ver := b[0:8]
	bdf := ver[0] == 0xFF
	switch {
	case bdf:
		if string(ver[1:8]) != "BIOSEMI" {
			return nil, 0, 0, fieldError("version", string(ver), `"\xffBIOSEMI" (BDF)`)
		}
		h.Version = string(ver)
		h.Format = BDF
	default:
		if strings.TrimSpace(string(ver)) != "0" {
			return nil, 0, 0, fieldError("version", string(ver), `"0       " (EDF) or "\xffBIOSEMI" (BDF)`)
		}
		h.Version = "0"
	}
	h.Patient = ascii(b[8:88])
	h.Recording = ascii(b[88:168])
	start, err := parseStart(string(b[168:176]), string(b[176:184]), h.Recording)
	if err != nil {
		return nil, 0, 0, err
	}
	h.Start = start
	nbytes, err = parseIntField("number of bytes in header", b[184:192])
	if err != nil {
		return nil, 0, 0, err
	}
	h.Reserved = ascii(b[192:236])
	switch {
	case !bdf && strings.HasPrefix(h.Reserved, "EDF+C"):
		h.Format = EDFPlusC
	case !bdf && strings.HasPrefix(h.Reserved, "EDF+D"):
		h.Format = EDFPlusD
	case bdf && strings.HasPrefix(h.Reserved, "BDF+C"):
		h.Format = BDFPlusC
	case bdf && strings.HasPrefix(h.Reserved, "BDF+D"):
		h.Format = BDFPlusD
	}
	if h.Records, err = parseIntField("number of data records", b[236:244]); err != nil {
		return nil, 0, 0, err
	}
	if h.Records < -1 {
		return nil, 0, 0, fieldError("number of data records", strconv.Itoa(h.Records), "≥ 0 or −1 (unknown)")
	}
	if h.RecordDuration, err = parseFloatField("duration of a data record", b[244:252]); err != nil {
		return nil, 0, 0, err
	}
	if h.RecordDuration < 0 || (h.RecordDuration > 0 && h.RecordDuration < MinRecordSeconds) || h.RecordDuration > MaxRecordSeconds {
		return nil, 0, 0, fieldError("duration of a data record", fmt.Sprint(h.RecordDuration),
			fmt.Sprintf("0 s (annotations only) or %g to %g s", MinRecordSeconds, MaxRecordSeconds))
	}
	ns, err = parseIntField("number of signals", b[252:256])
	if err != nil {
		return nil, 0, 0, err
	}
	if ns < 1 || ns > 4096 {
		return nil, 0, 0, fieldError("number of signals", strconv.Itoa(ns), "1 to 4096")
	}
	if nbytes != 256*(ns+1) {
		return nil, 0, 0, fmt.Errorf("%w: header size field says %d bytes, but %d signals need 256×(%d+1) = %d", ErrFormat, nbytes, ns, ns, 256*(ns+1))
	}
	return h, ns, nbytes, nil
}

// parseSignals parses the ns signal headers in b (256·ns bytes), stored
// field by field (signalFieldWidths), and checks each signal's ranges and
// its sampling rate for records of rd s; bdf allows 24-bit digital values.
func parseSignals(b []byte, ns int, rd float64, bdf bool) ([]Signal, error) {
	fields := make([][]string, len(signalFieldWidths))
	off := 0
	for f, w := range signalFieldWidths {
		fields[f] = make([]string, ns)
		for i := 0; i < ns; i++ {
			fields[f][i] = string(b[off : off+w])
			off += w
		}
	}
	sigs := make([]Signal, ns)
	for i := range sigs {
		s := &sigs[i]
		if err := s.parse(i, func(f int) string { return fields[f][i] }); err != nil {
			return nil, err
		}
		if err := s.check(i, rd, bdf); err != nil {
			return nil, err
		}
	}
	return sigs, nil
}

// parse sets s, signal i (from 0), from its header fields, field(f)
// returning field f in signalFieldWidths' order.
func (s *Signal) parse(i int, field func(f int) string) error {
	name := func(f string) string { return fmt.Sprintf("signal %d %s", i+1, f) }
	var err error
	s.Label = strings.TrimSpace(field(0))
	s.Transducer = strings.TrimSpace(field(1))
	s.Dimension = strings.TrimSpace(field(2))
	if s.PhysMin, err = parseFloatField(name("physical minimum"), []byte(field(3))); err != nil {
		return err
	}
	if s.PhysMax, err = parseFloatField(name("physical maximum"), []byte(field(4))); err != nil {
		return err
	}
	if s.DigMin, err = parseIntField(name("digital minimum"), []byte(field(5))); err != nil {
		return err
	}
	if s.DigMax, err = parseIntField(name("digital maximum"), []byte(field(6))); err != nil {
		return err
	}
	s.Prefilter = strings.TrimSpace(field(7))
	if s.Samples, err = parseIntField(name("number of samples in each data record"), []byte(field(8))); err != nil {
		return err
	}
	s.Reserved = strings.TrimSpace(field(9))
	if s.Samples < 0 || s.Samples > 1<<24 {
		return fieldError(name("number of samples in each data record"), strconv.Itoa(s.Samples), "0 to 16777216")
	}
	return nil
}

// check refuses signal i's header when its digital range is empty or
// beyond the sample size (24 bits when bdf, else 16), its sampling rate
// for records of rd s is above MaxRateHz, or its physical range is empty.
func (s *Signal) check(i int, rd float64, bdf bool) error {
	if s.DigMax <= s.DigMin {
		return fmt.Errorf("%w: signal %d (%s): digital maximum %d ≤ digital minimum %d", ErrFormat, i+1, s.Label, s.DigMax, s.DigMin)
	}
	lo, hi := -32768, 32767
	if bdf {
		lo, hi = -8388608, 8388607
	}
	if s.DigMin < lo || s.DigMax > hi {
		return fmt.Errorf("%w: signal %d (%s): digital range %d…%d exceeds the %d…%d the sample size allows", ErrFormat, i+1, s.Label, s.DigMin, s.DigMax, lo, hi)
	}
	if r := s.Rate(rd); r > MaxRateHz {
		return fmt.Errorf("%w: signal %d (%s): %d samples per %g s record is %g Hz, above the %g Hz glusleep reads", ErrFormat, i+1, s.Label, s.Samples, rd, r, MaxRateHz)
	}
	if s.PhysMax == s.PhysMin {
		return fmt.Errorf("%w: signal %d (%s): physical minimum = maximum = %g", ErrFormat, i+1, s.Label, s.PhysMin)
	}
	return nil
}

// Limits on header values: record durations outside them, or sampling
// rates above MaxRateHz, are refused as malformed (they come from damaged
// files, and would make times and filter lengths meaningless).
const (
	// MinRecordSeconds is the shortest data record read (1 µs).
	MinRecordSeconds = 1e-6
	// MaxRecordSeconds is the longest data record read (10⁷ s, 116 days).
	MaxRecordSeconds = 1e7
	// MaxRateHz is the fastest sampling rate read (1 MHz).
	MaxRateHz = 1e6
)

// bytesPerSample is 2 for EDF, 3 for BDF.
func (h *Header) bytesPerSample() int {
	if h.Format.IsBDF() {
		return 3
	}
	return 2
}

// recordBytes returns the size of one data record in bytes.
func (h *Header) recordBytes() int {
	n := 0
	for _, s := range h.Signals {
		n += s.Samples
	}
	return n * h.bytesPerSample()
}

// Signal returns the index of the first signal whose label equals label
// (ignoring case and surrounding space), or −1.
func (h *Header) Signal(label string) int {
	for i, s := range h.Signals {
		if strings.EqualFold(strings.TrimSpace(s.Label), strings.TrimSpace(label)) {
			return i
		}
	}
	return -1
}

// Duration returns the recorded duration in seconds (records × record
// duration; for EDF+D the span from the first record onset to the end of
// the last record is RecordOnsets' business).
func (h *Header) Duration() float64 { return float64(h.Records) * h.RecordDuration }

// padField returns s padded with spaces (or truncated) to n bytes.
func padField(s string, n int) []byte {
	b := bytes.Repeat([]byte{' '}, n)
	copy(b, s)
	return b
}

// monthCase writes "dd-MMM-yyyy" with the month as Go's parser expects
// ("02-JAN-2001" → "02-Jan-2001").
func monthCase(s string) string {
	b := []byte(strings.ToLower(s))
	if len(b) > 3 && b[2] == '-' && b[3] >= 'a' && b[3] <= 'z' {
		b[3] -= 'a' - 'A'
	}
	return string(b)
}
