package bids

import (
	"io"

	"glusleep/internal/tsv"
)

// maxTSVBytes bounds the TSV files read here (an events table of a week
// of 30 s epochs with many events is well under it).
const maxTSVBytes = 256 << 20

// tsvLimits are the budgets of the TSV files read here.
var tsvLimits = tsv.Limits{MaxBytes: maxTSVBytes}

// readTSV reads a BIDS TSV file: a header and rows of as many values
// (internal/tsv's rules: cells trimmed, errors at file:line:column).
func readTSV(path string) (header []string, rows [][]string, err error) {
	t, err := tsv.ReadFile(path, tsvLimits)
	if err != nil {
		return nil, nil, err
	}
	return t.Header, t.Rows, nil
}

// parseTSV parses TSV text; name labels errors.
func parseTSV(r io.Reader, name string) (header []string, rows [][]string, err error) {
	t, err := tsv.Read(r, name, tsvLimits)
	if err != nil {
		return nil, nil, err
	}
	return t.Header, t.Rows, nil
}
