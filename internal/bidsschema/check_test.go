package bidsschema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const schemaPath = "testdata/bids-schema-1.10.0/schema.json"

// validDataset is a small raw dataset that follows BIDS 1.10.0 (file
// contents other than TSV and JSON are placeholders: the checker reads
// names, sidecars and tables only).
var validDataset = map[string]string{
	"dataset_description.json": `{"Name": "t", "BIDSVersion": "1.10.0", "DatasetType": "raw", "Authors": ["A", "B"]}`,
	"README":                   "test dataset\n",
	".bidsignore":              "truth.tsv\n",
	"truth.tsv":                "x\n1\n",
	"participants.tsv":         "participant_id\tage\tgroup\nsub-01\t60\trls\nsub-02\t55\tcontrol\n",
	"participants.json":        `{"age": {"Description": "age", "Units": "year"}, "group": {"Description": "group", "Levels": {"rls": "RLS", "control": "control"}}}`,
	"phenotype/ess.tsv":        "participant_id\tess_01\nsub-01\t1\nsub-02\tn/a\n",
	"phenotype/ess.json":       `{"ess_01": {"Description": "ESS item 1", "Levels": {"0": "0", "1": "1", "2": "2", "3": "3"}}}`,
	"sub-01/eeg/sub-01_task-sleep_run-1_eeg.edf": "",
	"sub-01/eeg/sub-01_task-sleep_run-1_eeg.json": `{"TaskName": "sleep", "SamplingFrequency": 256, "PowerLineFrequency": 50,
		"SoftwareFilters": "n/a", "EEGReference": "M2", "EEGChannelCount": 1, "RecordingType": "continuous"}`,
	"sub-01/eeg/sub-01_task-sleep_run-1_channels.tsv": "name\ttype\tunits\tsampling_frequency\nC3-M2\tEEG\tµV\t256\n",
	"sub-01/eeg/sub-01_task-sleep_run-1_events.tsv":   "onset\tduration\ttrial_type\tstage\n0\t30\tsleep_stage\tW\n12.5\t1\tLeg movement\tn/a\n",
	"sub-01/eeg/sub-01_task-sleep_run-1_events.json":  `{"stage": {"Description": "stage", "Levels": {"W": "wake"}}, "trial_type": {"Description": "kind", "Levels": {"sleep_stage": "epoch", "Leg movement": "LM"}}}`,
	"sub-02/mrs/sub-02_svs.nii.gz":                    "",
	"sub-02/mrs/sub-02_svs.json":                      `{"ResonantNucleus": ["1H"], "SpectrometerFrequency": [123.2], "SpectralWidth": 4000, "EchoTime": 0.03, "NumberOfSpectralPoints": 2048, "WaterSuppression": true, "ReferenceSignal": "bids::sub-02/mrs/sub-02_mrsref.nii.gz", "AcquisitionVoxelSize": [20, 20, 20]}`,
	"sub-02/mrs/sub-02_mrsref.nii.gz":                 "",
	"sub-02/mrs/sub-02_mrsref.json":                   `{"ResonantNucleus": ["1H"], "SpectrometerFrequency": [123.2], "SpectralWidth": 4000, "EchoTime": 0.03, "WaterSuppression": false}`,
}

func writeDataset(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, body := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func load(t *testing.T) *Schema {
	t.Helper()
	s, err := Load(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestValidDatasetPasses(t *testing.T) {
	ps, err := load(t).CheckDataset(writeDataset(t, validDataset))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Error(p)
	}
}

// Each change breaks one rule of the schema; the checker must report it
// on the file named, with a message containing want.
func TestCheckerFindsProblems(t *testing.T) {
	s := load(t)
	const eegJSON = "sub-01/eeg/sub-01_task-sleep_run-1_eeg.json"
	const svsJSON = "sub-02/mrs/sub-02_svs.json"
	tests := []struct {
		name       string
		remove     []string
		add        map[string]string
		path, want string
	}{
		{"entity order", nil, map[string]string{"sub-01/eeg/sub-01_run-1_task-sleep_events.tsv": "onset\tduration\n"}, "sub-01/eeg/sub-01_run-1_task-sleep_events.tsv", "out of order"},
		{"unknown suffix", nil, map[string]string{"sub-01/eeg/sub-01_task-sleep_hypnogram.tsv": "a\n"}, "sub-01/eeg/sub-01_task-sleep_hypnogram.tsv", "no BIDS rule"},
		{"eeg without task", nil, map[string]string{"sub-01/eeg/sub-01_run-2_eeg.edf": ""}, "sub-01/eeg/sub-01_run-2_eeg.edf", "entity task required"},
		{"mrs in the eeg folder", nil, map[string]string{"sub-01/eeg/sub-01_svs.nii.gz": ""}, "sub-01/eeg/sub-01_svs.nii.gz", "datatype"},
		{"subject mismatch", nil, map[string]string{"sub-01/mrs/sub-03_svs.nii.gz": ""}, "sub-01/mrs/sub-03_svs.nii.gz", "does not match its folder"},
		{"label format", nil, map[string]string{"sub-01/eeg/sub-01_task-sleep_run-a_events.tsv": "onset\tduration\n"}, "sub-01/eeg/sub-01_task-sleep_run-a_events.tsv", "is not a index"},
		{"stray top-level file", []string{".bidsignore"}, nil, "truth.tsv", "not a BIDS top-level file"},
		{"EEG required field", nil, map[string]string{eegJSON: `{"TaskName": "sleep", "SamplingFrequency": 256, "PowerLineFrequency": 50, "SoftwareFilters": "n/a"}`}, "sub-01/eeg/sub-01_task-sleep_run-1_eeg.edf", "lacks EEGReference"},
		{"EEG field type", nil, map[string]string{eegJSON: `{"TaskName": "sleep", "SamplingFrequency": "256 Hz", "PowerLineFrequency": 50, "SoftwareFilters": "n/a", "EEGReference": "M2"}`}, "sub-01/eeg/sub-01_task-sleep_run-1_eeg.edf", "SamplingFrequency"},
		{"EEG enum", nil, map[string]string{eegJSON: `{"TaskName": "sleep", "SamplingFrequency": 256, "PowerLineFrequency": 50, "SoftwareFilters": "none", "EEGReference": "M2"}`}, "sub-01/eeg/sub-01_task-sleep_run-1_eeg.edf", "SoftwareFilters"},
		{"MRS frequency not an array", nil, map[string]string{svsJSON: `{"ResonantNucleus": ["1H"], "SpectrometerFrequency": 123.2, "SpectralWidth": 4000, "EchoTime": 0.03}`}, "sub-02/mrs/sub-02_svs.nii.gz", "SpectrometerFrequency"},
		{"MRS required field", nil, map[string]string{svsJSON: `{"ResonantNucleus": ["1H"], "SpectrometerFrequency": [123.2], "SpectralWidth": 4000}`}, "sub-02/mrs/sub-02_svs.nii.gz", "lacks EchoTime"},
		{"MRS integer", nil, map[string]string{svsJSON: `{"ResonantNucleus": ["1H"], "SpectrometerFrequency": [123.2], "SpectralWidth": 4000, "EchoTime": 0.03, "NumberOfSpectralPoints": 2048.5}`}, "sub-02/mrs/sub-02_svs.nii.gz", "not an integer"},
		{"MRS voxel size", nil, map[string]string{svsJSON: `{"ResonantNucleus": ["1H"], "SpectrometerFrequency": [123.2], "SpectralWidth": 4000, "EchoTime": 0.03, "AcquisitionVoxelSize": [20, 20]}`}, "sub-02/mrs/sub-02_svs.nii.gz", "at least 3"},
		{"MRS reference URI", nil, map[string]string{svsJSON: `{"ResonantNucleus": ["1H"], "SpectrometerFrequency": [123.2], "SpectralWidth": 4000, "EchoTime": 0.03, "ReferenceSignal": "sub-02_mrsref.nii.gz"}`}, "sub-02/mrs/sub-02_svs.nii.gz", "ReferenceSignal"},
		{"MRS without sidecar", []string{"sub-02/mrs/sub-02_mrsref.json"}, nil, "sub-02/mrs/sub-02_mrsref.nii.gz", "lacks ResonantNucleus"},
		{"channels columns", nil, map[string]string{"sub-01/eeg/sub-01_task-sleep_run-1_channels.tsv": "name\tunits\nC3\tµV\n"}, "sub-01/eeg/sub-01_task-sleep_run-1_channels.tsv", "lacks column type"},
		{"channel type", nil, map[string]string{"sub-01/eeg/sub-01_task-sleep_run-1_channels.tsv": "name\ttype\tunits\nC3\tEEEG\tµV\n"}, "sub-01/eeg/sub-01_task-sleep_run-1_channels.tsv", "not one of"},
		{"events onset", nil, map[string]string{"sub-01/eeg/sub-01_task-sleep_run-1_events.tsv": "onset\tduration\ttrial_type\tstage\nx\t30\tsleep_stage\tW\n"}, "sub-01/eeg/sub-01_task-sleep_run-1_events.tsv", "not a number"},
		{"undescribed column", []string{"sub-01/eeg/sub-01_task-sleep_run-1_events.json"}, nil, "sub-01/eeg/sub-01_task-sleep_run-1_events.tsv", "column stage is not described"},
		{"level missing", nil, map[string]string{"sub-01/eeg/sub-01_task-sleep_run-1_events.tsv": "onset\tduration\ttrial_type\tstage\n0\t30\tsleep_stage\tN2\n"}, "sub-01/eeg/sub-01_task-sleep_run-1_events.tsv", "not among the sidecar's Levels"},
		{"participants column", []string{"participants.json"}, nil, "participants.tsv", "column group is not described"},
		{"phenotype incomplete", nil, map[string]string{"phenotype/ess.tsv": "participant_id\tess_01\nsub-01\t1\n"}, "phenotype/ess.tsv", "sub-02 missing"},
		{"phenotype undescribed", []string{"phenotype/ess.json"}, nil, "phenotype/ess.tsv", "column ess_01 is not described"},
		{"ragged table", nil, map[string]string{"phenotype/ess.tsv": "participant_id\tess_01\nsub-01\t1\t2\nsub-02\tn/a\n"}, "phenotype/ess.tsv", "ess.tsv:2:10: 3 fields, the header has 2 columns"},
		{"tables after a ragged one still checked", []string{"sub-01/eeg/sub-01_task-sleep_run-1_events.json"}, map[string]string{"phenotype/ess.tsv": "participant_id\tess_01\nsub-01\t1\t2\nsub-02\tn/a\n"}, "sub-01/eeg/sub-01_task-sleep_run-1_events.tsv", "column stage is not described"},
		{"no README", []string{"README"}, nil, "README", "missing"},
		{"BIDSVersion type", nil, map[string]string{"dataset_description.json": `{"Name": "t", "BIDSVersion": 1.1}`}, "dataset_description.json", "BIDSVersion"},
		{"older BIDSVersion", nil, map[string]string{"dataset_description.json": `{"Name": "t", "BIDSVersion": "1.9.0"}`}, "dataset_description.json", "BIDSVersion 1.9.0"},
		{"no Name", nil, map[string]string{"dataset_description.json": `{"BIDSVersion": "1.10.0"}`}, "dataset_description.json", "lacks Name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range validDataset {
				files[k] = v
			}
			for _, k := range tc.remove {
				delete(files, k)
			}
			for k, v := range tc.add {
				files[k] = v
			}
			ps, err := s.CheckDataset(writeDataset(t, files))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if p.Path == tc.path && strings.Contains(p.Message, tc.want) {
					return
				}
			}
			t.Errorf("no problem on %s containing %q; got %v", tc.path, tc.want, ps)
		})
	}
}

// A selector the evaluator cannot read is an error, never "not selected".
func TestSelectorErrors(t *testing.T) {
	e := &env{vars: map[string]any{"suffix": "eeg", "entities": map[string]any{"run": "1"}}, exists: func(string, string) bool { return false }}
	tests := []struct {
		expr string
		want any
		err  bool
	}{
		{`suffix == "eeg"`, true, false},
		{`suffix != 'eeg'`, false, false},
		{`"run" in entities`, true, false},
		{`!("task" in entities)`, true, false},
		{`entities.run`, "1", false},
		{`intersects([suffix], ["svs", "eeg"])`, true, false},
		{`match(suffix, "^e+g$")`, true, false},
		{`length(suffix) > 1`, nil, true},
		{`unknown == 1`, nil, true},
		{`suffix ==`, nil, true},
	}
	for _, tc := range tests {
		got, err := evaluate(tc.expr, e)
		if (err != nil) != tc.err {
			t.Errorf("%s: error %v, want error %v", tc.expr, err, tc.err)
			continue
		}
		if !tc.err && got != tc.want {
			t.Errorf("%s = %v, want %v", tc.expr, got, tc.want)
		}
	}
}

// A number column's cell is read whole: trailing text, a decimal comma
// or an infinity is not a number (fmt.Sscan read "12abc" as 12).
func TestCellNumbers(t *testing.T) {
	c := &checker{s: load(t)}
	def := map[string]any{"type": "number"}
	for _, tc := range []struct {
		v  string
		ok bool
	}{{"12", true}, {"-0.5", true}, {"1e3", true}, {"n/a", true}, {"12abc", false}, {"1,5", false}, {"Inf", false}, {"NaN", false}, {"", false}, {"1 2", false}} {
		if msg := c.cell(tc.v, def); (msg == "") != tc.ok {
			t.Errorf("cell %q: problem %q, want ok %v", tc.v, msg, tc.ok)
		}
	}
}

// .bidsignore: one rule for raw and derivative datasets — a pattern
// lists a file by its path or name, or a folder (with or without a
// trailing "/") and all below it.
func TestIgnoredPath(t *testing.T) {
	pats := []string{"group/", "extra", "sub-*_summary.json", "code/*.py"}
	for _, tc := range []struct {
		rel  string
		want bool
	}{
		{"group/cohort.tsv", true}, {"group/figures/a.svg", true}, {"groups.tsv", false},
		{"extra/a/b.txt", true}, {"extra", true}, {"sub-01/sub-01_summary.json", true},
		{"code/run.py", true}, {"code/sub/run.py", false}, {"sub-01/eeg/x_group.tsv", false},
	} {
		if got := ignoredPath(pats, tc.rel); got != tc.want {
			t.Errorf("ignoredPath(%q) = %v, want %v", tc.rel, got, tc.want)
		}
	}
}
