package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"glusleep/internal/cli"
	"glusleep/internal/npy"
	"glusleep/psg/edf"
	"glusleep/psg/export"
	"glusleep/psg/night"
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
	pos, err := cli.ParseN(fs, args, 1, "need one FILE")
	if err != nil {
		return err
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

// explainTruncated adds to a reading error the flag that reads the file
// anyway.
func explainTruncated(err error) error {
	if errors.Is(err, edf.ErrTruncated) {
		return fmt.Errorf("%w (--allow-truncated reads the complete records)", err)
	}
	return err
}

func runPSGExport(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg export")
	chans := cli.ListVar(fs, "channels", "signals to export, comma-separated: labels, or numbers as psg info prints them (needed for duplicate labels); default: all")
	ch := fs.String("channel", "", "one signal (label or number); same as --channels")
	out := fs.String("out", "", "output file: .tsv, .npy or .npz (default: TSV on stdout)")
	format := fs.String("format", "", "tsv, npy or npz (default: from --out's extension)")
	dtype := fs.String("dtype", "float64", "data type of .npz data: float64 or float32")
	var opt export.Options
	fs.Float64Var(&opt.Start, "start", 0, "start time in s from the recording start")
	fs.Float64Var(&opt.Duration, "duration", -1, "duration in s; negative: to the end")
	fs.BoolVar(&opt.Microvolts, "microvolts", false, "write voltage signals (V, mV, µV, nV) in µV; other signals keep their unit")
	allowTrunc := fs.Bool("allow-truncated", false, "read the complete records of a file shorter than its header declares")
	quiet := cli.Quiet(fs)
	pos, err := cli.ParseN(fs, args, 1, "need one FILE")
	if err != nil {
		return err
	}
	if opt.Format, err = export.FormatFor(*format, *out); err != nil {
		return cli.Usage(err)
	}
	if opt.DType, err = npy.ParseDType(*dtype); err != nil {
		return cli.Usagef("--dtype: %v", err)
	}
	if opt.Format != export.TSV && *out == "" {
		return cli.Usagef("%s output needs --out FILE", opt.Format)
	}
	f, err := edf.Open(pos[0], edf.Options{AllowTruncated: *allowTrunc})
	if err != nil {
		return explainTruncated(err)
	}
	defer f.Close()
	for _, w := range f.Warnings {
		fmt.Fprintf(env.stderr, "warning: %s: %s\n", pos[0], w)
	}
	if *ch != "" {
		*chans = append(*chans, *ch)
	}
	if opt.Channels, err = export.SelectChannels(f, *chans); err != nil {
		return err
	}
	prog := cli.NewProgress(env.progress(*quiet), "export "+filepath.Base(pos[0]), "records")
	opt.Progress = prog.Update
	if *out == "" {
		_, err = export.Write(env.stdout, f, opt)
		prog.Done()
		return err
	}
	sum, err := export.WriteFile(pos[0], *out, f, opt)
	prog.Done()
	if err != nil {
		return cli.UsageIf(err, export.ErrOutputIsInput)
	}
	fmt.Fprintf(env.stdout, "%s: %d signals, %g to %g s, %d gaps\n", *out, len(sum.Columns), sum.Start, sum.End, sum.Gaps)
	return nil
}

func runPSGDeid(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "psg deid")
	var opt edf.DeidOptions
	fs.IntVar(&opt.ShiftDays, "shift-days", 0, "shift the start date by N days instead of removing it")
	fs.BoolVar(&opt.KeepDate, "keep-date", false, "keep the start date")
	fs.BoolVar(&opt.DropAnnotations, "drop-annotations", false, "blank the annotation texts (time-keeping kept)")
	pos, err := cli.ParseN(fs, args, 2, "need IN and OUT")
	if err != nil {
		return err
	}
	f, err := edf.Open(pos[0], edf.Options{})
	if err != nil {
		return err
	}
	defer f.Close()
	if err := edf.DeidentifyFile(f, pos[0], pos[1], opt); errors.Is(err, edf.ErrSameFile) {
		return cli.Usagef("OUT must differ from IN (%w)", err)
	} else if err != nil {
		return err
	}
	// Log only what was done, never the identifiers themselves.
	fmt.Fprintf(env.stderr, "de-identified %s → %s (%d records; %s)\n", pos[0], pos[1], f.Records, opt.Summary())
	return nil
}

// analyze analyses a night and writes its outputs in out
// (night.AnalyzeTo) with the scoring options of sf, showing prog
// meanwhile; it prints the night's warnings.
func analyze(env *cmdEnv, sf *cli.ScoringFlags, in night.Input, opt night.Options, prog *cli.Progress, out string) (*night.Night, error) {
	var err error
	if in.Scoring, err = sf.Options(); err != nil {
		return nil, err
	}
	prog.Start()
	n, err := night.AnalyzeTo(in, opt, out)
	prog.Done()
	if n != nil {
		for _, w := range n.Warnings {
			fmt.Fprintln(env.stderr, "warning:", w)
		}
	}
	return n, explainTruncated(err)
}
