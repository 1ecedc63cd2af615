package edf

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// SignalInfo describes one signal of a file (Info.Signals).
type SignalInfo struct {
	Number     int     `json:"number"`
	Label      string  `json:"label"`
	Transducer string  `json:"transducer,omitempty"`
	Dimension  string  `json:"dimension"`
	RateHz     float64 `json:"rate_hz"`
	PhysMin    float64 `json:"physical_min"`
	PhysMax    float64 `json:"physical_max"`
	DigMin     int     `json:"digital_min"`
	DigMax     int     `json:"digital_max"`
	Prefilter  string  `json:"prefilter,omitempty"`
	Annotation bool    `json:"annotation,omitempty"`
}

// GapInfo is a gap before a record of an EDF+D file: its onset and
// duration in s.
type GapInfo struct {
	Record    int     `json:"record"`
	OnsetS    float64 `json:"onset_s"`
	DurationS float64 `json:"duration_s"`
}

// Info summarises a file for people and JSON: format, start,
// records (read and declared), duration and span in s, gaps, truncation,
// trailing data, warnings, signals and annotation counts; the patient and
// recording fields only when asked for (they identify people).
type Info struct {
	File            string    `json:"file"`
	Format          string    `json:"format"`
	Start           string    `json:"start"`
	Records         int       `json:"records"`
	RecordsDeclared int       `json:"records_declared"`
	RecordDuration  float64   `json:"record_duration_s"`
	DurationS       float64   `json:"duration_s"`
	SpanS           float64   `json:"span_s"`
	Gaps            []GapInfo `json:"gaps"`
	Truncated       string    `json:"truncated,omitempty"`
	Trailing        string    `json:"trailing,omitempty"`
	Warnings        []string  `json:"warnings"`
	Patient         string    `json:"patient,omitempty"`
	// Identifiers says whether Patient and Recording were filled in.
	Identifiers    bool           `json:"-"`
	Recording      string         `json:"recording,omitempty"`
	Signals        []SignalInfo   `json:"signals"`
	Annotations    int            `json:"annotations"`
	AnnotationText map[string]int `json:"annotation_counts"`
}

// declaredRecords reads the record count path's header states (−1:
// unknown), which File replaces by the records it reads.
func declaredRecords(path string) int {
	b := make([]byte, 256)
	fh, err := os.Open(path)
	if err != nil {
		return -1
	}
	defer fh.Close()
	if _, err := io.ReadFull(fh, b); err != nil {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b[236:244])))
	if err != nil {
		return -1
	}
	return n
}

// Describe returns the Info of f, opened from path; identifiers adds the
// patient and recording fields.
func Describe(path string, f *File, identifiers bool) Info {
	info := Info{File: path, Format: f.Format.String(), Start: f.Start.Format("2006-01-02T15:04:05.999"),
		Records: f.Records, RecordsDeclared: declaredRecords(path), RecordDuration: f.RecordDuration, DurationS: f.Duration(),
		Truncated: f.Truncated, Trailing: f.Trailing, Warnings: append([]string{}, f.Warnings...),
		AnnotationText: map[string]int{}, Gaps: []GapInfo{}}
	if on := f.RecordOnsets(); len(on) > 0 {
		info.SpanS = on[len(on)-1] + f.RecordDuration
	}
	for _, g := range f.Gaps() {
		info.Gaps = append(info.Gaps, GapInfo{g.Record, g.Onset, g.Duration})
	}
	info.Identifiers = identifiers
	if identifiers {
		info.Patient, info.Recording = f.Patient, f.Recording
	}
	for i, s := range f.Signals {
		info.Signals = append(info.Signals, SignalInfo{i + 1, s.Label, s.Transducer, s.Dimension, s.Rate(f.RecordDuration),
			s.PhysMin, s.PhysMax, s.DigMin, s.DigMax, s.Prefilter, s.IsAnnotation()})
	}
	anns := f.Annotations()
	info.Annotations = len(anns)
	for _, a := range anns {
		info.AnnotationText[a.Text]++
	}
	return info
}

// WriteText writes the summary for people, one field a line; hidden
// identifiers are named with how to show them (reveal, e.g. an option).
func (info Info) WriteText(out io.Writer, reveal string) error {
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "file        %s\nformat      %s\nstart       %s\n", info.File, info.Format, info.Start)
	fmt.Fprintf(w, "duration    %.1f s recorded (%d records of %g s; header declares %d)\n", info.DurationS, info.Records, info.RecordDuration, info.RecordsDeclared)
	if len(info.Gaps) > 0 {
		fmt.Fprintf(w, "span        %.1f s from start to end of the last record, %d gaps:\n", info.SpanS, len(info.Gaps))
		for _, g := range info.Gaps {
			fmt.Fprintf(w, "  gap before record %d: %g s to %g s (%g s)\n", g.Record+1, g.OnsetS, g.OnsetS+g.DurationS, g.DurationS)
		}
	}
	if info.Truncated != "" {
		fmt.Fprintf(w, "truncated   %s\n", info.Truncated)
	}
	if info.Trailing != "" {
		fmt.Fprintf(w, "trailing    %s\n", info.Trailing)
	}
	for _, x := range info.Warnings {
		if x != info.Trailing && !strings.HasPrefix(x, "truncated: ") {
			fmt.Fprintf(w, "warning     %s\n", x)
		}
	}
	if info.Identifiers {
		fmt.Fprintf(w, "patient     %s\nrecording   %s\n", info.Patient, info.Recording)
	} else {
		fmt.Fprintf(w, "patient     (hidden; %s prints it)\n", reveal)
	}
	fmt.Fprintf(w, "signals     %d\n", len(info.Signals))
	for i, s := range info.Signals {
		if s.Annotation {
			fmt.Fprintf(w, "  %3d  %-16s annotations\n", i+1, s.Label)
			continue
		}
		fmt.Fprintf(w, "  %3d  %-16s %8.6g Hz  %-4s  %g … %g\n", i+1, s.Label, s.RateHz, s.Dimension, s.PhysMin, s.PhysMax)
	}
	fmt.Fprintf(w, "annotations %d (%d distinct texts)\n", info.Annotations, len(info.AnnotationText))
	return w.Flush()
}
