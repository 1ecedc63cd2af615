package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"glusleep/internal/atomicfile"
	"glusleep/internal/npy"
	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/export"
)

func init() {
	register(&command{path: "psg info", usage: "psg info FILE [--json] [--show-identifiers]",
		summary: "show an EDF/EDF+/BDF header, signals and annotation summary", run: runPSGInfo})
	register(&command{path: "psg export", usage: "psg export FILE [--channels A,B,3] [--out OUT.tsv|.npy|.npz] [--format tsv|npy|npz] [--dtype float64|float32] [--start S] [--duration S] [--microvolts] [--allow-truncated] [--quiet]",
		summary: "write signals' times (s, across EDF+D gaps) and values, streamed, as TSV or NumPy .npy/.npz", run: runPSGExport})
	register(&command{path: "psg deid", usage: "psg deid IN OUT [--shift-days N] [--keep-date] [--drop-annotations]",
		summary: "de-identify an EDF/BDF: anonymous patient and recording fields, date removed or shifted", run: runPSGDeid})
}

type signalInfo struct {
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

type gapInfo struct {
	Record    int     `json:"record"`
	OnsetS    float64 `json:"onset_s"`
	DurationS float64 `json:"duration_s"`
}

type fileInfo struct {
	File            string         `json:"file"`
	Format          string         `json:"format"`
	Start           string         `json:"start"`
	Records         int            `json:"records"`
	RecordsDeclared int            `json:"records_declared"`
	RecordDuration  float64        `json:"record_duration_s"`
	DurationS       float64        `json:"duration_s"`
	SpanS           float64        `json:"span_s"`
	Gaps            []gapInfo      `json:"gaps"`
	Truncated       string         `json:"truncated,omitempty"`
	Trailing        string         `json:"trailing,omitempty"`
	Warnings        []string       `json:"warnings"`
	Patient         string         `json:"patient,omitempty"`
	Recording       string         `json:"recording,omitempty"`
	Signals         []signalInfo   `json:"signals"`
	Annotations     int            `json:"annotations"`
	AnnotationText  map[string]int `json:"annotation_counts"`
}

// declaredRecords reads the record count the header states (−1: unknown),
// which edf.File replaces by the records it reads.
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

func newFileInfo(path string, f *edf.File, show bool) fileInfo {
	info := fileInfo{File: path, Format: f.Format.String(), Start: f.Start.Format("2006-01-02T15:04:05.999"),
		Records: f.Records, RecordsDeclared: declaredRecords(path), RecordDuration: f.RecordDuration, DurationS: f.Duration(),
		Truncated: f.Truncated, Trailing: f.Trailing, Warnings: append([]string{}, f.Warnings...),
		AnnotationText: map[string]int{}, Gaps: []gapInfo{}}
	if on := f.RecordOnsets(); len(on) > 0 {
		info.SpanS = on[len(on)-1] + f.RecordDuration
	}
	for _, g := range f.Gaps() {
		info.Gaps = append(info.Gaps, gapInfo{g.Record, g.Onset, g.Duration})
	}
	if show {
		info.Patient, info.Recording = f.Patient, f.Recording
	}
	for i, s := range f.Signals {
		info.Signals = append(info.Signals, signalInfo{i + 1, s.Label, s.Transducer, s.Dimension, s.Rate(f.RecordDuration),
			s.PhysMin, s.PhysMax, s.DigMin, s.DigMax, s.Prefilter, s.IsAnnotation()})
	}
	anns := f.Annotations()
	info.Annotations = len(anns)
	for _, a := range anns {
		info.AnnotationText[a.Text]++
	}
	return info
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
	info := newFileInfo(pos[0], f, *show)
	if *asJSON {
		b, _ := json.MarshalIndent(info, "", "  ")
		fmt.Fprintln(env.stdout, string(b))
		return nil
	}
	w := env.stdout
	fmt.Fprintf(w, "file        %s\nformat      %s\nstart       %s\n", info.File, info.Format, info.Start)
	fmt.Fprintf(w, "duration    %.1f s recorded (%d records of %g s; header declares %d)\n", info.DurationS, info.Records, info.RecordDuration, info.RecordsDeclared)
	if len(info.Gaps) > 0 {
		fmt.Fprintf(w, "span        %.1f s from start to end of the last record, %d gaps:\n", info.SpanS, len(info.Gaps))
		for _, g := range info.Gaps {
			fmt.Fprintf(w, "  gap before record %d: %g s to %g s (%g s)\n", g.Record+1, g.OnsetS, g.OnsetS+g.DurationS, g.DurationS)
		}
	}
	if f.Truncated != "" {
		fmt.Fprintf(w, "truncated   %s\n", f.Truncated)
	}
	if f.Trailing != "" {
		fmt.Fprintf(w, "trailing    %s\n", f.Trailing)
	}
	for _, x := range info.Warnings {
		if x != f.Trailing && !strings.HasPrefix(x, "truncated: ") {
			fmt.Fprintf(w, "warning     %s\n", x)
		}
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
	fmt.Fprintf(w, "annotations %d (%d distinct texts)\n", info.Annotations, len(info.AnnotationText))
	return nil
}

// openPSG opens an EDF/BDF for reading samples: a truncated file is refused
// naming --allow-truncated unless allowed; warnings (trailing data, record
// count mismatches) go to stderr.
func openPSG(env *cmdEnv, path string, allowTruncated bool) (*edf.File, error) {
	f, err := edf.Open(path, edf.Options{AllowTruncated: allowTruncated})
	if errors.Is(err, edf.ErrTruncated) {
		return nil, fmt.Errorf("%w (--allow-truncated reads the complete records)", err)
	}
	if err != nil {
		return nil, err
	}
	for _, w := range f.Warnings {
		fmt.Fprintf(env.stderr, "warning: %s: %s\n", path, w)
	}
	return f, nil
}

func runPSGExport(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg export")
	chans := fs.String("channels", "", "signals to export, comma-separated: labels, or numbers as psg info prints them (needed for duplicate labels); default: all")
	ch := fs.String("channel", "", "one signal (label or number); same as --channels")
	out := fs.String("out", "", "output file: .tsv, .npy or .npz (default: TSV on stdout)")
	format := fs.String("format", "", "tsv, npy or npz (default: from --out's extension)")
	dtype := fs.String("dtype", "float64", "data type of .npz data: float64 or float32")
	start := fs.Float64("start", 0, "start time in s from the recording start")
	dur := fs.Float64("duration", -1, "duration in s (default: to the end)")
	uv := fs.Bool("microvolts", false, "write voltage signals (V, mV, µV, nV) in µV; other signals keep their unit")
	allowTrunc := fs.Bool("allow-truncated", false, "read the complete records of a file shorter than its header declares")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: need one FILE", errUsage)
	}
	spec := *chans
	if *ch != "" {
		spec = strings.TrimPrefix(spec+","+*ch, ",")
	}
	fmtName := *format
	if fmtName == "" {
		fmtName = "tsv"
		if *out != "" {
			fmtName = strings.TrimPrefix(filepath.Ext(*out), ".")
		}
	}
	ef, err := export.ParseFormat(fmtName)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	dt, err := npy.ParseDType(*dtype)
	if err != nil {
		return fmt.Errorf("%w: --dtype: %v", errUsage, err)
	}
	if ef != export.TSV && *out == "" {
		return fmt.Errorf("%w: %s output needs --out FILE", errUsage, ef)
	}
	f, err := openPSG(env, pos[0], *allowTrunc)
	if err != nil {
		return err
	}
	defer f.Close()
	var specs []string
	if spec != "" {
		specs = strings.Split(spec, ",")
	}
	idx, err := export.SelectChannels(f, specs)
	if err != nil {
		return err
	}
	prog := newPSGProgress(env, "export "+filepath.Base(pos[0]), *quiet)
	opt := export.Options{Channels: idx, Start: *start, Duration: *dur, Microvolts: *uv, Format: ef, DType: dt, Progress: prog.update}
	var sum *export.Summary
	write := func(w io.Writer) error {
		var err error
		sum, err = export.Write(w, f, opt)
		return err
	}
	if *out == "" {
		err = write(env.stdout)
	} else {
		err = writeRenamed(pos[0], *out, write)
	}
	prog.done()
	if err != nil {
		return err
	}
	if *out != "" && ef == export.NPY {
		js, _ := json.MarshalIndent(map[string]any{"columns": append([]export.Column{{Label: "time_s", Unit: "s"}}, sum.Columns...),
			"layout": "float64 array (samples, 1 + signals): column 0 time_s, then the signals in this order"}, "", "  ")
		side := strings.TrimSuffix(*out, filepath.Ext(*out)) + ".json"
		if err := atomicfile.WriteFile(side, append(js, '\n'), 0o644); err != nil {
			return err
		}
	}
	if *out != "" {
		fmt.Fprintf(env.stdout, "%s: %d signals, %g to %g s, %d gaps\n", *out, len(sum.Columns), sum.Start, sum.End, sum.Gaps)
	}
	return nil
}

// writeRenamed writes out through a temporary file in its folder renamed
// into place when complete, so that no partial export is ever seen. Unlike
// atomicfile it does not fsync: exports are re-created from their input at
// will, and syncing gigabytes doubles the time of an export. out may not be
// the input.
func writeRenamed(in, out string, fill func(io.Writer) error) (err error) {
	if a, e1 := os.Stat(in); e1 == nil {
		if b, e2 := os.Stat(out); e2 == nil && os.SameFile(a, b) {
			return fmt.Errorf("%w: --out %s is the input file", errUsage, out)
		}
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = fill(f); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// psgProgress prints "LABEL: n%" on stderr when it is a terminal, the
// command was not --quiet and the work has taken more than a second.
type psgProgress struct {
	w     io.Writer
	label string
	on    bool
	t0    time.Time
	last  time.Time
	shown bool
}

func newPSGProgress(env *cmdEnv, label string, quiet bool) *psgProgress {
	p := &psgProgress{w: env.stderr, label: label, t0: time.Now()}
	if f, ok := env.stderr.(*os.File); ok && !quiet {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *psgProgress) update(done, total int) {
	if !p.on || total <= 0 {
		return
	}
	now := time.Now()
	if now.Sub(p.t0) < time.Second || now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last, p.shown = now, true
	fmt.Fprintf(p.w, "\r%s: %3.0f%% (%d/%d records)", p.label, 100*float64(done)/float64(total), done, total)
}

func (p *psgProgress) done() {
	if p.shown {
		fmt.Fprintf(p.w, "\r%s: done in %.1f s%s\n", p.label, time.Since(p.t0).Seconds(), strings.Repeat(" ", 20))
	}
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

// scoringFlags are the options of every command that reads scoring files.
type scoringFlags struct {
	stageMap       *string
	allowTruncated *bool
}

func addScoringFlags(fs *flag.FlagSet) scoringFlags {
	return scoringFlags{
		stageMap:       fs.String("stage-map", "", "lab stage codes as CODE=STAGE,… (e.g. 11=W,12=N1,13=N2,14=N3,15=R), read before the built-in spellings"),
		allowTruncated: fs.Bool("allow-truncated", false, "read the complete records of an EDF+ scoring file shorter than its header declares"),
	}
}

// options returns the annot.Options the flags give.
func (sf scoringFlags) options() (annot.Options, error) {
	var opt annot.Options
	if sf.allowTruncated != nil {
		opt.AllowTruncated = *sf.allowTruncated
	}
	if sf.stageMap != nil && *sf.stageMap != "" {
		m, err := annot.ParseStageMap(*sf.stageMap)
		if err != nil {
			return opt, fmt.Errorf("%w: --stage-map: %v", errUsage, err)
		}
		opt.StageMap = m
	}
	return opt, nil
}

// explain adds to a reading error the flag that reads the file anyway.
func (sf scoringFlags) explain(err error) error {
	if errors.Is(err, edf.ErrTruncated) {
		return fmt.Errorf("%w (--allow-truncated reads the complete records)", err)
	}
	return err
}

// read reads a scoring file of any dialect with the flags' options;
// origin is the recording start (zero when unknown) for clock-time formats.
func (sf scoringFlags) read(path string, origin time.Time) (*annot.Hypnogram, error) {
	opt, err := sf.options()
	if err != nil {
		return nil, err
	}
	opt.Origin = origin
	h, err := annot.ReadFile(path, opt)
	return h, sf.explain(err)
}
