package fit

import (
	"fmt"

	"glusleep/mrs"
	"glusleep/mrs/sim"
)

// WithBroad returns names and FIDs extended by the macromolecule or lipid
// components not already in the basis (by name), each as long as the
// basis FIDs, for parameters p.
func WithBroad(names []string, fids [][]complex128, p mrs.Params, comps []sim.Broad) ([]string, [][]complex128, error) {
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	names = append([]string(nil), names...)
	fids = append([][]complex128(nil), fids...)
	if len(fids) == 0 {
		return nil, nil, fmt.Errorf("fit: cannot add %d macromolecule/lipid components to an empty basis", len(comps))
	}
	n := len(fids[0])
	for _, c := range comps {
		if have[c.Name] {
			continue
		}
		fid, err := c.FID(p.SpectrometerFrequency, p.Dwell, n, p.Central())
		if err != nil {
			return nil, nil, err
		}
		names = append(names, c.Name)
		fids = append(fids, fid)
	}
	return names, fids, nil
}

// PrepareBasis completes a basis for in-vivo fitting as LCModel does: it
// adds LCModel's simulated macromolecules (sim.LCModelMacromolecules) when
// the basis has no macromolecule component (names starting MM or Mac), and
// the lipid components (sim.LCModelLipids) when lipids is true. p gives the
// frequency and dwell.
func PrepareBasis(names []string, fids [][]complex128, p mrs.Params, lipids bool) ([]string, [][]complex128, error) {
	hasMM := false
	for _, n := range names {
		hasMM = hasMM || DefaultGroup(n) == 1
	}
	var extra []sim.Broad
	if lipids {
		extra = append(extra, sim.LCModelLipids...)
	}
	if !hasMM {
		extra = append(extra, sim.LCModelMacromolecules...)
	}
	return WithBroad(names, fids, p, extra)
}
