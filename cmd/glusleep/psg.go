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
	"glusleep/internal/cli"
	"glusleep/internal/npy"
	"glusleep/psg/annot"
	"glusleep/psg/edf"
	"glusleep/psg/export"
)

func init() {
	register(&command{path: "psg info", usage: "psg info FILE [--json] [--keep-phi]",
		summary: "show an EDF/EDF+/BDF header, signals and annotation summary", run: runPSGInfo})
	register(&command{path: "psg export", usage: "psg export FILE [--channels A,B,3] [--out OUT.tsv|.npy|.npz] [--format tsv|npy|npz] [--dtype float64|float32] [--start S] [--duration S] [--microvolts] [--allow-truncated] [--quiet]",
		summary: "write signals' times (s, across EDF+D gaps) and values, streamed, as TSV or NumPy .npy/.npz", run: runPSGExport})
	register(&command{path: "psg deid", usage: "psg deid IN OUT [--shift-days N] [--keep-date] [--drop-annotations]",
		summary: "de-identify an EDF/BDF: anonymous patient and recording fields, date removed or shifted", run: runPSGDeid})
}

func runPSGInfo(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg info")
	asJSON := fs.Bool("json", false, "print JSON")
	show := fs.Bool("keep-phi", false, "also print the patient and recording fields (they identify people)")
	cli.Alias(fs, "show-identifiers", "keep-phi")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("need one FILE")
	}
	f, err := edf.Open(pos[0], edf.Options{AllowTruncated: true})
	if err != nil {
		return err
	}
	defer f.Close()
	info := edf.Describe(pos[0], f, *show)
	if *asJSON {
		b, _ := json.MarshalIndent(info, "", "  ")
		fmt.Fprintln(env.stdout, string(b))
		return nil
	}
	return info.WriteText(env.stdout, "--keep-phi")
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
	quiet := cli.Quiet(fs)
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return cli.Usagef("need one FILE")
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
		return cli.Usage(err)
	}
	dt, err := npy.ParseDType(*dtype)
	if err != nil {
		return cli.Usagef("--dtype: %v", err)
	}
	if ef != export.TSV && *out == "" {
		return cli.Usagef("%s output needs --out FILE", ef)
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
	prog := cli.NewProgress(env.progress(*quiet), "export "+filepath.Base(pos[0]), "records")
	opt := export.Options{Channels: idx, Start: *start, Duration: *dur, Microvolts: *uv, Format: ef, DType: dt, Progress: prog.Update}
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
	prog.Done()
	if err != nil {
		return err
	}
	if *out != "" && ef == export.NPY {
		if err := sum.WriteNPYSidecar(strings.TrimSuffix(*out, filepath.Ext(*out)) + ".json"); err != nil {
			return err
		}
	}
	if *out != "" {
		fmt.Fprintf(env.stdout, "%s: %d signals, %g to %g s, %d gaps\n", *out, len(sum.Columns), sum.Start, sum.End, sum.Gaps)
	}
	return nil
}

// writeRenamed writes out through a temporary file renamed into place
// when complete (atomicfile.WriteNoSync); out may not be the input.
func writeRenamed(in, out string, fill func(io.Writer) error) error {
	if a, e1 := os.Stat(in); e1 == nil {
		if b, e2 := os.Stat(out); e2 == nil && os.SameFile(a, b) {
			return cli.Usagef("--out %s is the input file", out)
		}
	}
	return atomicfile.WriteNoSync(out, 0o644, fill)
}

func runPSGDeid(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg deid")
	shift := fs.Int("shift-days", 0, "shift the start date by N days instead of removing it")
	keep := fs.Bool("keep-date", false, "keep the start date")
	drop := fs.Bool("drop-annotations", false, "blank the annotation texts (time-keeping kept)")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return cli.Usagef("need IN and OUT")
	}
	if pos[0] == pos[1] {
		return cli.Usagef("OUT must differ from IN")
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
			return opt, cli.Usagef("--stage-map: %v", err)
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
