package bidsschema

import (
	"maps"
	"strings"
	"testing"
)

// validDerivatives is a small BIDS-Derivatives dataset laid out as
// glusleep's participant and group levels write it.
var validDerivatives = map[string]string{
	"dataset_description.json": `{"Name": "d", "BIDSVersion": "1.10.0", "DatasetType": "derivative",
		"GeneratedBy": [{"Name": "glusleep", "Version": "1", "Container": {"Type": "docker"}}], "SourceDatasets": [{"URL": "../bids"}]}`,
	".bidsignore":                                                     "group/\nsub-*_summary.json\nprovenance.json\n",
	"group/cohort.tsv":                                                "participant_id\tglx_tcr\nsub-01\t1.2\n",
	"group/cohort.json":                                               `{"participant_id": {"Description": "id"}, "glx_tcr": {"Description": "Glx/tCr"}}`,
	"sub-01/sub-01_summary.json":                                      `{}`,
	"sub-01/provenance.json":                                          `{}`,
	"sub-01/mrs/sub-01_desc-fit_svs.tsv":                              "metabolite\tcrlb_percent\nGlx\t5\n",
	"sub-01/mrs/sub-01_desc-fit_svs.json":                             `{"metabolite": {"Description": "m"}, "crlb_percent": {"Description": "CRLB", "Units": "%"}}`,
	"sub-01/mrs/sub-01_desc-fit_svs.svg":                              "<svg/>",
	"sub-01/mrs/sub-01_desc-qc_svs.json":                              `{}`,
	"sub-01/ses-1/mrs/sub-01_ses-1_acq-P1830_desc-fit_svs.tsv":        "metabolite\nGlx\n",
	"sub-01/ses-1/mrs/sub-01_ses-1_acq-P1830_desc-fit_svs.json":       `{"metabolite": {"Description": "m"}}`,
	"sub-01/eeg/sub-01_task-sleep_run-1_desc-sleepstats_eeg.json":     `{}`,
	"sub-01/eeg/sub-01_task-sleep_run-1_desc-legmovements_events.tsv": "onset\tside\n1\tleft\n",
	"sub-01/eeg/sub-01_task-sleep_run-1_desc-legmovements_events.json": `{"onset": {"Description": "onset", "Units": "s"},
		"side": {"Description": "leg", "Levels": {"left": "left leg"}}}`,
}

func TestValidDerivativesPass(t *testing.T) {
	ps, err := load(t).CheckDerivatives(writeDataset(t, validDerivatives))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Error(p)
	}
}

// Each broken copy gives one problem, on the file and for the reason the
// schema or the BIDS-Derivatives rules give.
func TestBrokenDerivatives(t *testing.T) {
	const fit = "sub-01/mrs/sub-01_desc-fit_svs.tsv"
	cases := []struct {
		name     string
		change   map[string]string // "" removes the file
		path     string
		contains string
	}{
		{"entity order", map[string]string{"sub-01/eeg/sub-01_run-1_task-sleep_desc-sleepstats_eeg.json": `{}`},
			"sub-01/eeg/sub-01_run-1_task-sleep_desc-sleepstats_eeg.json", "out of order"},
		{"desc before acq", map[string]string{"sub-01/mrs/sub-01_desc-fit_acq-x_svs.svg": ""}, "sub-01/mrs/sub-01_desc-fit_acq-x_svs.svg", "out of order"},
		{"flat layout", map[string]string{"sub-01/sub-01_svs_fit.svg": ""},
			"sub-01/sub-01_svs_fit.svg", "sub-<label>/[ses-<label>/]<datatype>/"},
		{"no desc on an undefined kind", map[string]string{"sub-01/mrs/sub-01_svs.svg": ""}, "sub-01/mrs/sub-01_svs.svg", "needs a desc- entity"},
		{"unknown suffix", map[string]string{"sub-01/mrs/sub-01_desc-fit_fit.svg": ""},
			"sub-01/mrs/sub-01_desc-fit_fit.svg", "not a BIDS suffix"},
		{"wrong datatype", map[string]string{"sub-01/eeg/sub-01_desc-fit_svs.svg": ""}, "sub-01/eeg/sub-01_desc-fit_svs.svg", "datatype"},
		{"eeg without task", map[string]string{"sub-01/eeg/sub-01_desc-legs_eeg.json": `{}`}, "sub-01/eeg/sub-01_desc-legs_eeg.json", "entity task required"},
		{"entity not of the rule", map[string]string{"sub-01/mrs/sub-01_hemi-L_desc-fit_svs.svg": ""}, "sub-01/mrs/sub-01_hemi-L_desc-fit_svs.svg", "entity hemi not allowed"},
		{"not a datatype", map[string]string{"sub-01/spectra/sub-01_desc-fit_svs.svg": ""}, "sub-01/spectra/sub-01_desc-fit_svs.svg", "not a BIDS datatype"},
		{"subject mismatch", map[string]string{"sub-01/mrs/sub-02_desc-fit_svs.svg": ""}, "sub-01/mrs/sub-02_desc-fit_svs.svg", "does not match its folder"},
		{"top-level folder", map[string]string{"figures/a.svg": ""}, "figures/a.svg", "not a BIDS-Derivatives path"},
		{"no sidecar", map[string]string{"sub-01/mrs/sub-01_desc-fit_svs.json": ""}, fit, "no JSON sidecar"},
		{"group table without sidecar", map[string]string{"group/cohort.json": ""}, "group/cohort.tsv", "no JSON sidecar"},
		{"undescribed column", map[string]string{"sub-01/mrs/sub-01_desc-fit_svs.json": `{"metabolite": {"Description": "m"}}`}, fit, `"crlb_percent" has no Description`},
		{"Units not a string", map[string]string{"sub-01/mrs/sub-01_desc-fit_svs.json": `{"metabolite": {"Description": "m"}, "crlb_percent": {"Description": "c", "Units": 1}}`}, fit, "Units"},
		{"not derivative", map[string]string{"dataset_description.json": `{"Name": "d", "BIDSVersion": "1.10.0", "DatasetType": "raw", "GeneratedBy": [{"Name": "g"}], "SourceDatasets": [{"URL": "../bids"}]}`},
			"dataset_description.json", "DatasetType"},
		{"no SourceDatasets", map[string]string{"dataset_description.json": `{"Name": "d", "BIDSVersion": "1.10.0", "DatasetType": "derivative", "GeneratedBy": [{"Name": "g"}]}`},
			"dataset_description.json", "SourceDatasets"},
		{"no GeneratedBy name", map[string]string{"dataset_description.json": `{"Name": "d", "BIDSVersion": "1.10.0", "DatasetType": "derivative", "GeneratedBy": [{"Version": "1"}], "SourceDatasets": [{"URL": "../bids"}]}`},
			"dataset_description.json", "Name"},
		{"old BIDS version", map[string]string{"dataset_description.json": `{"Name": "d", "BIDSVersion": "1.9.0", "DatasetType": "derivative", "GeneratedBy": [{"Name": "g"}], "SourceDatasets": [{"URL": "../bids"}]}`},
			"dataset_description.json", "BIDSVersion 1.9.0"},
	}
	s := load(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := maps.Clone(validDerivatives)
			for k, v := range tc.change {
				if v == "" && strings.HasSuffix(k, ".json") {
					delete(files, k)
				} else {
					files[k] = v
				}
			}
			ps, err := s.CheckDerivatives(writeDataset(t, files))
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || ps[0].Path != tc.path || !strings.Contains(ps[0].Message, tc.contains) {
				t.Errorf("problems %v, want one on %s containing %q", ps, tc.path, tc.contains)
			}
		})
	}
}
