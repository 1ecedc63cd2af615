package analysis

import (
	"fmt"
	"path/filepath"

	"glusleep/internal/atomicfile"
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
