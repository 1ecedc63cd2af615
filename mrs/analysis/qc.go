package analysis

import (
	"encoding/json"
	"math"

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
	// Basis describes the basis set (file name, or the simulated sequence
	// and frequency).
	Basis string `json:"basis"`
	// WaterReference says where the water reference came from (file name,
	// or "same file"); empty without one.
	WaterReference string `json:"water_reference"`
	// Preprocessed is true when mrs/preproc ran before the fit (its QC is
	// in <stem>_preproc_qc.json).
	Preprocessed bool `json:"preprocessed"`
	// SNR is the height of the fitted reference singlet over the noise SD
	// (SNRDefinition says which singlet); SNRLCModel is LCModel's
	// definition (see fit.QC).
	SNR           *float64 `json:"snr"`
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
	// TEms and TRms are the echo and repetition times in ms (TR 0: full
	// relaxation assumed).
	TEms float64 `json:"te_ms"`
	TRms float64 `json:"tr_ms"`
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

// fitQC fills the fit's part of the QC.
func fitQC(res *fit.Result, opt fit.Options) QC {
	return QC{
		SNR:                 finite(res.QC.SNR),
		SNRDefinition:       "height of the fitted " + res.QC.Reference + " singlet over the SD of the real spectrum's noise in -2.5 to -0.5 ppm",
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
