package study

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"glusleep/internal/atomicfile"
)

// SlurmOptions configure the batch scripts for a cluster run.
type SlurmOptions struct {
	// Binary is the glusleep executable as the compute nodes see it
	// (absolute path recommended).
	Binary string
	// BIDS and Out are the dataset and derivatives folders as the compute
	// nodes see them.
	BIDS, Out string
	// Labels are the participants, one array task each, in order.
	Labels []string
	// CPUsPerTask, MemoryMB, TimeLimit ("HH:MM:SS"), Partition and Account
	// are passed to sbatch when set (defaults: 1 CPU, 2000 MB, 01:00:00).
	CPUsPerTask int
	MemoryMB    int
	TimeLimit   string
	Partition   string
	Account     string
	// ExtraArgs are appended to both glusleep commands (e.g. "--basis F").
	ExtraArgs []string
}

// SlurmScripts are the files that run a study on Slurm.
type SlurmScripts struct {
	// Participants is the label list, one per line; array task i processes
	// line i+1.
	Participants string
	// ParticipantJob is an sbatch array script for the participant level.
	ParticipantJob string
	// GroupJob is an sbatch script for the group level.
	GroupJob string
	// Submit is a shell script that submits the array and the group job
	// with an afterok dependency on the whole array.
	Submit string
}

// Write writes the scripts to dir (created) as participants.txt,
// participant.sbatch, group.sbatch and submit.sh, executable (0755).
func (s SlurmScripts) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("study: slurm scripts: %w", err)
	}
	for _, f := range []struct{ name, content string }{{"participants.txt", s.Participants},
		{"participant.sbatch", s.ParticipantJob}, {"group.sbatch", s.GroupJob}, {"submit.sh", s.Submit}} {
		if err := atomicfile.WriteFile(filepath.Join(dir, f.name), []byte(f.content), 0o755); err != nil {
			return fmt.Errorf("study: slurm scripts: %w", err)
		}
	}
	return nil
}

// WriteSlurm writes the scripts that run dataset d on Slurm (Slurm, then
// SlurmScripts.Write) into dir ("": o.Out/slurm) and returns that folder
// (as given or made) and the number of participants. Where o leaves them
// empty, Labels are every participant of d (Labels), Binary the running
// executable and BIDS d.Root; Binary, BIDS, Out and the folder are made
// absolute in the scripts, as the nodes need them.
func WriteSlurm(d *Dataset, o SlurmOptions, dir string) (string, int, error) {
	if len(o.Labels) == 0 {
		o.Labels = d.Labels()
	}
	if o.Binary == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", 0, fmt.Errorf("study: slurm scripts: %w", err)
		}
		o.Binary = exe
	}
	if o.BIDS == "" {
		o.BIDS = d.Root
	}
	if dir == "" {
		dir = filepath.Join(o.Out, "slurm")
	}
	o.Binary, o.BIDS, o.Out = absPath(o.Binary), absPath(o.BIDS), absPath(o.Out)
	sc, err := Slurm(o, absPath(dir))
	if err == nil {
		err = sc.Write(dir)
	}
	return dir, len(o.Labels), err
}

// absPath returns p made absolute, or p when that fails.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '=' || r == ':' || r == ',' ||
			(r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Slurm returns the scripts for a participant-level job array and a
// dependent group-level job. scriptDir is where they will be written (the
// submit script refers to the others there).
func Slurm(o SlurmOptions, scriptDir string) (SlurmScripts, error) {
	if len(o.Labels) == 0 {
		return SlurmScripts{}, fmt.Errorf("study: no participants to run")
	}
	if o.Binary == "" || o.BIDS == "" || o.Out == "" {
		return SlurmScripts{}, fmt.Errorf("study: slurm scripts need the glusleep binary, the dataset and the output folder")
	}
	if o.CPUsPerTask == 0 {
		o.CPUsPerTask = 1
	}
	if o.MemoryMB == 0 {
		o.MemoryMB = 2000
	}
	if o.TimeLimit == "" {
		o.TimeLimit = "01:00:00"
	}
	for _, l := range o.Labels {
		if !reSub.MatchString("sub-" + strings.TrimPrefix(l, "sub-")) {
			return SlurmScripts{}, fmt.Errorf("study: participant label %q is not alphanumeric", l)
		}
	}
	var list strings.Builder
	for _, l := range o.Labels {
		list.WriteString(strings.TrimPrefix(l, "sub-") + "\n")
	}
	listPath := filepath.Join(scriptDir, "participants.txt")
	logs := filepath.Join(scriptDir, "logs")
	extra := ""
	for _, a := range o.ExtraArgs {
		extra += " " + shellQuote(a)
	}
	header := func(name string) string {
		var b strings.Builder
		b.WriteString("#!/bin/bash\n")
		fmt.Fprintf(&b, "#SBATCH --job-name=%s\n", name)
		fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", o.CPUsPerTask)
		fmt.Fprintf(&b, "#SBATCH --mem=%d\n", o.MemoryMB)
		fmt.Fprintf(&b, "#SBATCH --time=%s\n", o.TimeLimit)
		if o.Partition != "" {
			fmt.Fprintf(&b, "#SBATCH --partition=%s\n", o.Partition)
		}
		if o.Account != "" {
			fmt.Fprintf(&b, "#SBATCH --account=%s\n", o.Account)
		}
		return b.String()
	}
	var pj strings.Builder
	pj.WriteString(header("glusleep-participant"))
	fmt.Fprintf(&pj, "#SBATCH --array=0-%d\n", len(o.Labels)-1)
	fmt.Fprintf(&pj, "#SBATCH --output=%s/participant_%%A_%%a.log\n", logs)
	pj.WriteString("set -euo pipefail\n")
	pj.WriteString("# One participant per array task: line SLURM_ARRAY_TASK_ID+1 of the list.\n")
	fmt.Fprintf(&pj, "label=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" %s)\n", shellQuote(listPath))
	fmt.Fprintf(&pj, "exec %s run %s %s participant --participant-label \"$label\" --n-cpus \"${SLURM_CPUS_PER_TASK:-1}\"%s\n",
		shellQuote(o.Binary), shellQuote(o.BIDS), shellQuote(o.Out), extra)

	var gj strings.Builder
	gj.WriteString(header("glusleep-group"))
	fmt.Fprintf(&gj, "#SBATCH --output=%s/group_%%j.log\n", logs)
	gj.WriteString("set -euo pipefail\n")
	fmt.Fprintf(&gj, "exec %s run %s %s group%s\n", shellQuote(o.Binary), shellQuote(o.BIDS), shellQuote(o.Out), extra)

	var sub strings.Builder
	sub.WriteString("#!/bin/bash\n# Submits the participant array, then the group job once every task succeeded.\nset -euo pipefail\n")
	fmt.Fprintf(&sub, "mkdir -p %s\n", shellQuote(logs))
	fmt.Fprintf(&sub, "array=$(sbatch --parsable %s)\n", shellQuote(filepath.Join(scriptDir, "participant.sbatch")))
	fmt.Fprintf(&sub, "group=$(sbatch --parsable --dependency=afterok:\"${array%%%%;*}\" %s)\n", shellQuote(filepath.Join(scriptDir, "group.sbatch")))
	sub.WriteString("echo \"participant array job ${array}, group job ${group}\"\n")
	return SlurmScripts{Participants: list.String(), ParticipantJob: pj.String(), GroupJob: gj.String(), Submit: sub.String()}, nil
}
