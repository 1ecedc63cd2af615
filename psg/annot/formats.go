package annot

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"glusleep/psg/edf"
)

// isStageLabel reports whether an annotation text names a stage (and not,
// say, an event called "T0"): Sleep-EDF and R&K spellings, "Stage …", and
// the bare AASM codes.
func isStageLabel(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(l, "sleep stage") || strings.HasPrefix(l, "sleep_stage") || l == "movement time" || strings.HasPrefix(l, "stage ") {
		return true
	}
	switch l {
	case "w", "n1", "n2", "n3", "r", "rem", "wake":
		return true
	}
	return false
}

// FromAnnotations builds a hypnogram from EDF+ annotations: stage
// annotations (with durations spanning whole epochs) become epochs, the rest
// events. epoch 0 means 30 s.
func FromAnnotations(anns []edf.Annotation, epoch float64) (*Hypnogram, error) {
	var spans []Span
	var events []Event
	for i, a := range anns {
		if isStageLabel(a.Text) {
			st, err := ParseStage(a.Text)
			if err != nil {
				return nil, fmt.Errorf("annotation %d at %g s: %w", i+1, a.Onset, err)
			}
			d := a.Duration
			if d < 0 {
				d = epoch
				if d <= 0 {
					d = EpochSeconds
				}
			}
			spans = append(spans, Span{a.Onset, d, st})
			continue
		}
		events = append(events, Event{Onset: a.Onset, Duration: math.Max(a.Duration, 0), Kind: ClassifyEvent(a.Text), Label: a.Text})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].Onset < spans[j].Onset })
	h, err := FromSpans(spans, epoch)
	if err != nil {
		return nil, err
	}
	h.Events = events
	sortEvents(h.Events)
	return h, nil
}

func sortEvents(ev []Event) {
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].Onset < ev[j].Onset })
}

// ReadEDF reads the annotations of an EDF+ file (a Sleep-EDF hypnogram, or
// a recording with scored stages) as a hypnogram.
func ReadEDF(path string) (*Hypnogram, error) {
	f, err := edf.Open(path, edf.Options{AllowTruncated: true})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := FromAnnotations(f.Annotations(), EpochSeconds)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

// xmlDoc covers the NSRR PSGAnnotation and Compumedics CMPStudyConfig
// layouts.
type xmlDoc struct {
	XMLName     xml.Name
	EpochLength string `xml:"EpochLength"`
	Events      []struct {
		EventType    string `xml:"EventType"`
		EventConcept string `xml:"EventConcept"`
		Name         string `xml:"Name"`
		Start        string `xml:"Start"`
		Duration     string `xml:"Duration"`
	} `xml:"ScoredEvents>ScoredEvent"`
	SleepStages []string `xml:"SleepStages>SleepStage"`
}

// ReadXML reads NSRR-style (PSGAnnotation/ScoredEvents with EventType,
// EventConcept, Start, Duration in seconds) or Compumedics-style
// (CMPStudyConfig with EpochLength, SleepStages/SleepStage codes and
// ScoredEvents with Name, Start, Duration) scored XML.
func ReadXML(r io.Reader) (*Hypnogram, error) {
	var doc xmlDoc
	dec := xml.NewDecoder(io.LimitReader(r, 1<<28))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("XML: %w", err)
	}
	epoch := EpochSeconds
	if s := strings.TrimSpace(doc.EpochLength); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v > 0) {
			return nil, fmt.Errorf("XML: EpochLength %q, want seconds > 0", s)
		}
		epoch = v
	}
	num := func(field, s string, i int) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("XML: ScoredEvent %d: %s %q is not a number of seconds", i+1, field, s)
		}
		return v, nil
	}
	var spans []Span
	var events []Event
	for i, e := range doc.Events {
		start, err := num("Start", e.Start, i)
		if err != nil {
			return nil, err
		}
		dur := 0.0
		if strings.TrimSpace(e.Duration) != "" {
			if dur, err = num("Duration", e.Duration, i); err != nil {
				return nil, err
			}
		}
		label := e.EventConcept
		if label == "" {
			label = e.Name
		}
		if strings.Contains(strings.ToLower(e.EventType), "stage") {
			st, err := ParseStage(label)
			if err != nil {
				return nil, fmt.Errorf("XML: ScoredEvent %d: %w", i+1, err)
			}
			spans = append(spans, Span{start, dur, st})
			continue
		}
		events = append(events, Event{Onset: start, Duration: dur, Kind: ClassifyEvent(label), Label: label})
	}
	var h *Hypnogram
	if len(doc.SleepStages) > 0 {
		h = &Hypnogram{Epoch: epoch}
		for i, s := range doc.SleepStages {
			st, err := ParseStage(s)
			if err != nil {
				return nil, fmt.Errorf("XML: SleepStage %d: %w", i+1, err)
			}
			h.Stages = append(h.Stages, st)
		}
	} else {
		sort.SliceStable(spans, func(i, j int) bool { return spans[i].Onset < spans[j].Onset })
		var err error
		if h, err = FromSpans(spans, epoch); err != nil {
			return nil, fmt.Errorf("XML: %w", err)
		}
	}
	h.Events = events
	sortEvents(h.Events)
	return h, nil
}

// ReadEventsTSV reads a BIDS _events.tsv: columns onset and duration
// (seconds), and trial_type or value (or a stage column). Rows whose stage
// column (or, without one, trial_type/value) names a sleep stage become
// epochs; the rest events. "n/a" durations are 0.
func ReadEventsTSV(r io.Reader) (*Hypnogram, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var hdr []string
	col := map[string]int{}
	var spans []Span
	var events []Event
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			hdr = strings.Split(strings.TrimPrefix(text, "\ufeff"), "\t")
			for i, h := range hdr {
				col[strings.TrimSpace(h)] = i
			}
			for _, need := range []string{"onset", "duration"} {
				if _, ok := col[need]; !ok {
					return nil, fmt.Errorf("events TSV: no %q column (header: %s)", need, strings.Join(hdr, ", "))
				}
			}
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != len(hdr) {
			return nil, fmt.Errorf("events TSV line %d: %d values, header has %d columns", line, len(f), len(hdr))
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(f[i])
			}
			return ""
		}
		on, err := strconv.ParseFloat(get("onset"), 64)
		if err != nil || math.IsNaN(on) || math.IsInf(on, 0) {
			return nil, fmt.Errorf("events TSV line %d: onset %q is not a number of seconds", line, get("onset"))
		}
		dur := 0.0
		if d := get("duration"); d != "n/a" && d != "" {
			if dur, err = strconv.ParseFloat(d, 64); err != nil || dur < 0 || math.IsNaN(dur) {
				return nil, fmt.Errorf("events TSV line %d: duration %q, want seconds ≥ 0 or n/a", line, d)
			}
		}
		label := get("trial_type")
		if label == "" || label == "n/a" {
			label = get("value")
		}
		stageText := get("stage")
		if _, ok := col["stage"]; ok {
			if stageText != "" && stageText != "n/a" {
				st, err := ParseStage(stageText)
				if err != nil {
					return nil, fmt.Errorf("events TSV line %d: %w", line, err)
				}
				spans = append(spans, Span{on, dur, st})
				continue
			}
		} else if isStageLabel(label) {
			st, err := ParseStage(label)
			if err != nil {
				return nil, fmt.Errorf("events TSV line %d: %w", line, err)
			}
			spans = append(spans, Span{on, dur, st})
			continue
		}
		events = append(events, Event{Onset: on, Duration: dur, Kind: ClassifyEvent(label), Label: label})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if hdr == nil {
		return nil, fmt.Errorf("events TSV: empty file, want a header line")
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].Onset < spans[j].Onset })
	h, err := FromSpans(spans, EpochSeconds)
	if err != nil {
		return nil, fmt.Errorf("events TSV: %w", err)
	}
	h.Events = events
	sortEvents(h.Events)
	return h, nil
}

// ReadStageList reads one stage per line (blank lines and lines starting
// with # are skipped), each an epoch of epoch seconds (0: 30 s) from t = 0.
func ReadStageList(r io.Reader, epoch float64) (*Hypnogram, error) {
	if epoch <= 0 {
		epoch = EpochSeconds
	}
	h := &Hypnogram{Epoch: epoch}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		// Allow "epoch<sep>stage" lines: take the last field.
		if f := strings.FieldsFunc(s, func(r rune) bool { return r == '\t' || r == ',' || r == ';' }); len(f) > 1 {
			s = strings.TrimSpace(f[len(f)-1])
		}
		st, err := ParseStage(s)
		if err != nil {
			return nil, fmt.Errorf("stage list line %d: %w", line, err)
		}
		h.Stages = append(h.Stages, st)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return h, nil
}

// Read reads a hypnogram file, choosing the reader by extension: .edf/.bdf
// (EDF+ annotations), .xml (NSRR/Compumedics), .tsv (BIDS events), anything
// else a plain stage list of 30 s epochs.
func Read(path string) (*Hypnogram, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".edf" || ext == ".bdf" || ext == ".rec" {
		return ReadEDF(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var h *Hypnogram
	switch ext {
	case ".xml":
		h, err = ReadXML(bufio.NewReader(f))
	case ".tsv":
		h, err = ReadEventsTSV(bufio.NewReader(f))
	default:
		h, err = ReadStageList(bufio.NewReader(f), EpochSeconds)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

// WriteEventsTSV writes h as a BIDS _events.tsv with columns onset,
// duration, trial_type ("sleep_stage" or the event label) and stage (W, N1,
// N2, N3, R, ?, MT; n/a for events), one row per epoch and per event,
// ordered by onset.
func WriteEventsTSV(w io.Writer, h *Hypnogram) error {
	type row struct {
		on, dur    float64
		typ, stage string
		isStage    bool
	}
	var rows []row
	for i, s := range h.Stages {
		rows = append(rows, row{h.Start + float64(i)*h.Epoch, h.Epoch, "sleep_stage", s.String(), true})
	}
	for _, e := range h.Events {
		label := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(e.Label)
		if label == "" {
			label = e.Kind.String()
		}
		rows = append(rows, row{e.Onset, e.Duration, label, "n/a", false})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].on < rows[j].on })
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "onset\tduration\ttrial_type\tstage")
	for _, r := range rows {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\n", strconv.FormatFloat(r.on, 'f', -1, 64), strconv.FormatFloat(r.dur, 'f', -1, 64), r.typ, r.stage)
	}
	return bw.Flush()
}
