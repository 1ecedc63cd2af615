package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"glusleep/internal/cli"
	"glusleep/internal/pool"
	"glusleep/study"
)

func init() {
	register(&command{path: "run", usage: "run BIDS_DIR OUT_DIR participant|group [--participant-label L ... | --participant-index I] [--n-cpus N] [--work-dir DIR] [--basis FILE] [--preprocess auto|always|never] [--max-shift-ppm PPM] [--tm MS] [--segmentation TEMPLATE [--segmentation-type T] | --tissue-fractions GM,WM,CSF] [--phantom[=TEMP_C]] [--phantom-singlet PPM[:NAME]]... [--common-lineshape] [--no-phase1] [--mrs-results DIR] [--plan FILE] [--allow-missing] [--quiet]",
		summary: "run the study pipeline (BIDS-Apps convention): participant level per participant, then group level", run: runStudy})
	register(&command{path: "slurm", usage: "slurm BIDS_DIR OUT_DIR [--binary PATH] [--script-dir DIR] [--partition P] [--cpus-per-task N] [--mem-mb N] [--time HH:MM:SS]",
		summary: "write sbatch scripts: a participant-level job array and the dependent group job", run: runSlurm})
}

func runStudy(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "run")
	var labels cli.Strings
	fs.Var(&labels, "participant-label", "participant to process, with or without sub- (repeatable; default all)")
	cli.Alias(fs, "participant_label", "participant-label")
	index := fs.Int("participant-index", -1, "process only the participant at this 0-based position in the dataset's participant list (for Kubernetes Indexed Jobs: $JOB_COMPLETION_INDEX); -1: every participant")
	ncpu := cli.NCPUs(fs, "participants processed at once")
	workDir := fs.String("work-dir", "", "process participants here (e.g. node-local scratch) and copy finished outputs to OUT_DIR")
	planPath := fs.String("plan", "", "group-level analysis plan (JSON; default: the paper's plan)")
	ff := cli.AddFit(fs)
	tf := cli.AddTissue(fs, true)
	results := fs.String("mrs-results", "", "take existing MRS fits from this folder instead of fitting: LCModel .table, FSL-MRS summary.csv, Osprey QuantifyResults *_tCr_Voxel_*.tsv; a result belongs to participant L when its ID (LCModel title, Osprey subject) or its path in DIR contains sub-L as a whole token")
	quiet := cli.Quiet(fs)
	allowMissing := fs.Bool("allow-missing", false, "group level: leave out participants without participant-level outputs (listed in results.txt and the report) instead of refusing")
	pos, err := cli.Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 3 && len(labels) > 0 {
		// BIDS Apps take --participant_label 01 02 …: the words after the
		// three positional arguments are more labels.
		labels, pos = append(labels, pos[3:]...), pos[:3]
	}
	switch {
	case len(pos) != 3:
		return cli.Usagef("need BIDS_DIR OUT_DIR participant|group")
	case pos[2] != "participant" && pos[2] != "group":
		return cli.Usagef("analysis level %q: want participant or group", pos[2])
	case *index < -1:
		return cli.Usagef("--participant-index %d: want a 0-based position (0 or more), or -1 for every participant", *index)
	case *index >= 0 && len(labels) > 0:
		return cli.Usagef("give --participant-label or --participant-index, not both")
	case pos[2] == "group":
		*results = "" // participant level only
	}
	// Flags first: a usage error is reported before the dataset is read.
	set, err := ff.StudySettings(tf, *results)
	if err != nil {
		return err
	}
	out := pos[1]
	d, err := study.Open(pos[0])
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if pos[2] == "group" {
		return runGroup(env, d, out, *planPath, *allowMissing)
	}
	if *index >= 0 {
		l, err := d.LabelAt(*index)
		if err != nil {
			return cli.Usage(fmt.Errorf("--participant-index: %w", err))
		}
		labels = cli.Strings{l}
	}
	prog := env.progress(*quiet)
	r := &study.Runner{Dataset: d, Out: out, Settings: set, Version: version, Workers: pool.Workers(*ncpu), Process: (&study.Pipeline{Settings: set, Warn: warner(env, "run")}).Process,
		Progress: prog, Terminal: prog != nil, WorkDir: *workDir, Log: env.stderr}
	// SIGINT/SIGTERM cancel the run: participants finished so far are kept,
	// the ones in progress stop and their work folders are removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := r.Run(ctx, labels)
	return reportParticipants(env, res, out, err)
}

// reportParticipants prints how many participants were done, skipped
// and failed, and each failed one with its reason on stderr, one line
// each; it returns an error (exit status 1) when any participant failed or
// the run could not start (err).
func reportParticipants(env *cmdEnv, res []study.Outcome, out string, err error) error {
	for _, o := range res {
		if o.Status == "failed" {
			fmt.Fprintf(env.stderr, "glusleep run: sub-%s failed: %s\n", o.Participant, o.Reason())
		}
	}
	n := study.Count(res)
	fmt.Fprintf(env.stdout, "participant level: %d done, %d skipped (unchanged), %d failed → %s\n", n.Done, n.Skipped, n.Failed, out)
	if n.Failed > 0 {
		return fmt.Errorf("%d of %d participants failed (reasons above; their provenance is not written and the group level refuses them until they succeed)", n.Failed, len(res))
	}
	return err
}

// runGroup runs the group level with the plan at planPath ("": the
// paper's) and prints its results; participants without outputs are
// refused with the flag that leaves them out.
func runGroup(env *cmdEnv, d *study.Dataset, out, planPath string, allowMissing bool) error {
	plan, err := study.ReadPlan(planPath)
	if err != nil {
		return err
	}
	res, err := study.GroupWith(d, out, plan, version, study.GroupOptions{AllowMissing: allowMissing})
	var me *study.MissingOutputsError
	switch {
	case errors.As(err, &me) && len(me.Labels) == me.Total:
		return fmt.Errorf("%w; run the participant level first", err)
	case errors.As(err, &me):
		return fmt.Errorf("%w; run the participant level for them, or give --allow-missing to leave them out", err)
	case err != nil:
		return err
	}
	for _, l := range res.Lines {
		fmt.Fprintln(env.stdout, l)
	}
	fmt.Fprintf(env.stdout, "cohort: %s\nreport: %s\n", res.CohortTSV, res.Report)
	return nil
}

func runSlurm(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "slurm")
	var o study.SlurmOptions
	fs.StringVar(&o.Binary, "binary", "", "glusleep executable as the nodes see it (default: this one)")
	dir := fs.String("script-dir", "", "where to write the scripts (default OUT_DIR/slurm)")
	fs.StringVar(&o.Partition, "partition", "", "Slurm partition")
	fs.IntVar(&o.CPUsPerTask, "cpus-per-task", 1, "CPUs per participant task")
	fs.IntVar(&o.MemoryMB, "mem-mb", 2000, "memory per task in MB")
	fs.StringVar(&o.TimeLimit, "time", "01:00:00", "time limit per task as HH:MM:SS")
	pos, err := cli.ParseN(fs, args, 2, "need BIDS_DIR OUT_DIR")
	if err != nil {
		return err
	}
	d, err := study.Open(pos[0])
	if err != nil {
		return err
	}
	o.Out = pos[1]
	written, n, err := study.WriteSlurm(d, o, *dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s/{participant.sbatch,group.sbatch,submit.sh,participants.txt} for %d participants; submit with: bash %s/submit.sh\n",
		written, n, written)
	return nil
}

// warner returns a function printing "glusleep CMD: warning: MSG" lines on
// stderr, safe to call from several goroutines.
func warner(env *cmdEnv, cmd string) func(string) {
	var mu sync.Mutex
	return func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(env.stderr, "glusleep %s: warning: %s\n", cmd, msg)
	}
}
