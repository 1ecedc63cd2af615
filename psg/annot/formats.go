package annot

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"glusleep/internal/tsv"
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
	return fromAnnotations(anns, Options{Epoch: epoch})
}

func fromAnnotations(anns []edf.Annotation, opt Options) (*Hypnogram, error) {
	var spans []Span
	var events []Event
	for i, a := range anns {
		if opt.isStage(a.Text) {
			st, err := opt.stage(a.Text)
			if err != nil {
				return nil, fmt.Errorf("annotation %d at %g s: %w", i+1, a.Onset, err)
			}
			d := a.Duration
			if d < 0 {
				d = opt.epoch()
			}
			spans = append(spans, Span{a.Onset, d, st})
			continue
		}
		events = append(events, Event{Onset: a.Onset, Duration: math.Max(a.Duration, 0), Kind: ClassifyEvent(a.Text), Label: a.Text})
	}
	return fromScoring(spans, events, opt.epoch(), DialectEDF, "")
}

// fromScoring makes the hypnogram of a scoring file of dialect from its
// stage spans (in any order; FromSpans with epoch) and its other events
// (sorted by sortEvents); what names the file kind in errors ("": none).
func fromScoring(spans []Span, events []Event, epoch float64, dialect, what string) (*Hypnogram, error) {
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].Onset < spans[j].Onset })
	h, err := FromSpans(spans, epoch)
	if err != nil {
		if what == "" {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	h.Dialect, h.Events = dialect, events
	sortEvents(h.Events)
	return h, nil
}

func sortEvents(ev []Event) {
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].Onset < ev[j].Onset })
}

// ReadEDF reads the annotations of an EDF+ file (a Sleep-EDF hypnogram, or
// a recording with scored stages) as a hypnogram. A file shorter than its
// header declares is refused (its missing records would silently drop
// epochs).
func ReadEDF(path string) (*Hypnogram, error) { return readEDF(path, Options{}) }

func readEDF(path string, opt Options) (*Hypnogram, error) {
	f, err := edf.Open(path, edf.Options{AllowTruncated: opt.AllowTruncated})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := fromAnnotations(f.Annotations(), opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, w := range f.Warnings {
		h.Warnings = append(h.Warnings, path+": "+w)
	}
	return h, nil
}

// xmlDoc covers the NSRR PSGAnnotation and Compumedics CMPStudyConfig
// layouts.
type xmlDoc struct {
	XMLName     xml.Name
	Software    string `xml:"SoftwareVersion"`
	EpochLength string `xml:"EpochLength"`
	Events      []struct {
		EventType    string  `xml:"EventType"`
		EventConcept string  `xml:"EventConcept"`
		Name         string  `xml:"Name"`
		Start        *string `xml:"Start"`
		Duration     string  `xml:"Duration"`
	} `xml:"ScoredEvents>ScoredEvent"`
	SleepStages []string `xml:"SleepStages>SleepStage"`
}

// ReadXML reads scored XML of any dialect glusleep knows, chosen by the
// root element: NSRR PSGAnnotation (ScoredEvents with EventType,
// EventConcept, Start, Duration in seconds; also the NSRR translator's
// Embla and Compumedics output, whose stage events carry SRO:/SDO:
// concepts and no EventType), Compumedics CMPStudyConfig (EpochLength,
// SleepStages/SleepStage codes, ScoredEvents with Name, Start, Duration)
// or Embla EventExport (ReadEmblaXML). Other roots are refused with the
// dialects read.
func ReadXML(r io.Reader) (*Hypnogram, error) { return readXML(r, Options{}) }

// maxXMLBytes bounds the XML read (256 MiB; real scoring files are a few MB).
const maxXMLBytes = 1 << 28

func readXML(r io.Reader, opt Options) (*Hypnogram, error) {
	dec := xml.NewDecoder(io.LimitReader(r, maxXMLBytes))
	dec.CharsetReader = charsetReader
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("XML: no root element: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "EventExport":
			return decodeEmbla(dec, se, opt)
		case "PSGAnnotation", "CMPStudyConfig":
			var doc xmlDoc
			if err := dec.DecodeElement(&doc, &se); err != nil {
				return nil, fmt.Errorf("XML: %w", err)
			}
			return doc.hypnogram(opt)
		}
		return nil, fmt.Errorf("XML root element <%s>: %w", se.Name.Local, ErrDialect)
	}
}

// charsetReader accepts the encodings scoring exports declare: UTF-8 and
// ISO-8859-1 (Latin-1, decoded here).
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		return &latin1Reader{r: bufio.NewReader(r)}, nil
	}
	return nil, fmt.Errorf("XML encoding %q, want UTF-8 or ISO-8859-1", label)
}

// latin1Reader decodes ISO-8859-1 bytes to UTF-8.
type latin1Reader struct {
	r       *bufio.Reader
	pending byte // second byte of a character that did not fit
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	n := 0
	if l.pending != 0 && len(p) > 0 {
		p[0], l.pending = l.pending, 0
		n = 1
	}
	for n < len(p) {
		c, err := l.r.ReadByte()
		if err != nil {
			return n, err
		}
		if c < 0x80 {
			p[n] = c
			n++
			continue
		}
		p[n] = 0xC0 | c>>6
		if n+1 < len(p) {
			p[n+1] = 0x80 | c&0x3F
			n += 2
		} else {
			l.pending = 0x80 | c&0x3F
			n++
		}
	}
	return n, nil
}

func (doc *xmlDoc) hypnogram(opt Options) (*Hypnogram, error) {
	epoch := opt.epoch()
	if s := strings.TrimSpace(doc.EpochLength); s != "" {
		v, err := seconds(s)
		if err != nil || !(v > 0) || v > 3600 {
			return nil, fmt.Errorf("XML: EpochLength %q, want seconds > 0", s)
		}
		epoch = v
	}
	num := func(field, s string, i int, label string) (float64, error) {
		v, err := seconds(s)
		if err != nil {
			return 0, fmt.Errorf("XML: ScoredEvent %d (%s): %s %q is not a number of seconds", i+1, label, field, s)
		}
		return v, nil
	}
	var spans []Span
	var events []Event
	for i, e := range doc.Events {
		label := strings.TrimSpace(e.EventConcept)
		if label == "" {
			label = strings.TrimSpace(e.Name)
		}
		if label == "Recording Start Time" {
			continue // the NSRR translator's whole-recording marker
		}
		if e.Start == nil || strings.TrimSpace(*e.Start) == "" {
			return nil, fmt.Errorf("XML: ScoredEvent %d (%s) has no Start time: the file lacks event times (some NSRR translator versions wrote <Start/> for Embla exports; translate again or read the native Embla EventExport XML)", i+1, label)
		}
		start, err := num("Start", *e.Start, i, label)
		if err != nil {
			return nil, err
		}
		dur := 0.0
		if strings.TrimSpace(e.Duration) != "" {
			if dur, err = num("Duration", e.Duration, i, label); err != nil {
				return nil, err
			}
			if dur < 0 {
				return nil, fmt.Errorf("XML: ScoredEvent %d (%s): Duration %g s, want ≥ 0", i+1, label, dur)
			}
		}
		stageType := strings.Contains(strings.ToLower(e.EventType), "stage")
		if stageType || (strings.TrimSpace(e.EventType) == "" && opt.isStage(label)) {
			st, err := opt.stage(label)
			if err != nil {
				return nil, fmt.Errorf("XML: ScoredEvent %d: %w", i+1, err)
			}
			spans = append(spans, Span{start, dur, st})
			continue
		}
		events = append(events, Event{Onset: start, Duration: dur, Kind: ClassifyEvent(label), Label: label})
	}
	if len(doc.SleepStages) == 0 {
		dialect := DialectNSRR
		if doc.XMLName.Local == "CMPStudyConfig" {
			dialect = DialectCompumedics
		}
		return fromScoring(spans, events, epoch, dialect, "XML")
	}
	h := &Hypnogram{Epoch: epoch, Dialect: DialectCompumedics}
	for i, s := range doc.SleepStages {
		st, err := opt.stage(s)
		if err != nil {
			return nil, fmt.Errorf("XML: SleepStage %d: %w", i+1, err)
		}
		h.Stages = append(h.Stages, st)
	}
	h.Events = events
	sortEvents(h.Events)
	return h, nil
}

// ReadEventsTSV reads a BIDS _events.tsv: columns onset and duration
// (seconds), and trial_type or value (or a stage column). Rows whose stage
// column (or, without one, trial_type/value) names a sleep stage become
// epochs; the rest events. "n/a" durations are 0.
func ReadEventsTSV(r io.Reader) (*Hypnogram, error) { return readEventsTSV(r, Options{}) }

func readEventsTSV(r io.Reader, opt Options) (*Hypnogram, error) {
	t, err := tsv.Read(r, "events TSV", tsv.Limits{})
	if te := (*tsv.Error)(nil); errors.As(err, &te) {
		return nil, fmt.Errorf("events TSV line %d: %w", te.Line, te.Err)
	} else if err != nil {
		return nil, err
	}
	c := eventsColumns{t.Index("onset"), t.Index("duration"), t.Index("trial_type"), t.Index("value"), t.Index("stage")}
	for _, need := range []struct {
		name string
		j    int
	}{{"onset", c.onset}, {"duration", c.duration}} {
		if need.j < 0 {
			return nil, fmt.Errorf("events TSV: no %q column (header: %s)", need.name, strings.Join(t.Header, ", "))
		}
	}
	var spans []Span
	var events []Event
	for i, f := range t.Rows {
		sp, ev, err := c.row(f, opt)
		if err != nil {
			return nil, fmt.Errorf("events TSV line %d: %w", t.Line(i), err)
		}
		if ev != nil {
			events = append(events, *ev)
		} else {
			spans = append(spans, sp)
		}
	}
	return fromScoring(spans, events, opt.epoch(), DialectBIDS, "events TSV")
}

// eventsColumns holds the positions of an events TSV's columns, −1 for
// one the file lacks; onset and duration are required.
type eventsColumns struct{ onset, duration, trialType, value, stage int }

// cell returns row f's cell of column j, "" for an absent column.
func cell(f []string, j int) string {
	if j < 0 {
		return ""
	}
	return f[j]
}

// row reads one events TSV row: a scored epoch span, or (ev non-nil) an
// event.
func (c eventsColumns) row(f []string, opt Options) (sp Span, ev *Event, err error) {
	on, err := seconds(f[c.onset])
	if err != nil {
		return Span{}, nil, fmt.Errorf("onset %q is not a number of seconds", f[c.onset])
	}
	dur := 0.0
	if d := f[c.duration]; d != "n/a" && d != "" {
		if dur, err = seconds(d); err != nil || dur < 0 {
			return Span{}, nil, fmt.Errorf("duration %q, want seconds ≥ 0 or n/a", d)
		}
	}
	label := cell(f, c.trialType)
	if label == "" || label == "n/a" {
		label = cell(f, c.value)
	}
	stageText := label
	if c.stage >= 0 {
		stageText = f[c.stage]
		if stageText == "" || stageText == "n/a" {
			return Span{}, &Event{Onset: on, Duration: dur, Kind: ClassifyEvent(label), Label: label}, nil
		}
	} else if !opt.isStage(label) {
		return Span{}, &Event{Onset: on, Duration: dur, Kind: ClassifyEvent(label), Label: label}, nil
	}
	st, err := opt.stage(stageText)
	if err != nil {
		return Span{}, nil, err
	}
	return Span{on, dur, st}, nil, nil
}

// seconds reads a time field as a finite decimal number (tsv.Float: no
// hexadecimal, infinity or NaN); anything else, a missing value included,
// is an error.
func seconds(s string) (float64, error) {
	if tsv.IsMissing(s) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return tsv.Float(s)
}

// ReadStageList reads one stage per line (blank lines and lines starting
// with # are skipped), each an epoch of epoch seconds (0: 30 s) from t = 0.
func ReadStageList(r io.Reader, epoch float64) (*Hypnogram, error) {
	return readStageList(r, Options{Epoch: epoch})
}

func readStageList(r io.Reader, opt Options) (*Hypnogram, error) {
	h := &Hypnogram{Epoch: opt.epoch(), Dialect: DialectStageList}
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
		st, err := opt.stage(s)
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

// Read reads a scoring file of any dialect glusleep knows (Dialects),
// with default options; see ReadFile.
func Read(path string) (*Hypnogram, error) { return ReadFile(path, Options{}) }

// maxScoringBytes bounds the size of a text scoring file read (256 MiB).
const maxScoringBytes = 1 << 28

// ReadFile reads a scoring file, recognising its dialect by content (and
// extension where content cannot tell): EDF/BDF annotations; XML by its
// root element (NSRR PSGAnnotation, Compumedics CMPStudyConfig, Embla
// EventExport); Luna .annot; a delimited table with a header (BIDS
// _events.tsv when it has trial_type, else a CSV/TSV hypnogram with onset
// and stage columns); else a stage list. A file in no known dialect is
// refused with the list of dialects read (ErrDialect).
func ReadFile(path string, opt Options) (*Hypnogram, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	br := bufio.NewReaderSize(io.LimitReader(fh, maxScoringBytes), 1<<16)
	head, _ := br.Peek(4096)
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".gz" {
		return nil, fmt.Errorf("%s: compressed scoring files are not read: decompress it first", path)
	}
	var h *Hypnogram
	d := sniff(head, ext)
	if d != DialectEDF && d != "xml" && strings.HasSuffix(strings.ToLower(path), "_events.tsv") {
		d = DialectBIDS // BIDS names its events files so, whatever their columns
	}
	switch d {
	case DialectEDF:
		return readEDF(path, opt)
	case "xml":
		h, err = readXML(br, opt)
	case DialectLuna:
		h, err = ReadLuna(br, opt)
	case DialectBIDS:
		h, err = readEventsTSV(br, opt)
	case DialectCSV:
		h, err = ReadHypnogramCSV(br, opt)
	case DialectStageList:
		h, err = readStageList(br, opt)
		if err != nil {
			err = fmt.Errorf("%w (%v)", ErrDialect, err)
		}
	default:
		err = ErrDialect
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return h, nil
}

// sniff names the dialect of a file from its first bytes and extension
// ("xml" for any XML: the root element decides).
func sniff(head []byte, ext string) string {
	s := strings.TrimPrefix(string(head), "\ufeff")
	t := strings.TrimLeft(s, " \t\r\n")
	switch {
	case len(head) >= 8 && (string(head[:8]) == "0       " || string(head[:8]) == "\xffBIOSEMI"):
		return DialectEDF
	case ext == ".edf" || ext == ".bdf" || ext == ".rec":
		return DialectEDF
	case strings.HasPrefix(t, "<"):
		return "xml"
	case ext == ".annot":
		return DialectLuna
	}
	first := ""
	for _, l := range strings.Split(t, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			first = l
			break
		}
	}
	if first == "" && strings.HasPrefix(t, "#") && strings.Contains(t, "|") {
		return DialectLuna
	}
	hdr := splitDelimited(first, sniffDelimiter(first))
	switch {
	case len(hdr) >= 5 && strings.EqualFold(hdr[0], "class") && strings.EqualFold(hdr[3], "start"):
		return DialectLuna
	case findColumn(hdr, []string{"trial_type"}) >= 0 && findColumn(hdr, []string{"onset"}) >= 0:
		return DialectBIDS
	case findColumn(hdr, csvOnset) >= 0 && findColumn(hdr, csvStage) >= 0:
		return DialectCSV
	case strings.Contains(first, "\t") && findColumn(hdr, []string{"onset"}) >= 0:
		return DialectBIDS
	case len(hdr) == 1:
		return DialectStageList
	}
	if f := strings.Fields(first); len(f) >= 5 && strings.HasPrefix(t, "#") {
		return DialectLuna
	}
	return DialectStageList
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
		label := tsv.Clean(e.Label)
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
