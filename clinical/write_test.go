package clinical

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/tsv"
)

// Writing a dataset as a BIDS phenotype folder and as a REDCap project and
// reading both back gives the scores of the original.
func TestWriteRoundTrip(t *testing.T) {
	d, err := ReadBIDSPhenotype("testdata/bids/phenotype")
	if err != nil {
		t.Fatal(err)
	}
	want := ScoreDataset(d)
	dir := t.TempDir()
	if err := WriteBIDSPhenotype(filepath.Join(dir, "phenotype"), d); err != nil {
		t.Fatal(err)
	}
	back, err := ReadBIDSPhenotype(filepath.Join(dir, "phenotype"))
	if err != nil {
		t.Fatal(err)
	}
	dict, raw, lab := filepath.Join(dir, "dict.csv"), filepath.Join(dir, "raw.csv"), filepath.Join(dir, "lab.csv")
	if err := WriteREDCapProject(dict, raw, lab, d); err != nil {
		t.Fatal(err)
	}
	df, _ := os.Open(dict)
	rd, err := ReadREDCapDictionary(df, dict)
	df.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, ds := range []*Dataset{back, readBack(t, rd, raw, false, back), readBack(t, rd, lab, true, back)} {
		got := ScoreDataset(ds)
		for _, tw := range want.Tables {
			var a, b bytes.Buffer
			tw.WriteTSV(&a)
			tg := got.Table(tw.Instrument.Name)
			if tg == nil {
				t.Fatalf("%s missing", tw.Instrument.Name)
			}
			tg.WriteTSV(&b)
			if a.String() != b.String() {
				t.Errorf("%s differs after round trip:\n%s\nvs\n%s", tw.Instrument.Name, b.String(), a.String())
			}
		}
	}
	// no licensed wording: the dictionary's labels are the column names
	b, _ := os.ReadFile(dict)
	if strings.Contains(strings.ToLower(string(b)), "relief") || strings.Contains(strings.ToLower(string(b)), "how would") {
		t.Error("dictionary holds item wording")
	}
}

func readBack(t *testing.T, dict *REDCapDictionary, path string, labels bool, meds *Dataset) *Dataset {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ReadREDCap(f, dict, REDCapOptions{Labels: labels}, path)
	if err != nil {
		t.Fatal(err)
	}
	for id, r := range meds.Records {
		for _, m := range r.Medications {
			d.AddMedication(id, m)
		}
	}
	d.MedicationTable = true
	return d
}

// WriteResults output for the testdata cohort, against golden files.
func TestWriteResultsGolden(t *testing.T) {
	d, err := ReadBIDSPhenotype("testdata/bids/phenotype")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := WriteResults(dir, ScoreDataset(d)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"scores.tsv", "psqi.tsv", "psqi.json", "issues.tsv"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		// sources carry the path of this run's input
		golden := filepath.Join("testdata", "golden", name)
		if *updateGolden {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n%s", name, golden, got)
		}
	}
	// The snapshot's score columns that the independent R scorer also
	// computes equal its values (testdata/r_reference_scores.tsv).
	got, err := tsv.ReadFile(filepath.Join(dir, "scores.tsv"), tsv.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := tsv.ReadFile("testdata/r_reference_scores.tsv", tsv.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != len(ref.Rows) {
		t.Fatalf("scores.tsv has %d rows, the R reference %d", len(got.Rows), len(ref.Rows))
	}
	compared := 0
	for j, col := range ref.Header {
		k := got.Index(col)
		if k < 0 {
			t.Errorf("scores.tsv lacks the R reference's column %q", col)
			continue
		}
		for i := range ref.Rows {
			if got.Rows[i][k] != ref.Rows[i][j] {
				t.Errorf("%s: %q, R reference %q", got.Pos(i, k), got.Rows[i][k], ref.Rows[i][j])
			}
			compared++
		}
	}
	if compared < 100 {
		t.Errorf("only %d cells compared with the R reference", compared)
	}
	var side map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, "psqi.json"))
	if err := json.Unmarshal(b, &side); err != nil || side["ScoringReference"] == nil || side["psqi_global"] == nil {
		t.Errorf("sidecar %v %v", err, side)
	}
}

func TestInstrumentByName(t *testing.T) {
	for _, in := range Instruments() {
		got, err := InstrumentByName(in.Name)
		if err != nil || got != in {
			t.Errorf("%s: %v", in.Name, err)
		}
	}
	if _, err := InstrumentByName("phq9"); err == nil || !strings.Contains(err.Error(), "psqi") {
		t.Errorf("unknown: %v", err)
	}
	if !IsDopaminergic(" Ropinirole") || IsDopaminergic("gabapentin") {
		t.Error("IsDopaminergic")
	}
}
