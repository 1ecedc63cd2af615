package sim

import (
	"math"
	"math/cmplx"
	"testing"
)

// An uncoupled singlet's signal at t = 0 equals its proton count; Cr has
// 3 + 2 protons (closed form).
func TestSingletArea(t *testing.T) {
	for _, c := range []struct {
		name string
		want float64
	}{{"Cr", 5}, {"sIns", 6}, {"Gly", 2}} {
		m, _ := Lookup(c.name)
		for _, q := range []Sequence{{Kind: "pulse-acquire"}, {Kind: "press", TE1: 0.011, TE2: 0.019}, {Kind: "slaser", TE: 0.03}} {
			fid, err := FID(m, q, 123.2, 0.00025, 16, 0)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(real(fid[0])-c.want) > 1e-9 || math.Abs(imag(fid[0])) > 1e-9 {
				t.Errorf("%s %s: FID(0) = %v, want %g", c.name, q.Kind, fid[0], c.want)
			}
		}
	}
	m, _ := Lookup("Cr")
	fid, _ := FID(m, Sequence{Kind: "steam", TE: 0.02, TM: 0.01}, 123.2, 0.00025, 4, 0)
	if math.Abs(real(fid[0])-2.5) > 1e-9 || math.Abs(imag(fid[0])) > 1e-9 {
		t.Errorf("STEAM Cr FID(0) = %v, want 2.5 (half the signal: stimulated echo)", fid[0])
	}
}

// A singlet at δ ppm precesses at +(δ − 4.65)·f0 Hz (NIfTI-MRS convention).
func TestSingletFrequency(t *testing.T) {
	m := Metabolite{Name: "x", Groups: []Group{singlet(2.0, 1)}}
	fid, _ := FID(m, Sequence{Kind: "pulse-acquire"}, 100, 0.001, 2, 0)
	want := cmplx.Exp(complex(0, 2*math.Pi*(2.0-4.65)*100*0.001))
	if cmplx.Abs(fid[1]-want) > 1e-9 {
		t.Errorf("FID(dwell) = %v, want %v", fid[1], want)
	}
}

// A weakly coupled AX system (Δν ≫ J) under a PRESS spin echo: the in-phase
// signal at the echo top is 2·cos(π·J·TE) (textbook J modulation). Hard
// 180° pulses flip both spins, so J keeps evolving through them: the same
// holds for PRESS with unequal TE1/TE2 and for semi-LASER's four refocusing
// pulses.
func TestAXModulation(t *testing.T) {
	const j = 7.0 // Hz; A at 1.3 ppm and X at 4.1 ppm are 8400 Hz apart at 3000 MHz (J/Δν < 0.001)
	m := Metabolite{Name: "AX", Groups: []Group{{Shifts: []float64{1.3, 4.1}, J: []Coupling{{0, 1, j}}}}}
	for _, te := range []float64{0.02, 0.0714, 0.1, 1 / j, 0.2, 0.288} {
		for _, q := range []Sequence{
			{Kind: "press", TE1: te / 2, TE2: te / 2},
			{Kind: "press", TE1: te / 4, TE2: 3 * te / 4},
			{Kind: "slaser", TE: te},
		} {
			fid, err := FID(m, q, 3000, 0.0002, 2, 0)
			if err != nil {
				t.Fatal(err)
			}
			want := 2 * math.Cos(math.Pi*j*te)
			if math.Abs(real(fid[0])-want) > 0.01 {
				t.Errorf("%s TE1 %.4f TE %.4f s: in-phase signal %.4f, want %.4f", q.Kind, q.TE1, te, real(fid[0]), want)
			}
		}
	}
}

func TestBasisUnknownName(t *testing.T) {
	if _, _, err := Basis(Sequence{Kind: "press", TE1: 0.01, TE2: 0.02}, 63.87, 0.0004, 64, []string{"NAA", "Unobtanium"}); err == nil {
		t.Error("unknown metabolite accepted")
	}
	if _, _, err := Basis(Sequence{Kind: "spin-lock"}, 63.87, 0.0004, 64, nil); err == nil {
		t.Error("unknown sequence accepted")
	}
}

// BenchmarkPRESSBasis simulates the full basis (20 metabolites, PRESS TE
// 30 ms, 2048 points at 1.5 T) as `glusleep mrs basis` does, every time
// (the memo of FIDs is emptied first).
func BenchmarkPRESSBasis(b *testing.B) {
	for b.Loop() {
		memo.Lock()
		memo.fids, memo.order, memo.samples = nil, nil, 0
		memo.Unlock()
		if _, _, err := Basis(Sequence{Kind: "press", TE1: 0.011, TE2: 0.019}, 63.87, 0.0004, 2048, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// A proton coupled to a spin-½ heteronucleus (31P, J Hz) splits into a
// doublet, FID(t) = e^{2πiνt}·cos(πJt); to a spin-1 nucleus (14N) into a
// 1:1:1 triplet, FID(t) = e^{2πiνt}·(1 + 2cos(2πJt))/3. A PRESS echo leaves
// the splitting (the 1H pulses do not touch the other nucleus) and
// refocuses its evolution: FID(0) stays 1. Closed forms.
func TestHeteronuclearCoupling(t *testing.T) {
	const j, mhz, dwell = 7.0, 100.0, 0.01
	nu := (2.0 - 4.65) * mhz
	for _, c := range []struct {
		h    Hetero
		want func(t float64) float64
	}{
		{Hetero{"31P", 0.5, []float64{j}}, func(t float64) float64 { return math.Cos(math.Pi * j * t) }},
		{Hetero{"14N", 1, []float64{j}}, func(t float64) float64 { return (1 + 2*math.Cos(2*math.Pi*j*t)) / 3 }},
	} {
		m := Metabolite{Name: "x", Groups: []Group{{Shifts: []float64{2.0}, Hetero: []Hetero{c.h}}}}
		for _, q := range []Sequence{{Kind: "pulse-acquire"}, {Kind: "press", TE1: 0.011, TE2: 0.019}} {
			fid, err := FID(m, q, mhz, dwell, 8, 0)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range fid {
				tk := float64(k) * dwell
				want := complex(c.want(tk), 0) * cmplx.Exp(complex(0, 2*math.Pi*nu*tk))
				if cmplx.Abs(v-want) > 1e-9 {
					t.Errorf("%s %s: FID(%g s) = %v, want %v", c.h.Nucleus, q.Kind, tk, v, want)
				}
			}
		}
	}
	bad := Metabolite{Name: "y", Groups: []Group{{Shifts: []float64{2.0, 3.0}, Hetero: []Hetero{{"31P", 0.5, []float64{7}}}}}}
	if _, err := FID(bad, Sequence{Kind: "pulse-acquire"}, mhz, dwell, 4, 0); err == nil {
		t.Error("coupling list shorter than the group: no error")
	}
}

// Other tools' names find glusleep's spin systems (LCModel's PCh and
// Scyllo, Osprey's mI); the phantom compound acetate is known but not in
// the default basis.
func TestLookupAliases(t *testing.T) {
	for in, want := range map[string]string{"PCh": "PCho", "Scyllo": "sIns", "mI": "Ins", "Ace": "Ace"} {
		m, ok := Lookup(in)
		if !ok || m.Name != want {
			t.Errorf("Lookup(%s) = %s, %v; want %s", in, m.Name, ok, want)
		}
	}
	for _, m := range Metabolites {
		if m.Name == "Ace" {
			t.Error("acetate is in the default brain basis")
		}
	}
}
