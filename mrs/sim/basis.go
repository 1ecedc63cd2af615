package sim

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// Basis simulates the named metabolites (every one in Metabolites when names
// is empty) through sequence q at mhz MHz and returns their FIDs of n points
// sampled every dwell seconds, in the order of names. Metabolites are
// simulated in parallel on all CPUs.
//
// Names may also be LCModel macromolecule and lipid components (MM09,
// Lip13a, …; see LookupBroad). Those are parameterised lines, not spin
// systems: they are scaled as a one-proton singlet through q is (by ½ for
// STEAM's stimulated echo), so every entry's area stays in protons on the
// same scale.
func Basis(q Sequence, mhz, dwell float64, n int, names []string) ([]string, [][]complex128, error) {
	if len(names) == 0 {
		for _, m := range Metabolites {
			names = append(names, m.Name)
		}
	}
	// Each name is a spin system or, failing that, a broad component.
	ms := make([]Metabolite, len(names))
	broad := make([]*Broad, len(names))
	for i, name := range names {
		if m, ok := Lookup(name); ok {
			ms[i] = m
			continue
		}
		b, ok := LookupBroad(name)
		if !ok {
			return nil, nil, fmt.Errorf("sim: no spin system for %q (known: %s; macromolecules and lipids: %s)", name, known(), knownBroad())
		}
		broad[i] = &b
	}
	// A one-proton singlet through q scales the broad components.
	one, err := ProtonSignal(q, mhz, dwell)
	if err != nil {
		return nil, nil, err
	}
	out := make([][]complex128, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if broad[i] == nil {
				out[i], errs[i] = FID(ms[i], q, mhz, dwell, n, 0)
				return
			}
			out[i], errs[i] = broad[i].FID(mhz, dwell, n, 0)
			for k := range out[i] {
				out[i][k] *= complex(one, 0)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return append([]string(nil), names...), out, nil
}

func knownBroad() string {
	s := ""
	for _, set := range [][]Broad{LCModelMacromolecules, LCModelLipids} {
		for _, b := range set {
			if s != "" {
				s += ", "
			}
			s += b.Name
		}
	}
	return s
}

func known() string {
	s := ""
	for i, m := range Metabolites {
		if i > 0 {
			s += ", "
		}
		s += m.Name
	}
	return s
}

// ProtonSignal returns the signal one proton of an uncoupled singlet gives
// at the start of the FID after sequence q (basis units: 1 for ideal PRESS
// and semi-LASER, ½ for STEAM, whose stimulated echo keeps half the
// magnetisation) at mhz MHz and dwell seconds. It is the proton scale of
// a basis simulated through q, the factor water scaling needs.
func ProtonSignal(q Sequence, mhz, dwell float64) (float64, error) {
	one, err := FID(Metabolite{Name: "singlet", Groups: []Group{singlet(4.65, 1)}}, q, mhz, dwell, 1, 0)
	if err != nil {
		return 0, err
	}
	return real(one[0]), nil
}
