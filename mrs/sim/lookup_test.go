package sim

import (
	"encoding/json"
	"slices"
	"testing"
)

// snapshot returns v as JSON: a value made without Clone, to compare the
// table with before and after a caller changes what Lookup returned.
func snapshot(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Lookup and LookupBroad return copies: changing every slice of what they
// returned (shifts, couplings, heteronuclear couplings, scale, lines)
// leaves the built-in tables, a second lookup and a later simulation as
// they were.
func TestLookupReturnsCopies(t *testing.T) {
	names := []string{"PCho", "PCh", "Glu", "Cr", "Lac", "GPC"}
	for _, m := range PhantomMetabolites {
		names = append(names, m.Name)
	}
	q := Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}
	for _, name := range names {
		before, ok := Lookup(name)
		if !ok {
			t.Fatalf("%s: not found", name)
		}
		want := snapshot(t, before)
		fidBefore, err := FID(before, q, 63.87, 0.0005, 64, 0)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := Lookup(name)
		for gi := range got.Groups {
			g := &got.Groups[gi]
			for i := range g.Shifts {
				g.Shifts[i] += 1
			}
			for i := range g.J {
				g.J[i].Hz = 99
			}
			for i := range g.Hetero {
				for k := range g.Hetero[i].J {
					g.Hetero[i].J[k] = 50
				}
			}
			g.Scale = 7
		}
		again, _ := Lookup(name)
		if s := snapshot(t, again); s != want {
			t.Errorf("%s: a second Lookup after changing the first's result gives %s, want %s", name, s, want)
		}
		for _, table := range [][]Metabolite{Metabolites, PhantomMetabolites} {
			for _, m := range table {
				if m.Name == again.Name && snapshot(t, m) != want {
					t.Errorf("%s: the table's entry changed: %s", name, snapshot(t, m))
				}
			}
		}
		fidAfter, err := FID(again, q, 63.87, 0.0005, 64, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(fidBefore, fidAfter) {
			t.Errorf("%s: the simulation changed after a caller changed a looked-up copy", name)
		}
	}
	for _, set := range [][]Broad{LCModelMacromolecules, LCModelLipids} {
		for _, b := range set {
			want := snapshot(t, b)
			got, ok := LookupBroad(b.Name)
			if !ok {
				t.Fatalf("%s: not found", b.Name)
			}
			for i := range got.Lines {
				got.Lines[i].PPM, got.Lines[i].Protons = 9, 0
			}
			if again, _ := LookupBroad(b.Name); snapshot(t, again) != want {
				t.Errorf("%s: a second LookupBroad gives %s, want %s", b.Name, snapshot(t, again), want)
			}
		}
	}
}
