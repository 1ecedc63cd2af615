package clinical

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"glusleep/internal/atomicfile"
	"glusleep/internal/tsv"
)

// WriteTSV writes a table: participant_id, the instrument's outputs, and
// score_note (why a score is n/a, or n/a).
func (t *Table) WriteTSV(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("participant_id")
	for _, c := range t.Instrument.Outputs {
		b.WriteString("\t" + c.Name)
	}
	b.WriteString("\tscore_note\n")
	for _, r := range t.Rows {
		b.WriteString(tsv.Text(r.Participant))
		for _, v := range r.Values {
			b.WriteString("\t" + tsv.Text(v.String()))
		}
		b.WriteString("\t" + tsv.Text(r.Reason) + "\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Sidecar returns the BIDS JSON data dictionary of the table.
func (t *Table) Sidecar() map[string]any {
	in := t.Instrument
	m := map[string]any{
		"participant_id": map[string]string{"Description": "participant identifier"},
		"score_note":     map[string]string{"Description": "why a score is n/a, or n/a when every score is available"},
		"MeasurementToolMetadata": map[string]string{
			"Description": in.Title,
		},
		"ScoringReference": in.Reference,
		"MissingDataRule":  in.MissingRule,
		"GeneratedBy":      "glusleep clinical score",
	}
	for _, c := range in.Outputs {
		m[c.Name] = c
	}
	return m
}

// IssuesTSV formats issues as a TSV table.
func IssuesTSV(issues []Issue) []byte {
	var b bytes.Buffer
	b.WriteString("participant_id\tinstrument\tcolumn\tvalue\tseverity\tmessage\tsource\n")
	for _, i := range issues {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", tsv.Text(i.Participant), tsv.Text(i.Instrument), tsv.Text(i.Column),
			tsv.Text(i.Value), i.Severity, tsv.Text(i.Message), tsv.Text(i.Source))
	}
	return b.Bytes()
}

// WriteResults writes into dir one <instrument>.tsv with its .json sidecar
// per scored instrument, scores.tsv (all scores, one row per participant)
// with scores.json, and issues.tsv. It returns the path of scores.tsv.
func WriteResults(dir string, res *Results) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("output folder: %w", err)
	}
	for _, t := range res.Tables {
		base := filepath.Join(dir, t.Instrument.Name)
		if err := atomicfile.Write(base+".tsv", 0o644, t.WriteTSV); err != nil {
			return "", err
		}
		if err := writeJSON(base+".json", t.Sidecar()); err != nil {
			return "", err
		}
	}
	// combined table
	fields := res.Fields()
	var cols []Column
	for _, t := range res.Tables {
		cols = append(cols, t.Instrument.Outputs...)
	}
	ids := make([]string, 0, len(fields))
	for id := range fields {
		ids = append(ids, id)
	}
	sortStrings(ids)
	var b bytes.Buffer
	b.WriteString("participant_id")
	for _, c := range cols {
		b.WriteString("\t" + c.Name)
	}
	b.WriteString("\n")
	for _, id := range ids {
		b.WriteString(tsv.Text(id))
		for _, c := range cols {
			b.WriteString("\t" + tsv.Text(fields[id][c.Name].String()))
		}
		b.WriteString("\n")
	}
	all := filepath.Join(dir, "scores.tsv")
	if err := atomicfile.WriteFile(all, b.Bytes(), 0o644); err != nil {
		return "", err
	}
	side := map[string]any{"participant_id": map[string]string{"Description": "participant identifier"}, "GeneratedBy": "glusleep clinical score"}
	for _, c := range cols {
		side[c.Name] = c
	}
	if err := writeJSON(filepath.Join(dir, "scores.json"), side); err != nil {
		return "", err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "issues.tsv"), IssuesTSV(res.Issues), 0o644); err != nil {
		return "", err
	}
	return all, nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o644)
}
