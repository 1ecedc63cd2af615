package bids

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxTSVBytes bounds the TSV files read here (an events table of a week
// of 30 s epochs with many events is well under it).
const maxTSVBytes = 256 << 20

// readTSV reads a BIDS TSV file: a header and rows of as many values.
func readTSV(path string) (header []string, rows [][]string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > maxTSVBytes {
		return nil, nil, fmt.Errorf("%s: %d bytes, more than the %d this reader accepts", path, st.Size(), maxTSVBytes)
	}
	return parseTSV(io.LimitReader(f, maxTSVBytes+1), path)
}

// parseTSV parses TSV text; name labels errors.
func parseTSV(r io.Reader, name string) (header []string, rows [][]string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			header = strings.Split(strings.TrimPrefix(text, "\ufeff"), "\t")
			for i, h := range header {
				if strings.TrimSpace(h) == "" {
					return nil, nil, fmt.Errorf("%s: header column %d is empty", name, i+1)
				}
			}
			continue
		}
		if text == "" {
			continue
		}
		v := strings.Split(text, "\t")
		if len(v) != len(header) {
			return nil, nil, fmt.Errorf("%s line %d: %d values, the header has %d columns", name, line, len(v), len(header))
		}
		rows = append(rows, v)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if header == nil {
		return nil, nil, fmt.Errorf("%s: empty file, want a header line", name)
	}
	return header, rows, nil
}
