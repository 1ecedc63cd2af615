package clinical

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"glusleep/internal/tsv"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ColumnInfo is one entry of a BIDS JSON data dictionary (sidecar).
type ColumnInfo struct {
	Description string            `json:"Description,omitempty"`
	Levels      map[string]string `json:"Levels,omitempty"`
	Units       string            `json:"Units,omitempty"`
}

// ReadTSV reads a BIDS TSV table (tab separated, header first, participant_id
// column required) with its optional data dictionary and adds its values to
// d. A value not among a column's Levels is an issue and is treated as
// missing. name labels messages (usually the file path).
func ReadTSV(d *Dataset, r io.Reader, dict map[string]ColumnInfo, name string) error {
	return readTSV(d, r, dict, name, nil)
}

// ColumnMap renames source columns (a form's own variable names) to the
// column names of this package, e.g. {"rls_q1": "irls_01"}. Unlisted columns
// keep their names.
type ColumnMap map[string]string

func (m ColumnMap) name(h string) string {
	if n, ok := m[h]; ok {
		return n
	}
	return h
}

// MaxColumnMapBytes is the largest column map ReadColumnMap reads (4 MiB:
// some hundred thousand renamed columns, far beyond any form, and a
// damaged or hostile file cannot exhaust memory).
const MaxColumnMapBytes = 4 << 20

// ReadColumnMap reads a ColumnMap from a JSON object of source → column
// names (ParseColumnMap); two sources may not map to one column. An empty
// path means no map: nil, which renames nothing. A file over
// MaxColumnMapBytes is refused before it is read, with an error naming it
// and wrapping tsv.ErrLimit.
func ReadColumnMap(path string) (ColumnMap, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("column map: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxColumnMapBytes {
		return nil, fmt.Errorf("column map %s: %d bytes, over the %d-byte budget for a column map: %w", path, fi.Size(), MaxColumnMapBytes, tsv.ErrLimit)
	}
	// A pipe or device has no size: read one byte past the budget.
	b, err := io.ReadAll(io.LimitReader(f, MaxColumnMapBytes+1))
	if err != nil {
		return nil, fmt.Errorf("column map %s: %w", path, err)
	}
	if len(b) > MaxColumnMapBytes {
		return nil, fmt.Errorf("column map %s: over the %d-byte budget for a column map: %w", path, MaxColumnMapBytes, tsv.ErrLimit)
	}
	return ParseColumnMap(b, path)
}

// ParseColumnMap parses a column map from b, one JSON object whose every
// value is a string: the source column's name → this package's column
// name. name labels errors (usually the file path), which say what was
// found where an object, a string or a new source was wanted: a value
// that is not a string, an empty name, a source listed twice, two
// sources mapped to one column, anything after the object.
func ParseColumnMap(b []byte, name string) (ColumnMap, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%s: %s (want a JSON object of source column → column name, e.g. {\"rls_q1\": \"irls_01\"})", name, fmt.Sprintf(format, a...))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	next := func() (json.Token, error) {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New("the file ends before the object is closed")
		}
		return tok, err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, bad("empty file")
	}
	if tok, err := next(); err != nil {
		return nil, bad("%v", err)
	} else if tok != json.Delim('{') {
		return nil, bad("the file starts with %v, not an object", tokenText(tok))
	}
	m := ColumnMap{}
	seen := map[string]string{}
	for dec.More() {
		tok, err := next()
		if err != nil {
			return nil, bad("%v", err)
		}
		src, ok := tok.(string)
		if !ok { // the decoder allows only strings as keys
			return nil, bad("%v where a source column's name was wanted", tokenText(tok))
		}
		tok, err = next()
		if err != nil {
			return nil, bad("%q: %v", src, err)
		}
		dst, ok := tok.(string)
		switch {
		case !ok:
			return nil, bad("%q maps to %v, not a column name", src, tokenText(tok))
		case dst == "":
			return nil, bad("%q maps to an empty name", src)
		}
		if _, dup := m[src]; dup {
			return nil, bad("%q is listed twice", src)
		}
		if o, dup := seen[dst]; dup {
			return nil, bad("%q and %q both map to %q", o, src, dst)
		}
		m[src], seen[dst] = dst, src
	}
	if _, err := next(); err != nil {
		return nil, bad("%v", err)
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil {
			return nil, bad("after the object: %v", err)
		}
		return nil, bad("%v after the object", tokenText(tok))
	}
	return m, nil
}

// tokenText describes a JSON token in an error message.
func tokenText(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", v)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}

// ErrNoRows is returned for a phenotype table that has a header but no
// participant rows: a BIDS phenotype table lists every participant (n/a
// where not applicable), so an empty one is a file cut short or a wrong
// export, not a table of nobody.
var ErrNoRows = errors.New("no participant rows after the header (want one row per participant, n/a where not applicable; is the file cut short?)")

func readTSV(d *Dataset, r io.Reader, dict map[string]ColumnInfo, name string, cols ColumnMap) error {
	t, err := tsv.Read(r, name, tsv.Limits{})
	if err != nil {
		return err
	}
	header, idCol, dict, err := mapHeader(t, dict, cols)
	if err != nil {
		return err
	}
	if len(t.Rows) == 0 {
		return fmt.Errorf("%s: %w", name, ErrNoRows)
	}
	seenID := map[string]int{}
	for i, f := range t.Rows {
		line := t.Line(i)
		src := fmt.Sprintf("%s:%d", name, line)
		id := f[idCol]
		if id == "" || id == Missing {
			return t.Errorf(i, idCol, "participant_id is empty")
		}
		if first, dup := seenID[id]; dup {
			d.Issues = append(d.Issues, Issue{Participant: id, Column: "participant_id", Value: id, Severity: SeverityError, Source: src,
				Message: fmt.Sprintf("participant appears again (first on line %d); this row is ignored", first)})
			continue
		}
		seenID[id] = line
		rec := d.record(id)
		for j, h := range header {
			if j == idCol {
				continue
			}
			v := f[j]
			if v == "" {
				v = Missing
			}
			d.set(id, h, v, t.Pos(i, j))
			if info, ok := dict[h]; ok && len(info.Levels) > 0 && v != Missing {
				if _, ok := info.Levels[v]; !ok {
					d.Issues = append(d.Issues, Issue{Participant: id, Instrument: instName(h), Column: h, Value: v, Severity: SeverityError, Source: t.Pos(i, j),
						Message: fmt.Sprintf("unknown code (the data dictionary allows %s); treated as missing", levelList(info.Levels))})
					rec.Invalid[h] = true
				}
			}
		}
	}
	return nil
}

// mapHeader renames the table's columns by cols, finds participant_id and
// checks the data dictionary's codes; it returns the renamed header, the
// participant_id column and the dictionary under the new names.
func mapHeader(t *tsv.Table, dict map[string]ColumnInfo, cols ColumnMap) ([]string, int, map[string]ColumnInfo, error) {
	header := make([]string, len(t.Header))
	idCol := -1
	seen := map[string]bool{}
	for _, h := range t.Header {
		seen[h] = true
	}
	for i, h := range t.Header {
		header[i] = cols.name(h)
		if header[i] != h && seen[header[i]] {
			return nil, 0, nil, t.Errorf(-1, i, "column %q is renamed to %q, which the file already has", h, header[i])
		}
		seen[header[i]] = true
		if h == "participant_id" {
			idCol = i
		}
	}
	if idCol < 0 {
		return nil, 0, nil, t.Errorf(-1, -1, "no participant_id column (BIDS tables need one)")
	}
	if len(cols) > 0 && dict != nil {
		mapped := map[string]ColumnInfo{}
		for k, v := range dict {
			mapped[cols.name(k)] = v
		}
		dict = mapped
	}
	for _, h := range header {
		if info, ok := dict[h]; ok && len(info.Levels) > 0 {
			keys := make([]string, 0, len(info.Levels))
			for k := range info.Levels {
				keys = append(keys, k)
			}
			if err := checkCodes(h, keys); err != nil {
				return nil, 0, nil, fmt.Errorf("%s: data dictionary: %w", t.Name, err)
			}
		}
	}
	return header, idCol, dict, nil
}

func instName(col string) string {
	if in := instrumentOfColumn(col); in != nil {
		return in.Name
	}
	return ""
}

func levelList(l map[string]string) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// ReadSidecar reads a BIDS JSON data dictionary: an object of column names
// to {Description, Levels, Units}. Other top-level keys (MeasurementToolMetadata,
// ...) are ignored.
func ReadSidecar(path string) (map[string]ColumnInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]ColumnInfo{}
	for k, v := range raw {
		if len(v) == 0 || v[0] != '{' {
			continue
		}
		var ci ColumnInfo
		if err := json.Unmarshal(v, &ci); err != nil {
			return nil, fmt.Errorf("%s: column %q: %w", path, k, err)
		}
		out[k] = ci
	}
	return out, nil
}

// ReadBIDSFile reads one phenotype or participants TSV and its sidecar
// (same name with .json, if present). A table with a drug column
// (medications.tsv) is read as medication records.
func ReadBIDSFile(d *Dataset, path string) error { return readBIDSFile(d, path, nil) }

func readBIDSFile(d *Dataset, path string, cols ColumnMap) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if isMedicationTable(path) {
		return ReadMedications(d, f, path)
	}
	var dict map[string]ColumnInfo
	side := strings.TrimSuffix(path, filepath.Ext(path)) + ".json"
	if _, err := os.Stat(side); err == nil {
		if dict, err = ReadSidecar(side); err != nil {
			return err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return readTSV(d, f, dict, path, cols)
}

func isMedicationTable(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	for _, h := range strings.Split(strings.TrimRight(line, "\r\n"), "\t") {
		if strings.TrimSpace(h) == "drug" {
			return true
		}
	}
	return false
}

// ReadBIDSPhenotype reads a BIDS phenotype folder (every *.tsv with its
// sidecar) or a single TSV file.
func ReadBIDSPhenotype(path string) (*Dataset, error) { return ReadBIDSPhenotypeMapped(path, nil) }

// ReadBIDSPhenotypeMapped is ReadBIDSPhenotype with columns renamed by cols.
func ReadBIDSPhenotypeMapped(path string, cols ColumnMap) (*Dataset, error) {
	d := NewDataset()
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if st.IsDir() {
		files, err = filepath.Glob(filepath.Join(path, "*.tsv"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no .tsv files in the phenotype folder", path)
		}
		sort.Strings(files)
	}
	for _, f := range files {
		if err := readBIDSFile(d, f, cols); err != nil {
			return nil, err
		}
	}
	return d, nil
}
