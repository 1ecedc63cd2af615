package fit

// Broad components' lineshape relative to the metabolites'. Macromolecule
// and lipid signals come from the same voxel as the metabolites', so the
// field inhomogeneity, eddy currents and frequency referencing that shift
// and broaden the metabolites' lines shift and broaden theirs alike; what
// is their own is a small uncertainty of position and extra T2 broadening
// (LCModel's simulated components: "MM09 @ .91 ± .02 FWHM= .14 < .17 ±
// .015", a position SD of 0.005–0.03 ppm and a width that may grow by
// 0.03–0.05 ppm). A group of only macromolecules and lipids (broadGroup)
// is therefore parameterised by its shift and extra Lorentzian damping
// relative to the metabolites' group: θ holds the differences, bounded by
// BroadMaxShiftPPM and BroadMaxLinewidthPPM.

// tiedBroad reports whether broad groups are tied to the metabolites':
// with the default grouping (Options.Groups nil), with or without
// CommonLineshape. Groups given by the caller are fitted as given.
func (pr *problem) tiedBroad() bool { return pr.opt.Groups == nil }

// setTies sets, per group, the group its shift and damping are relative
// to (−1: none): every broad group (broadGroup) to the metabolites' group,
// when broad groups are tied (tiedBroad) and that group exists.
func (pr *problem) setTies() {
	pr.setBroad()
	pr.tie = make([]int, pr.ng)
	ref := -1
	if pr.tiedBroad() {
		for m, n := range pr.names {
			if lineshapeGroupOf(pr.opt, n) == 0 {
				ref = pr.group[m]
				break
			}
		}
	}
	for g := range pr.tie {
		pr.tie[g] = -1
		if ref >= 0 && g != ref && pr.broadGroup(g) {
			pr.tie[g] = ref
		}
	}
}

// lineshapeGroupOf is the group a name falls in under opt before
// renumbering (Options.Groups aside).
func lineshapeGroupOf(opt Options, name string) int {
	if opt.CommonLineshape {
		return DefaultGroup(name)
	}
	return lineshapeGroup(name)
}

// shiftDamp returns group g's frequency shift (Hz) and Lorentzian damping
// (s⁻¹) at θ, a tied group's being its own plus its reference group's.
func (pr *problem) shiftDamp(theta []float64, g int) (shift, damp float64) {
	shift, damp = theta[pShift(g)], theta[pDamp(g)]
	if r := pr.tie[g]; r >= 0 {
		shift += theta[pShift(r)]
		damp += theta[pDamp(r)]
	}
	return shift, damp
}

// addTiedDerivs adds to the reference group's shift and damping
// derivatives those of the groups tied to it (the chain rule of
// shiftDamp), in place; dY holds each group's own derivatives on entry,
// each parameter in its own buffer.
func (pr *problem) addTiedDerivs(dY [][]complex128) {
	for g := 0; g < pr.ng; g++ {
		r := pr.tie[g]
		if r < 0 {
			continue
		}
		for _, p := range [][2]int{{pShift(r), pShift(g)}, {pDamp(r), pDamp(g)}} {
			dst, src := dY[p[0]], dY[p[1]]
			for j := range dst {
				dst[j] += src[j]
			}
		}
	}
}

// untieStart sets the tied groups' relative shift and damping to zero (the
// start of the fit: the same lineshape as the metabolites').
func (pr *problem) untieStart(theta []float64) {
	for g := 0; g < pr.ng; g++ {
		if pr.tie[g] >= 0 {
			theta[pShift(g)], theta[pDamp(g)] = 0, 0
		}
	}
}
