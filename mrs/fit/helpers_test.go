package fit

import (
	"glusleep/mrs"
	"glusleep/mrs/basis"
	"glusleep/mrs/sim"
)

// newSet wraps test basis FIDs made for the grid of p as a basis.Set.
func newSet(names []string, fids [][]complex128, p mrs.Params) *basis.Set {
	return &basis.Set{Names: names, FIDs: fids, Source: "test basis",
		Params: mrs.Params{Dwell: p.Dwell, SpectrometerFrequency: p.SpectrometerFrequency, Nucleus: "1H"}}
}

// withBroad adds broad components to test basis FIDs (basis.Set.WithBroad).
func withBroad(names []string, fids [][]complex128, p mrs.Params, comps []sim.Broad) ([]string, [][]complex128, error) {
	s, err := newSet(names, fids, p).WithBroad(comps)
	if err != nil {
		return nil, nil, err
	}
	return s.Names, s.FIDs, nil
}
