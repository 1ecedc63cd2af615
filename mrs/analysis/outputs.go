package analysis

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"glusleep/internal/atomicfile"
	"glusleep/internal/pool"
	"glusleep/mrs/preproc"
	"glusleep/plot"
)

// output is a file to write: its path and content.
type output struct {
	name string
	data []byte
}

// writeFiles writes each file atomically, in order, and returns the paths
// written (those before a failure, with the error).
func writeFiles(files []output) ([]string, error) {
	var paths []string
	for _, f := range files {
		if err := atomicfile.WriteFile(f.name, f.data, 0o644); err != nil {
			return paths, err
		}
		paths = append(paths, f.name)
	}
	return paths, nil
}

// preprocFiles returns a preprocessed spectrum's outputs in dir:
// <stem>_preproc_qc.json (q) and <stem>_preproc.svg (res's figures).
func preprocFiles(dir, stem string, q PreprocQC, res *preproc.Result) ([]output, error) {
	b, err := q.JSON()
	if err != nil {
		return nil, fmt.Errorf("%s: preprocessing QC: %w", stem, err)
	}
	base := filepath.Join(dir, stem)
	return []output{{base + "_preproc_qc.json", b}, {base + "_preproc.svg", []byte(plot.Stack(res.Figures(stem)...))}}, nil
}

// WritePreproc writes the preprocessing outputs of res, the spectrum
// q.Input preprocessed, in dir: <stem>_preproc_qc.json (PreprocQC, the one
// shape every entry point writes; q.QC is set to res.QC) and
// <stem>_preproc.svg; it returns their paths.
func WritePreproc(dir, stem string, q PreprocQC, res *preproc.Result) ([]string, error) {
	q.QC = res.QC
	files, err := preprocFiles(dir, stem, q, res)
	if err != nil {
		return nil, err
	}
	return writeFiles(files)
}

// ErrDuplicateStem is the kind of CheckStems' error: two inputs whose
// outputs would have the same names.
var ErrDuplicateStem = errors.New("inputs with the same output names")

// CheckStems returns an error (ErrDuplicateStem) naming the first two
// inputs with the same Stem (compared ignoring case, as case-insensitive
// file systems do), whose outputs in one folder would overwrite each
// other (a/x.RAW and b/x.RAW); nil when every stem differs.
func CheckStems(inputs []string) error {
	first := map[string]string{}
	for _, in := range inputs {
		k := strings.ToLower(Stem(in))
		if prev, ok := first[k]; ok {
			return fmt.Errorf("%w: %s and %s both write %s_*: rename one or fit them into different folders", ErrDuplicateStem, prev, in, Stem(in))
		}
		first[k] = in
	}
	return nil
}

// RunAll runs every input (Run, outputs in dir under Stem(input); dir is
// made if needed) on at most workers goroutines (pool.Workers: 0 uses
// every CPU) and returns how many failed. done, when not nil, is called
// as each input finishes, one call at a time, with its index, result and
// error. Inputs with the same stem are refused (CheckStems) before any
// runs.
func (a *Analyzer) RunAll(ctx context.Context, inputs []string, dir string, workers int, done func(i int, r *Result, err error)) (failed int, err error) {
	if err := CheckStems(inputs); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	var mu sync.Mutex
	errs := pool.Run(ctx, len(inputs), workers, func(_ context.Context, i int) error {
		r, err := a.Run(inputs[i], dir, Stem(inputs[i]))
		mu.Lock()
		defer mu.Unlock()
		if done != nil {
			done(i, r, err)
		}
		return err
	})
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	return failed, nil
}
