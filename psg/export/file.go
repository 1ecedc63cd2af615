package export

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/internal/samefile"
	"glusleep/psg/edf"
)

// ErrOutputIsInput reports an export file that is the recording itself.
var ErrOutputIsInput = errors.New("export: the output is the input file")

// FormatFor returns the format named (ParseFormat) or, when name is "",
// the one out's extension names; TSV when out is also "" (standard
// output).
func FormatFor(name, out string) (Format, error) {
	if name == "" {
		name = "tsv"
		if out != "" {
			name = strings.TrimPrefix(filepath.Ext(out), ".")
		}
	}
	return ParseFormat(name)
}

// WriteFile exports f (read from the file in) to the file out as opt says
// (Write), through a temporary file renamed into place when complete; an
// NPY export also gets its JSON sidecar, <out without extension>.json
// (Summary.WriteNPYSidecar). Neither out nor the sidecar may be in, by
// any name (ErrOutputIsInput; samefile.Is).
func WriteFile(in, out string, f *edf.File, opt Options) (*Summary, error) {
	sidecar := strings.TrimSuffix(out, filepath.Ext(out)) + ".json"
	if samefile.Is(in, out) {
		return nil, fmt.Errorf("%w: %s", ErrOutputIsInput, out)
	}
	if opt.Format == NPY && samefile.Is(in, sidecar) {
		return nil, fmt.Errorf("%w: %s (the NPY sidecar of %s)", ErrOutputIsInput, sidecar, out)
	}
	var sum *Summary
	err := atomicfile.WriteNoSync(out, 0o644, func(w io.Writer) error {
		var err error
		sum, err = Write(w, f, opt)
		return err
	})
	if err != nil {
		return nil, err
	}
	if opt.Format == NPY {
		if err := sum.WriteNPYSidecar(sidecar); err != nil {
			return nil, err
		}
	}
	return sum, nil
}
