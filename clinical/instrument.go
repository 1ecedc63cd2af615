package clinical

import (
	"fmt"
	"sort"
	"strings"
)

// Column describes one output column of a score table, for the JSON sidecar.
type Column struct {
	Name        string            `json:"-"`
	Description string            `json:"Description"`
	Units       string            `json:"Units,omitempty"`
	Levels      map[string]string `json:"Levels,omitempty"`
}

// Instrument is one questionnaire or criteria set: the columns it reads, the
// columns it writes, and its scoring function.
type Instrument struct {
	// Name is the short name used for files and column prefixes ("irls").
	Name string
	// Title is the instrument's full name.
	Title string
	// Reference is the publication whose scoring rules are implemented.
	Reference string
	// MissingRule states the missing-data rule applied.
	MissingRule string
	// Items are the input columns.
	Items []ItemSpec
	// Outputs are the score columns, in order.
	Outputs []Column
	// score computes one participant's outputs (len(Outputs) values) and a
	// reason when a score is not available.
	score func(in *Instrument, rd *reader) ([]Value, string)
}

// Row is one participant's scores for one instrument.
type Row struct {
	Participant string
	// Values follow the instrument's Outputs.
	Values []Value
	// Reason says why a score is not available ("" when all are).
	Reason string
}

// Score scores one record and returns its row and issues.
func (in *Instrument) Score(r *Record) (Row, []Issue) {
	rd := &reader{inst: in.Name, r: r}
	vals, reason := in.score(in, rd)
	if len(vals) != len(in.Outputs) {
		panic(fmt.Sprintf("clinical: instrument %s returned %d values for %d outputs", in.Name, len(vals), len(in.Outputs)))
	}
	return Row{Participant: r.ID, Values: vals, Reason: reason}, rd.issues
}

// Answered reports whether the record holds an answer (not empty, not n/a)
// to any of the instrument's items: an instrument whose items are all empty
// was not administered and gets no row.
func (in *Instrument) Answered(r *Record) bool {
	if in == Augmentation && len(r.Medications) > 0 {
		return true
	}
	return in.answeredItems(r)
}

// Output returns the index of the named output column, or -1.
func (in *Instrument) Output(name string) int {
	for i, c := range in.Outputs {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Instruments returns every instrument this package scores, in a fixed order.
func Instruments() []*Instrument {
	return []*Instrument{IRLSSG2014, IRLS, JHRLSS, RLS6, PSQI, ESS, Augmentation}
}

// InstrumentByName returns the instrument with the given short name.
func InstrumentByName(name string) (*Instrument, error) {
	var names []string
	for _, in := range Instruments() {
		if in.Name == name {
			return in, nil
		}
		names = append(names, in.Name)
	}
	return nil, fmt.Errorf("unknown instrument %q (known: %s)", name, strings.Join(names, ", "))
}

// instrumentOfColumn maps an input column to its instrument.
func instrumentOfColumn(col string) *Instrument {
	for _, in := range Instruments() {
		for _, it := range in.Items {
			if it.Column == col {
				return in
			}
		}
	}
	return nil
}

// ItemSpecOf returns the spec of a known input column.
func ItemSpecOf(col string) (ItemSpec, bool) {
	for _, in := range Instruments() {
		for _, it := range in.Items {
			if it.Column == col {
				return it, true
			}
		}
	}
	return ItemSpec{}, false
}

// Table is one instrument's scores for many participants.
type Table struct {
	Instrument *Instrument
	Rows       []Row
}

// Results holds every instrument's table and all issues of a scoring run.
type Results struct {
	Tables []*Table
	Issues []Issue
}

// ScoreDataset scores every instrument that any participant answered.
// Participants who answered none of an instrument's items get no row in its
// table; those who answered some get a row, with issues for the rest.
func ScoreDataset(d *Dataset) *Results {
	res := &Results{Issues: append([]Issue(nil), d.Issues...)}
	for _, in := range Instruments() {
		t := &Table{Instrument: in}
		for _, id := range d.IDs() {
			r := d.Records[id]
			if !in.Answered(r) && !(in == Augmentation && d.MedicationTable) {
				continue
			}
			row, iss := in.Score(r)
			t.Rows = append(t.Rows, row)
			res.Issues = append(res.Issues, iss...)
		}
		if len(t.Rows) > 0 {
			res.Tables = append(res.Tables, t)
		}
	}
	sort.SliceStable(res.Issues, func(i, j int) bool { return res.Issues[i].Participant < res.Issues[j].Participant })
	return res
}

// Fields returns, per participant, every score as a named field
// ("irls_total", "psqi_global", ...) for eligibility screening.
func (res *Results) Fields() map[string]map[string]Value {
	out := map[string]map[string]Value{}
	for _, t := range res.Tables {
		for _, row := range t.Rows {
			m := out[row.Participant]
			if m == nil {
				m = map[string]Value{}
				out[row.Participant] = m
			}
			for i, c := range t.Instrument.Outputs {
				m[c.Name] = row.Values[i]
			}
		}
	}
	return out
}

// Table returns the table of the named instrument, or nil.
func (res *Results) Table(name string) *Table {
	for _, t := range res.Tables {
		if t.Instrument.Name == name {
			return t
		}
	}
	return nil
}
