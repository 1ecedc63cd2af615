package stats

import (
	"fmt"
	"glusleep/internal/tsv"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Table is a data table read from tab-separated values (as BIDS
// participants.tsv): named columns, each numeric when every non-missing
// cell parses as a number, else categorical.
type Table struct {
	// Source names the table in error messages (the file name given to
	// ReadTable).
	Source string
	// Names are the column names in file order.
	Names []string
	// Rows is the number of data rows.
	Rows int
	cols map[string]*Column
	src  *tsv.Table
}

// Column is one column of a Table.
type Column struct {
	Name string
	// Numeric reports whether all non-missing cells are numbers; then Num
	// holds them with NaN for missing cells.
	Numeric bool
	Num     []float64
	// Str holds the raw cells ("" for missing).
	Str []string
}

// IsMissingCell reports whether a TSV cell means "missing": "n/a" (BIDS),
// "NA" (R), "NaN" or empty.
func IsMissingCell(s string) bool { return tsv.IsMissing(s) }

// ReadTable reads a tab-separated table with a header row (internal/tsv's
// rules and limits); name labels errors (usually the file name).
func ReadTable(r io.Reader, name string) (*Table, error) {
	tb, err := tsv.Read(r, name, tsv.Limits{})
	if err != nil {
		return nil, err
	}
	t := &Table{Source: name, Names: tb.Header, Rows: len(tb.Rows), cols: make(map[string]*Column, len(tb.Header)), src: tb}
	for j, n := range t.Names {
		c := &Column{Name: n, Str: make([]string, t.Rows), Num: make([]float64, t.Rows), Numeric: true}
		t.cols[n] = c
		for i, f := range tb.Rows {
			v := f[j]
			if IsMissingCell(v) {
				c.Num[i] = math.NaN()
				continue
			}
			c.Str[i] = v
			x, ok := parseCell(v)
			if !ok {
				c.Numeric = false
				continue
			}
			c.Num[i] = x
		}
		if !c.Numeric {
			c.Num = nil
		}
	}
	return t, nil
}

// parseCell reads a non-missing cell as a number by internal/tsv's rule
// (tsv.Float: decimal only, no NaN spelled otherwise than the missing
// markers, no hexadecimal), except that an infinity is read, so that Float
// can name it as not finite. ok is false for anything else.
func parseCell(s string) (x float64, ok bool) {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || strings.ContainsAny(s, "xX") {
		return 0, false
	}
	return x, true
}

// Column returns the named column.
func (t *Table) Column(name string) (*Column, error) {
	c, ok := t.cols[name]
	if !ok {
		return nil, fmt.Errorf("%w: %s: no column %q (have %s)", ErrInput, t.Source, name, strings.Join(t.Names, ", "))
	}
	return c, nil
}

// Float returns a numeric column, NaN for missing cells.
func (t *Table) Float(name string) ([]float64, error) {
	c, err := t.Column(name)
	if err != nil {
		return nil, err
	}
	for i, v := range c.Num {
		if math.IsInf(v, 0) { // NaN is missing, as in R; an infinity is not a measurement
			pos := fmt.Sprintf("%s: data row %d", t.Source, i+1)
			if t.src != nil {
				pos = t.src.Pos(i, t.src.Index(name))
			}
			return nil, fmt.Errorf("%w: %s: column %q: %v is not a finite number", ErrInput, pos, name, v)
		}
	}
	if !c.Numeric {
		for i, s := range c.Str {
			if s != "" {
				if _, ok := parseCell(s); !ok {
					pos := fmt.Sprintf("%s: data row %d", t.Source, i+1)
					if t.src != nil {
						pos = t.src.Pos(i, t.src.Index(name))
					}
					return nil, fmt.Errorf("%w: %s: column %q: %q is not a number", ErrInput, pos, name, s)
				}
			}
		}
	}
	return c.Num, nil
}

// Levels returns the distinct non-missing values of a column in sorted
// (byte) order, as R's factor() in the C locale.
func (c *Column) Levels() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range c.Str {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if c.Numeric {
		sort.Slice(out, func(i, j int) bool {
			a, _ := strconv.ParseFloat(out[i], 64)
			b, _ := strconv.ParseFloat(out[j], 64)
			return a < b
		})
	} else {
		sort.Strings(out)
	}
	return out
}

// Split returns the values of column value grouped by column group: the
// group levels in sorted order (or as given) and the values of each. Rows
// whose group is missing are dropped.
func (t *Table) Split(value, group string, levels ...string) ([]string, [][]float64, error) {
	v, err := t.Float(value)
	if err != nil {
		return nil, nil, err
	}
	g, err := t.Column(group)
	if err != nil {
		return nil, nil, err
	}
	if len(levels) == 0 {
		levels = g.Levels()
	}
	idx := map[string]int{}
	for i, l := range levels {
		idx[l] = i
	}
	out := make([][]float64, len(levels))
	for i, s := range g.Str {
		if k, ok := idx[s]; ok {
			out[k] = append(out[k], v[i])
		}
	}
	for i, l := range levels {
		if len(out[i]) == 0 {
			return nil, nil, fmt.Errorf("%w: %s: group %q of column %q has no rows (levels: %s)", ErrInput, t.Source, l, group, strings.Join(g.Levels(), ", "))
		}
	}
	return levels, out, nil
}
