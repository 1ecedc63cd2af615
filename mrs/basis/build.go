package basis

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"

	"glusleep/internal/atomicfile"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/sim"
)

// Request describes a basis set to simulate, as `glusleep mrs basis`
// takes it.
type Request struct {
	// Sequence is the localisation sequence (echo and mixing times in s).
	Sequence sim.Sequence
	// MHz is the spectrometer frequency, Dwell the sampling interval in s
	// and Points the number of points.
	MHz, Dwell float64
	Points     int
	// Names are the metabolites; empty selects every one sim knows.
	Names []string
	// Macromolecules and Lipids add LCModel's broad components (MM09 …
	// MM20; Lip09, Lip13a, Lip13b, Lip20).
	Macromolecules, Lipids bool
	// ReferencePPM, when not nil, adds a one-proton singlet at this shift
	// (ppm, e.g. 0 for DSS) to every entry as a scaling reference.
	ReferencePPM *float64
	// LikeAcquisition is set by Like: the acquisition of the file read,
	// whose Sources say which values came from elsewhere than its header
	// ("assumed" marks a value the reader supposed).
	LikeAcquisition *mrsio.Acquisition
}

// Build simulates the set r describes.
func Build(r Request) (*Set, error) {
	if math.IsNaN(r.MHz) || !(r.MHz > 0) || !(r.Dwell > 0) || r.Points <= 0 {
		return nil, fmt.Errorf("basis: frequency %g MHz, dwell %g s and %d points: want all positive", r.MHz, r.Dwell, r.Points)
	}
	names := append([]string(nil), r.Names...)
	if (r.Macromolecules || r.Lipids) && len(names) == 0 {
		for _, m := range sim.Metabolites {
			names = append(names, m.Name)
		}
	}
	for _, add := range []struct {
		on   bool
		comp []sim.Broad
	}{{r.Macromolecules, sim.LCModelMacromolecules}, {r.Lipids, sim.LCModelLipids}} {
		for _, c := range add.comp {
			if add.on && !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
		}
	}
	set, err := Simulate(r.Sequence, r.MHz, r.Dwell, r.Points, names)
	if err != nil {
		return nil, err
	}
	set.Source = fmt.Sprintf("glusleep %s, %.6g MHz", r.Sequence.Describe(), r.MHz)
	if r.ReferencePPM == nil {
		return set, nil
	}
	if v := *r.ReferencePPM; math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("basis: reference singlet at %g ppm", v)
	}
	one := sim.Metabolite{Name: "reference", Groups: []sim.Group{{Shifts: []float64{*r.ReferencePPM}}}}
	rf, err := sim.FID(one, r.Sequence, r.MHz, r.Dwell, r.Points, 0)
	if err != nil {
		return nil, err
	}
	for _, f := range set.FIDs {
		for k := range f {
			f[k] += rf[k]
		}
	}
	set.Source += fmt.Sprintf(", one-proton reference singlet at %g ppm", *r.ReferencePPM)
	return set, nil
}

// WriteLCModel writes the set as an LCModel .BASIS file at path
// (atomically), with the set's Source as its identifier.
func (s *Set) WriteLCModel(path string) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return atomicfile.Write(path, 0o644, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := lcmodel.WriteBasis(bw, s.Source, s.Params, s.Names, s.FIDs); err != nil {
			return err
		}
		return bw.Flush()
	})
}
