package edf

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"glusleep/internal/atomicfile"
	"glusleep/internal/samefile"
)

// ErrSameFile reports an output that is the input file itself.
var ErrSameFile = errors.New("edf: the output is the input file")

// DeidentifyFile writes f de-identified (Deidentify) to the file out,
// through a temporary file renamed into place when complete (so a failed
// run leaves no partial file). out may not be the file f was read from,
// in, by any name (ErrSameFile; samefile.Is).
func DeidentifyFile(f *File, in, out string, opt DeidOptions) error {
	if samefile.Is(in, out) {
		return fmt.Errorf("%w: %s", ErrSameFile, out)
	}
	return atomicfile.Write(out, 0o644, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := Deidentify(f, bw, opt); err != nil {
			return err
		}
		return bw.Flush()
	})
}
