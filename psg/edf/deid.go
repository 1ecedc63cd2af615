package edf

import (
	"fmt"
	"io"
	"time"
)

// DeidOptions control de-identification.
type DeidOptions struct {
	// ShiftDays moves the start date by this many days (keeping the time of
	// day); 0 with KeepDate false replaces the date by 01.01.85, the EDF+
	// convention for an unknown date.
	ShiftDays int
	// KeepDate keeps the start date (only the identification fields are
	// replaced).
	KeepDate bool
	// DropAnnotations blanks the annotation texts in the data records,
	// keeping only the time-keeping TALs.
	DropAnnotations bool
}

// DeidSummary says, in words for a log, what de-identification with some
// DeidOptions does to the start date and the annotations; it never holds
// the identifiers themselves.
type DeidSummary struct {
	// Date is "removed" (replaced by 01.01.85), "kept" or "shifted N days".
	Date string
	// Annotations is "kept" or "blanked" (only the time-keeping TALs kept).
	Annotations string
}

// String is the summary as one phrase: "date removed; annotations kept".
func (s DeidSummary) String() string {
	return "date " + s.Date + "; annotations " + s.Annotations
}

// Summary says what Deidentify does with opt to the start date and the
// annotations (KeepDate wins over ShiftDays, as in Deidentify).
func (opt DeidOptions) Summary() DeidSummary {
	s := DeidSummary{Date: "removed", Annotations: "kept"}
	switch {
	case opt.KeepDate:
		s.Date = "kept"
	case opt.ShiftDays != 0:
		s.Date = fmt.Sprintf("shifted %d days", opt.ShiftDays)
	}
	if opt.DropAnnotations {
		s.Annotations = "blanked"
	}
	return s
}

// Deidentify writes a copy of f whose patient field is the EDF+ anonymous
// "X X X X", whose recording field is "Startdate X X X X" (or the shifted
// date), and whose start date is removed or shifted. Data records are
// copied byte for byte, except the annotation signals when
// DropAnnotations is set. The original identifiers are never logged.
func Deidentify(f *File, w io.Writer, opt DeidOptions) error {
	ns := len(f.Signals)
	hb := 256 * (ns + 1)
	hdr := make([]byte, hb)
	if _, err := f.r.ReadAt(hdr, 0); err != nil {
		return fmt.Errorf("%s: reading header: %w", f.Name, err)
	}
	copy(hdr[8:88], padField("X X X X", 80))
	start := f.Header.Start
	var date string
	switch {
	case opt.KeepDate:
		date = string(hdr[168:176])
		copy(hdr[88:168], padField("Startdate "+upperMonth(start)+" X X X", 80))
	case opt.ShiftDays != 0:
		start = start.AddDate(0, 0, opt.ShiftDays)
		date = start.Format("02.01.06")
		copy(hdr[88:168], padField("Startdate "+upperMonth(start)+" X X X", 80))
	default:
		date = "01.01.85"
		copy(hdr[88:168], padField("Startdate X X X X", 80))
	}
	copy(hdr[168:176], padField(date, 8))
	// A plain EDF gets the EDF+ reserved field only if it already is EDF+.
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	rec := make([]byte, f.recordBytes)
	bps := f.bytesPerSample()
	for k := 0; k < f.Records; k++ {
		off := f.dataOffset + int64(k)*int64(f.recordBytes)
		if _, err := f.r.ReadAt(rec, off); err != nil {
			return fmt.Errorf("%s: record %d: %w", f.Name, k, err)
		}
		if opt.DropAnnotations {
			for i, s := range f.Signals {
				if !s.IsAnnotation() {
					continue
				}
				seg := rec[f.sigOffset[i] : f.sigOffset[i]+s.Samples*bps]
				keep := timeKeepingPrefix(seg)
				for j := range seg {
					if j >= keep {
						seg[j] = 0
					}
				}
			}
		}
		if _, err := w.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

func upperMonth(t time.Time) string {
	b := []byte(t.Format("02-Jan-2006"))
	for i := 3; i < 6; i++ {
		if b[i] >= 'a' && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// timeKeepingPrefix returns the length of the leading time-keeping TAL
// ("+onset\x14\x14\x00") of an annotation record, 0 when there is none.
func timeKeepingPrefix(b []byte) int {
	for i := 0; i+2 < len(b); i++ {
		if b[i] == 0 {
			return 0
		}
		if b[i] == 0x14 && b[i+1] == 0x14 && b[i+2] == 0 {
			return i + 3
		}
		if b[i] == 0x14 {
			return 0
		}
	}
	return 0
}
