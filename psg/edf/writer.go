package edf

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// SignalData is a signal to write: its header (Samples = samples per
// record) and its physical samples.
type SignalData struct {
	Signal
	// Data holds the physical samples; the last record is padded with the
	// physical value of digital 0 (clamped to the range) when short.
	Data []float64
}

// WriteOptions describe the recording to write.
type WriteOptions struct {
	// Patient and Recording are the identification fields (EDF+ style:
	// "code sex birthdate name" and "Startdate dd-MMM-yyyy admin tech
	// equipment"); empty gives the EDF+ anonymous "X X X X" and
	// "Startdate X X X X".
	Patient, Recording string
	// Start is the recording start; sub-second parts go into the first
	// time-keeping TAL.
	Start time.Time
	// RecordDuration is the data record duration in s (default 1).
	RecordDuration float64
	// Annotations are written into an "EDF Annotations" signal (always
	// present: the file is EDF+C).
	Annotations []Annotation
}

// Write writes an EDF+C recording. Physical values are converted to
// digital values by the signals' ranges (rounded, clamped to DigMin…DigMax).
func Write(w io.Writer, sigs []SignalData, opt WriteOptions) error {
	rd, records, err := checkWrite(sigs, opt)
	if err != nil {
		return err
	}
	per, err := annotationRecords(opt, records, rd)
	if err != nil {
		return err
	}
	annBytes := 0
	for _, p := range per {
		annBytes = max(annBytes, len(p))
	}
	annSamples := (annBytes + 1) / 2
	ann := Signal{Label: "EDF Annotations", PhysMin: -1, PhysMax: 1, DigMin: -32768, DigMax: 32767, Samples: annSamples}
	all := make([]Signal, 0, len(sigs)+1)
	for _, s := range sigs {
		all = append(all, s.Signal)
	}
	all = append(all, ann)
	hdr, err := writeHeader(all, opt, records, rd)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.Write(hdr); err != nil {
		return err
	}
	if err := writeRecords(bw, sigs, per, annSamples); err != nil {
		return err
	}
	return bw.Flush()
}

// checkWrite checks the signals and options Write is given and returns
// the record duration in s (opt's, 1 by default) and the number of
// records the longest signal fills (at least 1).
func checkWrite(sigs []SignalData, opt WriteOptions) (rd float64, records int, err error) {
	if len(sigs) == 0 {
		return 0, 0, fmt.Errorf("edf: nothing to write: no signals")
	}
	rd = opt.RecordDuration
	if rd == 0 {
		rd = 1
	}
	if rd < 0 || math.IsNaN(rd) {
		return 0, 0, fmt.Errorf("edf: record duration %g s, want > 0", rd)
	}
	for i, s := range sigs {
		if s.Samples <= 0 {
			return 0, 0, fmt.Errorf("edf: signal %d (%s): %d samples per record, want > 0", i+1, s.Label, s.Samples)
		}
		if s.DigMax <= s.DigMin || s.PhysMax == s.PhysMin {
			return 0, 0, fmt.Errorf("edf: signal %d (%s): digital range %d…%d, physical %g…%g: want distinct ends", i+1, s.Label, s.DigMin, s.DigMax, s.PhysMin, s.PhysMax)
		}
		if s.DigMin < -32768 || s.DigMax > 32767 {
			return 0, 0, fmt.Errorf("edf: signal %d (%s): digital range %d…%d exceeds 16 bits", i+1, s.Label, s.DigMin, s.DigMax)
		}
		if len(s.Label) > 16 {
			return 0, 0, fmt.Errorf("edf: signal %d label %q is longer than 16 bytes", i+1, s.Label)
		}
		records = max(records, (len(s.Data)+s.Samples-1)/s.Samples)
	}
	return rd, max(records, 1), nil
}

// annotationRecords returns the bytes of the annotation signal in each of
// the records of rd s: a time-keeping TAL in each record, the annotations
// spread over records (each record holds the ones whose onset falls in
// it, which keeps it small and ordered).
func annotationRecords(opt WriteOptions, records int, rd float64) ([][]byte, error) {
	per := make([][]byte, records)
	sub := float64(opt.Start.Nanosecond()) / 1e9
	for k := range per {
		per[k] = append(per[k], []byte(formatSeconds(sub+float64(k)*rd)+"\x14\x14\x00")...)
	}
	for _, a := range opt.Annotations {
		if math.IsNaN(a.Onset) || math.IsInf(a.Onset, 0) {
			return nil, fmt.Errorf("edf: annotation %q has onset %g", a.Text, a.Onset)
		}
		k := int(math.Floor(a.Onset / rd))
		k = max(0, min(records-1, k))
		a.Onset += sub
		per[k] = append(per[k], encodeTAL(a)...)
	}
	return per, nil
}

// writeHeader returns the EDF+C header of records records of rd s with
// the signals all (the annotation signal last): the fixed part, with
// opt's identification fields (EDF+'s anonymous ones when empty) and
// start (1 Jan 1985 when zero), then the signal headers field by field.
func writeHeader(all []Signal, opt WriteOptions, records int, rd float64) ([]byte, error) {
	ns := len(all)
	patient, recording := opt.Patient, opt.Recording
	if patient == "" {
		patient = "X X X X"
	}
	if recording == "" {
		recording = "Startdate " + strings.ToUpper(opt.Start.Format("02-Jan-2006")) + " X X X"
		if opt.Start.IsZero() {
			recording = "Startdate X X X X"
		}
	}
	start := opt.Start
	if start.IsZero() {
		start = time.Date(1985, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	hdr := make([]byte, 0, 256*(ns+1))
	hdr = append(hdr, padField("0", 8)...)
	hdr = append(hdr, padField(patient, 80)...)
	hdr = append(hdr, padField(recording, 80)...)
	hdr = append(hdr, padField(start.Format("02.01.06"), 8)...)
	hdr = append(hdr, padField(start.Format("15.04.05"), 8)...)
	hdr = append(hdr, padField(strconv.Itoa(256*(ns+1)), 8)...)
	hdr = append(hdr, padField("EDF+C", 44)...)
	hdr = append(hdr, padField(strconv.Itoa(records), 8)...)
	hdr = append(hdr, padField(fmtNum(rd), 8)...)
	hdr = append(hdr, padField(strconv.Itoa(ns), 4)...)
	for f, width := range signalFieldWidths {
		for _, s := range all {
			hdr = append(hdr, padField(s.headerField(f), width)...)
		}
	}
	for _, s := range all {
		if len(fmtNum(s.PhysMin)) > 8 || len(fmtNum(s.PhysMax)) > 8 {
			return nil, fmt.Errorf("edf: signal %s: physical range %g…%g does not fit 8 characters", s.Label, s.PhysMin, s.PhysMax)
		}
	}
	return hdr, nil
}

// headerField returns the text of s's signal header field f (in the
// order of signalFieldWidths: label, transducer, …, reserved).
func (s Signal) headerField(f int) string {
	switch f {
	case 0:
		return s.Label
	case 1:
		return s.Transducer
	case 2:
		return s.Dimension
	case 3:
		return fmtNum(s.PhysMin)
	case 4:
		return fmtNum(s.PhysMax)
	case 5:
		return strconv.Itoa(s.DigMin)
	case 6:
		return strconv.Itoa(s.DigMax)
	case 7:
		return s.Prefilter
	case 8:
		return strconv.Itoa(s.Samples)
	}
	return s.Reserved
}

// writeRecords writes the data records: each signal's samples of the
// record as 16-bit little-endian digital values (the last record padded
// with digital 0, clamped to the range), then the annotation signal's
// bytes per[k] padded with zeros to annSamples samples.
func writeRecords(bw *bufio.Writer, sigs []SignalData, per [][]byte, annSamples int) error {
	buf := make([]byte, 2)
	for k := range per {
		for _, s := range sigs {
			gain, off := s.Gain(), s.Offset()
			for j := 0; j < s.Samples; j++ {
				idx := k*s.Samples + j
				d := 0.0
				if idx < len(s.Data) {
					v := s.Data[idx]
					if math.IsNaN(v) {
						return fmt.Errorf("edf: signal %s sample %d is NaN", s.Label, idx)
					}
					d = math.Round((v - off) / gain)
				}
				d = math.Max(float64(s.DigMin), math.Min(float64(s.DigMax), d))
				binary.LittleEndian.PutUint16(buf, uint16(int16(d)))
				bw.Write(buf)
			}
		}
		rec := make([]byte, 2*annSamples)
		copy(rec, per[k])
		if _, err := bw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// fmtNum formats a number in at most 8 characters when possible.
func fmtNum(v float64) string {
	for prec := -1; prec >= -1; prec-- {
		s := strconv.FormatFloat(v, 'f', prec, 64)
		if len(s) <= 8 {
			return s
		}
	}
	for p := 7; p >= 1; p-- {
		s := strconv.FormatFloat(v, 'g', p, 64)
		if len(s) <= 8 {
			return s
		}
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
