package clinical

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every phenotype table lists every participant (BIDS), with n/a rows for
// instruments a participant did not answer and for a participant without
// medication records; reading the folder back gives the same scores and
// no issues.
func TestWriteBIDSPhenotypeListsEveryParticipant(t *testing.T) {
	d := NewDataset()
	// A medication table was kept: participants without a record are known
	// not to be on medication, so every participant gets an augmentation row.
	d.MedicationTable = true
	for i, v := range []string{"1", "2", "0", "3", "1", "0", "2", "1"} {
		d.Set("sub-a", "ess_0"+string(rune('1'+i)), v)
		d.Set("sub-b", "ess_0"+string(rune('1'+i)), v)
	}
	for i := 1; i <= 10; i++ {
		col := "irls_" + itoa(i)
		d.Set("sub-a", col, "2")
	}
	d.AddMedication("sub-a", Medication{Drug: "pramipexole", DailyDose: 0.25, DoseUnit: "mg", Start: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)})
	dir := t.TempDir()
	if err := WriteBIDSPhenotype(dir, d); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file string
		want []string
	}{
		{"ess.tsv", []string{"sub-a\t1\t2\t0\t3\t1\t0\t2\t1", "sub-b\t1\t2\t0\t3\t1\t0\t2\t1"}},
		{"irls.tsv", []string{"sub-a\t2\t2\t2\t2\t2\t2\t2\t2\t2\t2", "sub-b\tn/a\tn/a\tn/a\tn/a\tn/a\tn/a\tn/a\tn/a\tn/a\tn/a"}},
		{"medications.tsv", []string{"sub-a\tpramipexole\t0.25\tmg\t2020-01-02", "sub-b\tn/a\tn/a\tn/a\tn/a"}},
	}
	for _, tc := range tests {
		b, err := os.ReadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")[1:]
		if strings.Join(lines, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s rows:\n%s\nwant\n%s", tc.file, strings.Join(lines, "\n"), strings.Join(tc.want, "\n"))
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "psqi.tsv")); err == nil {
		t.Error("psqi.tsv written although no participant answered it")
	}
	back, err := ReadBIDSPhenotype(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Issues) != 0 {
		t.Errorf("reading the n/a rows gave issues: %v", back.Issues)
	}
	want, got := ScoreDataset(d), ScoreDataset(back)
	for _, tw := range want.Tables {
		tg := got.Table(tw.Instrument.Name)
		if tg == nil {
			t.Fatalf("%s not scored after reading back", tw.Instrument.Name)
		}
		var a, b bytes.Buffer
		tw.WriteTSV(&a)
		tg.WriteTSV(&b)
		if a.String() != b.String() {
			t.Errorf("%s after reading back:\n%s\nwant\n%s", tw.Instrument.Name, b.String(), a.String())
		}
	}
	if irls := got.Table("irls"); irls == nil || len(irls.Rows) != 1 {
		t.Errorf("irls scored for %v rows, want only sub-a's", irls)
	}
}

func itoa(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

// A phenotype table cut short inside or right after its header has no
// participant rows: it is refused, naming the file, instead of scoring
// nobody with exit 0.
func TestPhenotypeHeaderOnlyRefused(t *testing.T) {
	for _, tc := range []struct{ name, content string }{
		{"cut in the header", "participant_id\tirls_01\tirls_02"},
		{"header line only", "participant_id\tirls_01\tirls_02\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "irls.tsv")
			if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadBIDSPhenotype(p)
			if !errors.Is(err, ErrNoRows) || !strings.Contains(err.Error(), "irls.tsv") {
				t.Fatalf("err = %v, want ErrNoRows naming irls.tsv", err)
			}
		})
	}
}
