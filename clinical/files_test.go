package clinical

import (
	"errors"
	"testing"
)

// The REDCap export and the BIDS phenotype folder of one cohort read by
// ReadPhenotype give the same scores; an export without its dictionary is
// refused.
func TestReadPhenotype(t *testing.T) {
	bids, err := ReadPhenotype([]string{"testdata/bids/phenotype"}, PhenotypeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := ReadPhenotype([]string{"testdata/redcap/export_raw.csv"}, PhenotypeOptions{REDCapDictionary: "testdata/redcap/dictionary.csv"})
	if err != nil {
		t.Fatal(err)
	}
	a, b := ScoreDataset(bids).Fields(), ScoreDataset(rc).Fields()
	compared := 0
	for id, fa := range a {
		for _, k := range []string{"irls_total", "ess_total", "psqi_global", "jhrlss"} {
			if fa[k] != b[id][k] {
				t.Errorf("%s %s: BIDS %v, REDCap %v", id, k, fa[k], b[id][k])
			}
			compared++
		}
	}
	if compared < 40 {
		t.Errorf("%d scores compared", compared)
	}
	if _, err := ReadPhenotype([]string{"testdata/redcap/export_raw.csv"}, PhenotypeOptions{}); !errors.Is(err, ErrNoDictionary) {
		t.Errorf("export without dictionary: %v", err)
	}
	if n := CountErrors(ScoreDataset(bids).Issues); n == 0 {
		t.Error("the injected errors of the test cohort are not counted")
	}
}
