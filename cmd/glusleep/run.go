package main

import (
	"context"
	"errors"
	"fmt"
	"glusleep/mrs/fit"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"glusleep/internal/cli"
	"glusleep/internal/pool"
	"glusleep/mrs/preproc"
	"glusleep/study"
)

func init() {
	register(&command{path: "run", usage: "run BIDS_DIR OUT_DIR participant|group [--participant-label L ... | --participant-index I] [--n-cpus N] [--work-dir DIR] [--basis FILE] [--preprocess auto|always|never] [--max-shift-ppm PPM] [--segmentation TEMPLATE [--segmentation-type T] | --tissue-fractions GM,WM,CSF] [--phantom[=TEMP_C]] [--phantom-singlet PPM[:NAME]]... [--common-lineshape] [--mrs-results DIR] [--plan FILE] [--allow-missing] [--quiet]",
		summary: "run the study pipeline (BIDS-Apps convention): participant level per participant, then group level", run: runStudy})
	register(&command{path: "slurm", usage: "slurm BIDS_DIR OUT_DIR [--binary PATH] [--script-dir DIR] [--partition P] [--cpus-per-task N] [--mem-mb N] [--time HH:MM:SS]",
		summary: "write sbatch scripts: a participant-level job array and the dependent group job", run: runSlurm})
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func runStudy(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "run")
	var labels multiFlag
	fs.Var(&labels, "participant-label", "participant to process, with or without sub- (repeatable; default all)")
	cli.Alias(fs, "participant_label", "participant-label")
	index := fs.Int("participant-index", -1, "process only the participant at this 0-based position in the dataset's participant list (for Kubernetes Indexed Jobs: $JOB_COMPLETION_INDEX)")
	ncpu := addNCPUs(fs, "participants processed at once")
	workDir := fs.String("work-dir", "", "process participants here (e.g. node-local scratch) and copy finished outputs to OUT_DIR")
	basis := fs.String("basis", "", "LCModel .BASIS to use instead of a simulated basis")
	planPath := fs.String("plan", "", "group-level analysis plan (JSON; default: the paper's plan)")
	maxShift := fs.Float64("max-shift-ppm", 0.1, fmt.Sprintf("MRS frequency search range in ppm (default 0.1; %g for phantoms, as mrs fit)", fit.PhantomMaxShiftPPM))
	pre := fs.String("preprocess", "auto", "MRS preprocessing: auto (spectra with several FIDs), always or never")
	seg := fs.String("segmentation", "", "path template of each participant's T1 tissue segmentation, {subject} and {session} for the labels (default: found under BIDS_DIR/derivatives/*/sub-*/[ses-*/]anat/)")
	segType := fs.String("segmentation-type", "", "fast, spm, probseg or labels (default: told by the file names)")
	fractions := fs.String("tissue-fractions", "", "fixed GM,WM,CSF volume fractions of every voxel, 0–1 each, summing to 1, instead of segmentations")
	mrsFlags := addStudyMRSFlags(fs)
	quiet := addQuiet(fs)
	allowMissing := fs.Bool("allow-missing", false, "group level: leave out participants without participant-level outputs (listed in results.txt and the report) instead of refusing")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 3 && len(labels) > 0 {
		// BIDS Apps take --participant_label 01 02 …: the words after the
		// three positional arguments are more labels.
		labels, pos = append(labels, pos[3:]...), pos[:3]
	}
	if len(pos) != 3 {
		return fmt.Errorf("%w: need BIDS_DIR OUT_DIR participant|group", errUsage)
	}
	if pos[2] != "participant" && pos[2] != "group" {
		return fmt.Errorf("%w: analysis level %q: want participant or group", errUsage, pos[2])
	}
	if _, err := mrsFlags.ph.phantom(); err != nil {
		return err // checked before the dataset is read
	}
	// Flags first: a usage error is reported before the dataset is read.
	set := study.DefaultSettings()
	set.Basis = *basis
	if flagGiven(fs, "max-shift-ppm") {
		set.MaxShiftPPM = *maxShift // else 0: the default for the spectrum, as in mrs fit
	}
	if err := studyTissueFlags(&set, *seg, *segType, *fractions); err != nil {
		return err
	}
	if _, err := preproc.ParseMode(*pre); err != nil {
		return fmt.Errorf("%w: --%w", errUsage, err)
	}
	if *pre != string(preproc.ModeAuto) {
		set.Preprocess = *pre // "auto" stays empty: settings hash unchanged
	}
	d, err := study.Open(pos[0])
	if err != nil {
		return err
	}
	out := pos[1]
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if pos[2] == "group" {
		plan := study.DefaultPlan()
		if *planPath != "" {
			if plan, err = study.ReadPlan(*planPath); err != nil {
				return err
			}
		}
		res, err := runGroup(d, out, plan, *allowMissing)
		if err != nil {
			return err
		}
		for _, l := range res.Lines {
			fmt.Fprintln(env.stdout, l)
		}
		fmt.Fprintf(env.stdout, "cohort: %s\nreport: %s\n", res.CohortTSV, res.Report)
		return nil
	}
	if err := mrsFlags.apply(&set); err != nil {
		return err
	}
	pl := &study.Pipeline{Settings: set}
	prog := env.progress(*quiet)
	if *index >= 0 {
		if len(labels) > 0 {
			return fmt.Errorf("%w: give --participant-label or --participant-index, not both", errUsage)
		}
		if *index >= len(d.Participants) {
			return fmt.Errorf("--participant-index %d: the dataset has %d participants (indices 0 to %d)", *index, len(d.Participants), len(d.Participants)-1)
		}
		labels = multiFlag{d.Participants[*index].Label}
	}
	r := &study.Runner{Dataset: d, Out: out, Settings: set, Version: version, Workers: pool.Workers(*ncpu), Process: pl.Process,
		Progress: prog, Terminal: prog != nil, WorkDir: *workDir, Log: env.stderr}
	// SIGINT/SIGTERM cancel the run: participants finished so far are kept,
	// the ones in progress stop and their work folders are removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := r.Run(ctx, labels)
	done, skipped := 0, 0
	for _, o := range res {
		switch o.Status {
		case "done":
			done++
		case "skipped":
			skipped++
		}
	}
	fmt.Fprintf(env.stdout, "participant level: %d done, %d skipped (unchanged), %d failed → %s\n", done, skipped, len(res)-done-skipped, out)
	return participantFailures(env, res, err)
}

// participantFailures prints each failed participant with its reason on
// stderr, one line each, and returns an error (exit status 1) when any
// participant failed or the run could not start.
func participantFailures(env *cmdEnv, res []study.Outcome, err error) error {
	failed := 0
	for _, o := range res {
		if o.Status != "failed" {
			continue
		}
		failed++
		reason := strings.Join(strings.Fields(fmt.Sprint(o.Err)), " ") // one line
		fmt.Fprintf(env.stderr, "glusleep run: sub-%s failed: %s\n", o.Participant, reason)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d participants failed (reasons above; their provenance is not written and the group level refuses them until they succeed)", failed, len(res))
	}
	return err
}

// runGroup runs the group level; participants without outputs are
// refused with the flag that leaves them out.
func runGroup(d *study.Dataset, out string, plan study.Plan, allowMissing bool) (*study.GroupResult, error) {
	res, err := study.GroupWith(d, out, plan, version, study.GroupOptions{AllowMissing: allowMissing})
	var me *study.MissingOutputsError
	if errors.As(err, &me) {
		if len(me.Labels) == me.Total {
			return nil, fmt.Errorf("%w; run the participant level first", err)
		}
		return nil, fmt.Errorf("%w; run the participant level for them, or give --allow-missing to leave them out", err)
	}
	return res, err
}

func runSlurm(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "slurm")
	bin := fs.String("binary", "", "glusleep executable as the nodes see it (default: this one)")
	dir := fs.String("script-dir", "", "where to write the scripts (default OUT_DIR/slurm)")
	part := fs.String("partition", "", "Slurm partition")
	cpus := fs.Int("cpus-per-task", 1, "CPUs per participant task")
	mem := fs.Int("mem-mb", 2000, "memory per task in MB")
	tl := fs.String("time", "01:00:00", "time limit per task as HH:MM:SS")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("%w: need BIDS_DIR OUT_DIR", errUsage)
	}
	d, err := study.Open(pos[0])
	if err != nil {
		return err
	}
	if *bin == "" {
		if *bin, err = os.Executable(); err != nil {
			return err
		}
	}
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			return p
		}
		return a
	}
	if *dir == "" {
		*dir = filepath.Join(pos[1], "slurm")
	}
	var labels []string
	for _, p := range d.Participants {
		labels = append(labels, p.Label)
	}
	sc, err := study.Slurm(study.SlurmOptions{Binary: abs(*bin), BIDS: abs(pos[0]), Out: abs(pos[1]), Labels: labels,
		CPUsPerTask: *cpus, MemoryMB: *mem, TimeLimit: *tl, Partition: *part}, abs(*dir))
	if err != nil {
		return err
	}
	if err := sc.Write(*dir); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s/{participant.sbatch,group.sbatch,submit.sh,participants.txt} for %d participants; submit with: bash %s/submit.sh\n",
		*dir, len(labels), *dir)
	return nil
}
