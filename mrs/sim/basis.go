package sim

import (
	"fmt"
	"runtime"
	"sync"
)

// Basis simulates the named metabolites (every one in Metabolites when names
// is empty) through sequence q at mhz MHz and returns their FIDs of n points
// sampled every dwell seconds, in the order of names. Metabolites are
// simulated in parallel on all CPUs.
func Basis(q Sequence, mhz, dwell float64, n int, names []string) ([]string, [][]complex128, error) {
	var ms []Metabolite
	if len(names) == 0 {
		ms = Metabolites
	} else {
		for _, name := range names {
			m, ok := Lookup(name)
			if !ok {
				return nil, nil, fmt.Errorf("sim: no spin system for %q (known: %s)", name, known())
			}
			ms = append(ms, m)
		}
	}
	out := make([][]complex128, len(ms))
	errs := make([]error, len(ms))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, m := range ms {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = FID(m, q, mhz, dwell, n, 0)
		}()
	}
	wg.Wait()
	outNames := make([]string, len(ms))
	for i, m := range ms {
		if errs[i] != nil {
			return nil, nil, errs[i]
		}
		outNames[i] = m.Name
	}
	return outNames, out, nil
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
