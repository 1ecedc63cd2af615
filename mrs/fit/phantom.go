package fit

import (
	"fmt"
	"math"
	"slices"

	"glusleep/mrs/basis"
	"glusleep/mrs/sim"
)

// PhantomMaxShiftPPM is the default bound on the fit's frequency shift
// (ppm) for phantoms referenced to their own peaks: the referencing leaves
// an error of a few hundredths of a ppm, and a wider bound lets a
// metabolite's singlet slide onto an unrelated singlet (NAA at 2.008 ppm
// onto acetate at 1.904 ppm in a creatine–lactate–acetate phantom).
const PhantomMaxShiftPPM = 0.03

// LacInPhase names the phantom fit's second lactate component: lactate
// simulated without J evolution (pulse-acquire), fitted beside the
// sequence's lactate and summed into Lac after the fit (Options.SumInto).
//
// Why: the lactate CH3 doublet (1.31 ppm) evolves under its coupling to
// the CH quartet (4.10 ppm) only where the refocusing pulses flip both;
// slice-selective pulses displace the CH's slices from the CH3's by the
// 178 Hz (1.5 T) between them, so in part of the voxel the coupling is
// refocused and the doublet stays in phase. A basis simulated with ideal
// pulses has the J evolution of the whole TE everywhere. In the GE
// 1.5 T PRESS TE 30 phantom the doublet's lines are rotated by ±24° (±1°
// over 11 voxels) against the basis's ±34°; fitted with that basis alone
// the misfit is taken up by the baseline (LCModel: Lac/tCr 0.80–1.02,
// falling as the SNR rises) or by the linewidth. The sum of the two
// components is lactate's amplitude when each part of the voxel has
// either the whole J evolution or none; a part with J evolution over TE1
// or TE2 only (one of the two pulses missing the CH) is counted within
// ±6 % at TE 30 ms.
const LacInPhase = "LacIP"

// ForPhantom adapts a basis set and options to a phantom spectrum, and
// says what it did:
//   - phantom solutions hold no macromolecules or lipids, so those
//     components (names DefaultGroup puts in groups 1 and 2) are dropped;
//   - the shift bound becomes PhantomMaxShiftPPM unless opt sets one;
//   - all metabolites share one lineshape (opt.CommonLineshape);
//   - when the set has Lac and a known proton scale, LacInPhase is added
//     (see there) and summed into Lac after the fit (opt.SumInto).
//
// set and opt's maps are not modified.
func ForPhantom(set *basis.Set, opt Options) (*basis.Set, Options, []string, error) {
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
	// One solution at one temperature fills every voxel: no metabolite
	// family moves against the others from voxel to voxel, and fitting
	// the singlet families' own shifts and widths only scatters the ratios
	// (GE phantom: Lac/tCr SD 0.034 over the small voxels with them, 0.014
	// without).
	opt.CommonLineshape = true
	notes := []string{fmt.Sprintf("%d macromolecule and lipid components left out, frequency shift bound %g ppm, one lineshape for all metabolites",
		len(set.Names)-len(out.Names), opt.MaxShiftPPM)}
	if !slices.Contains(out.Names, "Lac") || slices.Contains(out.Names, LacInPhase) {
		return &out, opt, notes, nil
	}
	if !(set.ProtonScale > 0) {
		notes = append(notes, "lactate fitted with the basis's J evolution only: the basis's proton scale is unknown, so an in-phase lactate component cannot be scaled to it")
		return &out, opt, notes, nil
	}
	fid, err := inPhaseLactate(set)
	if err != nil {
		return nil, opt, nil, err
	}
	out.Names = append(out.Names, LacInPhase)
	out.FIDs = append(out.FIDs, fid)
	sum := map[string]string{LacInPhase: "Lac"}
	for k, v := range opt.SumInto {
		sum[k] = v
	}
	opt.SumInto = sum
	note := "lactate fitted as Lac (the sequence's J evolution) plus " + LacInPhase + " (none: the coupling refocused where the CH's slices miss the CH3's), reported summed as Lac"
	return &out, opt, append(notes, note), nil
}

// inPhaseLactate simulates lactate without J evolution (pulse-acquire)
// on set's grid, scaled to set's proton scale.
func inPhaseLactate(set *basis.Set) ([]complex128, error) {
	p := set.Params
	m, ok := sim.Lookup("Lac")
	if !ok {
		return nil, fmt.Errorf("fit: phantom: sim has no lactate")
	}
	q := sim.Sequence{Kind: "pulse-acquire"}
	fid, err := sim.FID(m, q, p.SpectrometerFrequency, p.Dwell, set.Points(), p.Central())
	if err != nil {
		return nil, fmt.Errorf("fit: phantom: in-phase lactate: %w", err)
	}
	one, err := sim.ProtonSignal(q, p.SpectrometerFrequency, p.Dwell)
	if err != nil {
		return nil, fmt.Errorf("fit: phantom: in-phase lactate: %w", err)
	}
	if !(one > 0) {
		return nil, fmt.Errorf("fit: phantom: in-phase lactate: proton signal %g, want > 0", one)
	}
	k := complex(set.ProtonScale/one, 0)
	for i := range fid {
		fid[i] *= k
	}
	return fid, nil
}

// DetectionZ is the one-sided 95 % normal quantile: an amplitude fitted
// as 0 is below DetectionZ times its CRLB with 95 % confidence.
const DetectionZ = 1.645

// detectionLimit describes the upper bound of a component fitted as 0
// (row, from res.Table): DetectionZ times its CRLB, and that bound as a
// share of the largest fitted component; "" when the CRLB is not finite.
func detectionLimit(res *Result, row Row) string {
	if !(row.SD > 0) || math.IsInf(row.SD, 0) {
		return ""
	}
	bound := DetectionZ * row.SD
	big := -1
	for i, a := range res.Amplitudes {
		if a > 0 && (big < 0 || a > res.Amplitudes[big]) {
			big = i
		}
	}
	s := fmt.Sprintf(", below %.3g (%g × its CRLB, one-sided 95 %%)", bound, DetectionZ)
	if big >= 0 {
		s += fmt.Sprintf(", %.2g %% of %s (%.3g)", 100*bound/res.Amplitudes[big], res.Names[big], res.Amplitudes[big])
	}
	return s
}
