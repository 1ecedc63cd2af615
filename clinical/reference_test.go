package clinical

import (
	"os"
	"strings"
	"testing"
)

// compareReference scores a phenotype folder and compares every column of
// a reference table (participant_id first; "n/a" for not available) with
// the scores.
func compareReference(t *testing.T, pheno, ref string) {
	t.Helper()
	d, err := ReadBIDSPhenotype(pheno)
	if err != nil {
		t.Fatal(err)
	}
	fields := ScoreDataset(d).Fields()
	b, err := os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	head := strings.Split(lines[0], "\t")
	n := 0
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		for i := 1; i < len(head); i++ {
			got := Missing
			if v, ok := fields[f[0]][head[i]]; ok {
				got = v.String()
			}
			if got != f[i] {
				t.Errorf("%s: %s %s %s = %s, reference %s", ref, f[0], head[i], "", got, f[i])
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("%s: only %d values compared", ref, n)
	}
}

// Hand-worked cases at every band boundary (IRLS 10/11, 20/21, 30/31, ESS
// 10/11, PSQI 5/6, PSQI component cut points, 5j rule, JHRLSS onset cuts):
// the expected values were worked by hand (testdata/README.md) and R
// reproduces them (r_reference.R → boundary/r_reference_scores.tsv).
func TestBoundaryHandWorked(t *testing.T) {
	compareReference(t, "testdata/boundary/phenotype", "testdata/boundary/expected.tsv")
	compareReference(t, "testdata/boundary/phenotype", "testdata/boundary/r_reference_scores.tsv")
}

// The synthetic testdata cohort (with its injected bad answers) scored by
// an independent R implementation of the published rules.
func TestAgainstR(t *testing.T) {
	compareReference(t, "testdata/bids/phenotype", "testdata/r_reference_scores.tsv")
}
