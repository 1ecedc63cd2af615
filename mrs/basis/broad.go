package basis

import (
	"fmt"
	"math"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/sim"
)

// IsMacromolecule reports whether a basis entry name is a macromolecule
// component (names starting MM or Mac, any case of the first letter).
func IsMacromolecule(name string) bool {
	for _, p := range []string{"MM", "Mac", "mm", "mac"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// IsLipid reports whether a basis entry name is a lipid component (names
// starting Lip or lip).
func IsLipid(name string) bool {
	return strings.HasPrefix(name, "Lip") || strings.HasPrefix(name, "lip")
}

// WithBroad returns a copy of s extended by the macromolecule or lipid
// components comps it does not already hold (by name), each as long as the
// set's FIDs, on the set's frequency and dwell, and in the set's units:
// multiplied by its ProtonScale when that is known, so a component's
// amplitude means the same number of protons as a metabolite's.
func (s *Set) WithBroad(comps []sim.Broad) (*Set, error) {
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("cannot add %d macromolecule/lipid components: %w", len(comps), err)
	}
	out := *s
	out.Names = append([]string(nil), s.Names...)
	out.FIDs = append([][]complex128(nil), s.FIDs...)
	have := map[string]bool{}
	for _, n := range s.Names {
		have[n] = true
	}
	for _, c := range comps {
		if have[c.Name] {
			continue
		}
		fid, err := c.FID(s.Params.SpectrometerFrequency, s.Params.Dwell, s.Points(), s.Params.Central())
		if err != nil {
			return nil, err
		}
		if k := s.ProtonScale; k > 0 && k != 1 {
			for j := range fid {
				fid[j] *= complex(k, 0)
			}
		}
		out.Names = append(out.Names, c.Name)
		out.FIDs = append(out.FIDs, fid)
	}
	return &out, nil
}

// Prepare completes a set for in-vivo fitting as LCModel does: it adds
// LCModel's simulated macromolecules (sim.LCModelMacromolecules) when the
// set has no macromolecule component, and the lipid components
// (sim.LCModelLipids) when lipids is true.
func (s *Set) Prepare(lipids bool) (*Set, error) {
	hasMM := false
	for _, n := range s.Names {
		hasMM = hasMM || IsMacromolecule(n)
	}
	var extra []sim.Broad
	if lipids {
		extra = append(extra, sim.LCModelLipids...)
	}
	if !hasMM {
		extra = append(extra, sim.LCModelMacromolecules...)
	}
	return s.WithBroad(extra)
}

// MeasureProtonScale returns the signal (FID at t = 0) of one proton at
// the concentration a basis spectrum stands for, measured on a singlet of
// known proton count: the CH3 of creatine (3.027 ppm, 3 protons) or else
// of NAA (2.008 ppm, 3 protons), integrated over ±0.1 ppm of the real
// spectrum, and says which singlet it used. Sets glusleep simulates have a
// proton scale of 1 by construction; LCModel-format sets carry no such
// statement, so it is measured.
func (s *Set) MeasureProtonScale() (float64, string, error) {
	for _, c := range []struct {
		name string
		ppm  float64
	}{{"Cr", 3.027}, {"PCr", 3.029}, {"NAA", 2.008}} {
		for i, n := range s.Names {
			if n != c.name {
				continue
			}
			f := append([]complex128(nil), s.FIDs[i]...)
			f[0] *= 0.5
			spec := mrs.Spectrum(f)
			ax := s.Params.PPMAxis(len(spec))
			sum := 0.0
			for j, v := range ax {
				if math.Abs(v-c.ppm) <= 0.1 {
					sum += real(spec[j])
				}
			}
			// Σ over the spectrum of the first-point-halved FID equals
			// n·FID(0)/2 for the whole signal: the singlet's FID(0) share
			// is 2·sum/n.
			scale := 2 * sum / float64(len(spec)) / 3
			if scale > 0 {
				return scale, c.name + " CH3 singlet, 3 protons", nil
			}
		}
	}
	return 0, "", fmt.Errorf("basis %s: no Cr, PCr or NAA singlet to calibrate its proton scale", s.Source)
}
