package study

import (
	"os"
	"path/filepath"
	"testing"
)

// The report names a dataset by the Name of its dataset_description.json,
// never by its folder, whose name can identify a site or a person.
func TestDatasetNameNotFolder(t *testing.T) {
	root := filepath.Join(t.TempDir(), "jdoe_site42_rls")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := datasetName(root); got != "unnamed dataset" {
		t.Errorf("without a description: %q", got)
	}
	if err := os.WriteFile(filepath.Join(root, DatasetDescriptionFile), []byte(`{"Name": "RLS thalamic Glx", "BIDSVersion": "1.10.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := datasetName(root); got != "RLS thalamic Glx" {
		t.Errorf("datasetName = %q, want the description's Name", got)
	}
}
