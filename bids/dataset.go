package bids

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"glusleep/internal/atomicfile"
)

// GeneratedBy names a tool that made the dataset (dataset_description.json).
type GeneratedBy struct {
	// Name of the tool, e.g. "glusleep".
	Name string `json:"Name"`
	// Version of the tool.
	Version string `json:"Version,omitempty"`
	// Description of what it did.
	Description string `json:"Description,omitempty"`
	// CodeURL is where the tool's code is published.
	CodeURL string `json:"CodeURL,omitempty"`
	// Container describes the container the tool ran in (nil when it did
	// not run in one).
	Container *Container `json:"Container,omitempty"`
}

// Container is the container a tool ran in (GeneratedBy).
type Container struct {
	// Type is "docker" or "apptainer"; Tag the image's tag, when known.
	Type string `json:"Type"`
	Tag  string `json:"Tag,omitempty"`
}

// SourceDataset is one source dataset of derivatives: a DOI and/or a URL
// (relative paths are relative to the derivatives' folder).
type SourceDataset struct {
	DOI string `json:"DOI,omitempty"`
	URL string `json:"URL,omitempty"`
}

// DescriptionFile is the name of the file that describes a dataset.
const DescriptionFile = "dataset_description.json"

// Description is dataset_description.json.
type Description struct {
	// Name of the dataset (required).
	Name string `json:"Name"`
	// BIDSVersion is the BIDS version followed; empty means Version.
	BIDSVersion string `json:"BIDSVersion"`
	// DatasetType is "raw" or "derivative"; empty means "raw".
	DatasetType string `json:"DatasetType"`
	// License of the data, an SPDX identifier where one applies.
	License string `json:"License,omitempty"`
	// Authors lists the people credited, one per entry.
	Authors []string `json:"Authors,omitempty"`
	// Acknowledgements and HowToAcknowledge are free text.
	Acknowledgements string `json:"Acknowledgements,omitempty"`
	HowToAcknowledge string `json:"HowToAcknowledge,omitempty"`
	// Funding lists funding sources.
	Funding []string `json:"Funding,omitempty"`
	// EthicsApprovals lists ethics committee approvals.
	EthicsApprovals []string `json:"EthicsApprovals,omitempty"`
	// ReferencesAndLinks lists papers and links about the dataset.
	ReferencesAndLinks []string `json:"ReferencesAndLinks,omitempty"`
	// DatasetDOI is the dataset's DOI as a URI.
	DatasetDOI string `json:"DatasetDOI,omitempty"`
	// GeneratedBy lists the tools that made the dataset.
	GeneratedBy []GeneratedBy `json:"GeneratedBy,omitempty"`
	// SourceDatasets names the datasets derivatives were made from.
	SourceDatasets []SourceDataset `json:"SourceDatasets,omitempty"`
}

// WriteDescription writes root/dataset_description.json. Name is
// required; empty BIDSVersion and DatasetType become Version and "raw".
func WriteDescription(root string, d Description) error {
	if strings.TrimSpace(d.Name) == "" {
		return fmt.Errorf("dataset_description.json: Name is required")
	}
	if d.BIDSVersion == "" {
		d.BIDSVersion = Version
	}
	if d.DatasetType == "" {
		d.DatasetType = "raw"
	}
	if d.DatasetType != "raw" && d.DatasetType != "derivative" {
		return fmt.Errorf("dataset_description.json: DatasetType %q, want raw or derivative", d.DatasetType)
	}
	return writeJSON(filepath.Join(root, DescriptionFile), d)
}

// WriteREADME writes root/README (plain text; BIDS recommends one at the
// dataset root). The text must not be empty.
func WriteREADME(root, text string) error {
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("README: empty text")
	}
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	return atomicfile.WriteFile(filepath.Join(root, "README"), []byte(text), 0o644)
}

// WriteBIDSIgnore writes root/.bidsignore: one glob pattern a line (the
// bids-validator's syntax, like .gitignore) for files that are part of the
// dataset folder but not of BIDS, e.g. a simulation's truth table.
func WriteBIDSIgnore(root string, patterns []string) error {
	var b bytes.Buffer
	for _, p := range patterns {
		if p = strings.TrimSpace(p); p == "" || strings.ContainsAny(p, "\n\r") {
			return fmt.Errorf(".bidsignore: pattern %q, want one non-empty line", p)
		}
		b.WriteString(p + "\n")
	}
	return atomicfile.WriteFile(filepath.Join(root, ".bidsignore"), b.Bytes(), 0o644)
}

// Column describes one TSV column in a JSON data dictionary (sidecar).
type Column struct {
	// LongName is a long name of the column.
	LongName string `json:"LongName,omitempty"`
	// Description says what the column holds.
	Description string `json:"Description"`
	// Levels maps each value of a categorical column to its meaning.
	Levels map[string]string `json:"Levels,omitempty"`
	// Units of a numeric column (SI symbols, e.g. "s", "year", "µV").
	Units string `json:"Units,omitempty"`
	// TermURL points to a definition of the column.
	TermURL string `json:"TermURL,omitempty"`
}

// WriteColumns writes a TSV file's JSON data dictionary at path: one entry
// per column, keys sorted. Every column needs a Description.
func WriteColumns(path string, cols map[string]Column) error {
	for name, c := range cols {
		if strings.TrimSpace(c.Description) == "" {
			return fmt.Errorf("%s: column %q has no Description", path, name)
		}
	}
	return writeJSON(path, cols)
}

// writeJSON writes v as indented JSON (map keys sorted: the same value
// always gives the same bytes) with a final newline.
func writeJSON(path string, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, b.Bytes(), 0o644)
}
