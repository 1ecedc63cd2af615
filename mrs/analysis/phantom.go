package analysis

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/basis"
	"glusleep/mrs/preproc"
	"glusleep/mrs/sim"
)

// Plausible phantom temperatures (°C) and singlet shifts (ppm) that
// ParsePhantomTemperature and ParseSinglet accept.
const (
	PhantomMinTempC, PhantomMaxTempC = 1.0, 50.0
	SingletMinPPM, SingletMaxPPM     = -1.0, 10.0
)

// ParsePhantomTemperature parses the value of `--phantom[=TEMP_C]`: "" or
// "true" give 0 (preproc.Phantom's room temperature,
// preproc.RoomTemperatureC), else a temperature in °C from 1 to 50.
func ParsePhantomTemperature(s string) (float64, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "true":
		return 0, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(v >= PhantomMinTempC && v <= PhantomMaxTempC) {
		return 0, fmt.Errorf("%q: want the phantom's temperature in °C, %g to %g", s, PhantomMinTempC, PhantomMaxTempC)
	}
	return v, nil
}

// ParseSinglet parses a phantom's known singlet written PPM[:NAME]: a
// shift in ppm (−1 to 10) and an optional name (default "singlet PPM").
func ParseSinglet(s string) (preproc.RefPeak, error) {
	num, name, _ := strings.Cut(s, ":")
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || !(v >= SingletMinPPM && v <= SingletMaxPPM) {
		return preproc.RefPeak{}, fmt.Errorf("%q: want PPM[:NAME] with a shift in ppm from %g to %g (e.g. 1.904:acetate)", s, SingletMinPPM, SingletMaxPPM)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = fmt.Sprintf("singlet %g", v)
	}
	return preproc.RefPeak{Name: name, PPM: v}, nil
}

// singletMatchPPM is how close (ppm) a declared phantom singlet must lie to
// a compound of sim.PhantomMetabolites to be simulated as that compound.
const singletMatchPPM = 0.01

// withPhantomSinglets returns set with a component for each of the
// phantom's declared singlets that it lacks, so the fit can explain them:
// the phantom compound sim knows at that shift (sim.PhantomMetabolites,
// e.g. Ace at 1.904 ppm with its three protons), else a one-proton singlet
// named as declared. They are simulated through the set's sequence (else
// the data's, p) at the set's frequency, dwell and length; ideal pulses
// give a singlet the same shape in every sequence, so this holds for
// basis files too. set is not modified; the notes say what was added.
func withPhantomSinglets(set *basis.Set, ph *preproc.Phantom, p mrs.Params) (*basis.Set, []string, error) {
	if ph == nil || len(ph.Singlets) == 0 {
		return set, nil, nil
	}
	q, err := sim.SequenceFor(set.Params)
	if err != nil {
		if q, err = sim.SequenceFor(p); err != nil {
			return nil, nil, fmt.Errorf("phantom singlets: %w", err)
		}
	}
	out := *set
	out.Names, out.FIDs = slices.Clone(set.Names), slices.Clone(set.FIDs)
	var notes []string
	for _, s := range ph.Singlets {
		m := sim.Metabolite{Name: s.Name, Groups: []sim.Group{{Shifts: []float64{s.PPM}}}, Source: "declared phantom singlet"}
		for _, known := range sim.PhantomMetabolites {
			if len(known.Groups) == 1 && len(known.Groups[0].Shifts) > 0 && math.Abs(known.Groups[0].Shifts[0]-s.PPM) <= singletMatchPPM {
				m = known
			}
		}
		if slices.Contains(out.Names, m.Name) {
			continue
		}
		fid, err := sim.FID(m, q, out.Params.SpectrometerFrequency, out.Params.Dwell, out.Points(), 0)
		if err != nil {
			return nil, nil, fmt.Errorf("phantom singlet %s: %w", s.Name, err)
		}
		out.Names, out.FIDs = append(out.Names, m.Name), append(out.FIDs, fid)
		notes = append(notes, fmt.Sprintf("basis component %s (%.3f ppm, %g protons) added for the phantom's declared singlet %s", m.Name, s.PPM, m.Protons(), s.Name))
	}
	return &out, notes, nil
}
