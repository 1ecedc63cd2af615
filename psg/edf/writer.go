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
	if len(sigs) == 0 {
		return fmt.Errorf("edf: nothing to write: no signals")
	}
	rd := opt.RecordDuration
	if rd == 0 {
		rd = 1
	}
	if rd < 0 || math.IsNaN(rd) {
		return fmt.Errorf("edf: record duration %g s, want > 0", rd)
	}
	records := 0
	for i, s := range sigs {
		if s.Samples <= 0 {
			return fmt.Errorf("edf: signal %d (%s): %d samples per record, want > 0", i+1, s.Label, s.Samples)
		}
		if s.DigMax <= s.DigMin || s.PhysMax == s.PhysMin {
			return fmt.Errorf("edf: signal %d (%s): digital range %d…%d, physical %g…%g: want distinct ends", i+1, s.Label, s.DigMin, s.DigMax, s.PhysMin, s.PhysMax)
		}
		if s.DigMin < -32768 || s.DigMax > 32767 {
			return fmt.Errorf("edf: signal %d (%s): digital range %d…%d exceeds 16 bits", i+1, s.Label, s.DigMin, s.DigMax)
		}
		if len(s.Label) > 16 {
			return fmt.Errorf("edf: signal %d label %q is longer than 16 bytes", i+1, s.Label)
		}
		records = max(records, (len(s.Data)+s.Samples-1)/s.Samples)
	}
	if records == 0 {
		records = 1
	}
	// Annotation signal: a time-keeping TAL in each record, the
	// annotations spread over records (each record holds the ones whose
	// onset falls in it, which keeps it small and ordered).
	per := make([][]byte, records)
	sub := float64(opt.Start.Nanosecond()) / 1e9
	for k := range per {
		per[k] = append(per[k], []byte(formatSeconds(sub+float64(k)*rd)+"\x14\x14\x00")...)
	}
	for _, a := range opt.Annotations {
		if math.IsNaN(a.Onset) || math.IsInf(a.Onset, 0) {
			return fmt.Errorf("edf: annotation %q has onset %g", a.Text, a.Onset)
		}
		k := int(math.Floor(a.Onset / rd))
		k = max(0, min(records-1, k))
		a.Onset += sub
		per[k] = append(per[k], encodeTAL(a)...)
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
	bw := bufio.NewWriterSize(w, 1<<16)
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
	field := func(f func(Signal) string, width int) {
		for _, s := range all {
			hdr = append(hdr, padField(f(s), width)...)
		}
	}
	field(func(s Signal) string { return s.Label }, 16)
	field(func(s Signal) string { return s.Transducer }, 80)
	field(func(s Signal) string { return s.Dimension }, 8)
	field(func(s Signal) string { return fmtNum(s.PhysMin) }, 8)
	field(func(s Signal) string { return fmtNum(s.PhysMax) }, 8)
	field(func(s Signal) string { return strconv.Itoa(s.DigMin) }, 8)
	field(func(s Signal) string { return strconv.Itoa(s.DigMax) }, 8)
	field(func(s Signal) string { return s.Prefilter }, 80)
	field(func(s Signal) string { return strconv.Itoa(s.Samples) }, 8)
	field(func(s Signal) string { return s.Reserved }, 32)
	for _, s := range all {
		if len(fmtNum(s.PhysMin)) > 8 || len(fmtNum(s.PhysMax)) > 8 {
			return fmt.Errorf("edf: signal %s: physical range %g…%g does not fit 8 characters", s.Label, s.PhysMin, s.PhysMax)
		}
	}
	if _, err := bw.Write(hdr); err != nil {
		return err
	}
	buf := make([]byte, 2)
	for k := 0; k < records; k++ {
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
	return bw.Flush()
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
