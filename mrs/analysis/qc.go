package analysis

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"glusleep/mrs/fit"
	"glusleep/mrs/preproc"
)

// QC is the content of <stem>_qc.json, the one description of a fitted
// spectrum's quality that every entry point (mrs fit, run … participant,
// the demo) writes. Numbers that are not finite are written null. It holds
// no run-specific facts (timings, absolute paths), so the same inputs and
// settings give the same bytes.
type QC struct {
	// Input is the spectrum's file name (no folder) and Format the reader
	// that read it (see mrsio.Dataset.Format).
	Input  string `json:"input"`
	Format string `json:"format"`
	// Acquisition is what the spectrum's file says of its acquisition,
	// with the source (a flag, the basis, a sidecar) of each value its
	// header lacks.
	Acquisition Acquisition `json:"acquisition"`
	// Basis describes the basis set (file name, or the simulated sequence
	// and frequency).
	Basis string `json:"basis"`
	// WaterReference says where the water reference came from (file name,
	// or "same file"); empty without one.
	WaterReference string `json:"water_reference"`
	// Preprocessed is true when mrs/preproc ran before the fit (its QC is
	// in <stem>_preproc_qc.json).
	Preprocessed bool `json:"preprocessed"`
	// SNR is the data's signal-to-noise ratio by the one definition every
	// glusleep output uses (preproc.SNRFormula, written in SNRDefinition;
	// SNRPeak names the singlet measured); null, with the reason in
	// SNRDefinition, when it cannot be measured. SNRLCModel is LCModel's
	// S/N for comparison (see fit.QC).
	SNR           *float64 `json:"snr"`
	SNRPeak       string   `json:"snr_peak"`
	SNRDefinition string   `json:"snr_definition"`
	SNRLCModel    *float64 `json:"snr_lcmodel"`
	// FWHMPPM and FWHMHz are the linewidth of LinewidthMetabolite's fitted
	// singlet, in ppm and Hz.
	FWHMPPM             *float64 `json:"fwhm_ppm"`
	FWHMHz              *float64 `json:"fwhm_hz"`
	LinewidthMetabolite string   `json:"linewidth_metabolite"`
	// Phase0Deg (degrees) and Phase1DegPerPPM (degrees per ppm) are the
	// fitted phases.
	Phase0Deg       float64 `json:"phase0_deg"`
	Phase1DegPerPPM float64 `json:"phase1_deg_per_ppm"`
	// ShiftHz and LorentzHz are per lineshape group (metabolites,
	// macromolecules, lipids): frequency shift and Lorentzian FWHM in Hz;
	// GaussHz the global Gaussian FWHM in Hz.
	ShiftHz   []float64 `json:"shift_hz"`
	LorentzHz []float64 `json:"lorentz_hz"`
	GaussHz   float64   `json:"gauss_hz"`
	// ResidualSD is the RMS real residual in noise SDs.
	ResidualSD *float64 `json:"residual_sd"`
	// BaselineEDPerPPM is the baseline's effective dimension per ppm;
	// Iterations the Levenberg–Marquardt iterations taken.
	BaselineEDPerPPM float64 `json:"baseline_ed_per_ppm"`
	Iterations       int     `json:"iterations"`
	// FitRangePPM is the fit range in ppm.
	FitRangePPM [2]float64 `json:"fit_range_ppm"`
	// Tissue are the voxel's tissue fractions and where they came from
	// (a segmentation or fixed fractions, labelled as such).
	Tissue TissueQC `json:"tissue"`
	// Phantom is true when the spectrum was fitted as a phantom (declared,
	// or detected by the referencing: fit.ForPhantom).
	Phantom bool `json:"phantom"`
	// Referencing is how the preprocessing referenced the spectrum: the
	// peaks used, the peak sets tried, phantom detection and water's
	// shift (preproc.Referencing); absent when not preprocessed.
	Referencing *preproc.Referencing `json:"referencing,omitempty"`
	// Flags are the named warnings about implausible results (fit.Flags:
	// tcr_zero, ratio_implausible, crlb_undetermined,
	// reference_peak_absent, referencing_fallback); empty when the fit
	// passed those checks.
	Flags []fit.Flag `json:"flags"`
	// Priors are the soft constraints the fit applied (fit.QC.Priors).
	Priors []string `json:"priors"`
	// Correlation is the correlation matrix of the fitted amplitudes
	// (null where an amplitude's SD is 0); StronglyCorrelated lists the
	// pairs with |ρ| ≥ StrongCorrelation, strongest first: their
	// amplitudes share signal and only their sum is well determined.
	Correlation        Correlation      `json:"correlation"`
	StronglyCorrelated []CorrelatedPair `json:"strongly_correlated"`
	// Quantification says how concentrations (conc_mm) were computed;
	// absent without water scaling.
	Quantification *Quantification `json:"quantification,omitempty"`
	// Notes are what the reader should know (preprocessing, truncation,
	// why there are no concentrations).
	Notes []string `json:"notes"`
}

// PreprocQC is the content of <stem>_preproc_qc.json, written by every
// entry point that preprocesses a spectrum (mrs preproc, and the pipeline
// when it preprocesses).
type PreprocQC struct {
	// Input is the spectrum's file name (no folder), Format its reader and
	// WaterReference where its water reference came from (empty: none).
	Input          string `json:"input"`
	Format         string `json:"format"`
	WaterReference string `json:"water_reference"`
	// QC are the preprocessing measures (SNR, line widths, water
	// suppression, drift, rejected transients, steps applied).
	QC preproc.QC `json:"qc"`
}

// JSON returns the preprocessing QC as indented JSON ending in a newline.
func (q *PreprocQC) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(q, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Quantification records the water scaling of a fit (fit.WaterScale), in
// the field's units: times in ms, concentrations in mM.
type Quantification struct {
	// Method names the formula.
	Method string `json:"method"`
	// TEms and TRms are the echo and repetition times in ms used (TR 0:
	// full relaxation assumed, no T1 correction).
	TEms float64 `json:"te_ms"`
	TRms float64 `json:"tr_ms"`
	// Sources says where te_ms and tr_ms came from when not from the
	// spectrum's header, as Acquisition.Sources does: "flag" for a value
	// given to override the header's (Settings.EchoTime,
	// Settings.RepetitionTime), else for TE the input's own source (a
	// flag or a sidecar for a file without TE), for TR the input's own
	// source (a sidecar), or "assumed" when the input has no plausible TR
	// and none was given (tr_ms 0: full relaxation); a key is absent when
	// the header gave its value.
	Sources map[string]string `json:"sources,omitempty"`
	// GM, WM and CSF are the tissue volume fractions used (normalised);
	// FractionsFrom where they came from (as TissueQC.Source).
	GM            float64 `json:"fraction_gm"`
	WM            float64 `json:"fraction_wm"`
	CSF           float64 `json:"fraction_csf"`
	FractionsFrom string  `json:"fractions_from"`
	// WaterContent are the water contents of GM, WM and CSF in g/mL.
	WaterContent [3]float64 `json:"water_content_gm_wm_csf_g_per_ml"`
	// WaterT2ms and WaterT1ms are water's relaxation times in GM, WM and
	// CSF in ms; MetaboliteT2ms and MetaboliteT1ms the metabolites'.
	WaterT2ms      [3]float64 `json:"water_t2_gm_wm_csf_ms"`
	WaterT1ms      [3]float64 `json:"water_t1_gm_wm_csf_ms"`
	MetaboliteT2ms float64    `json:"metabolite_t2_ms"`
	MetaboliteT1ms float64    `json:"metabolite_t1_ms"`
	// RelaxationFrom says where the relaxation times came from (the
	// literature at the spectrum's field strength, or the defaults).
	RelaxationFrom string `json:"relaxation_from"`
	// WaterConcMM is the relaxation-corrected water concentration in mM;
	// MetaboliteRelaxation the factor dividing metabolite signals.
	WaterConcMM          float64 `json:"water_conc_mm"`
	MetaboliteRelaxation float64 `json:"metabolite_relaxation"`
	// WaterArea is the water reference's signal at t = 0; ProtonScale the
	// basis signal per proton and ProtonScaleFrom how it was found; Scale
	// the mM per amplitude unit.
	WaterArea       float64 `json:"water_area"`
	ProtonScale     float64 `json:"basis_proton_scale"`
	ProtonScaleFrom string  `json:"basis_proton_scale_from"`
	Scale           float64 `json:"scale_mm_per_amplitude"`
}

func quantification(w fit.WaterScaling) *Quantification {
	t := w.Tissue
	sum := t.GM + t.WM + t.CSF
	return &Quantification{Method: w.Method, TEms: 1000 * w.TE, TRms: 1000 * w.TR,
		GM: t.GM / sum, WM: t.WM / sum, CSF: t.CSF / sum, FractionsFrom: t.FractionsFrom,
		WaterContent:   [3]float64{t.WaterContentGM, t.WaterContentWM, t.WaterContentCSF},
		WaterT2ms:      [3]float64{1000 * t.T2GM, 1000 * t.T2WM, 1000 * t.T2CSF},
		WaterT1ms:      [3]float64{1000 * t.T1GM, 1000 * t.T1WM, 1000 * t.T1CSF},
		MetaboliteT2ms: 1000 * t.MetaboliteT2, MetaboliteT1ms: 1000 * t.MetaboliteT1,
		WaterConcMM: w.WaterConcMM, MetaboliteRelaxation: w.MetaboliteRelaxation,
		WaterArea: w.WaterArea, ProtonScale: w.ProtonScale, ProtonScaleFrom: w.ProtonScaleFrom, Scale: w.Scale}
}

// StrongCorrelation is the |ρ| from which QC.StronglyCorrelated lists a
// pair of amplitudes.
const StrongCorrelation = 0.5

// Correlation is fit.Correlation for JSON: values rounded to three
// decimals, null where undefined.
type Correlation struct {
	// Names are the components, in the order of Matrix's rows and columns.
	Names []string `json:"names"`
	// Matrix holds the correlations ρ_ij (−1 to 1).
	Matrix [][]*float64 `json:"matrix"`
}

// CorrelatedPair is a strongly correlated pair of amplitudes.
type CorrelatedPair struct {
	// A and B name the components; Rho is their correlation (−1 to 1,
	// three decimals).
	A   string  `json:"a"`
	B   string  `json:"b"`
	Rho float64 `json:"rho"`
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// correlation converts the fit's correlation matrix and strong pairs.
func correlation(res *fit.Result) (Correlation, []CorrelatedPair) {
	c := res.CorrelationMatrix()
	out := Correlation{Names: c.Names, Matrix: make([][]*float64, len(c.Matrix))}
	for i, row := range c.Matrix {
		out.Matrix[i] = make([]*float64, len(row))
		for j, v := range row {
			out.Matrix[i][j] = finite(round3(v))
		}
	}
	pairs := []CorrelatedPair{}
	for _, p := range res.StronglyCorrelated(StrongCorrelation) {
		pairs = append(pairs, CorrelatedPair{A: p.A, B: p.B, Rho: round3(p.Rho)})
	}
	return out, pairs
}

// flags returns fit.Flags of res for a brain spectrum or a phantom, with
// the referencing's warning (ref may be nil); never nil.
func flags(res *fit.Result, phantom bool, ref *preproc.Referencing) []fit.Flag {
	ctx := fit.FlagContext{Phantom: phantom}
	if ref != nil {
		ctx.ReferencingWarning = ref.Warning
	}
	f := fit.Flags(res, ctx)
	if f == nil {
		f = []fit.Flag{}
	}
	return f
}

// FlagNames returns the names of the QC's flags, in order, without
// repeats.
func (q *QC) FlagNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range q.Flags {
		if !seen[f.Name] {
			seen[f.Name] = true
			out = append(out, f.Name)
		}
	}
	return out
}

// ReferencingSummary describes in one line how the spectrum was
// referenced (peaks used, water's shift and temperature, phantom
// detection) and whether it was fitted as a phantom; "" when it was
// neither referenced nor fitted as a phantom.
func (q *QC) ReferencingSummary() string {
	var parts []string
	if r := q.Referencing; r != nil {
		s := "referenced by " + r.Method
		if len(r.Peaks) > 0 {
			var pk []string
			for _, p := range r.Peaks {
				pk = append(pk, fmt.Sprintf("%s %.3f ppm", p.Name, p.PPM))
			}
			s += " (" + strings.Join(pk, ", ") + ")"
		}
		if r.WaterPPM != 0 {
			s += fmt.Sprintf("; water at %.2f ppm (%.0f °C)", r.WaterPPM, r.TemperatureC)
		}
		if r.Phantom {
			s += "; a phantom"
			if r.PhantomReason != "" {
				s += " (" + r.PhantomReason + ")"
			}
		}
		parts = append(parts, s)
	}
	if q.Phantom {
		parts = append(parts, "fitted as a phantom")
	}
	return strings.Join(parts, "; ")
}

// fitQC fills the fit's part of the QC.
func fitQC(res *fit.Result, opt fit.Options) QC {
	corr, pairs := correlation(res)
	priors := res.QC.Priors
	if priors == nil {
		priors = []string{}
	}
	return QC{
		SNR:                 finite(res.QC.SNR),
		SNRPeak:             res.QC.SNRPeak,
		SNRDefinition:       res.QC.SNRDefinition,
		Priors:              priors,
		Correlation:         corr,
		StronglyCorrelated:  pairs,
		SNRLCModel:          finite(res.QC.SNRLCModel),
		FWHMPPM:             finite(res.QC.FWHMPPM),
		FWHMHz:              finite(res.QC.FWHMHz),
		LinewidthMetabolite: res.QC.Reference,
		Phase0Deg:           res.Phase0,
		Phase1DegPerPPM:     res.Phase1,
		ShiftHz:             res.ShiftHz,
		LorentzHz:           res.LorentzHz,
		GaussHz:             res.GaussHz,
		ResidualSD:          finite(res.QC.Residual),
		BaselineEDPerPPM:    res.BaselineEDPerPPM,
		Iterations:          res.Iterations,
		FitRangePPM:         [2]float64{opt.PPMLow, opt.PPMHigh},
		Notes:               []string{},
	}
}

// JSON returns the QC as indented JSON ending in a newline.
func (q *QC) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(q, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
