// Package tsv reads tab-separated tables as BIDS writes them (participants.tsv,
// phenotype/*.tsv, _events.tsv, cohort tables): a header line of unique,
// non-empty column names, then one row per line with as many fields;
// UTF-8 with an optional byte-order mark, LF or CRLF line ends, blank lines
// skipped, cells trimmed of surrounding spaces; "n/a" (BIDS) and the other
// spellings of a missing value recognised by IsMissing. Inputs are read
// within size, line and row budgets, and errors name the file, line and
// column (file:line:column, both counted from 1, the column in bytes).
//
// It also formats numbers for such tables with NaN and ±Inf as "n/a"
// (Num, Cell).
package tsv

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Limits bound what Read accepts; zero fields take DefaultLimits' value.
type Limits struct {
	// MaxBytes is the largest input, in bytes.
	MaxBytes int64
	// MaxLineBytes is the longest line, in bytes.
	MaxLineBytes int
	// MaxRows is the most data rows.
	MaxRows int
}

// DefaultLimits are generous for study tables (a cohort of a million rows)
// and keep a damaged or hostile file from exhausting memory.
var DefaultLimits = Limits{MaxBytes: 256 << 20, MaxLineBytes: 16 << 20, MaxRows: 1 << 20}

func (l Limits) orDefault() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxLineBytes <= 0 {
		l.MaxLineBytes = DefaultLimits.MaxLineBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultLimits.MaxRows
	}
	return l
}

// Error is a problem at a place in a table; it prints as
// "file:line:column: message" (column omitted when 0).
type Error struct {
	// File names the table (as given to Read).
	File string
	// Line and Column are counted from 1; Column is in bytes, 0 when the
	// problem is the whole line.
	Line, Column int
	// Err is the problem.
	Err error
}

func (e *Error) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

// Unwrap returns the problem.
func (e *Error) Unwrap() error { return e.Err }

// ErrLimit is wrapped by errors for inputs beyond Limits.
var ErrLimit = errors.New("tsv: input exceeds limit")

// Table is a table read by Read.
type Table struct {
	// Name names the table in errors (usually its path).
	Name string
	// Header holds the column names, trimmed.
	Header []string
	// Rows holds the data rows' cells, trimmed; every row has
	// len(Header) cells.
	Rows [][]string
	// lines are the file line of each row; cols the byte column (from 1)
	// where each cell starts.
	lines []int
	cols  [][]int32
	hcols []int32
}

// Index returns the position of the named column, or −1.
func (t *Table) Index(name string) int {
	for i, h := range t.Header {
		if h == name {
			return i
		}
	}
	return -1
}

// Line returns the file line (from 1) of data row i.
func (t *Table) Line(i int) int { return t.lines[i] }

// Errorf returns an Error at data row i, column j (j < 0: the whole line;
// i < 0: the header).
func (t *Table) Errorf(i, j int, format string, a ...any) error {
	e := &Error{File: t.Name, Line: 1, Err: fmt.Errorf(format, a...)}
	cols := t.hcols
	if i >= 0 {
		e.Line, cols = t.lines[i], t.cols[i]
	}
	if j >= 0 && j < len(cols) {
		e.Column = int(cols[j])
	}
	return e
}

// Pos returns "file:line:column" of data row i, column j.
func (t *Table) Pos(i, j int) string {
	e := t.Errorf(i, j, "").(*Error)
	if e.Column > 0 {
		return fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Column)
	}
	return fmt.Sprintf("%s:%d", e.File, e.Line)
}

// ReadFile reads the table in the file at path within lim.
func ReadFile(path string, lim Limits) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lim = lim.orDefault()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > lim.MaxBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d-byte limit: %w", path, fi.Size(), lim.MaxBytes, ErrLimit)
	}
	return Read(f, path, lim)
}

// split splits a line at tabs, returning the trimmed cells and the byte
// column (from 1) where each starts.
func split(s string) ([]string, []int32) {
	f := strings.Split(s, "\t")
	col := make([]int32, len(f))
	at := 1
	for i, c := range f {
		col[i] = int32(at)
		at += len(c) + 1
		f[i] = strings.TrimSpace(c)
	}
	return f, col
}

// Read reads a table from r within lim; name labels errors.
func Read(r io.Reader, name string, lim Limits) (*Table, error) {
	lim = lim.orDefault()
	lr := &io.LimitedReader{R: r, N: lim.MaxBytes + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, min(64<<10, lim.MaxLineBytes)), lim.MaxLineBytes)
	t := &Table{Name: name}
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			if err := t.header(strings.TrimPrefix(s, "\ufeff")); err != nil {
				return nil, err
			}
			continue
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		f, col := split(s)
		if len(f) != len(t.Header) {
			e := &Error{File: name, Line: line, Err: fmt.Errorf("%d fields, the header has %d columns", len(f), len(t.Header))}
			if len(f) > len(t.Header) {
				e.Column = int(col[len(t.Header)])
			} else {
				e.Column = len(s) + 1
			}
			return nil, e
		}
		if len(t.Rows) == lim.MaxRows {
			return nil, &Error{File: name, Line: line, Err: fmt.Errorf("more than %d rows: %w", lim.MaxRows, ErrLimit)}
		}
		t.Rows, t.lines, t.cols = append(t.Rows, f), append(t.lines, line), append(t.cols, col)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &Error{File: name, Line: line + 1, Err: fmt.Errorf("line longer than %d bytes: %w", lim.MaxLineBytes, ErrLimit)}
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if lr.N <= 0 {
		return nil, fmt.Errorf("%s: more than %d bytes: %w", name, lim.MaxBytes, ErrLimit)
	}
	if line == 0 {
		return nil, fmt.Errorf("%s: empty file, want a header line", name)
	}
	return t, nil
}

func (t *Table) header(s string) error {
	if strings.TrimSpace(s) == "" {
		return &Error{File: t.Name, Line: 1, Err: errors.New("empty header line")}
	}
	t.Header, t.hcols = split(s)
	seen := make(map[string]int, len(t.Header))
	for i, h := range t.Header {
		if h == "" {
			return &Error{File: t.Name, Line: 1, Column: int(t.hcols[i]), Err: fmt.Errorf("column %d has an empty name", i+1)}
		}
		if first, dup := seen[h]; dup {
			return &Error{File: t.Name, Line: 1, Column: int(t.hcols[i]), Err: fmt.Errorf("column %q appears twice (columns %d and %d)", h, first+1, i+1)}
		}
		seen[h] = i
	}
	return nil
}

// IsMissing reports whether a cell means "missing": empty, "n/a" (BIDS),
// "N/A", "NA" (R), "NaN" or "nan".
func IsMissing(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "n/a", "N/A", "NA", "NaN", "nan":
		return true
	}
	return false
}

// Float reads a cell as a number: NaN for a missing cell (IsMissing),
// else the whole cell, trimmed, as a decimal number by strconv.ParseFloat.
// Anything else is an error: "12abc", "1,5", hexadecimal ("0x1p-2"), an
// infinity and NaN spellings other than IsMissing's ("NAN").
func Float(s string) (float64, error) {
	if IsMissing(s) {
		return math.NaN(), nil
	}
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) || strings.ContainsAny(s, "xX") {
		return math.NaN(), fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}
