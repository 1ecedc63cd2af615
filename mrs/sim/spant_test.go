package sim

import (
	"math"
	"sort"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/format/lcmodel"
)

// TestAgainstSpantBasis compares the simulation with a second independent
// simulator: LCModel's 3 T test basis (../shared/data/mrs/lcmodel-test/
// 3t.basis, IDBASI 'SPANT'), made by spant's ideal-pulse PRESS simulation
// with its default TE1 = 10 ms, TE2 = 20 ms at 127.7861 MHz, 2000 Hz, 512
// points. spant takes its spin systems from Govindaraju et al. 2000 and the
// 2015 corrigendum, as we do, so every metabolite must correlate ≥ 0.99 over
// 0.2–4.2 ppm and have the same area per proton as Cr within 5%.
//
// spant gives molecules their own line widths and the file does not record
// them, so each metabolite's lineshape is the best Voigt on a 0–4 Hz grid
// (0.5 Hz steps); both spectra then get an extra 4 Hz Lorentzian. What is
// compared is the multiplet structure, which no lineshape can imitate.
func TestAgainstSpantBasis(t *testing.T) {
	t.Parallel()
	b, err := lcmodel.ReadBasisFile(shareddata.Path(t, "mrs/lcmodel-test/3t.basis"))
	if err != nil {
		t.Fatal(err)
	}
	p := b.Params()
	seq := Sequence{Kind: "press", TE1: 0.010, TE2: 0.020}
	const extraLW = 4.0 // Hz, applied to both
	type row struct {
		name             string
		corr, area, l, g float64
	}
	var rows []row
	var crArea float64
	for _, e := range b.Entries {
		name := e.Name
		if name == "PCh" { // spant's name for phosphocholine
			name = "PCho"
		}
		m, ok := Lookup(name)
		if !ok {
			t.Errorf("%s: no spin system for a metabolite of the spant basis", e.Name)
			continue
		}
		fid, err := FID(m, seq, p.SpectrometerFrequency, p.Dwell, len(e.FID), 0)
		if err != nil {
			t.Fatal(err)
		}
		theirs := broadenedSpectrum(e.FID, p, extraLW, 0, 0.2, 4.2)
		r := row{name: e.Name, corr: -1}
		for l := 0.0; l <= 4; l += 0.5 {
			for g := 0.0; g <= 4; g += 0.5 {
				if c := normCorr(broadenedSpectrum(fid, p, extraLW+l, g, 0.2, 4.2), theirs); c > r.corr {
					r.corr, r.l, r.g = c, l, g
				}
			}
		}
		r.area = sum(theirs) / sum(broadenedSpectrum(fid, p, extraLW+r.l, r.g, 0.2, 4.2))
		if e.Name == "Cr" {
			crArea = r.area
		}
		rows = append(rows, r)
	}
	if len(rows) < 17 || crArea == 0 {
		t.Fatalf("compared %d metabolites (Cr among them: %v), want the 17 of the spant basis", len(rows), crArea != 0)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].name < rows[j].name })
	for _, r := range rows {
		rel := r.area / crArea
		t.Logf("%-5s correlation %.4f  area/proton relative to Cr %.3f  (lineshape L %.1f Hz, G %.1f Hz)", r.name, r.corr, rel, r.l, r.g)
		if r.corr < 0.99 {
			t.Errorf("%s: correlation %.4f with the spant basis, want ≥ 0.99", r.name, r.corr)
		}
		if math.Abs(rel-1) > 0.05 {
			t.Errorf("%s: area per proton %.3f × Cr's, want 1 ± 0.05", r.name, rel)
		}
	}
}
