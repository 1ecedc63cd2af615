package clinical

import (
	"fmt"
	"sort"
	"strings"
)

// Missing is the BIDS spelling of a missing value in TSV files.
const Missing = "n/a"

// Severity says how serious an Issue is.
type Severity string

const (
	// SeverityError marks a value that could not be used: the answer is
	// treated as missing and the scores that need it follow the missing-data
	// rule.
	SeverityError Severity = "error"
	// SeverityNote marks a published scoring rule that changed or filled a
	// value (for example PSQI's range answers, or item 5j set to 0).
	SeverityNote Severity = "note"
)

// Issue is one message about the input: which participant, which column,
// which value, and what is wrong with it.
type Issue struct {
	Participant string   `json:"participant_id"`
	Instrument  string   `json:"instrument,omitempty"`
	Column      string   `json:"column"`
	Value       string   `json:"value"`
	Severity    Severity `json:"severity"`
	Message     string   `json:"message"`
	// Source is the file (and line) the value came from, when known.
	Source string `json:"source,omitempty"`
}

// String formats the issue as "source: severity: participant P, column C, value V: message".
func (i Issue) String() string {
	var b strings.Builder
	if i.Source != "" {
		b.WriteString(i.Source)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s: participant %s, column %s, value %q: %s", i.Severity, i.Participant, i.Column, i.Value, i.Message)
	return b.String()
}

// Record holds one participant's raw answers by column name. Values are the
// response codes as text (never labels); a missing answer is absent.
type Record struct {
	// ID is the participant identifier, e.g. "sub-01".
	ID string
	// Values maps a column name to its raw value.
	Values map[string]string
	// Source maps a column name to where its value came from (file:line).
	Source map[string]string
	// Invalid marks columns whose value failed validation while reading (an
	// unknown code); the issue was reported then, and scoring treats the
	// answer as missing without reporting it again.
	Invalid map[string]bool
	// Medications are the participant's medication records.
	Medications []Medication
}

// Get returns the value of a column and whether it is present (not empty
// and not "n/a").
func (r *Record) Get(col string) (string, bool) {
	v, ok := r.Values[col]
	if !ok {
		return "", false
	}
	v = strings.TrimSpace(v)
	if v == "" || v == Missing {
		return "", false
	}
	return v, true
}

// Dataset is all participants' answers read from one or more files, with
// the issues found while reading them.
type Dataset struct {
	// Records maps a participant ID to its record.
	Records map[string]*Record
	// Issues found while reading (unknown codes, duplicate answers, ...).
	Issues []Issue
	// MedicationTable is set when a medication table was read: then a
	// participant without records takes no medication (rather than unknown),
	// and the augmentation screening reports dopaminergic = false for them.
	MedicationTable bool
}

// NewDataset returns an empty dataset.
func NewDataset() *Dataset { return &Dataset{Records: map[string]*Record{}} }

// IDs returns the participant IDs in sorted order.
func (d *Dataset) IDs() []string {
	ids := make([]string, 0, len(d.Records))
	for id := range d.Records {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// record returns the record of id, creating it.
func (d *Dataset) record(id string) *Record {
	r := d.Records[id]
	if r == nil {
		r = &Record{ID: id, Values: map[string]string{}, Source: map[string]string{}, Invalid: map[string]bool{}}
		d.Records[id] = r
	}
	return r
}

// set stores a value; a second, different value for the same participant
// and column is an issue (the first is kept, nothing is overwritten silently).
func (d *Dataset) set(id, col, val, src string) {
	r := d.record(id)
	if old, ok := r.Values[col]; ok {
		if old != val {
			if spec, known := ItemSpecOf(col); known && spec.Kind == ItemText {
				// free text may identify a person: never copy it into messages
				old, val = "(text)", "(text)"
			}
			d.Issues = append(d.Issues, Issue{Participant: id, Column: col, Value: val, Severity: SeverityError, Source: src,
				Message: fmt.Sprintf("second value for this column conflicts with %q from %s; the first is kept", old, r.Source[col])})
		}
		return
	}
	r.Values[col] = val
	r.Source[col] = src
}

// Merge adds the records and issues of o to d; conflicting values are issues.
func (d *Dataset) Merge(o *Dataset) {
	for _, id := range o.IDs() {
		r := o.Records[id]
		cols := make([]string, 0, len(r.Values))
		for c := range r.Values {
			cols = append(cols, c)
		}
		sort.Strings(cols)
		for _, c := range cols {
			d.set(id, c, r.Values[c], r.Source[c])
			if r.Invalid[c] {
				d.record(id).Invalid[c] = true
			}
		}
		if len(cols) == 0 {
			d.record(id)
		}
		d.record(id).Medications = append(d.record(id).Medications, r.Medications...)
	}
	d.Issues = append(d.Issues, o.Issues...)
	d.MedicationTable = d.MedicationTable || o.MedicationTable
}

// Drop removes the participants ids (their records and their issues)
// from d, e.g. the participants a study's group level leaves out.
func (d *Dataset) Drop(ids []string) {
	drop := map[string]bool{}
	for _, id := range ids {
		drop[id] = true
		delete(d.Records, id)
	}
	kept := d.Issues[:0]
	for _, is := range d.Issues {
		if !drop[is.Participant] {
			kept = append(kept, is)
		}
	}
	d.Issues = kept
}

func sortStrings(s []string) { sort.Strings(s) }
