package analysis

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/fit"
	"glusleep/mrs/tissue"
)

// Labels of the tissue fractions' source, as written in _qc.json
// (TissueQC.Source; the segmentation's is "segmentation: <path>").
const (
	SourceDefaults = "fixed defaults GM 0.6/WM 0.4"
	SourceUser     = "fixed: user"
)

// FractionsTolerance is how far fixed fractions may sum from 1.
const FractionsTolerance = 0.02

// TissueSource says where a spectrum's voxel tissue fractions (for water
// scaling) come from: a T1-space segmentation measured in the spectrum's
// voxel, fixed fractions given by the user, or — the zero value — the
// fixed defaults GM 0.6 / WM 0.4 / CSF 0 (the ISMRM 2016 fitting
// challenge's).
type TissueSource struct {
	// Segmentation, when its Type is set, is measured in the voxel (see
	// tissue.Detect for finding the files).
	Segmentation tissue.Files
	// Name is the segmentation as written in outputs ("segmentation:
	// <Name>"): a user's path through DisplayPath (its base name), or a
	// path relative to a dataset's root that its caller made (a study's
	// derivatives/…). An absolute path, or one climbing out with "..",
	// is written as its base name whoever set it. Empty: the first map's
	// file name.
	Name string
	// Fractions, when Fixed, are the user's GM, WM and CSF volume
	// fractions (each 0–1, summing to 1 ± FractionsTolerance).
	Fractions [3]float64
	Fixed     bool
}

// CheckFractions checks fixed GM, WM, CSF fractions: each in 0–1, their
// sum 1 ± FractionsTolerance, some GM or WM.
func CheckFractions(f [3]float64) error {
	sum := 0.0
	for i, v := range f {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("tissue fractions %g,%g,%g: %s is %g, want 0 to 1", f[0], f[1], f[2], [...]string{"GM", "WM", "CSF"}[i], v)
		}
		sum += v
	}
	if math.Abs(sum-1) > FractionsTolerance {
		return fmt.Errorf("tissue fractions %g,%g,%g sum to %g, want 1 ± %g (GM,WM,CSF volume fractions of the voxel)", f[0], f[1], f[2], sum, FractionsTolerance)
	}
	if !(f[0]+f[1] > 0) {
		return fmt.Errorf("tissue fractions %g,%g,%g: the voxel is all CSF, no tissue to quantify", f[0], f[1], f[2])
	}
	return nil
}

// TissueError is AnalyseWith's error when the segmentation cannot give
// the spectrum's tissue fractions (no voxel geometry, a voxel outside the
// segmentation or holding no tissue); a pipeline may fall back to fixed
// fractions, saying so.
type TissueError struct{ Err error }

// Error returns the cause.
func (e *TissueError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *TissueError) Unwrap() error { return e.Err }

// Tissue is a TissueSource made ready: its segmentation and figure image
// read once, shared (read-only) by every spectrum it applies to.
type Tissue struct {
	src   TissueSource
	seg   *tissue.Segmentation
	image *tissue.Volume
	// imageName says what the figure's background is.
	imageName string
}

// LoadTissue checks src and reads its segmentation and the T1 beside it
// (the figure's background; the maps' T1-like contrast when there is
// none or it cannot be read).
func LoadTissue(src TissueSource) (*Tissue, error) {
	t := &Tissue{src: src}
	if src.Fixed {
		if src.Segmentation.Type != "" {
			return nil, fmt.Errorf("give a segmentation or fixed tissue fractions, not both")
		}
		if err := CheckFractions(src.Fractions); err != nil {
			return nil, err
		}
		return t, nil
	}
	if src.Segmentation.Type == "" {
		return t, nil
	}
	seg, err := src.Segmentation.Read()
	if err != nil {
		return nil, fmt.Errorf("segmentation %s: %w", t.name(), err)
	}
	t.seg = seg
	t.image, t.imageName = seg.Contrast(), "tissue maps (no T1 found beside them)"
	if p := src.Segmentation.T1; p != "" {
		img, err := tissue.ReadVolume(p)
		if err != nil {
			t.imageName = fmt.Sprintf("tissue maps (the T1 %s is unreadable: %v)", filepath.Base(p), err)
		} else {
			t.image, t.imageName = img, filepath.Base(p)
		}
	}
	return t, nil
}

// name returns the segmentation's name in outputs: its Name, a relative
// path as given (cleaned, forward slashes) and any other (absolute, or
// climbing out with "..") as its base name, never depending on the
// working folder; else its first file's base name.
func (t *Tissue) name() string {
	if n := t.src.Name; n != "" {
		if c := filepath.Clean(n); !filepath.IsAbs(c) && c != ".." && !strings.HasPrefix(c, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(c)
		}
		return DisplayPath(n)
	}
	if p := t.src.Segmentation.Paths(); len(p) > 0 {
		return filepath.Base(p[0])
	}
	return ""
}

// TissueQC is the _qc.json record of the voxel's tissue fractions.
type TissueQC struct {
	// Source is "segmentation: <path>", "fixed defaults GM 0.6/WM 0.4" or
	// "fixed: user".
	Source string `json:"source"`
	// Segmentation names the segmentation's convention (FSL FAST, SPM,
	// BIDS probseg, labels) and Files its files (names without folders);
	// empty for fixed fractions.
	Segmentation string   `json:"segmentation,omitempty"`
	Files        []string `json:"segmentation_files,omitempty"`
	// GM, WM and CSF are the volume fractions of the voxel (measured: the
	// mean partial volumes, not normalised; fixed: as given).
	GM  float64 `json:"fraction_gm"`
	WM  float64 `json:"fraction_wm"`
	CSF float64 `json:"fraction_csf"`
	// Other is the share of the voxel inside the segmentation's grid that
	// is none of GM, WM and CSF, Outside the share outside the grid
	// (segmentation only).
	Other   *float64 `json:"fraction_other,omitempty"`
	Outside *float64 `json:"fraction_outside_grid,omitempty"`
	// Samples is the number of points sampled in the voxel and
	// SampleStepMM their largest spacing in mm (segmentation only).
	Samples      int     `json:"samples,omitempty"`
	SampleStepMM float64 `json:"sample_step_mm,omitempty"`
	// FigureImage is what <stem>_voxel.svg draws the voxel on (a T1's file
	// name, or the maps' contrast); empty without a figure.
	FigureImage string `json:"figure_image,omitempty"`
}

// relaxation returns base with its unset relaxation times filled from
// the literature at d's field strength (fit.RelaxationAt at the nominal
// 1.5 or 3 T, for headers within 0.15 T of it),
// and says where they came from; at other or unknown fields fit.Tissue's
// defaults (3 T, the ISMRM 2016 fitting challenge's) apply.
func relaxation(d *mrs.Data, base fit.Tissue) (fit.Tissue, string) {
	nominal := d.FieldStrength
	for _, n := range []float64{1.5, 3} {
		// Scanners state their exact field (Siemens "3 T": 2.89 T).
		if math.Abs(d.FieldStrength-n) <= 0.15 {
			nominal = n
		}
	}
	lit, err := fit.RelaxationAt(nominal)
	if d.FieldStrength == 0 || err != nil {
		why := "field strength unknown"
		if d.FieldStrength != 0 {
			why = fmt.Sprintf("no literature set for %g T", d.FieldStrength)
		}
		return base, "glusleep defaults (the ISMRM 2016 fitting challenge's: water T2 GM 110 / WM 80 ms, metabolite T2 160 ms; " + why + ")"
	}
	fill := func(v *float64, l float64) {
		if *v == 0 {
			*v = l
		}
	}
	fill(&base.T1GM, lit.T1GM)
	fill(&base.T2GM, lit.T2GM)
	fill(&base.T1WM, lit.T1WM)
	fill(&base.T2WM, lit.T2WM)
	fill(&base.T1CSF, lit.T1CSF)
	fill(&base.T2CSF, lit.T2CSF)
	fill(&base.MetaboliteT1, lit.MetaboliteT1)
	fill(&base.MetaboliteT2, lit.MetaboliteT2)
	return base, fmt.Sprintf("literature at %g T (fit.RelaxationAt; header %g T)", nominal, d.FieldStrength)
}

// fractions returns tis with the voxel's tissue fractions from t (nil: the
// fixed defaults), their QC record, the voxel figure (SVG, "" when none)
// and notes.
func (t *Tissue) fractions(d *mrs.Data, tis fit.Tissue, title string) (fit.Tissue, TissueQC, string, []string, error) {
	var err error
	switch {
	case t == nil || (!t.src.Fixed && t.seg == nil):
		tis, err = tis.WithFractions(0.6, 0.4, 0, SourceDefaults)
		return tis, TissueQC{Source: SourceDefaults, GM: 0.6, WM: 0.4}, "", nil, err
	case t.src.Fixed:
		f := t.src.Fractions
		tis, err = tis.WithFractions(f[0], f[1], f[2], SourceUser)
		return tis, TissueQC{Source: SourceUser, GM: f[0], WM: f[1], CSF: f[2]}, "", nil, err
	}
	return t.measure(d, tis, title)
}

// measure measures the segmentation in d's voxel.
func (t *Tissue) measure(d *mrs.Data, tis fit.Tissue, title string) (fit.Tissue, TissueQC, string, []string, error) {
	var notes []string
	q := TissueQC{Source: "segmentation: " + t.name(), Segmentation: t.seg.Source}
	for _, p := range t.src.Segmentation.Paths() {
		if p != t.src.Segmentation.T1 {
			q.Files = append(q.Files, filepath.Base(p))
		}
	}
	vox := d.Voxel
	if !(vox.Size[0] > 0 && vox.Size[1] > 0 && vox.Size[2] > 0) {
		return tis, q, "", notes, fmt.Errorf("segmentation %s: the spectrum has no voxel geometry (size %v mm), so the voxel cannot be placed on the T1: use a format that records it (NIfTI-MRS, DICOM, RDA, SPAR/SDAT, GE P-file) or give fixed tissue fractions", t.name(), vox.Size)
	}
	f, err := tissue.Measure(t.seg, vox)
	if err != nil {
		if f.Samples > 0 && f.Outside > tissue.MaxOutside {
			return tis, q, "", notes, fmt.Errorf("segmentation %s does not cover the voxel (centre %.1f, %.1f, %.1f mm %s): %w", t.name(), vox.Centre[0], vox.Centre[1], vox.Centre[2], frameName(vox.Frame), err)
		}
		return tis, q, "", notes, fmt.Errorf("segmentation %s: %w", t.name(), err)
	}
	gm, wm, csf, err := f.Normalised()
	if err != nil {
		return tis, q, "", notes, fmt.Errorf("segmentation %s: %w", t.name(), err)
	}
	q.GM, q.WM, q.CSF = f.GM, f.WM, f.CSF
	other := 1 - f.Outside - f.GM - f.WM - f.CSF
	if other < 1e-6 { // float32 maps summing to 1: rounding only
		other = 0
	}
	q.Other, q.Outside = &other, &f.Outside
	q.Samples, q.SampleStepMM = f.Samples, f.StepMM
	if other > 0.05 {
		notes = append(notes, fmt.Sprintf("%.0f%% of the voxel is neither GM, WM nor CSF in the segmentation (skull, vessels or unlabelled): fractions normalised over GM+WM+CSF", 100*other))
	}
	if tis, err = tis.WithFractions(gm, wm, csf, q.Source); err != nil {
		return tis, q, "", notes, err
	}
	svg, err := tissue.Figure(t.image, vox, title+" — voxel on "+t.imageName)
	if err != nil {
		notes = append(notes, "no voxel figure: "+err.Error())
		return tis, q, "", notes, nil
	}
	q.FigureImage = t.imageName
	return tis, q, svg, notes, nil
}

func frameName(f string) string {
	if f == "" {
		return "RAS"
	}
	return f
}
