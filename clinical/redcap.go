package clinical

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// REDCapField is one row of a REDCap data dictionary. The field label (item
// wording) is deliberately not kept.
type REDCapField struct {
	// Name is the variable / field name.
	Name string
	// Form is the instrument (form) name.
	Form string
	// Type is the field type (radio, dropdown, yesno, truefalse, text, calc,
	// checkbox, notes, descriptive, slider, ...).
	Type string
	// Choices are the coded choices of radio, dropdown and checkbox fields
	// (and the implicit ones of yesno and truefalse), in order.
	Choices []REDCapChoice
	// Validation is the text validation type ("integer", "number", "time", ...).
	Validation string
}

// REDCapChoice is one coded choice: the code stored in raw exports and the
// label shown in label exports.
type REDCapChoice struct {
	Code, Label string
}

// REDCapDictionary is a parsed REDCap data dictionary.
type REDCapDictionary struct {
	// Fields in dictionary order; the first is the record ID field.
	Fields []REDCapField
	byName map[string]int
}

// Field returns the named field.
func (d *REDCapDictionary) Field(name string) (REDCapField, bool) {
	i, ok := d.byName[name]
	if !ok {
		return REDCapField{}, false
	}
	return d.Fields[i], true
}

func findHeader(h []string, prefixes ...string) int {
	for i, c := range h {
		c = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))
		for _, p := range prefixes {
			if strings.HasPrefix(c, p) {
				return i
			}
		}
	}
	return -1
}

// ParseREDCapChoices parses a REDCap choices string "1, Label | 2, Label".
func ParseREDCapChoices(s string) ([]REDCapChoice, error) {
	var out []REDCapChoice
	seen := map[string]bool{}
	for _, part := range strings.Split(s, "|") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		code, label, ok := strings.Cut(part, ",")
		if !ok {
			return nil, fmt.Errorf("choice %q has no comma between code and label", part)
		}
		code, label = strings.TrimSpace(code), strings.TrimSpace(label)
		if code == "" {
			return nil, fmt.Errorf("choice %q has an empty code", part)
		}
		if seen[code] {
			return nil, fmt.Errorf("choice code %q appears twice", code)
		}
		seen[code] = true
		out = append(out, REDCapChoice{Code: code, Label: label})
	}
	if len(out) == 0 {
		return nil, errors.New("no choices")
	}
	return out, nil
}

// ReadREDCapDictionary reads a REDCap data dictionary CSV (columns
// "Variable / Field Name", "Form Name", "Field Type", "Choices, Calculations,
// OR Slider Labels", "Text Validation Type OR Show Slider Number").
func ReadREDCapDictionary(r io.Reader, name string) (*REDCapDictionary, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: data dictionary has no fields", name)
	}
	h := rows[0]
	iName, iForm, iType := findHeader(h, "variable", "field name"), findHeader(h, "form name"), findHeader(h, "field type")
	iChoice, iVal := findHeader(h, "choices"), findHeader(h, "text validation type")
	if iName < 0 || iForm < 0 || iType < 0 || iChoice < 0 {
		return nil, fmt.Errorf("%s: header lacks one of Variable / Field Name, Form Name, Field Type, Choices", name)
	}
	d := &REDCapDictionary{byName: map[string]int{}}
	for k, row := range rows[1:] {
		line := k + 2
		get := func(i int) string {
			if i >= 0 && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		f := REDCapField{Name: get(iName), Form: get(iForm), Type: strings.ToLower(get(iType)), Validation: get(iVal)}
		if f.Name == "" {
			return nil, fmt.Errorf("%s: record %d: empty field name", name, line)
		}
		if _, dup := d.byName[f.Name]; dup {
			return nil, fmt.Errorf("%s: record %d: field %q defined twice", name, line, f.Name)
		}
		switch f.Type {
		case "radio", "dropdown", "checkbox":
			ch, err := ParseREDCapChoices(get(iChoice))
			if err != nil {
				return nil, fmt.Errorf("%s: record %d: field %q: %w", name, line, f.Name, err)
			}
			f.Choices = ch
		case "yesno":
			f.Choices = []REDCapChoice{{"1", "Yes"}, {"0", "No"}}
		case "truefalse":
			f.Choices = []REDCapChoice{{"1", "True"}, {"0", "False"}}
		}
		d.byName[f.Name] = len(d.Fields)
		d.Fields = append(d.Fields, f)
	}
	return d, nil
}

// REDCapOptions say how to read an export.
type REDCapOptions struct {
	// Labels is set for an export of labels ("csvlabels" values): choice
	// values are labels and are mapped back to their codes. Unset for raw
	// exports (codes). Headers must be variable names in both cases.
	Labels bool
	// Event keeps only rows of this redcap_event_name (longitudinal projects).
	Event string
	// Columns renames the project's variables to this package's columns.
	Columns ColumnMap
}

var redcapSpecial = map[string]bool{"redcap_event_name": true, "redcap_repeat_instrument": true, "redcap_repeat_instance": true,
	"redcap_data_access_group": true, "redcap_survey_identifier": true}

// ReadREDCap reads a REDCap CSV export through its data dictionary. The
// record ID (the dictionary's first field) is the participant ID. Every
// choice value must be a known code (raw) or label (labels); anything else
// is an issue and the answer is treated as missing. Checkbox columns
// (field___code) hold 0/1 (raw) or Checked/Unchecked (labels).
func ReadREDCap(r io.Reader, dict *REDCapDictionary, opt REDCapOptions, name string) (*Dataset, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	idName := dict.Fields[0].Name
	idCol, evCol := -1, -1
	type colMap struct {
		field    REDCapField
		checkbox string // choice code for field___code columns
		skip     bool
	}
	cols := make([]colMap, len(header))
	for i, h := range header {
		switch {
		case h == idName:
			idCol = i
			cols[i].skip = true
			continue
		case h == "redcap_event_name":
			evCol = i
			cols[i].skip = true
			continue
		case redcapSpecial[h] || strings.HasSuffix(h, "_complete") || strings.HasSuffix(h, "_timestamp"):
			cols[i].skip = true
			continue
		}
		if f, ok := dict.Field(h); ok {
			if len(f.Choices) > 0 {
				codes := make([]string, len(f.Choices))
				for k, c := range f.Choices {
					codes[k] = c.Code
				}
				if err := checkCodes(opt.Columns.name(h), codes); err != nil {
					return nil, fmt.Errorf("%s: data dictionary field of form %s: %w", name, f.Form, err)
				}
			}
			cols[i].field = f
			continue
		}
		if base, code, ok := strings.Cut(h, "___"); ok {
			if f, ok := dict.Field(base); ok && f.Type == "checkbox" {
				cols[i] = colMap{field: f, checkbox: code}
				continue
			}
		}
		return nil, fmt.Errorf("%s: column %d %q is not a field of the data dictionary (export with variable names as headers)", name, i+1, h)
	}
	if idCol < 0 {
		return nil, fmt.Errorf("%s: no record ID column %q (first field of the data dictionary)", name, idName)
	}
	if opt.Event != "" && evCol < 0 {
		return nil, fmt.Errorf("%s: event %q requested but the export has no redcap_event_name column", name, opt.Event)
	}
	d := NewDataset()
	for line := 2; ; line++ {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		src := fmt.Sprintf("%s:%d", name, line)
		id := strings.TrimSpace(row[idCol])
		if id == "" {
			return nil, fmt.Errorf("%s: empty record ID", src)
		}
		if opt.Event != "" && strings.TrimSpace(row[evCol]) != opt.Event {
			continue
		}
		rec := d.record(id)
		for i, c := range cols {
			if c.skip {
				continue
			}
			v := strings.TrimSpace(row[i])
			col := opt.Columns.name(header[i])
			if v == "" {
				d.set(id, col, Missing, src)
				continue
			}
			code, msg := mapREDCapValue(c.field, c.checkbox != "", v, opt.Labels)
			if msg != "" {
				d.Issues = append(d.Issues, Issue{Participant: id, Instrument: instName(col), Column: col, Value: v, Severity: SeverityError, Source: src, Message: msg + "; treated as missing"})
				d.set(id, col, v, src)
				rec.Invalid[col] = true
				continue
			}
			d.set(id, col, code, src)
		}
	}
	return d, nil
}

func mapREDCapValue(f REDCapField, checkbox bool, v string, labels bool) (string, string) {
	if checkbox {
		switch {
		case !labels && (v == "0" || v == "1"):
			return v, ""
		case labels && v == "Checked":
			return "1", ""
		case labels && v == "Unchecked":
			return "0", ""
		}
		return "", "checkbox value must be " + map[bool]string{false: "0 or 1", true: "Checked or Unchecked"}[labels]
	}
	if len(f.Choices) == 0 {
		return v, ""
	}
	var known []string
	for _, c := range f.Choices {
		if labels && c.Label == v || !labels && c.Code == v {
			return c.Code, ""
		}
		if labels {
			known = append(known, c.Label)
		} else {
			known = append(known, c.Code)
		}
	}
	sort.Strings(known)
	what := "code"
	if labels {
		what = "label"
	}
	return "", fmt.Sprintf("unknown %s for %s field of form %s (the dictionary allows %s)", what, f.Type, f.Form, strings.Join(known, ", "))
}
