package fit

import (
	"fmt"
	"math"
	"sort"

	"glusleep/mrs"
	"glusleep/mrs/naming"
	"glusleep/mrs/preproc"
)

// QC holds quality measures of a fit.
type QC struct {
	// SNR is the data's signal-to-noise ratio (dimensionless) by
	// preproc.SNRFormula (one definition for preprocessing and fit QC),
	// measured on the spectrum fitted; NaN when it cannot be measured.
	SNR float64 `json:"snr"`
	// SNRPeak names the singlet the SNR used.
	SNRPeak string `json:"snr_peak"`
	// SNRDefinition is the SNR's formula (preproc.SNRDefinition), or why
	// it could not be measured.
	SNRDefinition string `json:"snr_definition"`
	// SNRLCModel is LCModel's definition: the maximum of the real spectrum
	// minus baseline over the fit range, divided by twice the RMS of the
	// real residual (dimensionless).
	SNRLCModel float64 `json:"snr_lcmodel"`
	// FWHMHz is the full width at half maximum of the fitted reference
	// singlet's lineshape in Hz.
	FWHMHz float64 `json:"fwhm_hz"`
	// FWHMPPM is the same width in ppm.
	FWHMPPM float64 `json:"fwhm_ppm"`
	// Reference names the metabolite the SNR and FWHM were measured on.
	Reference string `json:"reference"`
	// Residual is the RMS real residual in noise SDs (about 1 when the
	// model explains the data).
	Residual float64 `json:"residual_sd"`
	// Priors lists the soft constraints the fit applied (Options.Priors).
	Priors []string `json:"priors"`
}

// dataSNR measures the SNR of the data FID (NaN, with the reason as the
// definition, when it cannot be measured).
func dataSNR(fid []complex128, p mrs.Params) (float64, string, string) {
	s, err := preproc.MeasureSNR(fid, p)
	if err != nil {
		return math.NaN(), "", err.Error()
	}
	return s.Value, s.Peak, s.Formula
}

// qcReference picks the metabolite the linewidth is measured on.
func qcReference(names []string, amps []float64) int {
	for _, want := range []string{"NAA", "Cr", "tCr", "PCr"} {
		for i, n := range names {
			if n == want && amps[i] > 0 {
				return i
			}
		}
	}
	best := -1
	for i, a := range amps {
		if DefaultGroup(names[i]) == 0 && (best < 0 || a > amps[best]) {
			best = i
		}
	}
	return best
}

// widthHz measures the FWHM (Hz) of the tallest peak of the real spectrum of
// fid, zero-filled eightfold, with linear interpolation at the half-height
// crossings; dwell in s. The FID is truncated at n points, so a line
// narrower than about 2/(n·dwell) Hz is measured slightly wide. It also returns the peak height per point of the
// original (not zero-filled) spectrum scale.
func widthHz(fid []complex128, dwell float64) (fwhm, height float64) {
	n := len(fid)
	z := 8 * n
	buf := make([]complex128, z)
	copy(buf, fid)
	// Halve the first point so the DFT approximates the continuous
	// transform of the decay (no constant offset under the line).
	buf[0] *= 0.5
	spec := planFor(z).Forward(nil, buf)
	re := make([]float64, z)
	for i, v := range spec {
		re[i] = real(v)
	}
	peak := 0
	for i := range re {
		if re[i] > re[peak] {
			peak = i
		}
	}
	h := re[peak] / 2
	if !(h > 0) {
		return math.NaN(), 0
	}
	// Walk both ways (circularly) to the half-height crossings.
	cross := func(dir int) float64 {
		prev := re[peak]
		for k := 1; k < z/2; k++ {
			i := ((peak+dir*k)%z + z) % z
			if re[i] <= h {
				frac := (prev - h) / (prev - re[i])
				return float64(k-1) + frac
			}
			prev = re[i]
		}
		return math.NaN()
	}
	bins := cross(1) + cross(-1)
	return bins / (float64(z) * dwell), re[peak]
}

// Flag is a named warning about an implausible fit result.
type Flag struct {
	// Name is a stable identifier, e.g. "tcr_zero".
	Name string `json:"name"`
	// Message explains the flag in one line.
	Message string `json:"message"`
}

// Names of the flags Flags raises.
const (
	FlagTCrZero          = "tcr_zero"
	FlagRatioImplausible = "ratio_implausible"
	FlagCRLBUndetermined = "crlb_undetermined"
	FlagReferenceAbsent  = "reference_peak_absent"
	FlagReferencing      = "referencing_fallback"
	FlagUnmodelledSignal = "unmodelled_signal"
)

// FlagNames are the names of every flag Flags raises, in the order it
// raises them (for documentation checks and tables of flags).
var FlagNames = []string{FlagTCrZero, FlagRatioImplausible, FlagCRLBUndetermined, FlagReferenceAbsent, FlagUnmodelledSignal, FlagReferencing}

// FlagContext tells Flags what it cannot see in a Result.
type FlagContext struct {
	// Phantom skips the brain ranges (phantoms hold what was put in).
	Phantom bool
	// ReferencingWarning is the preprocessing's referencing warning (e.g.
	// preproc.Referencing.Warning), empty when referencing found its peaks.
	ReferencingWarning string
}

// BrainRatioRange is the range of a metabolite's ratio to tCr beyond which
// Flags calls a brain spectrum's result implausible. The limits are the
// concentration ranges of normal adult brain in Govindaraju, Young and
// Maudsley (NMR Biomed 2000;13:129–153, table 1: tCr 8.3–16.1 mM counting
// Cr 5.1–10.6 and PCr 3.2–5.5), widened by a factor of two each way, as
// ratio = concentration / tCr: [½·min/16.1, 2·max/8.3].
type BrainRatioRange struct {
	// Name is the metabolite or sum (as in StandardCombinations).
	Name string
	// ConcMinMM and ConcMaxMM are the normal concentration range (mM).
	ConcMinMM, ConcMaxMM float64
}

// BrainRanges are the metabolites Flags checks in brain spectra
// (Govindaraju et al. 2000, table 1; tNAA as NAA 7.9–16.6 plus NAAG
// 0.6–2.7 mM, tCho as GPC+PCho 0.9–2.5 mM, Glx as
// Glu 6.0–12.5 plus Gln 3.0–5.8 mM).
var BrainRanges = []BrainRatioRange{
	{"tNAA", 8.5, 19.3},
	{"tCho", 0.9, 2.5},
	{"Ins", 3.8, 8.1},
	{"Glx", 9.0, 18.3},
}

const (
	tCrMinMM = 8.3
	tCrMaxMM = 16.1
)

// Limits returns the ratio-to-tCr range [lo, hi] outside which Flags
// raises FlagRatioImplausible.
func (b BrainRatioRange) Limits() (lo, hi float64) {
	return 0.5 * b.ConcMinMM / tCrMaxMM, 2 * b.ConcMaxMM / tCrMinMM
}

// UndeterminedCRLB is the CRLB in percent from which an amplitude is not
// determined by the data: LCModel's mark (999 %).
const UndeterminedCRLB = 999

// Detected reports whether the fit detected r's metabolite: an amplitude
// above 0 with a CRLB below UndeterminedCRLB (a NaN amplitude or CRLB is
// not detected).
func (r Row) Detected() bool {
	return r.Amplitude > 0 && r.CRLBPercent < UndeterminedCRLB
}

// TCrRow returns the row among rows that ratios are taken to: tCr
// (Cr+PCr), or Cr when there is no tCr row (a basis without PCr); ok is
// false when there is neither.
func TCrRow(rows []Row) (tcr Row, ok bool) {
	cr := -1
	for i, r := range rows {
		switch naming.CanonicalName(r.Name) {
		case "tCr":
			return r, true
		case "Cr":
			if cr < 0 {
				cr = i
			}
		}
	}
	if cr < 0 {
		return Row{}, false
	}
	return rows[cr], true
}

// TCrDetected reports whether rows' tCr (TCrRow) is Detected: only then
// are ratios to tCr numbers. A tCr fitted as 0 has none, and one whose
// CRLB is undetermined (≥ 999 %) is not distinguishable from 0: a fit
// without creatine can leave a numerically tiny amplitude (1e-5 of NAA's,
// CRLB 16 000 %) whose ratios are noise. Flags raises FlagTCrZero when it
// is false; the figure and the fit tables write the ratios n/a.
func TCrDetected(rows []Row) bool {
	tcr, ok := TCrRow(rows)
	return ok && tcr.Detected()
}

// RatiosToDetectedTCr sets every RatioTCr in rows to NaN (n/a) unless
// TCrDetected(rows), and returns rows.
func RatiosToDetectedTCr(rows []Row) []Row {
	if TCrDetected(rows) {
		return rows
	}
	for i := range rows {
		rows[i].RatioTCr = math.NaN()
	}
	return rows
}

// Flags returns the named flags of implausible results in res: tCr zero,
// absent or with an undetermined CRLB (ratios undefined), a brain metabolite's ratio to tCr far
// outside the normal range (BrainRanges; not for phantoms), an
// undetermined CRLB (≥ 999 %, LCModel's mark, or not finite) of tCr or a
// BrainRanges metabolite, the fit's reference singlet (QC.Reference)
// fitted where the data show no peak, a residual peak the basis cannot
// account for (unmodelledSignal), and a referencing fallback reported
// by the preprocessing. The flags come in that order; none means the
// result passed these checks.
func Flags(res *Result, ctx FlagContext) []Flag {
	var out []Flag
	add := func(name, format string, args ...any) {
		out = append(out, Flag{name, fmt.Sprintf(format, args...)})
	}
	table := res.Table(math.NaN())
	rows := map[string]Row{}
	for _, r := range table {
		rows[naming.CanonicalName(r.Name)] = r
	}
	tcr, ok := TCrRow(table)
	tcrFound := TCrDetected(table)
	switch {
	case !ok:
		add(FlagTCrZero, "the basis has no creatine: ratios to tCr are undefined")
	case tcr.Amplitude <= 0:
		add(FlagTCrZero, "total creatine fitted as 0: not detected%s; ratios to tCr are undefined", detectionLimit(res, tcr))
	case !tcrFound:
		add(FlagTCrZero, "total creatine not determined (CRLB %.4g %%): ratios to tCr are undefined", tcr.CRLBPercent)
	}
	if tcrFound && !ctx.Phantom {
		for _, b := range BrainRanges {
			r, have := rows[b.Name]
			if !have {
				continue
			}
			lo, hi := b.Limits()
			if !(r.RatioTCr >= lo && r.RatioTCr <= hi) {
				add(FlagRatioImplausible, "%s/tCr = %.3g is outside %.2g–%.2g (twice the normal brain range either way)", b.Name, r.RatioTCr, lo, hi)
			}
		}
	}
	check := []string{"tCr"}
	if !ctx.Phantom {
		for _, b := range BrainRanges {
			check = append(check, b.Name)
		}
	}
	for _, n := range check {
		r, have := rows[n]
		if !have || !(r.Amplitude > 0) {
			continue // a zero amplitude is flagged above or is plausible
		}
		if !(r.CRLBPercent < UndeterminedCRLB) {
			add(FlagCRLBUndetermined, "%s CRLB is %.4g %%: its amplitude is not determined by the data", n, r.CRLBPercent)
		}
	}
	if msg := referenceAbsent(res); msg != "" {
		add(FlagReferenceAbsent, "%s", msg)
	}
	if msg := unmodelledSignal(res); msg != "" {
		add(FlagUnmodelledSignal, "%s", msg)
	}
	if ctx.ReferencingWarning != "" {
		add(FlagReferencing, "%s", ctx.ReferencingWarning)
	}
	return out
}

// referenceAbsent checks that the fitted reference singlet (QC.Reference)
// sits on a peak of the data: the data minus baseline must reach at least
// half the fitted component's height within ±0.03 ppm of the component's
// apex, and the component must be at least five noise SDs high to be
// judged. It returns a message when the data have no such peak.
func referenceAbsent(res *Result) string {
	i := res.Index(res.QC.Reference)
	if i < 0 || len(res.PPM) == 0 || !(res.NoiseSD > 0) {
		return ""
	}
	comp := res.Components[i]
	apex := 0
	for j, v := range comp {
		if real(v) > real(comp[apex]) {
			apex = j
		}
	}
	h := real(comp[apex])
	if h < 5*res.NoiseSD {
		return ""
	}
	best := math.Inf(-1)
	for j, v := range res.PPM {
		if math.Abs(v-res.PPM[apex]) <= 0.03 {
			best = math.Max(best, real(res.Data[j]-res.Baseline[j]))
		}
	}
	if best >= 0.5*h {
		return ""
	}
	return fmt.Sprintf("the fitted %s singlet at %.2f ppm (%.0f noise SDs) has no peak in the data there (%.0f noise SDs)",
		res.QC.Reference, res.PPM[apex], h/res.NoiseSD, best/res.NoiseSD)
}

// Correlation is the correlation matrix of the fitted amplitudes (from
// Result.Cov), for QC output: strongly correlated components (|ρ| near 1)
// share their signal, and only their sum is well determined (its CRLB,
// from Result.Combination, includes the correlation).
type Correlation struct {
	// Names are the metabolites, in the order of the rows and columns.
	Names []string `json:"names"`
	// Matrix holds ρ_ij = Cov_ij/(SD_i·SD_j); NaN (null in JSON writers
	// that map it) where an amplitude's SD is 0 (amplitude held at zero).
	Matrix [][]float64 `json:"matrix"`
}

// CorrelationMatrix returns the amplitudes' correlation matrix.
func (r *Result) CorrelationMatrix() Correlation {
	n := len(r.Names)
	c := Correlation{Names: append([]string(nil), r.Names...), Matrix: make([][]float64, n)}
	for i := 0; i < n; i++ {
		c.Matrix[i] = make([]float64, n)
		for j := 0; j < n; j++ {
			si, sj := math.Sqrt(r.Cov.At(i, i)), math.Sqrt(r.Cov.At(j, j))
			if si > 0 && sj > 0 {
				c.Matrix[i][j] = r.Cov.At(i, j) / (si * sj)
			} else {
				c.Matrix[i][j] = math.NaN()
			}
		}
	}
	return c
}

// CorrelatedPair is a pair of components whose amplitudes correlate
// strongly.
type CorrelatedPair struct {
	// A and B name the components.
	A, B string
	// Rho is their correlation coefficient (dimensionless, −1 to 1).
	Rho float64
}

// StronglyCorrelated returns the pairs with |ρ| ≥ threshold (e.g. 0.5),
// strongest first.
func (r *Result) StronglyCorrelated(threshold float64) []CorrelatedPair {
	c := r.CorrelationMatrix()
	var out []CorrelatedPair
	for i := range c.Names {
		for j := i + 1; j < len(c.Names); j++ {
			if v := c.Matrix[i][j]; math.Abs(v) >= threshold {
				out = append(out, CorrelatedPair{c.Names[i], c.Names[j], v})
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return math.Abs(out[a].Rho) > math.Abs(out[b].Rho) })
	return out
}

// qc measures the data's SNR (preproc.MeasureSNR), LCModel's S/N and the
// linewidth of the fitted reference singlet.
func (pr *problem) qc(res *Result, td [][]complex128, amps []float64) QC {
	q := QC{Residual: res.Residual(), SNR: math.NaN(), FWHMHz: math.NaN(), FWHMPPM: math.NaN(), SNRLCModel: math.NaN()}
	maxv, rss := math.Inf(-1), 0.0
	for j := range res.Data {
		v := real(res.Data[j] - res.Baseline[j])
		maxv = math.Max(maxv, v)
		d := real(res.Data[j] - res.Model[j])
		rss += d * d
	}
	if rss > 0 {
		q.SNRLCModel = maxv / (2 * math.Sqrt(rss/float64(len(res.Data))))
	}
	q.SNR, q.SNRPeak, q.SNRDefinition = dataSNR(pr.fid, pr.par)
	q.Priors = pr.prior.labels()
	ref := qcReference(res.Names, amps)
	if ref < 0 {
		return q
	}
	q.Reference = res.Names[ref]
	fid := make([]complex128, pr.n)
	for k, v := range td[ref] {
		fid[k] = v * complex(amps[ref], 0)
	}
	fwhm, _ := widthHz(fid, pr.dt)
	q.FWHMHz = fwhm
	q.FWHMPPM = fwhm / pr.hzPerPPM()
	return q
}
