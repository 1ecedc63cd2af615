package sim

import "testing"

// Metabolites and sequences whose names hold the key's separator give
// distinct keys: unquoted, ("A|[]", kind "x") and ("A", kind "[]|x") both
// read A|[]|[]|x|….
func TestMemoKeyNamesWithSeparator(t *testing.T) {
	for _, c := range []struct {
		a, b   Metabolite
		ka, kb string
	}{
		{Metabolite{Name: "A|[]"}, Metabolite{Name: "A"}, "x", "[]|x"},
	} {
		ka := memoKey(c.a, Sequence{Kind: c.ka}, 127.7, 0.0005, 512, 4.65)
		kb := memoKey(c.b, Sequence{Kind: c.kb}, 127.7, 0.0005, 512, 4.65)
		if ka == kb {
			t.Errorf("%q/%q and %q/%q share the key %s", c.a.Name, c.ka, c.b.Name, c.kb, ka)
		}
	}
}
