package study

import (
	"math"
	"strings"
	"testing"
)

// The cohort's numbers are read whole: n/a is missing, and a cell that is
// not a number (fmt.Sscan read "12abc" as 12 and "1,5" as 1) is an error
// naming the file, the participant's row and the column.
func TestColumnStrict(t *testing.T) {
	header := []string{"participant_id", "age"}
	for _, tc := range []struct {
		cell string
		want float64 // NaN: missing
		err  string
	}{
		{"54", 54, ""}, {"n/a", math.NaN(), ""}, {"6.5e1", 65, ""},
		{"12abc", 0, `group/cohort.tsv: row sub-02, column "age": "12abc" is not a number`},
		{"1,5", 0, `"1,5" is not a number`}, {"Inf", 0, `"Inf" is not a number`},
	} {
		got, err := column(header, [][]string{{"sub-01", "1"}, {"sub-02", tc.cell}}, "age")
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v, %v; want error %s", tc.cell, got, err, tc.err)
			}
		case err != nil || !(got[1] == tc.want || math.IsNaN(got[1]) && math.IsNaN(tc.want)):
			t.Errorf("%q: %v, %v; want %v", tc.cell, got, err, tc.want)
		}
	}
	if _, err := column(header, nil, "sex"); err == nil {
		t.Error("a missing column is not an error")
	}
}

// Glx's CRLB is read from the fit table by column name, strictly.
func TestGlxCRLB(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, table string
		want        float64 // NaN: none
		err         string
	}{
		{"ok", "metabolite\tamplitude\tcrlb_percent\tratio_tcr\ntCr\t1\t3\t1\nGlx\t2\t7.5\t1.2\n", 7.5, ""},
		{"n/a", "metabolite\tcrlb_percent\nGlx\tn/a\n", math.NaN(), ""},
		{"no Glx", "metabolite\tcrlb_percent\ntCr\t3\n", math.NaN(), ""},
		{"absent", "", math.NaN(), ""},
		{"garbage", "metabolite\tcrlb_percent\nGlx\t7x\n", 0, `garbage_fit.tsv:2:5: column crlb_percent: "7x" is not a number`},
		{"no column", "metabolite\tamplitude\nGlx\t2\n", 0, "want metabolite and crlb_percent columns"},
	} {
		p := dir + "/" + tc.name + "_fit.tsv"
		if tc.table != "" {
			write(t, p, tc.table)
		}
		got, err := glxCRLB(p)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v, %v; want error %s", tc.name, got, err, tc.err)
			}
		case err != nil || !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)):
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}
