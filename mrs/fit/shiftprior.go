package fit

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Lineshape groups of the dominant singlets' metabolites. LCModel gives
// every metabolite its own frequency shift about the common one, with a
// Gaussian prior of SD DESDSH = 0.004 ppm (0.002 ppm for NAA and NAAG,
// 0.008 ppm for choline: ALSDSH; LCModel 6.3 source, BLOCK DATA), and its
// own Lorentzian (T2) broadening. Tabulated shifts are uncertain by a few
// thousandths of a ppm and the singlets' relative positions move with
// temperature and pH; at high SNR a common shift then leaves a dispersive
// residual on every large singlet, which small overlapping metabolites
// fill (GSH's cysteine multiplet at 2.93–2.97 ppm on creatine's low-ppm
// flank: GSH/tCr 0.26 against LCModel's 0.14 on Osprey's sub-01). glusleep
// gives the three singlet families their own shift and Lorentzian
// broadening, tied to the other metabolites' by LCModel's priors on
// individual shifts and 1/T2 (priorPairs).
const (
	groupNAA = 3
	groupCr  = 4
	groupCho = 5
)

// familyShiftSDPPM is the prior SD (ppm) of a family's shift relative to
// the other metabolites' (LCModel's ALSDSH/DESDSH).
var familyShiftSDPPM = map[int]float64{groupNAA: 0.002, groupCr: 0.004, groupCho: 0.008}

// lineshapeGroup is the default lineshape group of a basis name:
// DefaultGroup's, except that NAA and NAAG, Cr and PCr, and GPC and PCho
// (PCh) form groups of their own.
func lineshapeGroup(name string) int {
	switch name {
	case "NAA", "NAAG":
		return groupNAA
	case "Cr", "PCr", "Cre":
		return groupCr
	case "GPC", "PCho", "PCh", "Cho":
		return groupCho
	}
	return DefaultGroup(name)
}

// familyLorentzSDHz returns the prior SD (Hz) of a family's Lorentzian
// FWHM relative to the other metabolites' at mhz MHz: LCModel's prior on
// each metabolite's extra 1/T2, SD DESDT2 = 0.4 s⁻¹ at 2 T scaled by
// √(B0/2 T) (RT2_SCALE), as a Lorentzian FWHM 1/(π·T2): 0.16 Hz at 3 T.
func familyLorentzSDHz(mhz float64) float64 {
	return 0.4 / math.Pi * math.Sqrt(mhz/85.16)
}

// priorPairs returns the parameter pairs (a, b) whose difference θ_a − θ_b
// has a Gaussian prior of SD sd (parameter units): each family group's
// shift and Lorentzian damping against the other metabolites' group; nil
// with Options.CommonLineshape, when Options.Groups set the groups,
// priors are off, or the basis has no
// metabolite group beside the families.
func (pr *problem) priorPairs() (as, bs []int, sd []float64) {
	if pr.opt.CommonLineshape || pr.opt.Groups != nil || pr.opt.NoPriors {
		return nil, nil, nil
	}
	ref := -1
	fam := map[int]int{} // internal group → family
	for m, n := range pr.names {
		switch f := lineshapeGroup(n); {
		case f == 0:
			ref = pr.group[m]
		case familyShiftSDPPM[f] > 0:
			fam[pr.group[m]] = f
		}
	}
	if ref < 0 {
		return nil, nil, nil
	}
	for g := 0; g < pr.ng; g++ {
		if f, ok := fam[g]; ok {
			as = append(as, pShift(g), pDamp(g))
			bs = append(bs, pShift(ref), pDamp(ref))
			sd = append(sd, familyShiftSDPPM[f]*pr.hzPerPPM(), math.Pi*familyLorentzSDHz(pr.par.SpectrometerFrequency))
		}
	}
	return as, bs, sd
}

// shiftPriorResidual returns the prior residuals σ·(θ_a − θ_b)/SD (data
// units, so they add to the data's squared residual as χ² terms do).
func (pr *problem) shiftPriorResidual(theta []float64) []float64 {
	as, bs, sd := pr.priorPairs()
	out := make([]float64, len(as))
	for k := range as {
		out[k] = pr.sigma * (theta[as[k]] - theta[bs[k]]) / sd[k]
	}
	return out
}

// addShiftPriorInfo adds the priors' information (in the units of the
// unscaled Fisher matrix f, whose inverse is multiplied by σ²) to the rows
// and columns of their parameters (colOf: parameter → column).
func (pr *problem) addShiftPriorInfo(f *mat.SymDense, colOf map[int]int) {
	as, bs, sd := pr.priorPairs()
	for k := range as {
		a, okA := colOf[as[k]]
		b, okB := colOf[bs[k]]
		w := pr.sigma * pr.sigma / (sd[k] * sd[k])
		if okA {
			f.SetSym(a, a, f.At(a, a)+w)
		}
		if okB {
			f.SetSym(b, b, f.At(b, b)+w)
		}
		if okA && okB {
			f.SetSym(a, b, f.At(a, b)-w)
		}
	}
}
