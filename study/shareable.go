package study

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"glusleep/stats"
)

// GroupOptions are the group level's options that are not part of the
// analysis plan.
type GroupOptions struct {
	// AllowMissing runs the group level without the participants that
	// have no participant-level outputs (no provenance.json), listing them
	// in results.txt and the report, instead of refusing.
	AllowMissing bool
}

// MissingOutputsError is the group level's refusal when participants have
// no participant-level outputs.
type MissingOutputsError struct {
	// Labels are the participants without outputs (no "sub-"), of Total;
	// Out is the derivatives folder.
	Labels []string
	Total  int
	Out    string
}

// Error names the participants and what is missing.
func (e *MissingOutputsError) Error() string {
	return fmt.Sprintf("group level: %d of %d participants have no participant-level outputs (no sub-<label>/%s in %s): %s",
		len(e.Labels), e.Total, ProvenanceFile, e.Out, labelList(e.Labels))
}

// MissingOutputs returns the labels of d's participants that have no
// finished participant-level outputs in out (no provenance.json, which the
// runner writes last), in dataset order.
func MissingOutputs(d *Dataset, out string) []string {
	var missing []string
	for _, p := range d.Participants {
		if _, err := os.Stat(filepath.Join(out, "sub-"+p.Label, ProvenanceFile)); err != nil {
			missing = append(missing, p.Label)
		}
	}
	return missing
}

// without returns a copy of d without the participants labelled in drop.
func (d *Dataset) without(drop []string) *Dataset {
	c := *d
	c.Participants = nil
	c.leftOut = append(slices.Clip(d.leftOut), drop...)
	for _, p := range d.Participants {
		if !slices.Contains(drop, p.Label) {
			c.Participants = append(c.Participants, p)
		}
	}
	return &c
}

func labelList(labels []string) string {
	s := make([]string, len(labels))
	for i, l := range labels {
		s[i] = "sub-" + l
	}
	return strings.Join(s, ", ")
}

// keptColumns splits participants.tsv's columns into those the shareable
// group outputs keep — participant_id, the group column, the columns the
// plan names (outcome, sleep measures, the model's variables, clinical
// columns, KeepColumns) — and the others, in file order.
func (p Plan) keptColumns(cols []string) (kept, dropped []string) {
	named := map[string]bool{"participant_id": true, p.GroupColumn: true, p.Outcome: true}
	for _, list := range [][]string{p.SleepMeasures, p.ClinicalColumns, p.KeepColumns} {
		for _, c := range list {
			named[c] = true
		}
	}
	if f, err := stats.ParseFormula(p.Model); err == nil {
		named[f.Response] = true
		for _, t := range f.Terms {
			for _, v := range t {
				named[v] = true
			}
		}
	}
	for _, c := range cols {
		if named[c] {
			kept = append(kept, c)
		} else {
			dropped = append(dropped, c)
		}
	}
	return kept, dropped
}

func droppedNote(dropped []string) string {
	return fmt.Sprintf("participants.tsv columns left out of the group outputs (not named by the analysis plan; they may identify participants — name them in the plan's keep_columns to keep them): %s.",
		strings.Join(dropped, ", "))
}

// datasetName is the name the dataset gives itself (Name in its
// dataset_description.json, the name BIDS means for sharing), which the
// report shows; never its path or folder name, which can carry a site, an
// investigator or a study code and would change the report's bytes when
// the same data sit elsewhere.
func datasetName(root string) string {
	var desc struct {
		Name string `json:"Name"`
	}
	if b, err := os.ReadFile(filepath.Join(root, DatasetDescriptionFile)); err == nil && json.Unmarshal(b, &desc) == nil {
		if n := strings.TrimSpace(desc.Name); n != "" {
			return n
		}
	}
	return "unnamed dataset"
}
