package basis

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/sim"
)

// Match refuses a set made for another dwell time, frequency or a shorter
// FID, naming both values, and accepts the same grid (and a longer basis).
func TestMatch(t *testing.T) {
	s := &Set{Names: []string{"Cr"}, FIDs: [][]complex128{make([]complex128, 1024)}, Source: "b.BASIS",
		Params: mrs.Params{Dwell: 0.00025, SpectrometerFrequency: 123.2}}
	for _, c := range []struct {
		name  string
		p     mrs.Params
		n     int
		wants string // "" accepts
	}{
		{"same grid", mrs.Params{Dwell: 0.00025, SpectrometerFrequency: 123.2}, 1024, ""},
		{"shorter data", mrs.Params{Dwell: 0.00025, SpectrometerFrequency: 123.2}, 512, ""},
		{"frequency within 1e-3", mrs.Params{Dwell: 0.00025, SpectrometerFrequency: 123.25}, 1024, ""},
		{"other dwell", mrs.Params{Dwell: 0.0005, SpectrometerFrequency: 123.2}, 1024, "dwell 0.00025 s, data 0.0005 s"},
		{"1.5 T data", mrs.Params{Dwell: 0.00025, SpectrometerFrequency: 63.87}, 1024, "123.2 MHz, data acquired at 63.87 MHz"},
		{"another vendor's 3 T", mrs.Params{Dwell: 0.00025, SpectrometerFrequency: 127.7}, 1024, "127.7 MHz"},
		{"longer data", mrs.Params{Dwell: 0.00025, SpectrometerFrequency: 123.2}, 2048, "1024 points, data 2048"},
	} {
		err := s.Match(c.p, c.n)
		if c.wants == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), c.wants) || !strings.Contains(err.Error(), "b.BASIS") {
			t.Errorf("%s: %v; want ErrMismatch naming the basis and %q", c.name, err, c.wants)
		}
	}
}

// Simulating the same set twice gives the same bits (outputs must be
// reproducible byte for byte).
func TestSimulateReproducible(t *testing.T) {
	q := sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}
	names := []string{"Glu", "Gln", "GABA", "GSH", "Ins"}
	a, err := Simulate(q, 63.87, 1.0/2500, 512, names)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 3; k++ {
		b, _ := Simulate(q, 63.87, 1.0/2500, 512, names)
		for i := range a.FIDs {
			for j := range a.FIDs[i] {
				if a.FIDs[i][j] != b.FIDs[i][j] {
					t.Fatalf("%s point %d: %v then %v", a.Names[i], j, a.FIDs[i][j], b.FIDs[i][j])
				}
			}
		}
	}
}

// A simulated Source makes one set per acquisition, shared by concurrent
// callers, with the sequence of the header: STEAM data get a STEAM set.
// Its singlets have the closed-form FID(0) of their proton count (Cr 3 + 2
// under PRESS; half under STEAM's stimulated echo).
func TestSourceSimulates(t *testing.T) {
	src, err := NewSource("", true)
	if err != nil {
		t.Fatal(err)
	}
	press := mrs.Params{SpectrometerFrequency: 63.8702, Dwell: 1.0 / 2500, EchoTime: 0.030, Sequence: "PRESS"}
	steam := mrs.Params{SpectrometerFrequency: 63.8702, Dwell: 1.0 / 2500, EchoTime: 0.020, MixingTime: 0.010, Sequence: "STEAM"}
	sets := make([]*Set, 8)
	var wg sync.WaitGroup
	for i := range sets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := press
			if i%2 == 1 {
				p = steam
			}
			sets[i], _ = src.For(p, 256)
		}()
	}
	wg.Wait()
	for i, s := range sets {
		if s == nil || s != sets[i%2] {
			t.Fatalf("call %d: set %p, want the shared %p", i, s, sets[i%2])
		}
	}
	for i, c := range []struct {
		source string
		cr     float64
	}{{"simulated PRESS TE1 15 ms, TE2 15 ms, 63.87 MHz", 5}, {"simulated STEAM TE 20 ms, TM 10 ms, 63.87 MHz", 2.5}} {
		s := sets[i]
		// The proton scale is the signal per proton: Cr's FID(0) over its
		// 5 protons (1 for PRESS, ½ for STEAM's stimulated echo).
		if s.Source != c.source || math.Abs(s.ProtonScale-c.cr/5) > 1e-9 {
			t.Errorf("set %d: source %q, proton scale %g; want %q, %g", i, s.Source, s.ProtonScale, c.source, c.cr/5)
		}
		if cr := real(s.FIDs[0][0]); s.Names[0] != "Ala" || math.Abs(real(s.FIDs[indexOf(s.Names, "Cr")][0])-c.cr) > 1e-9 {
			t.Errorf("set %d: first %s %g, Cr FID(0) %g, want %g", i, s.Names[0], cr, real(s.FIDs[indexOf(s.Names, "Cr")][0]), c.cr)
		}
		if indexOf(s.Names, "Lip13a") < 0 || indexOf(s.Names, "MM09") < 0 {
			t.Errorf("set %d lacks lipids or macromolecules: %v", i, s.Names)
		}
	}
	if _, err := src.For(mrs.Params{SpectrometerFrequency: 63.87, Dwell: 1.0 / 2500}, 256); err == nil || !strings.Contains(err.Error(), "echo time") {
		t.Errorf("no TE: %v", err)
	}
}

func indexOf(names []string, n string) int {
	for i, m := range names {
		if m == n {
			return i
		}
	}
	return -1
}

// A basis simulated for a data file's header (here a 3 T STEAM
// acquisition), completed with LCModel's macromolecules: the Source a
// pipeline asks for each spectrum's basis.
func ExampleSource() {
	src, err := NewSource("", false) // "" simulates; a path reads a .BASIS file or folder
	if err != nil {
		fmt.Println(err)
		return
	}
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025, EchoTime: 0.020, MixingTime: 0.010, Sequence: "STEAM"}
	s, err := src.For(p, 1024)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Source)
	fmt.Println(s.Points(), "points;", s.Match(p, 1024))
	fmt.Printf("Cr FID(0) %.2f (5 protons, half of them in STEAM's stimulated echo)\n", real(s.FIDs[indexOf(s.Names, "Cr")][0]))
	// Output:
	// simulated STEAM TE 20 ms, TM 10 ms, 123.2 MHz
	// 1024 points; <nil>
	// Cr FID(0) 2.50 (5 protons, half of them in STEAM's stimulated echo)
}

// Simulate makes a set for an explicit sequence; Prepare adds LCModel's
// macromolecule (and, on request, lipid) components.
func ExampleSimulate() {
	s, err := Simulate(sim.Sequence{Kind: "press", TE1: 0.011, TE2: 0.019}, 123.2, 0.00025, 512, []string{"NAA", "Cr"})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err = s.Prepare(true)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Names)
	// Output:
	// [NAA Cr Lip13a Lip13b Lip09 Lip20 MM09 MM12 MM14 MM17 MM20]
}
