package basis

import (
	"math/cmplx"
	"path/filepath"
	"slices"
	"testing"

	"glusleep/mrs/sim"
)

// Build adds the broad components asked for, and a one-proton reference
// singlet whose first point adds exactly 1 (one proton = 1; an ideal pulse
// sequence refocuses a singlet fully). The set writes as LCModel .BASIS and
// reads back.
func TestBuild(t *testing.T) {
	q := sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}
	r := Request{Sequence: q, MHz: 123.2, Dwell: 1.0 / 2000, Points: 512, Names: []string{"Cr"}, Macromolecules: true}
	plain, err := Build(r)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(plain.Names, []string{"Cr", "MM09", "MM12", "MM14", "MM17", "MM20"}) {
		t.Errorf("names %v", plain.Names)
	}
	zero := 0.0
	r.ReferencePPM = &zero
	withRef, err := Build(r)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmplx.Abs(withRef.FIDs[0][0] - plain.FIDs[0][0]); d < 1-1e-9 || d > 1+1e-9 {
		t.Errorf("reference singlet adds %g at t = 0, want 1", d)
	}
	path := filepath.Join(t.TempDir(), "x.BASIS")
	if err := withRef.WriteLCModel(path); err != nil {
		t.Fatal(err)
	}
	back, err := Read(path)
	if err != nil || !slices.Equal(back.Names, withRef.Names) || back.Points() != 512 {
		t.Errorf("read back: %v %+v", err, back)
	}
	for _, bad := range []Request{{Sequence: q, MHz: 0, Dwell: 1e-3, Points: 8}, {Sequence: q, MHz: 100, Dwell: 1e-3}} {
		if _, err := Build(bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
