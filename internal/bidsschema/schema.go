// Package bidsschema checks a raw BIDS dataset against the parts of the
// BIDS schema (bids-standard/bids-specification, src/schema) that
// testdata/bids-schema-1.10.0/compile.py extracts: file names (entities,
// their order and formats, suffix, extension and datatype of a file rule),
// sidecar fields of the EEG, MRS, events, entity and dataset_description
// rules (required fields present, every field of a rule of the right
// type), the EEG channels, task events and participants tables (required
// and initial columns, value types), data dictionaries of undefined TSV
// columns, and that phenotype tables list every participant; and a
// BIDS-Derivatives dataset's names against the derivative rules (see
// CheckDerivatives) with a column sidecar for every TSV. It exists for
// tests: bids-validator 1.x predates BIDS-MRS.
package bidsschema

import (
	"encoding/json"
	"fmt"
	"os"
)

// Schema is the compiled subset of the BIDS schema.
type Schema struct {
	// BIDSVersion and SchemaVersion are the versions compiled.
	BIDSVersion   string `json:"bids_version"`
	SchemaVersion string `json:"schema_version"`
	// EntityOrder lists the entities (full names) in file-name order.
	EntityOrder []string `json:"entity_order"`
	// Entities maps an entity's full name to its key and value format.
	Entities map[string]Entity `json:"entities"`
	// Formats maps a format name (label, index, bids_uri, ...) to its
	// regular expression.
	Formats map[string]string `json:"formats"`
	// Modalities maps a modality to its datatypes.
	Modalities map[string][]string `json:"modalities"`
	// Files holds the file rules by "group.file.rule" name.
	Files map[string]FileRule `json:"files"`
	// Sidecars holds the metadata rules by "file.rule" name.
	Sidecars map[string]SidecarRule `json:"sidecars"`
	// Tabular holds the table rules by "file.rule" name.
	Tabular map[string]TableRule `json:"tabular"`
	// Metadata and Columns are the definitions (JSON Schema subset) of the
	// fields and columns the rules name, by schema key.
	Metadata map[string]map[string]any `json:"metadata"`
	Columns  map[string]map[string]any `json:"columns"`
}

// Entity is a file-name entity: its key in names and its value format.
type Entity struct {
	// Name is the key in file names ("sub", "ses", "task", ...).
	Name string `json:"name"`
	// Format names the value format ("label" or "index").
	Format string `json:"format"`
}

// FileRule is one rule of rules.files: the names a file may have.
type FileRule struct {
	// Level is required, recommended or optional (top-level files).
	Level string `json:"level"`
	// Path is a fixed top-level path; Stem a top-level name without
	// extension ("*" for any).
	Path string `json:"path"`
	Stem string `json:"stem"`
	// Suffixes, Extensions and Datatypes a file of the rule may have.
	Suffixes   []string `json:"suffixes"`
	Extensions []string `json:"extensions"`
	Datatypes  []string `json:"datatypes"`
	// Entities maps the entities allowed to required or optional.
	Entities map[string]string `json:"entities"`
	// EntityValues restricts some entities to fixed values.
	EntityValues map[string][]string `json:"entity_values"`
}

// SidecarRule is a group of metadata fields and the files it applies to.
type SidecarRule struct {
	// Selectors are expressions that must all hold for the rule to apply.
	Selectors []string `json:"selectors"`
	// Fields maps a metadata key to required, recommended or optional.
	Fields map[string]string `json:"fields"`
}

// TableRule gives the columns of a kind of TSV file.
type TableRule struct {
	// Selectors are expressions that must all hold for the rule to apply.
	Selectors []string `json:"selectors"`
	// Columns maps a column key to required, recommended or optional.
	Columns map[string]string `json:"columns"`
	// InitialColumns must come first, in this order.
	InitialColumns []string `json:"initial_columns"`
	// AdditionalColumns says whether other columns are allowed.
	AdditionalColumns string `json:"additional_columns"`
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
