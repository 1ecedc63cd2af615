package sim

import (
	"math"
	"math/cmplx"
	"testing"
)

// A group is simulated as the connected components of its couplings, and
// identical components once (components): the result must equal the
// whole group's simulation as one spin system (groupLines) within
// rounding, for uncoupled equivalent protons, two disjoint coupled pairs
// beside a singlet, and a coupled group with heteronuclei coupled to one
// part only.
func TestComponentsExact(t *testing.T) {
	pcho, _ := Lookup("PCho")
	het := pcho.Groups[1]
	// Copies: Lookup's groups share their slices with Metabolites.
	het.Shifts = append(append([]float64(nil), het.Shifts...), 2.5)
	het.Hetero = append([]Hetero(nil), het.Hetero...)
	for i := range het.Hetero {
		het.Hetero[i].J = append(append([]float64(nil), het.Hetero[i].J...), 0)
	}
	for _, c := range []struct {
		name string
		g    Group
	}{
		{"six equivalent protons", singlet(3.34, 6)},
		{"two AB pairs and a singlet", Group{Shifts: []float64{2.1, 2.14, 3.0, 3.9, 1.3},
			J: []Coupling{{0, 1, 12}, {2, 3, 7}, {1, 4, 0}}}},
		{"PCho's CH2 groups and an uncoupled proton, 14N and 31P on the first", het},
	} {
		for _, q := range []Sequence{{Kind: "press", TE1: 0.011, TE2: 0.019}, {Kind: "steam", TE: 0.02, TM: 0.01}} {
			const mhz = 123.2
			split, err := q.lines(c.g, mhz, 4.65)
			if err != nil {
				t.Fatal(err)
			}
			off := make([]float64, len(c.g.Shifts))
			for i, s := range c.g.Shifts {
				off[i] = (s - 4.65) * mhz
			}
			whole, err := q.heteroLines(c.g, off, c.g.Hetero)
			if err != nil {
				t.Fatal(err)
			}
			a, b := make([]complex128, 512), make([]complex128, 512)
			sample(a, mergeLines(split), 0.00025)
			sample(b, mergeLines(whole), 0.00025)
			worst, top := 0.0, 0.0
			for k := range a {
				worst = math.Max(worst, cmplx.Abs(a[k]-b[k]))
				top = math.Max(top, cmplx.Abs(b[k]))
			}
			if worst > 1e-12*top {
				t.Errorf("%s, %s: split and whole differ by %.2g (largest sample %.3g)", c.name, q.Kind, worst, top)
			}
		}
	}
}

// The sampled FID equals the direct sum Σ aₖ·exp(2πi·fₖ·t) of the
// simulated lines, evaluated with exact exponentials, within 1e-7 of its
// largest value. Lines merged only within rounding (mergeTolHz) keep that;
// merging lines within 1e-4 Hz, as glusleep once did, puts Glc and Ins at
// 7 T through STEAM TE 143 ms off by 4e-6 to 1.3e-5, because some of
// their distinct transitions lie 2e-5 to 1e-4 Hz apart. (What remains,
// about 1e-9, is the lines below 1e-9 that FID leaves out.)
func TestSamplingMatchesDirectSum(t *testing.T) {
	q := Sequence{Kind: "steam", TE: 0.143, TM: 0.0137}
	const mhz, dwell, n = 297.2, 0.00025, 2048
	for _, name := range []string{"Glc", "Ins", "PE"} {
		m, _ := Lookup(name)
		fid, err := FID(m, q, mhz, dwell, n, 0)
		if err != nil {
			t.Fatal(err)
		}
		var ls []line
		for _, g := range m.Groups {
			l, err := q.lines(g, mhz, 4.65)
			if err != nil {
				t.Fatal(err)
			}
			ls = append(ls, l...)
		}
		worst, top := 0.0, 0.0
		for k := 0; k < n; k += 61 {
			var z complex128
			tk := float64(k) * dwell
			for _, l := range ls {
				z += l.amp * cmplx.Exp(complex(0, 2*math.Pi*l.freq*tk))
			}
			worst = math.Max(worst, cmplx.Abs(fid[k]-z))
			top = math.Max(top, cmplx.Abs(z))
		}
		if worst > 1e-7*top {
			t.Errorf("%s: FID differs from the direct sum of its %d lines by %.2g (largest %.3g)", name, len(ls), worst, top)
		}
	}
}

// A repeated FID comes from the memo: equal to a fresh simulation, a copy
// the caller may change, and the memo keeps within MemoSamples.
func TestFIDMemo(t *testing.T) {
	m, _ := Lookup("Glu")
	q := Sequence{Kind: "press", TE1: 0.011, TE2: 0.019}
	a, err := FID(m, q, 123.2, 0.00025, 1024, 0)
	if err != nil {
		t.Fatal(err)
	}
	a0 := a[0]
	a[0] = 99
	b, _ := FID(m, q, 123.2, 0.00025, 1024, 4.65)
	if b[0] != a0 {
		t.Errorf("memorised FID(0) %v, want %v (changing a result must not change the memo)", b[0], a0)
	}
	// The same simulation bypassing the memo.
	fresh := make([]complex128, 1024)
	for _, g := range m.Groups {
		ls, _ := q.lines(g, 123.2, 4.65)
		sample(fresh, mergeLines(ls), 0.00025)
	}
	for k := range fresh {
		if b[k] != fresh[k] {
			t.Fatalf("memorised FID differs from a fresh simulation at %d: %v, %v", k, b[k], fresh[k])
		}
	}
	// Other points, dwell or sequence are other entries.
	if c, _ := FID(m, Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}, 123.2, 0.00025, 1024, 0); c[100] == b[100] {
		t.Error("a different sequence gave the memorised FID")
	}
	for i := 0; i < 40; i++ {
		FID(Metabolite{Name: "s", Groups: []Group{singlet(2+0.01*float64(i), 1)}}, q, 123.2, 0.00025, MemoSamples/16, 0)
	}
	memo.Lock()
	defer memo.Unlock()
	if memo.samples > MemoSamples || len(memo.order) != len(memo.fids) {
		t.Errorf("memo holds %d samples in %d entries (%d listed), bound %d", memo.samples, len(memo.fids), len(memo.order), MemoSamples)
	}
}
