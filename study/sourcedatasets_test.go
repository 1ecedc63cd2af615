package study

import "testing"

// SourceDatasets' URL is given only for derivatives inside or beside the
// raw dataset; a longer relative path would record the machine's layout.
func TestOnlyParents(t *testing.T) {
	for _, c := range []struct {
		rel  string
		want bool
	}{
		{"../..", true}, {"..", true}, {"../bids", true}, {"../../rls", true},
		{"../../../home/jdoe/rls_study", false}, {"../a/b", false}, {"bids", false},
	} {
		if got := onlyParents(c.rel); got != c.want {
			t.Errorf("onlyParents(%q) = %v, want %v", c.rel, got, c.want)
		}
	}
}
