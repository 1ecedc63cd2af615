package stats

import (
	"strings"
	"testing"
)

// A cell spelled NAN (not one of the missing markers) or in hexadecimal
// is not a number, as internal/tsv reads cells elsewhere: Float names it
// instead of the analysis indexing an empty column.
func TestFloatRefusesNANAndHex(t *testing.T) {
	for _, cell := range []string{"NAN", "0x1p4", "+NaN"} {
		tb, err := ReadTable(strings.NewReader("g\tv\na\t1\na\t2\nb\t"+cell+"\nb\t4\n"), "t.tsv")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tb.Float("v"); err == nil || !strings.Contains(err.Error(), cell) {
			t.Errorf("%s: Float error %v, want one naming the cell", cell, err)
		}
		if _, err := Run(tb, Request{Analysis: "ttest", Value: "v", Group: "g"}); err == nil {
			t.Errorf("%s: ttest ran", cell)
		}
	}
}
