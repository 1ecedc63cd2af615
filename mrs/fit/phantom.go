package fit

// PhantomMaxShiftPPM is the default bound on the fit's frequency shift
// (ppm) for phantoms referenced to their own peaks: the referencing leaves
// an error of a few hundredths of a ppm, and a wider bound lets a
// metabolite's singlet slide onto an unrelated singlet (NAA at 2.008 ppm
// onto acetate at 1.904 ppm in a creatine–lactate–acetate phantom).
const PhantomMaxShiftPPM = 0.03

// ForPhantom adapts a basis and options to a phantom spectrum: phantom
// solutions hold no macromolecules or lipids, so those components (names
// DefaultGroup puts in groups 1 and 2) are dropped, and the shift bound
// becomes PhantomMaxShiftPPM unless opt sets one. The basis slices are not
// modified.
func ForPhantom(names []string, fids [][]complex128, opt Options) ([]string, [][]complex128, Options) {
	var n []string
	var f [][]complex128
	for i, name := range names {
		if DefaultGroup(name) != 0 {
			continue
		}
		n = append(n, name)
		f = append(f, fids[i])
	}
	if opt.MaxShiftPPM == 0 {
		opt.MaxShiftPPM = PhantomMaxShiftPPM
	}
	return n, f, opt
}
