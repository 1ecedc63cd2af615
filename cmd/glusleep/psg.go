package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"glusleep/internal/atomicfile"
	"glusleep/psg/edf"
)

func init() {
	register(&command{path: "psg info", usage: "psg info FILE [--json] [--show-identifiers]",
		summary: "show an EDF/EDF+/BDF header, signals and annotation summary", run: runPSGInfo})
	register(&command{path: "psg export", usage: "psg export FILE --channel LABEL [--start S] [--duration S]",
		summary: "write one signal's time (s) and physical values as TSV", run: runPSGExport})
	register(&command{path: "psg deid", usage: "psg deid IN OUT [--shift-days N] [--keep-date] [--drop-annotations]",
		summary: "de-identify an EDF/BDF: anonymous patient and recording fields, date removed or shifted", run: runPSGDeid})
}

type signalInfo struct {
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

type fileInfo struct {
	File           string         `json:"file"`
	Format         string         `json:"format"`
	Start          string         `json:"start"`
	Records        int            `json:"records"`
	RecordDuration float64        `json:"record_duration_s"`
	DurationS      float64        `json:"duration_s"`
	Truncated      string         `json:"truncated,omitempty"`
	Patient        string         `json:"patient,omitempty"`
	Recording      string         `json:"recording,omitempty"`
	Signals        []signalInfo   `json:"signals"`
	Annotations    int            `json:"annotations"`
	AnnotationText map[string]int `json:"annotation_counts"`
}

func runPSGInfo(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg info")
	asJSON := fs.Bool("json", false, "print JSON")
	show := fs.Bool("show-identifiers", false, "also print the patient and recording fields (they identify people)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: need one FILE", errUsage)
	}
	f, err := edf.Open(pos[0], edf.Options{AllowTruncated: true})
	if err != nil {
		return err
	}
	defer f.Close()
	info := fileInfo{File: pos[0], Format: f.Format.String(), Start: f.Start.Format("2006-01-02T15:04:05.999"),
		Records: f.Records, RecordDuration: f.RecordDuration, DurationS: f.Duration(), Truncated: f.Truncated,
		AnnotationText: map[string]int{}}
	if *show {
		info.Patient, info.Recording = f.Patient, f.Recording
	}
	for _, s := range f.Signals {
		info.Signals = append(info.Signals, signalInfo{s.Label, s.Transducer, s.Dimension, s.Rate(f.RecordDuration),
			s.PhysMin, s.PhysMax, s.DigMin, s.DigMax, s.Prefilter, s.IsAnnotation()})
	}
	anns := f.Annotations()
	info.Annotations = len(anns)
	for _, a := range anns {
		info.AnnotationText[a.Text]++
	}
	if *asJSON {
		b, _ := json.MarshalIndent(info, "", "  ")
		fmt.Fprintln(env.stdout, string(b))
		return nil
	}
	w := env.stdout
	fmt.Fprintf(w, "file        %s\nformat      %s\nstart       %s\nduration    %.1f s (%d records of %g s)\n", info.File, info.Format, info.Start, info.DurationS, info.Records, info.RecordDuration)
	if f.Truncated != "" {
		fmt.Fprintf(w, "truncated   %s\n", f.Truncated)
	}
	if *show {
		fmt.Fprintf(w, "patient     %s\nrecording   %s\n", f.Patient, f.Recording)
	} else {
		fmt.Fprintf(w, "patient     (hidden; --show-identifiers prints it)\n")
	}
	fmt.Fprintf(w, "signals     %d\n", len(f.Signals))
	for i, s := range info.Signals {
		if s.Annotation {
			fmt.Fprintf(w, "  %3d  %-16s annotations\n", i+1, s.Label)
			continue
		}
		fmt.Fprintf(w, "  %3d  %-16s %8.6g Hz  %-4s  %g … %g\n", i+1, s.Label, s.RateHz, s.Dimension, s.PhysMin, s.PhysMax)
	}
	fmt.Fprintf(w, "annotations %d (%d distinct texts)\n", len(anns), len(info.AnnotationText))
	return nil
}

func runPSGExport(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg export")
	ch := fs.String("channel", "", "signal label")
	start := fs.Float64("start", 0, "start time in s")
	dur := fs.Float64("duration", -1, "duration in s (default: to the end)")
	uv := fs.Bool("microvolts", false, "convert voltages (V, mV, µV, nV) to µV")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *ch == "" {
		return fmt.Errorf("%w: need FILE and --channel", errUsage)
	}
	f, err := edf.Open(pos[0], edf.Options{AllowTruncated: true})
	if err != nil {
		return err
	}
	defer f.Close()
	i := f.Signal(*ch)
	if i < 0 {
		return fmt.Errorf("%s: no signal labelled %q; the file has: %s", pos[0], *ch, labels(f))
	}
	x, err := f.Physical(i, *start, *dur)
	if err != nil {
		return err
	}
	rate := f.Signals[i].Rate(f.RecordDuration)
	unit := f.Signals[i].Dimension
	if *uv {
		sc, err := f.Microvolts(i)
		if err != nil {
			return err
		}
		for k := range x {
			x[k] *= sc
		}
		unit = "uV"
	}
	bw := bufio.NewWriter(env.stdout)
	fmt.Fprintf(bw, "time\t%s\n", sanitizeTSV(f.Signals[i].Label+" ("+unit+")"))
	t0 := math.Ceil(*start*rate-1e-9) / rate
	if f.Format == edf.EDFPlusD {
		t0 = *start
	}
	for k, v := range x {
		bw.WriteString(strconv.FormatFloat(t0+float64(k)/rate, 'f', -1, 64))
		bw.WriteByte('\t')
		bw.WriteString(strconv.FormatFloat(v, 'g', 8, 64))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

func sanitizeTSV(s string) string {
	b := []rune(s)
	for i, r := range b {
		if r == '\t' || r == '\n' || r == '\r' {
			b[i] = ' '
		}
	}
	return string(b)
}

func labels(f *edf.File) string {
	s := ""
	for i, sig := range f.Signals {
		if i > 0 {
			s += ", "
		}
		s += strconv.Quote(sig.Label)
	}
	return s
}

func runPSGDeid(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg deid")
	shift := fs.Int("shift-days", 0, "shift the start date by N days instead of removing it")
	keep := fs.Bool("keep-date", false, "keep the start date")
	drop := fs.Bool("drop-annotations", false, "blank the annotation texts (time-keeping kept)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("%w: need IN and OUT", errUsage)
	}
	if pos[0] == pos[1] {
		return fmt.Errorf("%w: OUT must differ from IN", errUsage)
	}
	f, err := edf.Open(pos[0], edf.Options{})
	if err != nil {
		return err
	}
	defer f.Close()
	err = atomicfile.Write(pos[1], 0o644, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := edf.Deidentify(f, bw, edf.DeidOptions{ShiftDays: *shift, KeepDate: *keep, DropAnnotations: *drop}); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	// Log only what was done, never the identifiers themselves.
	fmt.Fprintf(env.stderr, "de-identified %s → %s (%d records; date %s; annotations %s)\n", pos[0], pos[1], f.Records,
		map[bool]string{true: "kept", false: map[bool]string{true: "shifted " + strconv.Itoa(*shift) + " days", false: "removed"}[*shift != 0]}[*keep],
		map[bool]string{true: "blanked", false: "kept"}[*drop])
	return nil
}
