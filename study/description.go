package study

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"glusleep/internal/atomicfile"
)

// DatasetDescriptionFile is the BIDS file that describes a dataset.
const DatasetDescriptionFile = "dataset_description.json"

// DatasetDescription is the BIDS dataset_description.json of glusleep's
// derivatives (BIDS 1.9.0, DatasetType "derivative").
type DatasetDescription struct {
	// Name names the dataset; BIDSVersion is the BIDS version it follows.
	Name        string `json:"Name"`
	BIDSVersion string `json:"BIDSVersion"`
	// DatasetType is "derivative".
	DatasetType string `json:"DatasetType"`
	// GeneratedBy lists the pipelines that made the dataset.
	GeneratedBy []GeneratedBy `json:"GeneratedBy"`
}

// GeneratedBy names a pipeline that made a derivative dataset.
type GeneratedBy struct {
	// Name and Version identify the pipeline; Description says what it
	// made.
	Name        string `json:"Name"`
	Version     string `json:"Version"`
	Description string `json:"Description,omitempty"`
}

// NewDatasetDescription returns the description of derivatives made by
// glusleep version.
func NewDatasetDescription(version string) DatasetDescription {
	return DatasetDescription{Name: "glusleep derivatives", BIDSVersion: "1.9.0", DatasetType: "derivative",
		GeneratedBy: []GeneratedBy{{Name: "glusleep", Version: version,
			Description: "MRS fits (Glx/tCr), AASM sleep statistics, group analyses"}}}
}

// WriteDatasetDescription writes out/dataset_description.json for
// derivatives made by glusleep version, unless the file exists (a folder
// shared by several runs keeps its first description).
func WriteDatasetDescription(out, version string) error {
	p := filepath.Join(out, DatasetDescriptionFile)
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	b, err := json.MarshalIndent(NewDatasetDescription(version), "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return atomicfile.WriteFile(p, append(b, '\n'), 0o644)
}
