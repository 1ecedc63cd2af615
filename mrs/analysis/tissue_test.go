package analysis_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/tissue"
	"glusleep/synth"
)

// layers is the synthetic T1 segmentation of these tests: tissue by world
// x (CSF below −3.7 mm, GM to 8.45 mm, WM beyond) on a 1 × 1 × 1.2 mm grid
// turned 10° about x.
var layers = synth.LayeredSpec{
	Dims: [3]int{80, 64, 64}, SpacingMM: [3]float64{1, 1, 1.2}, RotXDeg: 10,
	OriginMM: [3]float64{-40.3, -30.25, -36.1}, CSFToGM: -3.7, GMToWM: 8.45,
}

// writeFAST writes the layers as FSL FAST maps t1_pve_0/1/2 (and the
// T1-like image t1.nii.gz) in dir and returns the pve_1 path.
func writeFAST(t *testing.T, dir string) string {
	t.Helper()
	l, err := synth.LayeredSegmentation(layers)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]*tissue.Volume{"t1_pve_0.nii.gz": l.CSF, "t1_pve_1.nii.gz": l.GM, "t1_pve_2.nii.gz": l.WM, "t1.nii.gz": l.T1} {
		if err := tissue.WriteVolume(filepath.Join(dir, name), v); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "t1_pve_1.nii.gz")
}

// writeVoxelSpectrum writes the synthetic spectrum of writeSpectrum as a
// 3 T acquisition with voxel vox, and its water reference (FID(0) area).
func writeVoxelSpectrum(t *testing.T, a *analysis.Analyzer, dir string, vox mrs.Voxel, area float64) string {
	t.Helper()
	p := params
	p.FieldStrength, p.Voxel = 2.9, vox
	set, err := a.Basis(p, 1024)
	if err != nil {
		t.Fatal(err)
	}
	fid, _, err := synth.Spectrum(synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: p.Dwell, Amplitudes: amplitudes,
		LorentzHz: 4, GaussHz: 3, NoiseSD: 0.5}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "sub-01_svs.nii.gz")
	if err := nifti.WriteData(in, &mrs.Data{Params: p, FIDs: [][]complex128{fid}}); err != nil {
		t.Fatal(err)
	}
	w := make([]complex128, 1024)
	for k := range w {
		w[k] = complex(area, 0) * cmplx.Exp(complex(-math.Pi*5*float64(k)*p.Dwell, 0))
	}
	if err := nifti.WriteData(filepath.Join(dir, "sub-01_mrsref.nii.gz"), &mrs.Data{Params: p, FIDs: [][]complex128{w}}); err != nil {
		t.Fatal(err)
	}
	return in
}

// A 20 mm voxel centred at x = 0.9 mm on the layers spans x −9.1 to
// 10.9 mm: CSF 5.4/20 = 0.27, GM 12.15/20 = 0.6075, WM 2.45/20 = 0.1225.
// The pipeline measures them (within 0.01), labels their source, draws
// the voxel and water-scales with them and the 3 T literature relaxation
// times (field 2.9 T in the header): the tCr concentration equals the
// Gasparovic formula evaluated here with the true fractions and the
// published times typed from the papers (Wansapura 1999: GM T1/T2
// 1331/110 ms, WM 832/79.6 ms; CSF T1 3817 ms (Lu 2005), T2 503 ms
// (Piechnik 2009); metabolites T2 207 ms (Mlynárik 2001)), TE 30 ms,
// TR not given (full relaxation), within 2 %.
func TestSegmentationFractionsAndScaling(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gmMap := writeFAST(t, dir)
	files, err := tissue.Detect(gmMap, "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := analysis.New(analysis.Settings{Lipids: true, Fractions: analysis.TissueSource{Segmentation: files, Name: "anat/t1_pve_1.nii.gz"}})
	if err != nil {
		t.Fatal(err)
	}
	s, c := math.Sincos(25 * math.Pi / 180)
	vox := mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{0.9, 5, 4}, Frame: "RAS", Axes: [3][3]float64{{1, 0, 0}, {0, c, s}, {0, -s, c}}}
	const area = 20000.0
	in := writeVoxelSpectrum(t, a, dir, vox, area)
	r, err := a.Run(in, dir, "sub-01_svs")
	if err != nil {
		t.Fatal(err)
	}
	gm, wm, csf := 0.6075, 0.1225, 0.27
	q := r.QC.Tissue
	if math.Abs(q.GM-gm) > 0.01 || math.Abs(q.WM-wm) > 0.01 || math.Abs(q.CSF-csf) > 0.01 {
		t.Errorf("fractions GM %.4f WM %.4f CSF %.4f, truth %.4f %.4f %.4f", q.GM, q.WM, q.CSF, gm, wm, csf)
	}
	if q.Source != "segmentation: anat/t1_pve_1.nii.gz" || q.Segmentation != "FSL FAST" || q.FigureImage != "t1.nii.gz" {
		t.Errorf("source %q, segmentation %q, figure image %q", q.Source, q.Segmentation, q.FigureImage)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "sub-01_svs_voxel.svg"))
	if err != nil || !strings.Contains(string(svg), "<polygon") {
		t.Errorf("voxel figure: %v", err)
	}
	h2o := 1000 / 18.015 * 1000
	te := 30.0
	wconc := h2o * (gm*0.78*math.Exp(-te/110) + wm*0.65*math.Exp(-te/79.6) + csf*0.97*math.Exp(-te/503))
	want := 8 * 2 / area * wconc / math.Exp(-te/207) / (1 - csf)
	for _, row := range r.Rows {
		if row.Name == "tCr" && math.Abs(row.ConcMM-want) > 0.02*want {
			t.Errorf("tCr %.4g mM, want %.4g mM ± 2%% (closed form, true fractions)", row.ConcMM, want)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "sub-01_svs_qc.json"))
	var js struct {
		Tissue struct {
			Source string  `json:"source"`
			GM     float64 `json:"fraction_gm"`
		} `json:"tissue"`
		Quant struct {
			From  string `json:"fractions_from"`
			Relax string `json:"relaxation_from"`
		} `json:"quantification"`
	}
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	if js.Tissue.Source != q.Source || js.Quant.From != q.Source || !strings.Contains(js.Quant.Relax, "2.9 T") || strings.Contains(string(b), dir) {
		t.Errorf("qc.json tissue %+v, quantification %+v (no folders wanted)", js.Tissue, js.Quant)
	}
}

// Fixed fractions are labelled as such; bad ones, a voxel the
// segmentation does not cover and a spectrum without geometry are errors
// that say so.
func TestTissueSourcesAndErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gmMap := writeFAST(t, dir)
	files, err := tissue.Detect(gmMap, "")
	if err != nil {
		t.Fatal(err)
	}
	base := lipidsAnalyzer(t)
	inside := mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{0.9, 5, 4}, Frame: "RAS"}
	in := writeVoxelSpectrum(t, base, dir, inside, 20000)
	for _, c := range []struct {
		name   string
		src    analysis.TissueSource
		source string
		gm     float64
	}{
		{"defaults", analysis.TissueSource{}, "fixed defaults GM 0.6/WM 0.4", 0.6},
		{"user", analysis.TissueSource{Fixed: true, Fractions: [3]float64{0.7, 0.2, 0.1}}, "fixed: user", 0.7},
	} {
		tis, err := analysis.LoadTissue(c.src)
		if err != nil {
			t.Fatal(err)
		}
		r, err := base.AnalyseWith(in, tis)
		if err != nil {
			t.Fatal(err)
		}
		if r.QC.Tissue.Source != c.source || r.QC.Tissue.GM != c.gm || r.QC.Quantification.FractionsFrom != c.source || r.VoxelFigure != "" {
			t.Errorf("%s: tissue %+v, quantification from %q", c.name, r.QC.Tissue, r.QC.Quantification.FractionsFrom)
		}
	}
	for _, f := range [][3]float64{{0.5, 0.4, 0.3}, {0.6, 0.3, 0}, {-0.1, 0.6, 0.5}, {0, 0, 1}} {
		if _, err := analysis.LoadTissue(analysis.TissueSource{Fixed: true, Fractions: f}); err == nil {
			t.Errorf("fractions %v accepted", f)
		}
	}
	if _, err := analysis.LoadTissue(analysis.TissueSource{Fixed: true, Fractions: [3]float64{0.6, 0.4, 0}, Segmentation: files}); err == nil {
		t.Error("segmentation and fixed fractions together accepted")
	}
	seg, err := analysis.LoadTissue(analysis.TissueSource{Segmentation: files, Name: "t1_pve_1.nii.gz"})
	if err != nil {
		t.Fatal(err)
	}
	// Outside the grid (x from −40.8 mm), and a spectrum without geometry.
	far := filepath.Join(t.TempDir(), "far")
	os.MkdirAll(far, 0o755)
	outside := writeVoxelSpectrum(t, base, far, mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{-45, 0, 0}, Frame: "LPS"}, 20000)
	var te *analysis.TissueError
	if _, err := base.AnalyseWith(outside, seg); !errors.As(err, &te) || !strings.Contains(err.Error(), "does not cover the voxel") || !strings.Contains(err.Error(), "t1_pve_1.nii.gz") {
		t.Errorf("voxel outside the segmentation: %v", err)
	}
	raw := filepath.Join(t.TempDir(), "x.RAW")
	var buf bytes.Buffer
	if err := lcmodel.Write(&buf, "x", params, make([]complex128, 1024)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(raw, buf.Bytes(), 0o644)
	a2, err := analysis.New(analysis.Settings{Lipids: true, Fractions: analysis.TissueSource{Segmentation: files},
		Read: mrsio.Options{SpectrometerFrequency: params.SpectrometerFrequency, Dwell: params.Dwell, EchoTime: params.EchoTime}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a2.Analyse(raw); err == nil || !strings.Contains(err.Error(), "no voxel geometry") {
		t.Errorf("spectrum without geometry: %v", err)
	}
}

// Fixed fractions must be volume fractions of the voxel summing to 1.
func ExampleCheckFractions() {
	fmt.Println(analysis.CheckFractions([3]float64{0.6, 0.4, 0}))
	fmt.Println(analysis.CheckFractions([3]float64{0.6, 0.4, 0.2}))
	// Output:
	// <nil>
	// tissue fractions 0.6,0.4,0.2 sum to 1.2, want 1 ± 0.02 (GM,WM,CSF volume fractions of the voxel)
}
