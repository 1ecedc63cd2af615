package preproc

import (
	"fmt"
	"math"
	"math/cmplx"
	"sort"
	"strings"

	"glusleep/mrs"
)

// Water's chemical shift depends on temperature (the proton resonance
// frequency shift used in MR thermometry, about −0.01 ppm/°C: Hindman,
// J Chem Phys 1966;44:4582; Ishihara et al., Magn Reson Med
// 1995;34:814–823), while the metabolite shifts referenced to DSS barely
// move. The in-vivo convention puts water at 4.65 ppm at 37 °C.
const (
	// WaterPPMBody is water's shift at body temperature (37 °C).
	WaterPPMBody = 4.65
	// WaterPPMPerDegC is water's temperature coefficient (ppm/°C).
	WaterPPMPerDegC = -0.01
	// RoomTemperatureC is the default phantom temperature (°C).
	RoomTemperatureC = 20.0
)

// WaterPPM returns water's chemical shift (ppm) at tempC °C.
func WaterPPM(tempC float64) float64 {
	return WaterPPMBody + WaterPPMPerDegC*(tempC-37)
}

// TemperatureFromWater returns the temperature (°C) at which water lies at
// ppm (the inverse of WaterPPM).
func TemperatureFromWater(ppm float64) float64 {
	return 37 + (ppm-WaterPPMBody)/WaterPPMPerDegC
}

// Phantom describes a phantom acquisition for referencing.
type Phantom struct {
	// TemperatureC is the phantom's temperature in °C (0 means
	// RoomTemperatureC); it sets water's shift.
	TemperatureC float64
	// Singlets are known singlets of the phantom's contents (e.g. acetate
	// at 1.904 ppm), tried as reference peaks after NAA/Cr/Cho and
	// creatine, each only as the tallest peak of the spectrum.
	Singlets []RefPeak
}

// temperatureOr returns the declared temperature, else measured when it
// is plausible for a phantom (5–45 °C), else RoomTemperatureC.
func (ph *Phantom) temperatureOr(measured float64) float64 {
	if ph != nil && ph.TemperatureC != 0 {
		return ph.TemperatureC
	}
	if measured >= 5 && measured <= 45 {
		return measured
	}
	return RoomTemperatureC
}

func (ph *Phantom) temperature() float64 {
	if ph == nil || ph.TemperatureC == 0 {
		return RoomTemperatureC
	}
	return ph.TemperatureC
}

// Reference peak sets tried, in order, by ChooseReference.
var (
	// CreatinePeaks are creatine's CH3 and CH2 singlets (Govindaraju et
	// al. 2000): present in every brain spectrum and in creatine phantoms.
	CreatinePeaks = []RefPeak{{"Cr CH3", 3.027}, {"Cr CH2", 3.913}}
	// CholinePeaks is the trimethylamine singlet of choline compounds.
	CholinePeaks = []RefPeak{{"Cho", 3.185}}
)

// Referencing reports how a spectrum was referenced.
type Referencing struct {
	// ShiftHz is the frequency correction (Hz): apply it with
	// Shift(fid, dwell, ShiftHz, Phase0Rad).
	ShiftHz float64 `json:"shift_hz"`
	// Phase0Rad is the zero-order phase correction (radians).
	Phase0Rad float64 `json:"phase0_rad"`
	// Method names what was used: "metabolites" (a set of singlets),
	// "water" (the water peak at its temperature's shift) or "template"
	// (no reference peak was found; the NAA/Cr/Cho template's best
	// correlation was used).
	Method string `json:"method"`
	// Peaks lists the reference peaks used (name and ppm they were put at).
	Peaks []RefPeak `json:"peaks"`
	// Phantom is true when the data were declared or detected a phantom.
	Phantom bool `json:"phantom"`
	// PhantomReason says why the data were taken for a phantom.
	PhantomReason string `json:"phantom_reason,omitempty"`
	// WaterPPM is water's position after referencing (ppm; 0 when there
	// is no water signal to measure).
	WaterPPM float64 `json:"water_ppm,omitempty"`
	// TemperatureC is the temperature WaterPPM implies (°C; 0 with no
	// water signal).
	TemperatureC float64 `json:"temperature_c,omitempty"`
	// Tried lists the peak sets tried and why each was not used.
	Tried []string `json:"tried,omitempty"`
	// Warning is set when referencing fell back to a weak method.
	Warning string `json:"warning,omitempty"`
}

// peakList writes peaks as "NAA 2.008, Cr 3.027".
func peakList(pk []RefPeak) string {
	s := make([]string, len(pk))
	for i, p := range pk {
		s[i] = fmt.Sprintf("%s %.3f", p.Name, p.PPM)
	}
	return strings.Join(s, ", ")
}

// localPeak is a local maximum of a magnitude spectrum.
type localPeak struct {
	ppm, height float64
}

// ChooseReference finds the reference peaks present in the water-
// suppressed spectrum fid and returns the corrections that put them at
// their shifts. It tries, in order: NAA, Cr and Cho together (brain);
// creatine's CH3 and CH2 singlets; a phantom's known singlets, each only
// as the spectrum's tallest peak; then water
// (from water, an unsuppressed reference of the same acquisition, when
// given, else the residual water of fid) at its shift for the temperature
// (37 °C, or the phantom's); and last the NAA/Cr/Cho template's best
// correlation, with a warning. A peak set counts as present when every
// one of its peaks is a local maximum of the magnitude spectrum at least
// eight noise SDs and 5 % of the tallest peak in 0.5–4.3 ppm high, at the same offset within search ppm (0 means
// 0.5 ppm) and 0.03 ppm of each other.
//
// phantom nil means "detect": the data are taken for a phantom when NAA is
// absent and water, after referencing to the metabolites found, lies at
// a shift that means below 30 °C.
func ChooseReference(fid []complex128, p mrs.Params, water []complex128, wp mrs.Params, phantom *Phantom, search float64) (Referencing, error) {
	var r Referencing
	if len(fid) < 16 {
		return r, fmt.Errorf("preproc: reference: FID has %d points, want at least 16", len(fid))
	}
	if search <= 0 {
		search = 0.5
	}
	pks := findPeaks(fid, p, 0.5, 4.3)
	type cand struct {
		name  string
		peaks []RefPeak
	}
	cands := []cand{{"NAA, Cr and Cho", MetabolitePeaks}, {"creatine CH3 and CH2", CreatinePeaks}}
	if phantom != nil {
		for _, s := range phantom.Singlets {
			cands = append(cands, cand{"the phantom's " + s.Name, []RefPeak{s}})
		}
	}
	waterAt := math.NaN()
	if len(water) >= 16 && wp.Dwell > 0 && wp.SpectrometerFrequency > 0 {
		waterAt = peakPPM(water, wp, 4.0, 5.4)
	} else {
		waterAt = peakPPM(fid, p, 4.0, 5.4)
	}
	for ci, c := range cands {
		off, ok := matchPeaks(pks, c.peaks, search, 0.03)
		if ok && len(c.peaks) == 1 {
			// One singlet alone is taken only as the spectrum's tallest
			// peak: any peak within the search range would match it.
			ok = math.Abs(pks[0].ppm-(c.peaks[0].PPM+off)) < 1e-9
		}
		if !ok {
			r.Tried = append(r.Tried, c.name+" ("+peakList(c.peaks)+"): not all present")
			continue
		}
		r.Method, r.Peaks = "metabolites", c.peaks
		r.ShiftHz = -off * p.SpectrometerFrequency
		if ci == 0 {
			// Brain spectra: the template correlation over all three peaks
			// (robust to overlapping shoulders) decides the offset.
			hz, _, err := Reference(fid, p, c.peaks, search)
			if err != nil {
				return r, err
			}
			r.ShiftHz = hz
		}
		if !math.IsNaN(waterAt) {
			r.WaterPPM = waterAt + r.ShiftHz/p.SpectrometerFrequency
			r.TemperatureC = TemperatureFromWater(r.WaterPPM)
		}
		switch {
		case phantom != nil:
			r.Phantom, r.PhantomReason = true, "declared"
		case ci > 0 && r.WaterPPM != 0 && r.TemperatureC < 30:
			r.Phantom = true
			r.PhantomReason = fmt.Sprintf("no NAA singlet, and water lies at %.2f ppm after referencing to %s (about %.0f °C)", r.WaterPPM, c.name, r.TemperatureC)
		}
		r.Phase0Rad = absorptivePhase(fid, p, r.ShiftHz, c.peaks)
		return r, nil
	}
	if !math.IsNaN(waterAt) {
		temp := 37.0
		if phantom != nil {
			temp = phantom.temperature()
			r.Phantom, r.PhantomReason = true, "declared"
		}
		want := WaterPPM(temp)
		r.Method = "water"
		r.Peaks = []RefPeak{{"water", want}}
		r.ShiftHz = -(waterAt - want) * p.SpectrometerFrequency
		r.WaterPPM, r.TemperatureC = want, temp
		r.Phase0Rad = absorptivePhase(fid, p, r.ShiftHz, nil)
		r.Warning = fmt.Sprintf("no reference metabolite peaks found; referenced to water at %.2f ppm (%.0f °C)", want, temp)
		return r, nil
	}
	hz, ph, err := Reference(fid, p, MetabolitePeaks, search)
	if err != nil {
		return r, err
	}
	r.Method, r.Peaks, r.ShiftHz, r.Phase0Rad = "template", MetabolitePeaks, hz, ph
	r.Warning = "no reference peak (NAA/Cr/Cho, creatine, water) found: the NAA/Cr/Cho template's best correlation was used; the chemical-shift axis may be wrong"
	return r, nil
}

// findPeaks returns the local maxima of fid's magnitude spectrum (2 Hz
// exponential broadening, zero-filled) between lo and hi ppm that are at
// least eight noise SDs and 5 % of the tallest high, tallest first,
// positions refined by a parabola.
func findPeaks(fid []complex128, p mrs.Params, lo, hi float64) []localPeak {
	n := len(fid)
	ap := Apodize(fid, p.Dwell, 2, 0)
	sd := noiseSD(ap, p, 1, NoiseWindow)
	nz := nextPow2(4 * n)
	s := mrs.Spectrum(ZeroFill(ap, nz))
	ax := p.PPMAxis(nz)
	a, b := window(p, nz, lo, hi)
	var out []localPeak
	step := ax[1] - ax[0]
	for i := max(a, 1); i < min(b, nz-1); i++ {
		m0, m1, m2 := cmplx.Abs(s[i-1]), cmplx.Abs(s[i]), cmplx.Abs(s[i+1])
		if m1 > m0 && m1 >= m2 && m1 >= 8*sd {
			out = append(out, localPeak{ax[i] + vertex(m0, m1, m2)*step, m1})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].height > out[j].height })
	// Ripples and sidebands of a large peak are local maxima too: keep
	// peaks of at least 5 % of the tallest.
	k := 0
	for k < len(out) && out[k].height >= 0.05*out[0].height {
		k++
	}
	return out[:k]
}

// matchPeaks finds the offset (ppm, observed − expected) within ±search at
// which every reference peak has a local maximum within tol, the smallest
// of them at least a tenth of the tallest (a set's singlets are of
// comparable size; a noise peak beside a large singlet is not), scoring
// each offset by the smallest matched height. The offset is the first
// (anchor) peak's, refined by its parabola: the others only confirm the
// set, as they may overlap other resonances.
func matchPeaks(pks []localPeak, ref []RefPeak, search, tol float64) (float64, bool) {
	bestScore, bestOff := 0.0, 0.0
	for _, anchor := range pks {
		off := anchor.ppm - ref[0].PPM
		if math.Abs(off) > search {
			continue
		}
		lo, hi := anchor.height, anchor.height
		ok := true
		for _, rp := range ref[1:] {
			found := false
			for _, q := range pks { // tallest first: take the tallest in tol
				if math.Abs(q.ppm-(rp.PPM+off)) <= tol {
					lo, hi = math.Min(lo, q.height), math.Max(hi, q.height)
					found = true
					break
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if ok && lo >= 0.1*hi && lo > bestScore {
			bestScore, bestOff = lo, off
		}
	}
	return bestOff, bestScore > 0
}

// peakPPM returns the position of the tallest point of fid's magnitude
// spectrum between lo and hi ppm (parabola-refined), or NaN when the
// window has no peak clearly above the noise (twenty noise SDs).
func peakPPM(fid []complex128, p mrs.Params, lo, hi float64) float64 {
	pk := findPeaks(fid, p, lo, hi)
	if len(pk) == 0 {
		return math.NaN()
	}
	ap := Apodize(fid, p.Dwell, 2, 0)
	if pk[0].height < 20*noiseSD(ap, p, 1, NoiseWindow) {
		return math.NaN()
	}
	return pk[0].ppm
}

// absorptivePhase returns the zero-order phase (radians) that makes the
// tallest of peaks (every point in 0.5–4.2 ppm when peaks is empty)
// absorptive after fid is shifted by hz.
func absorptivePhase(fid []complex128, p mrs.Params, hz float64, peaks []RefPeak) float64 {
	n := len(fid)
	nz := nextPow2(4 * n)
	shifted := mrs.Spectrum(ZeroFill(Shift(fid, p.Dwell, hz, 0), nz))
	ax := p.PPMAxis(nz)
	step := ax[1] - ax[0]
	apex, top := -1, 0.0
	try := func(i int) {
		if i >= 0 && i < nz && cmplx.Abs(shifted[i]) > top {
			apex, top = i, cmplx.Abs(shifted[i])
		}
	}
	if len(peaks) == 0 {
		a, b := window(p, nz, 0.5, 4.2)
		for i := a; i < b; i++ {
			try(i)
		}
	}
	for _, pk := range peaks {
		c := int(math.Round(p.PPMToIndex(pk.PPM, nz)))
		w := max(int(0.03/step), 1)
		for i := c - w; i <= c+w; i++ {
			try(i)
		}
	}
	if apex < 0 {
		return 0
	}
	return -cmplx.Phase(shifted[apex])
}
