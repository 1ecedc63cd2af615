package fit

import "glusleep/mrs/basis"

// PhantomMaxShiftPPM is the default bound on the fit's frequency shift
// (ppm) for phantoms referenced to their own peaks: the referencing leaves
// an error of a few hundredths of a ppm, and a wider bound lets a
// metabolite's singlet slide onto an unrelated singlet (NAA at 2.008 ppm
// onto acetate at 1.904 ppm in a creatine–lactate–acetate phantom).
const PhantomMaxShiftPPM = 0.03

// ForPhantom adapts a basis set and options to a phantom spectrum: phantom
// solutions hold no macromolecules or lipids, so those components (names
// DefaultGroup puts in groups 1 and 2) are dropped, and the shift bound
// becomes PhantomMaxShiftPPM unless opt sets one. set is not modified.
func ForPhantom(set *basis.Set, opt Options) (*basis.Set, Options) {
	out := *set
	out.Names, out.FIDs = nil, nil
	for i, name := range set.Names {
		if DefaultGroup(name) != 0 {
			continue
		}
		out.Names = append(out.Names, name)
		out.FIDs = append(out.FIDs, set.FIDs[i])
	}
	if opt.MaxShiftPPM == 0 {
		opt.MaxShiftPPM = PhantomMaxShiftPPM
	}
	return &out, opt
}
