package study

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"glusleep/bids"
	"glusleep/clinical"
)

// Source files map to the names README's "Running a study" lists, and the
// flat-layout patterns of clinical protocols to the same files.
func TestDerivativePath(t *testing.T) {
	cases := []struct{ label, src, datatype, kind, want string }{
		{"01", "/b/sub-01/mrs/sub-01_svs.nii.gz", "mrs", "fit.tsv", "sub-01/mrs/sub-01_desc-fit_svs.tsv"},
		{"01", "/b/sub-01/ses-2/mrs/sub-01_ses-2_acq-press_svs.nii.gz", "mrs", "preproc_qc.json", "sub-01/ses-2/mrs/sub-01_ses-2_acq-press_desc-preprocqc_svs.json"},
		{"01", "/b/sourcedata/sub-01/P1830.7", "mrs", "qc.json", "sub-01/mrs/sub-01_acq-P1830_desc-qc_svs.json"},
		{"01", "/b/sourcedata/sub-01/ses-1/sub-01_meas 2.rda", "mrs", "fit.svg", "sub-01/ses-1/mrs/sub-01_ses-1_acq-meas2_desc-fit_svs.svg"},
		{"01", "/b/sub-01/eeg/sub-01_task-sleep_run-1_events.tsv", "eeg", "legmovements.tsv", "sub-01/eeg/sub-01_task-sleep_run-1_desc-legmovements_events.tsv"},
		{"01", "/b/sub-01/eeg/sub-01_task-sleep_run-1_events.tsv", "eeg", "sleep.json", "sub-01/eeg/sub-01_task-sleep_run-1_desc-sleepstats_eeg.json"},
		{"01", "/b/sub-01/eeg/sub-01_task-sleep_run-1_events.tsv", "eeg", "tissue_map.json", "sub-01/eeg/sub-01_task-sleep_run-1_desc-tissuemap_eeg.json"},
	}
	for _, c := range cases {
		if got := filepath.ToSlash(DerivativePath(c.label, c.src, c.datatype, c.kind)); got != c.want {
			t.Errorf("%s %s: %s, want %s", c.src, c.kind, got, c.want)
		}
	}
	if got := bidsGlob("{participant}/{participant}_*_legs.json", false); got != "{participant}/eeg/{participant}_*_desc-legs_eeg.json" {
		t.Errorf("bidsGlob: %s", got)
	}
	if got := bidsGlob("{participant}/{participant}_*_legs.json", true); got != "{participant}/ses-*/eeg/{participant}_*_desc-legs_eeg.json" {
		t.Errorf("bidsGlob with sessions: %s", got)
	}
	if got := bidsGlob("{participant}/other.json", false); got != "{participant}/other.json" {
		t.Errorf("bidsGlob of an unknown kind: %s", got)
	}
}

// A participant folder in the flat layout is recognised and the group
// level notes it; the figure finder reads both layouts.
func TestFlatLayoutNote(t *testing.T) {
	out := t.TempDir()
	write := func(rel string) {
		p := filepath.Join(out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("<svg/>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("sub-01/sub-01_svs_fit.svg")
	write("sub-02/mrs/sub-02_desc-fit_svs.svg")
	d := &Dataset{Participants: []*Participant{{Label: "01"}, {Label: "02"}, {Label: "03"}}}
	for l, want := range map[string]Layout{"01": FlatLayout, "02": BIDSLayout, "03": NoOutputs} {
		if got := ParticipantLayout(out, l); got != want {
			t.Errorf("sub-%s: layout %d, want %d", l, got, want)
		}
	}
	if n := flatLayoutNote(d, out); !strings.Contains(n, "sub-01 has derivatives in the flat layout") || strings.Contains(n, "sub-02") {
		t.Errorf("note %q", n)
	}
	// The clinical protocol's flat-layout path is kept while a participant
	// has the flat layout, and points at the BIDS layout otherwise.
	flat := "{participant}/{participant}_*_legs.json"
	for _, c := range []struct {
		d    *Dataset
		want string
	}{{d, flat}, {&Dataset{Participants: []*Participant{{Label: "02"}, {Label: "03"}}}, "{participant}/eeg/{participant}_*_desc-legs_eeg.json"}} {
		proto := &clinical.Protocol{Derivatives: []clinical.Derivative{{Field: "plm_per_night", Path: flat}}}
		protocolLayout(c.d, out, proto)
		if got := proto.Derivatives[0].Path; got != c.want {
			t.Errorf("protocol path %s, want %s", got, c.want)
		}
	}
	for l, want := range map[string]string{"01": "sub-01/sub-01_svs_fit.svg", "02": "sub-02/mrs/sub-02_desc-fit_svs.svg"} {
		m := participantOutputs(out, l, "fit.svg")
		if len(m) != 1 || filepath.ToSlash(m[0]) != filepath.ToSlash(filepath.Join(out, want)) {
			t.Errorf("sub-%s figures %v, want %s", l, m, want)
		}
	}
}

// Any source name gives a path in the participant's mrs/ or eeg/ folder
// (or a session's), with a desc- entity and one of the kind's extensions.
func FuzzDerivativePath(f *testing.F) {
	for _, s := range []string{"/b/sub-01/mrs/sub-01_svs.nii.gz", "sourcedata/sub-01/P1830.7", "sub-01_task-sleep_run-1_events.tsv", "ses-2/x..y", "___", "sub-01_desc-x_svs.nii"} {
		f.Add("01", s, "fit.tsv")
	}
	f.Add("01", "sub-01/ses-1/eeg/sub-01_ses-1_task-sleep_events.tsv", "legs.json")
	f.Fuzz(func(t *testing.T, label, src, kind string) {
		if !reLabel.MatchString(label) || !strings.Contains(kind, ".") || strings.ContainsAny(kind, "/\\") {
			t.Skip()
		}
		for _, dt := range []string{"mrs", "eeg"} {
			p := filepath.ToSlash(DerivativePath(label, src, dt, kind))
			parts := strings.Split(p, "/")
			if parts[0] != "sub-"+label || parts[len(parts)-2] != dt || len(parts) > 4 {
				t.Fatalf("%q %q %s: %s", src, kind, dt, p)
			}
			if len(parts) == 4 && !reSesDir.MatchString(parts[1]) {
				t.Fatalf("%q: session folder %s", src, parts[1])
			}
			if !reDerivName.MatchString(parts[len(parts)-1]) || !strings.HasPrefix(parts[len(parts)-1], "sub-"+label+"_") {
				t.Fatalf("%q %q: name %s", src, kind, parts[len(parts)-1])
			}
		}
	})
}

var (
	reLabel     = regexp.MustCompile(`^[0-9A-Za-z]+$`)
	reDerivName = regexp.MustCompile(`^([a-z]+-[0-9A-Za-z]+_)+desc-[0-9A-Za-z]+_[a-z]+\.`)
)

func ExampleDerivativePath() {
	fmt.Println(filepath.ToSlash(DerivativePath("01", "bids/sub-01/mrs/sub-01_svs.nii.gz", "mrs", "fit.tsv")))
	fmt.Println(filepath.ToSlash(DerivativePath("01", "bids/sub-01/eeg/sub-01_task-sleep_run-2_events.tsv", "eeg", "sleep.json")))
	fmt.Println(filepath.ToSlash(DerivativePath("01", "bids/sourcedata/sub-01/P1830.7", "mrs", "qc.json")))
	// Output:
	// sub-01/mrs/sub-01_desc-fit_svs.tsv
	// sub-01/eeg/sub-01_task-sleep_run-2_desc-sleepstats_eeg.json
	// sub-01/mrs/sub-01_acq-P1830_desc-qc_svs.json
}

// GLUSLEEP_CONTAINER (set by the repository's Dockerfile and Apptainer
// definition) and its _TAG name the container in dataset_description.json.
func TestContainerFromEnv(t *testing.T) {
	t.Setenv(ContainerEnv, "apptainer")
	t.Setenv(ContainerEnv+"_TAG", "glusleep:0.2")
	g := NewDatasetDescription("0.2").GeneratedBy[0]
	if g.Container == nil || *g.Container != (bids.Container{Type: "apptainer", Tag: "glusleep:0.2"}) {
		t.Errorf("container %+v", g.Container)
	}
}
