package results

import (
	"os"
	"strings"
	"testing"
)

func seeds(f *testing.F, paths ...string) {
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
		f.Add(string(b[:len(b)/2]))
		f.Add(string(b[:len(b)/7]))
	}
	f.Add("")
	f.Add(" LCModel\n t\n$$CONC 99999999 lines\n")
}

func FuzzReadLCModelTable(f *testing.F) {
	seeds(f, "testdata/sub01.table", "testdata/ge_phantom_P1837_nsimul0.table")
	f.Fuzz(func(t *testing.T, s string) { _, _ = ReadLCModelTable(strings.NewReader(s)) })
}

func FuzzReadLCModelCSV(f *testing.F) {
	seeds(f, "testdata/sub01.csv")
	f.Fuzz(func(t *testing.T, s string) { _, _ = ReadLCModelCSV(strings.NewReader(s)) })
}

func FuzzReadLCModelCoord(f *testing.F) {
	seeds(f, "testdata/sub01.coord")
	f.Add(" LCModel\n t\n 2 lines in following concentration table = NCONC+1\n h\n 1 1% 1 A\n 999999999 points on ppm-axis = NY\n")
	f.Fuzz(func(t *testing.T, s string) { _, _ = ReadLCModelCoord(strings.NewReader(s)) })
}

func FuzzReadFSLMRSSummary(f *testing.F) {
	seeds(f, "testdata/fslmrs/summary.csv")
	f.Fuzz(func(t *testing.T, s string) { _, _ = ReadFSLMRSSummary(strings.NewReader(s)) })
}

func FuzzReadOspreyTable(f *testing.F) {
	seeds(f, "testdata/osprey/QuantifyResults/A_tCr_Voxel_1_Basis_1.tsv")
	f.Fuzz(func(t *testing.T, s string) { _, _ = ReadOspreyTable(strings.NewReader(s), "tCr", nil) })
}
