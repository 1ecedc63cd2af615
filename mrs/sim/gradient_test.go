package sim

import (
	"encoding/json"
	"fmt"
	"math/cmplx"
	"os"
	"testing"
)

// TestAgainstGradientAveraging compares FIDs of weakly and strongly coupled
// two- and three-spin systems through PRESS, STEAM (two TE/TM pairs, one
// with zero-quantum coherence surviving the mixing time) and semi-LASER,
// at 1.5 T and 3 T, with testdata/denmat_ref.json: an independent
// simulation (testdata/make_denmat_ref.py, numpy/scipy) that propagates the
// full density matrix with matrix exponentials and crushes unwanted
// coherences by averaging explicit gradient phases over positions, where
// mrs/sim diagonalises the Hamiltonian once and projects coherence orders.
// Every sample must agree within 1e-6 (the FIDs are of order 1).
func TestAgainstGradientAveraging(t *testing.T) {
	b, err := os.ReadFile("testdata/denmat_ref.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []struct {
			Name      string
			Shifts    []float64
			Couplings [][3]float64
			MHz       float64
			Sequence  struct {
				Kind             string
				TE1, TE2, TE, TM float64
			}
			Dwell float64
			FIDRe []float64 `json:"fid_re"`
			FIDIm []float64 `json:"fid_im"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) != 24 {
		t.Fatalf("%d reference cases, want 24", len(ref.Cases))
	}
	overall := 0.0
	for _, c := range ref.Cases {
		g := Group{Shifts: c.Shifts}
		for _, j := range c.Couplings {
			g.J = append(g.J, Coupling{int(j[0]), int(j[1]), j[2]})
		}
		q := Sequence{Kind: c.Sequence.Kind, TE1: c.Sequence.TE1, TE2: c.Sequence.TE2, TE: c.Sequence.TE, TM: c.Sequence.TM}
		label := fmt.Sprintf("%s %.2f MHz %s TE %.0f ms", c.Name, c.MHz, q.Kind, 1000*q.EchoTime())
		fid, err := FID(Metabolite{Name: c.Name, Groups: []Group{g}}, q, c.MHz, c.Dwell, len(c.FIDRe), 0)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		worst := 0.0
		for k := range fid {
			want := complex(c.FIDRe[k], c.FIDIm[k])
			worst = max(worst, cmplx.Abs(fid[k]-want))
		}
		overall = max(overall, worst)
		if worst > 1e-6 {
			t.Errorf("%s: largest difference %.2g from the gradient-averaged reference", label, worst)
		}
	}
	t.Logf("%d cases, largest difference %.2g", len(ref.Cases), overall)
}
