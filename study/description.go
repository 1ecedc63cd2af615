package study

import (
	"os"

	"glusleep/bids"
)

// DatasetDescriptionFile is the BIDS file that describes a dataset.
const DatasetDescriptionFile = bids.DescriptionFile

// ContainerEnv is the environment variable the repository's Dockerfile and
// Apptainer definition set to the container type ("docker", "apptainer");
// GLUSLEEP_CONTAINER_TAG may give the image tag.
const ContainerEnv = "GLUSLEEP_CONTAINER"

// detectContainer says which container glusleep runs in: ContainerEnv,
// else Docker's /.dockerenv, else Apptainer's APPTAINER_CONTAINER or
// SINGULARITY_CONTAINER; nil outside a container.
func detectContainer() *bids.Container {
	tag := os.Getenv(ContainerEnv + "_TAG")
	if t := os.Getenv(ContainerEnv); t != "" {
		return &bids.Container{Type: t, Tag: tag}
	}
	if _, err := os.Stat("/.dockerenv"); err == nil {
		return &bids.Container{Type: "docker", Tag: tag}
	}
	if os.Getenv("APPTAINER_CONTAINER") != "" || os.Getenv("SINGULARITY_CONTAINER") != "" {
		return &bids.Container{Type: "apptainer", Tag: tag}
	}
	return nil
}

// NewDatasetDescription returns the description (BIDS 1.10.0, DatasetType
// "derivative") of derivatives made by glusleep version, with the
// container it runs in (if any). DescribeDerivatives writes it.
func NewDatasetDescription(version string) bids.Description {
	return bids.Description{Name: "glusleep derivatives", BIDSVersion: bids.Version, DatasetType: "derivative",
		GeneratedBy: []bids.GeneratedBy{{Name: "glusleep", Version: version,
			Description: "MRS fits (Glx/tCr), AASM sleep statistics, leg movements, group analyses",
			Container:   detectContainer()}}}
}
