package naming

import "testing"

// The names of LCModel's manual (table 8.1: PCh, Scyllo), Osprey's tables
// (mI, sI, PCh_GPC) and the tools' sums map to glusleep's and back.
func TestNames(t *testing.T) {
	for _, c := range []struct{ in, canonical, lcmodel string }{
		{"PCho", "PCho", "PCh"}, {"PCh", "PCho", "PCh"}, {"sIns", "sIns", "Scyllo"}, {"Scyllo", "sIns", "Scyllo"},
		{"sI", "sIns", "sI"}, {"mI", "Ins", "mI"}, {"Cr+PCr", "tCr", "Cr+PCr"}, {"PCh_GPC", "tCho", "PCh_GPC"},
		{"GPC+PCh", "tCho", "GPC+PCh"}, {"Glu_Gln", "Glx", "Glu_Gln"}, {"NAA", "NAA", "NAA"},
	} {
		if got := CanonicalName(c.in); got != c.canonical {
			t.Errorf("CanonicalName(%s) = %s, want %s", c.in, got, c.canonical)
		}
		if got := Name(c.in, NamesLCModel); got != c.lcmodel {
			t.Errorf("Name(%s, lcmodel) = %s, want %s", c.in, got, c.lcmodel)
		}
		if got := Name(c.in, NamesGlusleep); got != c.canonical {
			t.Errorf("Name(%s, glusleep) = %s, want %s", c.in, got, c.canonical)
		}
	}
	if _, ok := ParseNameConvention("spant"); ok {
		t.Error("accepted an unknown convention")
	}
}
