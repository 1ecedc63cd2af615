package sim

import (
	"slices"

	"glusleep/mrs/naming"
)

// Group is a set of coupled spins (protons) of a metabolite, simulated
// together; groups of one metabolite are independent of each other.
type Group struct {
	// Shifts are the chemical shifts of the spins in ppm.
	Shifts []float64
	// J lists the scalar couplings as (i, k, Hz) with 0-based spin indices.
	J []Coupling
	// Scale multiplies the group's signal (e.g. the fraction of an anomer).
	Scale float64
	// Hetero lists weak couplings of the group's protons to other nuclei
	// (31P, 14N), which 1H pulses leave alone.
	Hetero []Hetero
}

// Hetero is a nucleus other than 1H weakly coupled to protons of a group.
// Its spin state m (−S…S) never changes under 1H pulses, so each state
// offsets the coupled protons by J·m Hz; the group's signal is the
// average over the 2S+1 states.
type Hetero struct {
	// Nucleus names it, e.g. "31P" or "14N".
	Nucleus string
	// Spin is its spin quantum number S (1/2 for 31P, 1 for 14N).
	Spin float64
	// J holds the coupling in Hz to each proton of the group (0 for none);
	// len(J) equals the number of protons.
	J []float64
}

// Coupling is a scalar coupling between spins I and K in Hz.
type Coupling struct {
	I, K int
	Hz   float64
}

// Metabolite is a spin-system description.
type Metabolite struct {
	// Name as used in basis sets (LCModel/FSL-MRS names).
	Name string
	// Groups are the independent spin groups.
	Groups []Group
	// Source cites where the values come from.
	Source string
}

// Protons returns the number of protons simulated (weighted by Scale).
func (m Metabolite) Protons() float64 {
	n := 0.0
	for _, g := range m.Groups {
		s := g.Scale
		if s == 0 {
			s = 1
		}
		n += s * float64(len(g.Shifts))
	}
	return n
}

func singlet(ppm float64, protons int) Group {
	sh := make([]float64, protons)
	for i := range sh {
		sh[i] = ppm
	}
	return Group{Shifts: sh}
}

// rep returns n copies of v (magnetically equivalent protons, e.g. a CH3
// coupled to another spin; couplings within the group do not affect the
// spectrum).
func rep(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// couple3 couples each of the methyl protons 0..2 to spin k with j Hz.
func couple3(k int, j float64) []Coupling {
	return []Coupling{{0, k, j}, {1, k, j}, {2, k, j}}
}

const govindaraju = "Govindaraju V, Young K, Maudsley AA. Proton NMR chemical shifts and coupling constants for brain metabolites. NMR Biomed 2000;13:129–153 (Table 2)"

const govind2015 = "Govind V, Young K, Maudsley AA. Corrigendum: proton NMR chemical shifts and coupling constants for brain metabolites. NMR Biomed 2015;28:923–924 (with the 31P and 14N couplings)"

// Metabolites are the spin systems glusleep simulates. Chemical shifts
// (ppm) and couplings (Hz) are from Govindaraju et al. 2000 unless the
// Source says otherwise; exchangeable NH/OH protons are omitted, as in
// in-vivo basis sets. Equivalent methyl protons are listed explicitly when
// coupled (Lac, Ala), and as singlets otherwise.
var Metabolites = []Metabolite{
	{Name: "Ala", Source: govindaraju, Groups: []Group{{
		Shifts: append(rep(1.4667, 3), 3.7746), J: couple3(3, 7.234)}}},
	{Name: "Asc", Source: "Terpstra M, Marjanska M, Henry PG, Tkáč I, Gruetter R. Detection of an antioxidant profile in the human brain in vivo via double editing with MEGA-PRESS. Magn Reson Med 2006;56:1192–1199", Groups: []Group{{
		Shifts: []float64{4.4965, 4.0072, 3.7469, 3.7194},
		J:      []Coupling{{0, 1, 2.055}, {1, 2, 5.78}, {1, 3, 7.373}, {2, 3, -11.585}}}}},
	{Name: "Asp", Source: govindaraju, Groups: []Group{{
		Shifts: []float64{3.8914, 2.8011, 2.6533},
		J:      []Coupling{{0, 1, 3.647}, {0, 2, 9.107}, {1, 2, -17.426}}}}},
	{Name: "Cr", Source: govindaraju, Groups: []Group{singlet(3.0270, 3), singlet(3.9130, 2)}},
	{Name: "PCr", Source: govindaraju, Groups: []Group{singlet(3.0290, 3), singlet(3.9300, 2)}},
	{Name: "GABA", Source: "Kaiser LG, Young K, Meyerhoff DJ, Mueller SG, Matson GB. A detailed analysis of localized J-difference GABA editing. NMR Biomed 2008;21:22–32 (revised GABA shifts and couplings; Govindaraju 2000 earlier)",
		Groups: []Group{{
			Shifts: []float64{3.0128, 3.0128, 1.8890, 1.8890, 2.2840, 2.2840},
			J: []Coupling{{0, 2, 5.372}, {0, 3, 10.578}, {1, 2, 7.127}, {1, 3, 6.982}, {2, 4, 7.755}, {2, 5, 6.173},
				{3, 4, 7.432}, {3, 5, 7.933}, {0, 1, -12.021}, {2, 3, -13.121}, {4, 5, -10.744}}}}},
	{Name: "Glc", Source: govindaraju + "; anomers 0.36 α : 0.64 β as in the ISMRM 2016 fitting challenge",
		Groups: []Group{
			{Scale: 0.36, Shifts: []float64{5.216, 3.519, 3.698, 3.395, 3.822, 3.826, 3.749},
				J: []Coupling{{0, 1, 3.8}, {1, 2, 9.6}, {2, 3, 9.4}, {3, 4, 9.9}, {4, 5, 1.5}, {4, 6, 6.0}, {5, 6, -12.1}}},
			{Scale: 0.64, Shifts: []float64{4.630, 3.230, 3.473, 3.387, 3.450, 3.882, 3.707},
				J: []Coupling{{0, 1, 8.0}, {1, 2, 9.1}, {2, 3, 9.4}, {3, 4, 8.9}, {4, 5, 1.6}, {4, 6, 5.4}, {5, 6, -12.3}}},
		}},
	{Name: "Gln", Source: govindaraju, Groups: []Group{{
		Shifts: []float64{3.7530, 2.1290, 2.1090, 2.4320, 2.4540},
		J: []Coupling{{0, 1, 5.847}, {0, 2, 6.500}, {1, 2, -14.504}, {1, 3, 9.165}, {1, 4, 6.324}, {2, 3, 6.347},
			{2, 4, 9.209}, {3, 4, -15.371}}}}},
	{Name: "Glu", Source: govindaraju, Groups: []Group{{
		Shifts: []float64{3.7433, 2.0375, 2.1200, 2.3378, 2.3520},
		J: []Coupling{{0, 1, 7.331}, {0, 2, 4.651}, {1, 2, -14.849}, {1, 3, 8.406}, {1, 4, 6.875}, {2, 3, 6.413},
			{2, 4, 8.478}, {3, 4, -15.915}}}}},
	{Name: "Gly", Source: govindaraju, Groups: []Group{singlet(3.5480, 2)}},
	{Name: "GPC", Source: govindaraju, Groups: []Group{
		singlet(3.2120, 9),
		{Shifts: []float64{4.3120, 4.3120, 3.6590, 3.6590},
			J: []Coupling{{0, 2, 3.10}, {0, 3, 5.90}, {1, 2, 5.90}, {1, 3, 3.10}, {0, 1, -14.78}, {2, 3, -14.78}}},
		{Shifts: []float64{3.6050, 3.6720, 3.9030, 3.8710, 3.9460},
			J: []Coupling{{0, 1, -14.78}, {0, 2, 5.77}, {1, 2, 4.53}, {2, 3, 5.77}, {2, 4, 4.53}, {3, 4, -14.78}}},
	}},
	{Name: "GSH", Source: govindaraju, Groups: []Group{
		singlet(3.7690, 2),
		{Shifts: []float64{4.5608, 2.9264, 2.9747}, J: []Coupling{{0, 1, 7.09}, {0, 2, 4.71}, {1, 2, -14.06}}},
		{Shifts: []float64{3.7690, 2.1590, 2.1460, 2.5100, 2.5600},
			J: []Coupling{{0, 1, 6.34}, {0, 2, 6.36}, {1, 2, -15.48}, {1, 3, 6.70}, {1, 4, 7.60}, {2, 3, 7.60}, {2, 4, 6.70}, {3, 4, -15.92}}},
	}},
	{Name: "Ins", Source: govindaraju, Groups: []Group{{
		Shifts: []float64{3.5217, 4.0538, 3.5217, 3.6144, 3.2690, 3.6144},
		J:      []Coupling{{0, 1, 2.889}, {0, 5, 9.998}, {1, 2, 3.006}, {2, 3, 9.997}, {3, 4, 9.485}, {4, 5, 9.482}}}}},
	{Name: "sIns", Source: govindaraju, Groups: []Group{singlet(3.3400, 6)}},
	{Name: "Lac", Source: govindaraju, Groups: []Group{{
		Shifts: append(rep(1.3142, 3), 4.0974), J: couple3(3, 6.933)}}},
	{Name: "NAA", Source: govindaraju, Groups: []Group{
		singlet(2.0080, 3),
		{Shifts: []float64{4.3817, 2.6727, 2.4863}, J: []Coupling{{0, 1, 3.861}, {0, 2, 9.821}, {1, 2, -15.592}}},
	}},
	{Name: "NAAG", Source: govindaraju, Groups: []Group{
		singlet(2.0420, 3),
		{Shifts: []float64{4.6070, 2.7210, 2.5190}, J: []Coupling{{0, 1, 4.412}, {0, 2, 9.515}, {1, 2, -15.910}}},
		{Shifts: []float64{4.1280, 1.8800, 2.0490, 2.1900, 2.1800},
			J: []Coupling{{0, 1, 4.61}, {0, 2, 8.42}, {1, 2, -14.28}, {1, 3, 10.56}, {1, 4, 6.09}, {2, 3, 4.9}, {2, 4, 11.11}, {3, 4, -15.28}}},
	}},
	{Name: "PCho", Source: govind2015, Groups: []Group{
		singlet(3.2080, 9),
		{Shifts: []float64{4.2805, 4.2805, 3.6410, 3.6410},
			J:      []Coupling{{0, 2, 2.284}, {0, 3, 7.231}, {1, 2, 7.326}, {1, 3, 2.235}, {0, 1, -14.89}, {2, 3, -14.19}},
			Hetero: []Hetero{{"14N", 1, []float64{2.68, 2.772, 0, 0}}, {"31P", 0.5, []float64{6.298, 6.249, 0, 0}}}},
	}},
	{Name: "PE", Source: govind2015, Groups: []Group{{
		Shifts: []float64{3.9765, 3.9765, 3.2160, 3.2160},
		J:      []Coupling{{0, 2, 3.182}, {0, 3, 6.716}, {1, 2, 7.204}, {1, 3, 2.980}, {0, 1, -14.56}, {2, 3, -14.71}},
		Hetero: []Hetero{{"31P", 0.5, []float64{7.288, 7.088, 0, 0}}, {"14N", 1, []float64{0.464, 0.588, 0, 0}}}}}},
	{Name: "Tau", Source: govindaraju, Groups: []Group{{
		Shifts: []float64{3.4206, 3.4206, 3.2459, 3.2459},
		J:      []Coupling{{0, 2, 6.742}, {0, 3, 6.403}, {1, 2, 6.464}, {1, 3, 6.792}, {0, 1, -12.438}, {2, 3, -12.93}}}}},
}

// PhantomMetabolites are compounds of test phantoms that brain spectra do
// not hold: Lookup and Basis know them, but a default basis (every entry
// of Metabolites) leaves them out.
var PhantomMetabolites = []Metabolite{
	{Name: "Ace", Source: govindaraju + " (acetate CH3)", Groups: []Group{singlet(1.9040, 3)}},
}

// Lookup returns the metabolite with the given name (from Metabolites or
// PhantomMetabolites; other tools' names such as PCh and Scyllo are
// accepted, see naming.CanonicalName) and whether it exists. The result
// is a deep copy (Metabolite.Clone): a caller may change its groups
// without changing the table or later simulations.
func Lookup(name string) (Metabolite, bool) {
	name = naming.CanonicalName(name)
	for _, set := range [][]Metabolite{Metabolites, PhantomMetabolites} {
		for _, m := range set {
			if m.Name == name {
				return m.Clone(), true
			}
		}
	}
	return Metabolite{}, false
}

// Clone returns a deep copy of m: its groups and their shifts, couplings
// and heteronuclear couplings share no memory with m's.
func (m Metabolite) Clone() Metabolite {
	out := m
	if m.Groups != nil {
		out.Groups = make([]Group, len(m.Groups))
		for i, g := range m.Groups {
			out.Groups[i] = g.Clone()
		}
	}
	return out
}

// Clone returns a deep copy of g (shifts, couplings and heteronuclear
// couplings in memory of their own).
func (g Group) Clone() Group {
	out := g
	out.Shifts = slices.Clone(g.Shifts)
	out.J = slices.Clone(g.J)
	if g.Hetero != nil {
		out.Hetero = make([]Hetero, len(g.Hetero))
		for i, h := range g.Hetero {
			h.J = slices.Clone(h.J)
			out.Hetero[i] = h
		}
	}
	return out
}
