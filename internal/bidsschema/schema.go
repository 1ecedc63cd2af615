// Package bidsschema checks a raw BIDS dataset against the parts of the
// BIDS schema (bids-standard/bids-specification, src/schema) that
// testdata/bids-schema-1.10.0/compile.py extracts: file names (entities,
// their order and formats, suffix, extension and datatype of a file rule),
// sidecar fields of the EEG, MRS, events, entity and dataset_description
// rules (required fields present, every field of a rule of the right
// type), the EEG channels, task events and participants tables (required
// and initial columns, value types), data dictionaries of undefined TSV
// columns, and that phenotype tables list every participant. It exists
// for tests: bids-validator 1.x predates BIDS-MRS.
package bidsschema

import (
	"encoding/json"
	"fmt"
	"os"
)

// Schema is the compiled subset of the BIDS schema.
type Schema struct {
	BIDSVersion   string                    `json:"bids_version"`
	SchemaVersion string                    `json:"schema_version"`
	EntityOrder   []string                  `json:"entity_order"`
	Entities      map[string]Entity         `json:"entities"`
	Formats       map[string]string         `json:"formats"`
	Modalities    map[string][]string       `json:"modalities"`
	Files         map[string]FileRule       `json:"files"`
	Sidecars      map[string]SidecarRule    `json:"sidecars"`
	Tabular       map[string]TableRule      `json:"tabular"`
	Metadata      map[string]map[string]any `json:"metadata"`
	Columns       map[string]map[string]any `json:"columns"`
}

// Entity is a file-name entity: its key in names and its value format.
type Entity struct {
	Name   string `json:"name"`
	Format string `json:"format"`
}

// FileRule is one rule of rules.files: the names a file may have.
type FileRule struct {
	Level      string            `json:"level"`
	Path       string            `json:"path"`
	Stem       string            `json:"stem"`
	Suffixes   []string          `json:"suffixes"`
	Extensions []string          `json:"extensions"`
	Datatypes  []string          `json:"datatypes"`
	Entities   map[string]string `json:"entities"`
	// EntityValues restricts some entities to fixed values.
	EntityValues map[string][]string `json:"entity_values"`
}

// SidecarRule is a group of metadata fields and the files it applies to.
type SidecarRule struct {
	Selectors []string          `json:"selectors"`
	Fields    map[string]string `json:"fields"`
}

// TableRule gives the columns of a kind of TSV file.
type TableRule struct {
	Selectors         []string          `json:"selectors"`
	Columns           map[string]string `json:"columns"`
	InitialColumns    []string          `json:"initial_columns"`
	AdditionalColumns string            `json:"additional_columns"`
}

// Load reads a schema compiled by compile.py.
func Load(path string) (*Schema, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Schema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(s.EntityOrder) == 0 || len(s.Files) == 0 || len(s.Sidecars) == 0 {
		return nil, fmt.Errorf("%s: no entities, file rules or sidecar rules: not a compiled BIDS schema", path)
	}
	for _, e := range s.EntityOrder {
		if _, ok := s.Entities[e]; !ok {
			return nil, fmt.Errorf("%s: entity %q has no definition", path, e)
		}
	}
	return &s, nil
}
