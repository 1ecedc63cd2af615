package main

import (
	"bytes"
	"encoding/json"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/basis"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/tissue"
	"glusleep/synth"
)

// tissueLayers is the synthetic T1 segmentation of the tissue tests:
// tissue by world x (CSF below −3.7 mm, GM to 8.45 mm, WM beyond) on an
// 80×64×64 grid of 1 × 1 × 1.2 mm voxels turned 10° about x.
var tissueLayers = synth.LayeredSpec{
	Dims: [3]int{80, 64, 64}, SpacingMM: [3]float64{1, 1, 1.2}, RotXDeg: 10,
	OriginMM: [3]float64{-40.3, -30.25, -36.1}, CSFToGM: -3.7, GMToWM: 8.45,
}

// tissueVoxel is an 18 × 20 × 22 mm voxel centred at RAS (1.5, 4, −2) mm,
// its first edge along x and the others turned 30° about x, stored in
// DICOM's LPS frame. Its x extent, −7.5 to 10.5 mm, gives the true
// fractions CSF 3.8/18, GM 12.15/18, WM 2.05/18; in the labelled volume
// (boundaries moved to the voxel faces at −3.8 and 8.2 mm) CSF 3.7/18,
// GM 12/18, WM 2.3/18.
func tissueVoxel() mrs.Voxel {
	s, c := math.Sincos(30 * math.Pi / 180)
	return mrs.Voxel{Size: [3]float64{18, 20, 22}, Centre: [3]float64{-1.5, -4, -2}, Frame: "LPS",
		Axes: [3][3]float64{{-1, 0, 0}, {0, -c, s}, {0, s, c}}}
}

// tissueBasis is the basis simulated for the tissue tests' spectra (3 T
// PRESS, TE 30 ms, 1024 points, with lipids) and its LCModel .BASIS
// bytes, made once per test run.
var tissueBasis struct {
	once   sync.Once
	err    error
	set    *basis.Set
	lcm    []byte
	params mrs.Params
}

func makeTissueBasis() {
	tb := &tissueBasis
	tb.params = mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025, EchoTime: 0.030, Sequence: "PRESS", Nucleus: "1H", FieldStrength: 2.89}
	an, err := analysis.New(analysis.Settings{Lipids: true})
	if err != nil {
		tb.err = err
		return
	}
	if tb.set, err = an.Basis(tb.params, 1024); err != nil {
		tb.err = err
		return
	}
	var b bytes.Buffer
	tb.err = lcmodel.WriteBasis(&b, "tissue test", tb.params, tb.set.Names, tb.set.FIDs)
	tb.lcm = b.Bytes()
}

// writeTissueSpectrum writes a synthetic 3 T PRESS spectrum (TE 30 ms)
// with voxel vox and its water reference as NIfTI-MRS in dir, and the
// simulated basis that made it as dir/basis.BASIS (so the commands need
// not simulate it again); it returns both paths.
func writeTissueSpectrum(t *testing.T, dir string, vox mrs.Voxel) (string, string) {
	t.Helper()
	tissueBasis.once.Do(makeTissueBasis)
	if tissueBasis.err != nil {
		t.Fatal(tissueBasis.err)
	}
	p, set := tissueBasis.params, tissueBasis.set
	p.Voxel = vox
	amps := map[string]float64{"NAA": 9, "Cr": 4.5, "PCr": 3.5, "Ins": 5, "GPC": 1.2, "Glu": 6, "Gln": 2}
	fid, _, err := synth.Spectrum(synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: p.Dwell, Amplitudes: amps,
		LorentzHz: 4, GaussHz: 3, NoiseSD: 0.5}, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "sub-01_svs.nii.gz")
	if err := nifti.WriteData(in, &mrs.Data{Params: p, FIDs: [][]complex128{fid}}); err != nil {
		t.Fatal(err)
	}
	w := make([]complex128, 1024)
	for k := range w {
		w[k] = 20000 * cmplx.Exp(complex(-math.Pi*5*float64(k)*p.Dwell, 0))
	}
	if err := nifti.WriteData(filepath.Join(dir, "sub-01_mrsref.nii.gz"), &mrs.Data{Params: p, FIDs: [][]complex128{w}}); err != nil {
		t.Fatal(err)
	}
	bp := filepath.Join(dir, "basis.BASIS")
	if err := os.WriteFile(bp, tissueBasis.lcm, 0o644); err != nil {
		t.Fatal(err)
	}
	return in, bp
}

// writeSegmentations writes the layers in every convention under dir:
// fast/ (t1_pve_0/1/2 and t1), spm/ (c1/c2/c3t1.nii and t1.nii),
// probseg/ (BIDS names), labels/ (sub-01_dseg with labels 3 GM, 2 WM,
// 24 CSF and a lookup lut.tsv saying so).
func writeSegmentations(t *testing.T, dir string) {
	t.Helper()
	l, err := synth.LayeredSegmentation(tissueLayers)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*tissue.Volume{
		"fast/t1_pve_0.nii.gz": l.CSF, "fast/t1_pve_1.nii.gz": l.GM, "fast/t1_pve_2.nii.gz": l.WM, "fast/t1.nii.gz": l.T1,
		"spm/c1t1.nii": l.GM, "spm/c2t1.nii": l.WM, "spm/c3t1.nii": l.CSF, "spm/t1.nii": l.T1,
		"probseg/sub-01_label-GM_probseg.nii.gz": l.GM, "probseg/sub-01_label-WM_probseg.nii.gz": l.WM, "probseg/sub-01_label-CSF_probseg.nii.gz": l.CSF,
		"labels/sub-01_dseg.nii.gz": l.Labels,
	}
	for name, v := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := tissue.WriteVolume(p, v); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "labels/lut.tsv"), []byte("index\tname\ttissue\n2\tCerebral-White-Matter\tWM\n3\tCerebral-Cortex\tGM\n24\tCSF\tCSF\n"), 0o644)
}

type tissueQC struct {
	Tissue struct {
		Source       string  `json:"source"`
		Segmentation string  `json:"segmentation"`
		GM           float64 `json:"fraction_gm"`
		WM           float64 `json:"fraction_wm"`
		CSF          float64 `json:"fraction_csf"`
		FigureImage  string  `json:"figure_image"`
	} `json:"tissue"`
	Quantification struct {
		FractionsFrom  string  `json:"fractions_from"`
		RelaxationFrom string  `json:"relaxation_from"`
		GM             float64 `json:"fraction_gm"`
	} `json:"quantification"`
}

func readTissueQC(t *testing.T, path string) tissueQC {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var q tissueQC
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	return q
}

// `mrs fit --segmentation` on a synthetic T1 segmentation with known
// tissue maps and a voxel at a known place (oblique, LPS): the fractions
// written in _qc.json are within 0.01 of the truth for FAST, SPM, BIDS
// probseg and a labelled volume with its lookup; the source is named and
// the voxel figure written.
func TestMRSFitSegmentation(t *testing.T) {
	dir := t.TempDir()
	in, bp := writeTissueSpectrum(t, dir, tissueVoxel())
	writeSegmentations(t, dir)
	t.Chdir(dir)
	for _, c := range []struct {
		name          string
		args          []string
		source, kind  string
		gm, wm, csf   float64
		image, figure string
	}{
		{"fast", []string{"--segmentation", "fast/t1_pve_1.nii.gz"}, "segmentation: t1_pve_1.nii.gz", "FSL FAST", 12.15 / 18, 2.05 / 18, 3.8 / 18, "t1.nii.gz", ""},
		{"spm", []string{"--segmentation", filepath.Join(dir, "spm"), "--segmentation-type", "spm"}, "segmentation: spm", "SPM", 12.15 / 18, 2.05 / 18, 3.8 / 18, "t1.nii", ""},
		{"probseg", []string{"--segmentation", "probseg"}, "segmentation: probseg", "BIDS probseg", 12.15 / 18, 2.05 / 18, 3.8 / 18, "tissue maps (no T1 found beside them)", ""},
		{"labels", []string{"--segmentation", "labels/sub-01_dseg.nii.gz", "--segmentation-lookup", "labels/lut.tsv"}, "segmentation: sub-01_dseg.nii.gz", "labels", 12.0 / 18, 2.3 / 18, 3.7 / 18, "", ""},
	} {
		if testing.Short() && (c.name == "spm" || c.name == "probseg") {
			continue // -short: FAST maps and a labelled volume
		}
		out := filepath.Join(dir, "out-"+c.name)
		var so, se bytes.Buffer
		args := append([]string{"mrs", "fit", "--basis", bp, "--out", out}, c.args...)
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, append(args, in)); code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, code, se.String())
		}
		q := readTissueQC(t, filepath.Join(out, "sub-01_svs_qc.json"))
		tq := q.Tissue
		if math.Abs(tq.GM-c.gm) > 0.01 || math.Abs(tq.WM-c.wm) > 0.01 || math.Abs(tq.CSF-c.csf) > 0.01 {
			t.Errorf("%s: GM %.4f WM %.4f CSF %.4f, truth %.4f %.4f %.4f", c.name, tq.GM, tq.WM, tq.CSF, c.gm, c.wm, c.csf)
		}
		t.Logf("%s: GM %.4f WM %.4f CSF %.4f (truth %.4f %.4f %.4f)", c.name, tq.GM, tq.WM, tq.CSF, c.gm, c.wm, c.csf)
		if tq.Source != c.source || tq.Segmentation != c.kind || q.Quantification.FractionsFrom != c.source ||
			!strings.Contains(q.Quantification.RelaxationFrom, "literature at 3 T") {
			t.Errorf("%s: tissue %+v, quantification %+v", c.name, tq, q.Quantification)
		}
		if c.image != "" && tq.FigureImage != c.image {
			t.Errorf("%s: figure drawn on %q, want %q", c.name, tq.FigureImage, c.image)
		}
		if svg, err := os.ReadFile(filepath.Join(out, "sub-01_svs_voxel.svg")); err != nil || !bytes.Contains(svg, []byte("<polygon")) {
			t.Errorf("%s: voxel figure: %v", c.name, err)
		}
	}
	// Fixed fractions are labelled as the user's; without either flag the
	// defaults are labelled as such.
	for _, c := range []struct {
		args   []string
		source string
		gm     float64
	}{
		{[]string{"--tissue-fractions", "0.5,0.3,0.2"}, "fixed: user", 0.5},
		{nil, "fixed defaults GM 0.6/WM 0.4", 0.6},
	} {
		out := t.TempDir()
		var so, se bytes.Buffer
		args := append(append([]string{"mrs", "fit", "--basis", bp, "--out", out}, c.args...), in)
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, se.String())
		}
		q := readTissueQC(t, filepath.Join(out, "sub-01_svs_qc.json"))
		if q.Tissue.Source != c.source || q.Tissue.GM != c.gm || q.Quantification.FractionsFrom != c.source {
			t.Errorf("%v: %+v", c.args, q)
		}
		if _, err := os.Stat(filepath.Join(out, "sub-01_svs_voxel.svg")); err == nil {
			t.Errorf("%v: voxel figure written without a segmentation", c.args)
		}
	}
}

// The tissue flags' errors: exit 2 for wrong arguments, 1 for a
// segmentation that cannot be used, each message naming the cause.
func TestMRSFitTissueErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeSegmentations(t, dir)
	far := filepath.Join(dir, "far")
	os.MkdirAll(far, 0o755)
	// A voxel 60 mm to the left of the segmentation's field of view.
	farIn, bp := writeTissueSpectrum(t, far, mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{-100, 0, 0}, Frame: "RAS"})
	fast := filepath.Join(dir, "fast/t1_pve_1.nii.gz")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--tissue-fractions", "0.5,0.4,0.3"}, 2, "sum to 1.2"},
		{[]string{"--tissue-fractions", "0.6,0.4"}, 2, "three numbers GM,WM,CSF"},
		{[]string{"--tissue-fractions", "60,40,0"}, 2, "want 0 to 1"},
		{[]string{"--tissue-fractions", "0.6,0.4,0", "--segmentation", fast}, 2, "not both"},
		{[]string{"--segmentation-type", "fast"}, 2, "need --segmentation"},
		{[]string{"--segmentation", fast, "--segmentation-type", "freesurfer"}, 2, "want fast, spm, probseg or labels"},
		{[]string{"--segmentation", fast, "--segmentation-lookup", "lut.tsv"}, 2, "applies to a labelled volume"},
		{[]string{"--segmentation", filepath.Join(dir, "none_pve_1.nii.gz")}, 1, "no such file"},
		{[]string{"--segmentation", fast}, 1, "does not cover the voxel"},
	} {
		var so, se bytes.Buffer
		args := append(append([]string{"mrs", "fit", "--basis", bp, "--out", t.TempDir()}, c.args...), farIn)
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != c.code || !strings.Contains(se.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, se.String(), c.code, c.want)
		}
	}
}

// `run … participant` refuses bad tissue flags before processing anyone.
func TestRunTissueFlags(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "participants.tsv"), []byte("participant_id\tgroup\nsub-01\trls\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--tissue-fractions", "0.5,0.5,0.5"}, "sum to 1.5"},
		{[]string{"--tissue-fractions", "0.6,0.4,0", "--segmentation", "x"}, "not both"},
		{[]string{"--segmentation-type", "aseg"}, "want fast, spm, probseg or labels"},
	} {
		var so, se bytes.Buffer
		args := append([]string{"run", root, filepath.Join(t.TempDir(), "out"), "participant"}, c.args...)
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 2 || !strings.Contains(se.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, se.String(), c.want)
		}
	}
}
