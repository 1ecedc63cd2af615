package study

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"glusleep/internal/atomicfile"
	"glusleep/internal/pool"
)

// ProvenanceFile is the name of the file, in each participant's derivatives
// folder, that records what the outputs were made from. Its presence marks
// the participant as finished.
const ProvenanceFile = "provenance.json"

// Provenance records how a participant's derivatives were made.
type Provenance struct {
	// Participant is the label without "sub-".
	Participant string `json:"participant"`
	// Version is the glusleep version that made the outputs.
	Version string `json:"version"`
	// Key is the SHA-256 of the settings and of every input file's
	// content; a rerun with the same key skips the participant.
	Key string `json:"key"`
	// Inputs maps each input file (relative to the dataset) to its SHA-256.
	Inputs map[string]string `json:"inputs"`
	// Started and Seconds time the processing.
	Started time.Time `json:"started"`
	Seconds float64   `json:"seconds"`
	// Warnings are non-fatal problems met while processing.
	Warnings []string `json:"warnings,omitempty"`
	// Settings are the participant level's settings as run (the JSON
	// hashed into Key), for the methods the group report writes.
	Settings json.RawMessage `json:"settings,omitempty"`
}

// Processor makes one participant's derivatives in the folder out (empty,
// private to this call) and returns non-fatal warnings.
type Processor func(ctx context.Context, p *Participant, out string) (warnings []string, err error)

// Runner runs the participant level.
type Runner struct {
	// Dataset is the BIDS dataset.
	Dataset *Dataset
	// Out is the derivatives folder; participant outputs go to
	// Out/sub-<label>/.
	Out string
	// Settings are hashed into each participant's key, so changed settings
	// re-run participants. They must marshal to JSON.
	Settings any
	// Version is recorded in provenance and hashed into the key.
	Version string
	// Workers is the number of participants processed at once (default 1).
	Workers int
	// Process makes one participant's outputs.
	Process Processor
	// Progress, when not nil, receives progress: a bar with ETA when
	// Terminal is true, else one log line per participant.
	Progress io.Writer
	// Terminal selects the progress bar.
	Terminal bool
	// Log, when not nil, receives one line per notable event that is not
	// progress: work folders of killed runs removed at start.
	Log io.Writer
	// WorkDir is where participants are processed (e.g. fast node-local
	// scratch); finished outputs are then copied next to Out and renamed
	// into place. Empty uses Out/.work.
	WorkDir string
}

// Outcome is what happened to one participant.
type Outcome struct {
	// Participant is the label.
	Participant string
	// Status is "done", "skipped" (unchanged since an earlier run) or
	// "failed".
	Status string
	// Err is the failure, for Status "failed".
	Err error
	// Seconds is the processing time (0 when skipped).
	Seconds float64
}

// Run processes the participants (all of the dataset's when labels is
// empty). One participant's failure never stops the others; finished
// participants are never lost: each participant's outputs are made in a
// private work folder and moved into place by a rename only when complete,
// provenance last. Each participant is locked while it runs
// (Out/.work/sub-<label>.lock, see AcquireLock): a participant another
// live run holds fails with a *LockError. Work folders left by killed
// runs are removed first (reported to Log). The error is non-nil
// only when the run could not start or some participants failed (it then
// summarises them).
func (r *Runner) Run(ctx context.Context, labels []string) ([]Outcome, error) {
	if r.Process == nil || r.Dataset == nil {
		return nil, errors.New("study: runner needs a dataset and a processor")
	}
	var parts []*Participant
	if len(labels) == 0 {
		parts = r.Dataset.Participants
	} else {
		for _, l := range labels {
			p := r.Dataset.Participant(l)
			if p == nil {
				return nil, fmt.Errorf("study: participant %q is not in %s", l, r.Dataset.Root)
			}
			parts = append(parts, p)
		}
	}
	if err := os.MkdirAll(filepath.Join(r.Out, ".work"), 0o777); err != nil {
		return nil, fmt.Errorf("study: output folder: %w", err)
	}
	if err := DescribeDerivatives(r.Out, r.Dataset, r.Version); err != nil {
		return nil, fmt.Errorf("study: output folder: %w", err)
	}
	for _, f := range r.removeStale() {
		if r.Log != nil {
			fmt.Fprintf(r.Log, "removed %s, left by a run that was stopped\n", f)
		}
	}
	settings, err := json.Marshal(r.Settings)
	if err != nil {
		return nil, fmt.Errorf("study: settings do not marshal: %w", err)
	}
	out := make([]Outcome, len(parts))
	prog := newProgress(r.Progress, r.Terminal, len(parts))
	errs := pool.Run(ctx, len(parts), max(r.Workers, 1), func(ctx context.Context, i int) error {
		out[i] = r.one(ctx, parts[i], settings)
		prog.done(out[i])
		return nil
	})
	for i, err := range errs {
		if err != nil { // not started: the run was cancelled
			out[i] = Outcome{Participant: parts[i].Label, Status: "failed", Err: err}
		}
	}
	prog.finish()
	var failed []string
	for _, o := range out {
		if o.Status == "failed" {
			failed = append(failed, fmt.Sprintf("sub-%s: %v", o.Participant, o.Err))
		}
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		return out, fmt.Errorf("study: %d of %d participants failed:\n  %s", len(failed), len(parts), strings.Join(failed, "\n  "))
	}
	return out, nil
}

// Inputs returns every input file of a participant, relative to the
// dataset root, sorted.
func (p *Participant) Inputs(root string) []string {
	var in []string
	add := func(f string) {
		if f == "" {
			return
		}
		rel, err := filepath.Rel(root, f)
		if err != nil {
			rel = f
		}
		in = append(in, filepath.ToSlash(rel))
	}
	for _, m := range p.MRS {
		add(m.SVS)
		add(m.Ref)
	}
	for _, n := range p.Nights {
		add(n.EDF)
		add(n.Events)
		add(n.Channels)
	}
	for _, s := range p.Source {
		add(s)
	}
	for _, s := range p.Segmentations {
		for _, f := range s.Files.Paths() {
			add(f)
		}
	}
	sort.Strings(in)
	return in
}

// key hashes the settings, version, participant row and input contents.
func (r *Runner) key(p *Participant, settings []byte) (string, map[string]string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "version %s\nsettings %s\n", r.Version, settings)
	fields := make([]string, 0, len(p.Fields))
	for k := range p.Fields {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	for _, k := range fields {
		fmt.Fprintf(h, "field %s=%s\n", k, p.Fields[k])
	}
	inputs := map[string]string{}
	for _, rel := range p.Inputs(r.Dataset.Root) {
		sum, err := fileSHA256(filepath.Join(r.Dataset.Root, filepath.FromSlash(rel)))
		if err != nil {
			return "", nil, err
		}
		inputs[rel] = sum
		fmt.Fprintf(h, "input %s %s\n", rel, sum)
	}
	return hex.EncodeToString(h.Sum(nil)), inputs, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ReadProvenance reads a participant's provenance from its derivatives
// folder.
func ReadProvenance(dir string) (*Provenance, error) {
	b, err := os.ReadFile(filepath.Join(dir, ProvenanceFile))
	if err != nil {
		return nil, err
	}
	var p Provenance
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ProvenanceFile), err)
	}
	return &p, nil
}

func (r *Runner) one(ctx context.Context, p *Participant, settings []byte) Outcome {
	o := Outcome{Participant: p.Label}
	lock, err := AcquireLock(lockPath(r.Out, "sub-"+p.Label))
	if err != nil {
		o.Status, o.Err = "failed", err
		return o
	}
	defer lock.Release()
	key, inputs, err := r.key(p, settings)
	if err != nil {
		o.Status, o.Err = "failed", fmt.Errorf("hashing inputs: %w", err)
		return o
	}
	final := filepath.Join(r.Out, "sub-"+p.Label)
	if prev, err := ReadProvenance(final); err == nil && prev.Key == key {
		o.Status = "skipped"
		return o
	}
	stageRoot := filepath.Join(r.Out, ".work")
	workRoot := stageRoot
	if r.WorkDir != "" {
		workRoot = r.WorkDir
		if err := os.MkdirAll(workRoot, 0o777); err != nil {
			o.Status, o.Err = "failed", fmt.Errorf("work folder: %w", err)
			return o
		}
	}
	work, err := mkdirTemp(workRoot, "sub-"+p.Label+"-")
	if err != nil {
		o.Status, o.Err = "failed", err
		return o
	}
	defer os.RemoveAll(work)
	start := time.Now()
	warnings, err := r.safeProcess(ctx, p, work)
	if err != nil {
		o.Status, o.Err = "failed", &relError{err: err, msg: r.relative(err.Error(), work)}
		return o
	}
	if workRoot != stageRoot {
		// Stage beside the final folder so the swap below is a rename on
		// one file system.
		stage, err := mkdirTemp(stageRoot, "sub-"+p.Label+"-")
		if err != nil {
			o.Status, o.Err = "failed", err
			return o
		}
		defer os.RemoveAll(stage)
		if err := copyTree(work, stage); err != nil {
			o.Status, o.Err = "failed", fmt.Errorf("copying from the work folder: %w", err)
			return o
		}
		work = stage
	}
	prov := Provenance{Participant: p.Label, Version: r.Version, Key: key, Inputs: inputs,
		Started: start.UTC().Truncate(time.Second), Seconds: time.Since(start).Seconds(), Warnings: r.relativeAll(append(append([]string(nil), p.Problems...), warnings...), work),
		Settings: json.RawMessage(settings)}
	b, _ := json.MarshalIndent(prov, "", "  ")
	if err := atomicfile.WriteFile(filepath.Join(work, ProvenanceFile), append(b, '\n'), 0o644); err != nil {
		o.Status, o.Err = "failed", err
		return o
	}
	// Swap the finished folder into place: the old one (if any) is moved
	// aside first and removed after, so a crash leaves either the old or the
	// new complete folder.
	old := ""
	if _, err := os.Stat(final); err == nil {
		old = work + ".old"
		if err := os.Rename(final, old); err != nil {
			o.Status, o.Err = "failed", err
			return o
		}
	}
	if err := os.Rename(work, final); err != nil {
		if old != "" {
			os.Rename(old, final)
		}
		o.Status, o.Err = "failed", err
		return o
	}
	if old != "" {
		os.RemoveAll(old)
	}
	o.Status, o.Seconds = "done", prov.Seconds
	return o
}

// safeProcess runs the processor, turning a panic in it into an error so one
// participant cannot stop the run.
func (r *Runner) safeProcess(ctx context.Context, p *Participant, work string) (w []string, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error (please report): %v", v)
		}
	}()
	return r.Process(ctx, p, work)
}

// progress reports participants as they finish.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	term     bool
	total, n int
	start    time.Time
}

func newProgress(w io.Writer, term bool, total int) *progress {
	return &progress{w: w, term: term, total: total, start: time.Now()}
}

func (p *progress) done(o Outcome) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	el := time.Since(p.start)
	eta := time.Duration(0)
	if p.n > 0 {
		eta = time.Duration(float64(el) / float64(p.n) * float64(p.total-p.n))
	}
	if p.term {
		const width = 30
		fill := width * p.n / max(p.total, 1)
		bar := ""
		for i := 0; i < width; i++ {
			if i < fill {
				bar += "#"
			} else {
				bar += "."
			}
		}
		fmt.Fprintf(p.w, "\r[%s] %d/%d participants, ETA %s ", bar, p.n, p.total, eta.Round(time.Second))
		return
	}
	msg := o.Status
	if o.Err != nil {
		msg += ": " + o.Err.Error()
	}
	fmt.Fprintf(p.w, "participant %d/%d sub-%s %s (%.1f s); elapsed %s, ETA %s\n", p.n, p.total, o.Participant, msg, o.Seconds, el.Round(time.Second), eta.Round(time.Second))
}

func (p *progress) finish() {
	if p.w != nil && p.term {
		fmt.Fprintln(p.w)
	}
}

// copyTree copies the regular files and folders under src into dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o777) // less the umask
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return atomicfile.WriteFile(target, b, 0o644)
	})
}
