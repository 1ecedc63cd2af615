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
// derivatives (BIDS 1.10.0, DatasetType "derivative").
type DatasetDescription struct {
	// Name names the dataset; BIDSVersion is the BIDS version it follows.
	Name        string `json:"Name"`
	BIDSVersion string `json:"BIDSVersion"`
	// DatasetType is "derivative".
	DatasetType string `json:"DatasetType"`
	// GeneratedBy lists the pipelines that made the dataset.
	GeneratedBy []GeneratedBy `json:"GeneratedBy"`
	// SourceDatasets names the raw dataset the derivatives were made from.
	SourceDatasets []SourceDataset `json:"SourceDatasets,omitempty"`
}

// GeneratedBy names a pipeline that made a derivative dataset.
type GeneratedBy struct {
	// Name and Version identify the pipeline; Description says what it
	// made.
	Name        string `json:"Name"`
	Version     string `json:"Version"`
	Description string `json:"Description,omitempty"`
	// CodeURL is where the pipeline's code is (empty when not known).
	CodeURL string `json:"CodeURL,omitempty"`
	// Container describes the container the pipeline ran in (nil when
	// it did not run in one).
	Container *Container `json:"Container,omitempty"`
}

// Container is BIDS' description of the container a pipeline ran in.
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

// ContainerEnv is the environment variable the repository's Dockerfile and
// Apptainer definition set to the container type ("docker", "apptainer");
// GLUSLEEP_CONTAINER_TAG may give the image tag.
const ContainerEnv = "GLUSLEEP_CONTAINER"

// detectContainer says which container glusleep runs in: ContainerEnv,
// else Docker's /.dockerenv, else Apptainer's APPTAINER_CONTAINER or
// SINGULARITY_CONTAINER; nil outside a container.
func detectContainer() *Container {
	tag := os.Getenv(ContainerEnv + "_TAG")
	if t := os.Getenv(ContainerEnv); t != "" {
		return &Container{Type: t, Tag: tag}
	}
	if _, err := os.Stat("/.dockerenv"); err == nil {
		return &Container{Type: "docker", Tag: tag}
	}
	if os.Getenv("APPTAINER_CONTAINER") != "" || os.Getenv("SINGULARITY_CONTAINER") != "" {
		return &Container{Type: "apptainer", Tag: tag}
	}
	return nil
}

// NewDatasetDescription returns the description of derivatives made by
// glusleep version, with the container it runs in (if any).
func NewDatasetDescription(version string) DatasetDescription {
	return DatasetDescription{Name: "glusleep derivatives", BIDSVersion: "1.10.0", DatasetType: "derivative",
		GeneratedBy: []GeneratedBy{{Name: "glusleep", Version: version,
			Description: "MRS fits (Glx/tCr), AASM sleep statistics, leg movements, group analyses",
			Container:   detectContainer()}}}
}

// WriteDatasetDescription writes out/dataset_description.json for
// derivatives made by glusleep version, unless the file exists (a folder
// shared by several runs keeps its first description). DescribeDerivatives
// completes it with the source dataset.
func WriteDatasetDescription(out, version string) error {
	p := filepath.Join(out, DatasetDescriptionFile)
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	return writeDescription(p, NewDatasetDescription(version))
}

// writeDescription writes d at p, atomically, unless p holds the same
// bytes already.
func writeDescription(p string, d DatasetDescription) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	b = append(b, '\n')
	if old, err := os.ReadFile(p); err == nil && string(old) == string(b) {
		return nil
	}
	return atomicfile.WriteFile(p, b, 0o644)
}
