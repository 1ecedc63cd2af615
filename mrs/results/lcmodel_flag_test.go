package results

import (
	"math"
	"strings"
	"testing"
)

// LCModel writes '+' or '-' in place of the space between the ratio and
// the name for a metabolite outside its soft ratio constraint (seen in
// LCModel 6.3-1N's table for TARQUIN's 1.5 T example spectrum:
// mrs/analysis/testdata/invivo/lcmodel/tarquin-siemens2000.table).
func TestLCModelTableRatioFlag(t *testing.T) {
	table := ` LCModel (Version 6.3-1N)
 title

$$CONC 6 lines in following concentration table = NCONC+1
    Conc.  %SD /Cr+PCr  Metabolite
 6.88E-02   9%   1.000 PCr
 7.57E-02  12%   1.101+Glc
 1.28E-03 215% 1.9E-02-Scyllo
 6.73E-02  16%   0.978--CrCH2
 6.88E-02   9%   1.000 Cr+PCr
`
	r, err := ReadLCModelTable(strings.NewReader(table))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		ratio float64
		sd    float64
	}{{"Glc", 1.101, 12}, {"sIns", 0.019, 215}, {"-CrCH2", 0.978, 16}} {
		m, ok := r.Get(c.name)
		if !ok || math.Abs(m.RatioTCr-c.ratio) > 1e-12 || m.SDPercent != c.sd {
			t.Errorf("%s: %+v (found %v), want ratio %g, %%SD %g", c.name, m, ok, c.ratio, c.sd)
		}
	}
}
