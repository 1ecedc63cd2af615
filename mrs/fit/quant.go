package fit

import (
	"fmt"
	"math"
	"math/cmplx"

	"glusleep/mrs"
	"glusleep/mrs/naming"
)

// Combination names a sum of metabolites reported as one, e.g. Glx.
type Combination struct {
	// Name is the reported name, e.g. "Glx".
	Name string
	// Parts are the basis metabolites summed.
	Parts []string
}

// StandardCombinations are the sums glusleep reports when all their parts
// are in the basis (under glusleep's names or other tools', e.g. PCh): Glx (Glu+Gln), tNAA (NAA+NAAG), tCr (Cr+PCr),
// tCho (GPC+PCho).
var StandardCombinations = []Combination{
	{"Glx", []string{"Glu", "Gln"}},
	{"tNAA", []string{"NAA", "NAAG"}},
	{"tCr", []string{"Cr", "PCr"}},
	{"tCho", []string{"GPC", "PCho"}},
}

// Row is one line of a fit table.
type Row struct {
	// Name is the metabolite or combination.
	Name string
	// Amplitude is the fitted amplitude in basis units.
	Amplitude float64
	// SD is its Cramér–Rao lower bound (basis units).
	SD float64
	// CRLBPercent is 100·SD/Amplitude; NaN when the amplitude is 0.
	CRLBPercent float64
	// RatioTCr is Amplitude over total creatine (Cr+PCr, or Cr alone when the
	// basis has no PCr); NaN when there is no creatine.
	RatioTCr float64
	// ConcMM is the water-scaled concentration in mM; NaN when the fit was
	// not water scaled.
	ConcMM float64
	// Combination is true for sums of metabolites.
	Combination bool
}

// resolve returns the basis name of the metabolite glusleep calls n: n
// itself, or another tool's name for it (PCh for PCho, Scyllo for sIns;
// naming.CanonicalName), else n.
func (r *Result) resolve(n string) string {
	if r.Index(n) >= 0 {
		return n
	}
	for _, m := range r.Names {
		if naming.CanonicalName(m) == n {
			return m
		}
	}
	return n
}

// Table returns one row per basis metabolite followed by the standard
// combinations whose parts are all present. scale converts amplitudes to mM
// (see WaterScale); pass NaN when there is no water reference.
func (r *Result) Table(scale float64) []Row {
	tcr, _, ok := r.Combination("Cr", "PCr")
	if !ok {
		tcr, _, ok = r.Combination("Cr")
	}
	if !ok || tcr <= 0 {
		tcr = math.NaN()
	}
	mk := func(name string, amp, sd float64, combo bool) Row {
		row := Row{Name: name, Amplitude: amp, SD: sd, Combination: combo,
			CRLBPercent: math.NaN(), RatioTCr: amp / tcr, ConcMM: amp * scale}
		if amp > 0 {
			row.CRLBPercent = 100 * sd / amp
		}
		return row
	}
	rows := make([]Row, 0, len(r.Names)+len(StandardCombinations))
	for i, n := range r.Names {
		rows = append(rows, mk(n, r.Amplitudes[i], r.SD[i], false))
	}
	for _, c := range StandardCombinations {
		parts := make([]string, len(c.Parts))
		for i, n := range c.Parts {
			parts[i] = r.resolve(n)
		}
		if amp, sd, ok := r.Combination(parts...); ok {
			rows = append(rows, mk(c.Name, amp, sd, true))
		}
	}
	return rows
}

// Tissue gives the voxel's tissue fractions (they need not sum to 1: they
// are normalised) and relaxation times for water scaling. Zero values take
// the defaults stated per field.
type Tissue struct {
	// GM, WM, CSF are volume fractions (default 0.6, 0.4, 0 as in the ISMRM
	// 2016 fitting challenge).
	GM, WM, CSF float64
	// WaterContentGM, WM, CSF are the water contents in g/mL (defaults 0.78,
	// 0.65, 0.97; Ernst et al. 1993, as FSL-MRS and Osprey use).
	WaterContentGM, WaterContentWM, WaterContentCSF float64
	// T2 of water in GM, WM and CSF in s (defaults 0.110, 0.080, 0.503 at
	// 3 T; the first two as the fitting challenge states); T1 likewise
	// (defaults 1.820, 1.084, 4.163 at 3 T, Wansapura et al. 1999 as used by
	// Osprey).
	T2GM, T2WM, T2CSF, T1GM, T1WM, T1CSF float64
	// MetaboliteT2 and MetaboliteT1 in s (defaults 0.160 and 1.5 s).
	MetaboliteT2, MetaboliteT1 float64
	// FractionsFrom says where GM, WM and CSF came from: a segmentation
	// (e.g. "FSL FAST") or, when they were left zero, "fixed defaults".
	FractionsFrom string `json:",omitempty"`
}

func (t Tissue) withDefaults() Tissue {
	if t.GM == 0 && t.WM == 0 && t.CSF == 0 {
		t.GM, t.WM = 0.6, 0.4
		if t.FractionsFrom == "" {
			t.FractionsFrom = "fixed defaults (GM 0.6, WM 0.4, CSF 0)"
		}
	}
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&t.WaterContentGM, 0.78)
	def(&t.WaterContentWM, 0.65)
	def(&t.WaterContentCSF, 0.97)
	def(&t.T2GM, 0.110)
	def(&t.T2WM, 0.080)
	def(&t.T2CSF, 0.503)
	def(&t.T1GM, 1.820)
	def(&t.T1WM, 1.084)
	def(&t.T1CSF, 4.163)
	def(&t.MetaboliteT2, 0.160)
	def(&t.MetaboliteT1, 1.5)
	return t
}

// WaterMolarMass is the molar mass of water in g/mol; 1 g/mL of water is
// 1000/18.015 = 55.51 mol/L.
const WaterMolarMass = 18.015

// WaterScaling records how concentrations were computed, for the output's
// provenance.
type WaterScaling struct {
	// Method names the formula.
	Method string `json:"method"`
	// Tissue holds the fractions and relaxation times used.
	Tissue Tissue `json:"tissue"`
	// TE is the echo time in s.
	TE float64 `json:"te_s"`
	// TR is the repetition time in s (0: full relaxation assumed).
	TR float64 `json:"tr_s"`
	// WaterConcMM is the relaxation-corrected water concentration in mM.
	WaterConcMM float64 `json:"water_conc_mm"`
	// MetaboliteRelaxation is the factor dividing metabolite signals
	// (dimensionless).
	MetaboliteRelaxation float64 `json:"metabolite_relaxation"`
	// WaterArea is the water reference's signal (first-point magnitude of
	// its FID, in that FID's units; see WaterArea).
	WaterArea float64 `json:"water_area"`
	// ProtonScale is the basis signal per proton (basis units; see
	// basis.Set.ProtonScale).
	ProtonScale float64 `json:"basis_proton_scale"`
	// ProtonScaleFrom says how ProtonScale was found.
	ProtonScaleFrom string `json:"basis_proton_scale_from,omitempty"`
	// Scale converts fit amplitudes to concentrations (mM per amplitude
	// unit).
	Scale float64 `json:"scale_mm_per_amplitude"`
}

// WaterScale returns the factor converting fit amplitudes to mM, following
// the formula of the ISMRM 2016 fitting challenge and of FSL-MRS and Osprey
// (Gasparovic et al. 2006):
//
//	conc = amplitude · protonScale / (waterArea / 2) · [H2O] · Σ_t f_t·d_t·R_w,t / (R_m·(1 − f_CSF))
//
// where protonScale is the basis's signal per proton (see ProtonScale;
// waterArea/2 is the water reference's signal per proton), [H2O] =
// 1000/18.015 mol/L per g/mL, d_t the water contents, f_t the tissue
// fractions and R = exp(−TE/T2)·(1 − exp(−TR/T1)) (TR = 0: full
// relaxation).
func WaterScale(waterArea, protonScale, te, tr float64, tis Tissue) (WaterScaling, error) {
	if !(waterArea > 0) || math.IsInf(waterArea, 0) {
		return WaterScaling{}, fmt.Errorf("fit: water reference area %g, want > 0", waterArea)
	}
	if !(protonScale > 0) || math.IsInf(protonScale, 0) {
		return WaterScaling{}, fmt.Errorf("fit: basis proton scale %g, want > 0", protonScale)
	}
	tis = tis.withDefaults()
	sum := tis.GM + tis.WM + tis.CSF
	if !(sum > 0) || tis.GM < 0 || tis.WM < 0 || tis.CSF < 0 {
		return WaterScaling{}, fmt.Errorf("fit: tissue fractions GM %g WM %g CSF %g, want ≥ 0 with a positive sum", tis.GM, tis.WM, tis.CSF)
	}
	gm, wm, csf := tis.GM/sum, tis.WM/sum, tis.CSF/sum
	if csf >= 1 {
		return WaterScaling{}, fmt.Errorf("fit: voxel is all CSF: no tissue to quantify")
	}
	r := func(t2, t1 float64) float64 {
		v := math.Exp(-te / t2)
		if tr > 0 {
			v *= 1 - math.Exp(-tr/t1)
		}
		return v
	}
	h2o := 1000 / WaterMolarMass * 1000 // mM per g/mL
	wconc := h2o * (gm*tis.WaterContentGM*r(tis.T2GM, tis.T1GM) +
		wm*tis.WaterContentWM*r(tis.T2WM, tis.T1WM) +
		csf*tis.WaterContentCSF*r(tis.T2CSF, tis.T1CSF))
	rm := r(tis.MetaboliteT2, tis.MetaboliteT1)
	scale := protonScale / (waterArea / 2) * wconc / rm / (1 - csf)
	return WaterScaling{
		Method:               "water-scaled, tissue- and relaxation-corrected (Gasparovic 2006; ISMRM 2016 fitting challenge formula)",
		Tissue:               tis,
		TE:                   te,
		TR:                   tr,
		WaterConcMM:          wconc,
		MetaboliteRelaxation: 1 / rm,
		WaterArea:            waterArea,
		ProtonScale:          protonScale,
		Scale:                scale,
	}, nil
}

// WaterArea returns the signal of a water reference FID at t = 0 (its
// spectral area): the magnitude of the first points extrapolated to t = 0
// by a least-squares line through log|FID| over the first 16 points (or
// |FID(0)| when the FID is shorter or does not decay), robust to noise in
// any one point. p is unused today and kept for eddy-current–aware methods.
func WaterArea(fid []complex128, p mrs.Params) (float64, error) {
	if len(fid) == 0 {
		return 0, fmt.Errorf("fit: water reference has no points")
	}
	k := min(16, len(fid))
	var sx, sy, sxx, sxy float64
	ok := true
	for i := 0; i < k; i++ {
		m := cmplx.Abs(fid[i])
		if !(m > 0) || math.IsInf(m, 0) {
			ok = false
			break
		}
		x, y := float64(i), math.Log(m)
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	a := cmplx.Abs(fid[0])
	if ok && k >= 4 {
		n := float64(k)
		b := (n*sxy - sx*sy) / (n*sxx - sx*sx)
		if b <= 0 {
			a = math.Exp((sy - b*sx) / n)
		}
	}
	if !(a > 0) || math.IsInf(a, 0) || math.IsNaN(a) {
		return 0, fmt.Errorf("fit: water reference signal %g, want > 0", a)
	}
	return a, nil
}

// WithFractions returns t with measured tissue volume fractions (e.g. from
// package mrs/tissue) in place of the fixed defaults; source names where
// they came from. The fractions need not sum to 1 (WaterScale normalises
// them) but must be finite, ≥ 0, with a positive sum and not all CSF.
func (t Tissue) WithFractions(gm, wm, csf float64, source string) (Tissue, error) {
	for _, v := range []float64{gm, wm, csf} {
		if !(v >= 0) || math.IsInf(v, 0) {
			return t, fmt.Errorf("fit: tissue fractions GM %g WM %g CSF %g, want finite values ≥ 0", gm, wm, csf)
		}
	}
	if !(gm+wm > 0) {
		return t, fmt.Errorf("fit: tissue fractions GM %g WM %g CSF %g: no GM or WM to quantify", gm, wm, csf)
	}
	t.GM, t.WM, t.CSF, t.FractionsFrom = gm, wm, csf, source
	return t, nil
}

// RelaxationAt returns the water (GM, WM, CSF) and metabolite relaxation
// times in s that the literature gives for B0 = fieldT tesla (1.5 or 3,
// ±0.1 T), the sets spant's Gasparovic scaling uses by field:
//
//	1.5 T: T1/T2 GM 1.304/0.093, WM 0.660/0.073 and metabolites 1.153/0.347
//	       (Gasparovic et al. 2006, MRM 55:1219, p. 1223; metabolites the
//	       mean of NAA, Cr and Cho), CSF 2.39/0.23 (Ibrahim et al.);
//	3 T:   GM 1.331/0.110, WM 0.832/0.0796 (Wansapura et al. 1999, JMRI
//	       9:531, tables 7 and 2), CSF T1 3.817 (Lu et al. 2005), CSF T2
//	       0.503 (Piechnik et al. 2009), metabolites 1.317/0.207 (Mlynárik
//	       et al. 2001, means over NAA, Cr and Cho). Osprey's
//	       OspreyQuantify uses the same 3 T water values except WM T2
//	       0.0792 s.
//
// Fractions and water contents are left zero (WaterScale's defaults).
func RelaxationAt(fieldT float64) (Tissue, error) {
	switch {
	case math.Abs(fieldT-1.5) <= 0.1:
		return Tissue{T1GM: 1.304, T2GM: 0.093, T1WM: 0.660, T2WM: 0.073, T1CSF: 2.39, T2CSF: 0.23,
			MetaboliteT1: 1.153, MetaboliteT2: 0.347}, nil
	case math.Abs(fieldT-3) <= 0.1:
		return Tissue{T1GM: 1.331, T2GM: 0.110, T1WM: 0.832, T2WM: 0.0796, T1CSF: 3.817, T2CSF: 0.503,
			MetaboliteT1: 1.317, MetaboliteT2: 0.207}, nil
	}
	return Tissue{}, fmt.Errorf("fit: no literature relaxation times for %g T (glusleep has 1.5 T and 3 T)", fieldT)
}
