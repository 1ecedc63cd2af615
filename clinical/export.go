package clinical

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"glusleep/internal/atomicfile"
	"glusleep/internal/tsv"
)

// sidecarInfo builds the data-dictionary entry of an input column.
func sidecarInfo(s ItemSpec) ColumnInfo {
	ci := ColumnInfo{Description: s.Description, Units: s.Units}
	if s.Kind == ItemCode {
		ci.Levels = map[string]string{}
		for v := int(s.Min); v <= int(s.Max); v++ {
			ci.Levels[strconv.Itoa(v)] = fmt.Sprintf("response code %d", v)
		}
	}
	return ci
}

// WriteBIDSPhenotype writes d as a BIDS phenotype folder: one
// <instrument>.tsv per instrument any participant answered, with a JSON
// data dictionary (Description, Levels, Units; no item wording), and
// medications.tsv when any participant has medication records. As BIDS
// asks, every table lists every participant of d: a participant who did
// not answer an instrument gets a row of n/a (which scoring reads as not
// administered), and one without medication records a medications row of
// n/a.
func WriteBIDSPhenotype(dir string, d *Dataset) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("phenotype folder: %w", err)
	}
	ids := d.IDs()
	for _, in := range Instruments() {
		answered := false
		for _, id := range ids {
			answered = answered || in.answeredItems(d.Records[id])
		}
		if !answered {
			continue
		}
		rows := ids
		var b bytes.Buffer
		side := map[string]any{
			"participant_id":          ColumnInfo{Description: "participant identifier"},
			"MeasurementToolMetadata": map[string]string{"Description": in.Title},
		}
		b.WriteString("participant_id")
		for _, it := range in.Items {
			b.WriteString("\t" + it.Column)
			side[it.Column] = sidecarInfo(it)
		}
		b.WriteString("\n")
		for _, id := range rows {
			b.WriteString(id)
			for _, it := range in.Items {
				v, ok := d.Records[id].Get(it.Column)
				if !ok {
					v = Missing
				}
				b.WriteString("\t" + tsv.Text(v))
			}
			b.WriteString("\n")
		}
		base := filepath.Join(dir, in.Name)
		if err := atomicfile.WriteFile(base+".tsv", b.Bytes(), 0o644); err != nil {
			return err
		}
		if err := writeJSON(base+".json", side); err != nil {
			return err
		}
	}
	var mb bytes.Buffer
	mb.WriteString("participant_id\tdrug\tdaily_dose\tdose_unit\tstart_date\n")
	nmed := 0
	for _, id := range ids {
		for _, m := range d.Records[id].Medications {
			fmt.Fprintf(&mb, "%s\t%s\t%s\t%s\t%s\n", id, m.Drug, strconv.FormatFloat(m.DailyDose, 'g', -1, 64), m.DoseUnit, m.Start.Format("2006-01-02"))
			nmed++
		}
		if len(d.Records[id].Medications) == 0 {
			fmt.Fprintf(&mb, "%s\tn/a\tn/a\tn/a\tn/a\n", id)
		}
	}
	if nmed > 0 || d.MedicationTable {
		if err := atomicfile.WriteFile(filepath.Join(dir, "medications.tsv"), mb.Bytes(), 0o644); err != nil {
			return err
		}
		side := map[string]ColumnInfo{
			"participant_id": {Description: "participant identifier"},
			"drug":           {Description: "generic drug name"},
			"daily_dose":     {Description: "total daily dose", Units: "see dose_unit"},
			"dose_unit":      {Description: "unit of daily_dose", Levels: map[string]string{"mg": "milligram", "ug": "microgram", "mg/24h": "milligram per 24 h (patch)"}},
			"start_date":     {Description: "date treatment began (YYYY-MM-DD)"},
		}
		if err := writeJSON(filepath.Join(dir, "medications.json"), side); err != nil {
			return err
		}
	}
	return nil
}

// redcapLabel is the neutral label written for a response code: item
// wording and option wording are licensed and never written.
func redcapLabel(code int) string { return fmt.Sprintf("Score %d", code) }

// WriteREDCapProject writes d as a REDCap project would export it: the data
// dictionary (record_id first, one form per instrument, neutral labels),
// a raw export (codes) and a label export (labels). Medication records are
// not part of it.
func WriteREDCapProject(dictPath, rawPath, labelPath string, d *Dataset) error {
	type fieldDef struct {
		spec ItemSpec
		form string
		typ  string
		ch   []REDCapChoice
		val  string
	}
	var fields []fieldDef
	for _, in := range Instruments() {
		for _, it := range in.Items {
			f := fieldDef{spec: it, form: in.Name}
			switch it.Kind {
			case ItemCode:
				if it.Min == 0 && it.Max == 1 {
					f.typ = "yesno"
					f.ch = []REDCapChoice{{"1", "Yes"}, {"0", "No"}}
				} else {
					f.typ = "radio"
					for v := int(it.Min); v <= int(it.Max); v++ {
						f.ch = append(f.ch, REDCapChoice{strconv.Itoa(v), redcapLabel(v)})
					}
				}
			case ItemClock:
				f.typ, f.val = "text", "time"
			case ItemNumber:
				f.typ, f.val = "text", "number"
			case ItemText:
				f.typ = "notes"
			}
			fields = append(fields, f)
		}
	}
	var db bytes.Buffer
	w := csv.NewWriter(&db)
	w.Write([]string{"Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
		"Choices, Calculations, OR Slider Labels", "Field Note", "Text Validation Type OR Show Slider Number"})
	w.Write([]string{"record_id", "participant", "", "text", "Record ID", "", "", ""})
	for _, f := range fields {
		ch := ""
		if f.typ == "radio" {
			for i, c := range f.ch {
				if i > 0 {
					ch += " | "
				}
				ch += c.Code + ", " + c.Label
			}
		}
		w.Write([]string{f.spec.Column, f.form, "", f.typ, f.spec.Column, ch, "", f.val})
	}
	w.Flush()
	if err := atomicfile.WriteFile(dictPath, db.Bytes(), 0o644); err != nil {
		return err
	}
	for _, labels := range []bool{false, true} {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		head := []string{"record_id"}
		for _, f := range fields {
			head = append(head, f.spec.Column)
		}
		w.Write(head)
		for _, id := range d.IDs() {
			row := []string{id}
			for _, f := range fields {
				v, ok := d.Records[id].Get(f.spec.Column)
				if !ok {
					v = ""
				} else if labels {
					for _, c := range f.ch {
						if c.Code == v {
							v = c.Label
						}
					}
				}
				row = append(row, v)
			}
			w.Write(row)
		}
		w.Flush()
		p := rawPath
		if labels {
			p = labelPath
		}
		if err := atomicfile.WriteFile(p, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Set stores a raw answer for a participant (for building datasets in
// code); a conflicting second value is recorded as an issue.
func (d *Dataset) Set(id, col, val string) { d.set(id, col, val, "") }

// AddMedication adds a medication record to a participant.
func (d *Dataset) AddMedication(id string, m Medication) {
	r := d.record(id)
	r.Medications = append(r.Medications, m)
}
