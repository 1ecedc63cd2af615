package study

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/basis"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/tissue"
	"glusleep/synth"
)

// layers: tissue by world x (CSF below −3.7 mm, GM to 8.45 mm, WM beyond)
// on a 1 × 1 × 1.2 mm grid turned 10° about x. The participants' 18 mm
// voxels centred at x = 1.5 mm span x −7.5 to 10.5 mm: CSF 3.8/18,
// GM 12.15/18, WM 2.05/18.
var layers = synth.LayeredSpec{
	Dims: [3]int{80, 64, 64}, SpacingMM: [3]float64{1, 1, 1.2}, RotXDeg: 10,
	OriginMM: [3]float64{-40.3, -30.25, -36.1}, CSFToGM: -3.7, GMToWM: 8.45,
}

const trueGM, trueWM, trueCSF = 12.15 / 18, 2.05 / 18, 3.8 / 18

var mrsParams = mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025, EchoTime: 0.030, Sequence: "PRESS", Nucleus: "1H", FieldStrength: 3,
	Voxel: mrs.Voxel{Size: [3]float64{18, 20, 22}, Centre: [3]float64{1.5, 4, -2}, Frame: "RAS"}}

// writeBasis simulates the PRESS basis of mrsParams once and writes it as
// an LCModel .BASIS in dir (the pipelines read it: no simulation each).
func writeBasis(t *testing.T, dir string) (*basis.Set, string) {
	t.Helper()
	an, err := analysis.New(analysis.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	set, err := an.Basis(mrsParams, 1024)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := lcmodel.WriteBasis(&b, "tissue test", mrsParams, set.Names, set.FIDs); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "press.BASIS")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return set, path
}

// writeMRS writes a synthetic 3 T spectrum made of set with an
// 18 × 20 × 22 mm voxel at RAS (1.5, 4, −2) mm and its water reference
// into dir as <stem>_svs.nii.gz and <stem>_mrsref.nii.gz.
func writeMRS(t *testing.T, set *basis.Set, dir, stem string) {
	t.Helper()
	writeMRSWith(t, set, dir, stem, map[string]float64{"NAA": 9, "Cr": 4.5, "PCr": 3.5, "Glu": 6, "Gln": 2, "Ins": 5, "GPC": 1.2})
}

// writeMRSWith is writeMRS with the metabolites' amplitudes given.
func writeMRSWith(t *testing.T, set *basis.Set, dir, stem string, amps map[string]float64) {
	t.Helper()
	p := mrsParams
	fid, _, err := synth.Spectrum(synth.SpectrumSpec{Names: set.Names, Basis: set.FIDs, Dwell: p.Dwell,
		Amplitudes: amps, LorentzHz: 4, GaussHz: 3, NoiseSD: 0.5}, rand.New(rand.NewPCG(7, 8)))
	if err != nil {
		t.Fatal(err)
	}
	w := make([]complex128, 1024)
	for k := range w {
		w[k] = 20000 * cmplx.Exp(complex(-math.Pi*5*float64(k)*p.Dwell, 0))
	}
	os.MkdirAll(dir, 0o755)
	if err := nifti.WriteData(filepath.Join(dir, stem+"_svs.nii.gz"), &mrs.Data{Params: p, FIDs: [][]complex128{fid}}); err != nil {
		t.Fatal(err)
	}
	if err := nifti.WriteData(filepath.Join(dir, stem+"_mrsref.nii.gz"), &mrs.Data{Params: p, FIDs: [][]complex128{w}}); err != nil {
		t.Fatal(err)
	}
}

// writeVolumes writes name → volume under dir.
func writeVolumes(t *testing.T, dir string, vols map[string]*tissue.Volume) {
	t.Helper()
	for name, v := range vols {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := tissue.WriteVolume(p, v); err != nil {
			t.Fatal(err)
		}
	}
}

type qcTissue struct {
	Tissue analysis.TissueQC `json:"tissue"`
}

func readQCTissue(t *testing.T, path string) analysis.TissueQC {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var q qcTissue
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	return q.Tissue
}

// The participant level finds sub-01's fMRIPrep-style probseg maps in the
// T1's space (not the MNI-space ones beside them) under derivatives,
// hashes them as inputs, and writes the measured fractions (within 0.01 of
// the truth) with their source in the spectrum's QC, the voxel figure and
// a summary note; sub-02, without a segmentation, gets the fixed defaults,
// labelled so; a path template (FAST maps outside the dataset) and fixed
// settings fractions are used when given.
func TestParticipantSegmentation(t *testing.T) {
	if testing.Short() {
		t.Skip("full run only: the study's segmentation path fits two participants; -short covers segmentation through cmd's TestMRSFitSegmentation and mrs/analysis")
	}
	t.Parallel()
	root := t.TempDir()
	write(t, filepath.Join(root, "participants.tsv"), "participant_id\tgroup\nsub-01\trls\nsub-02\tcontrol\n")
	set, bpath := writeBasis(t, t.TempDir())
	writeMRS(t, set, filepath.Join(root, "sub-01/mrs"), "sub-01")
	writeMRS(t, set, filepath.Join(root, "sub-02/mrs"), "sub-02")
	settings := func() Settings {
		s := DefaultSettings()
		s.Basis, s.Lipids = bpath, false
		return s
	}
	l, err := synth.LayeredSegmentation(layers)
	if err != nil {
		t.Fatal(err)
	}
	anat := filepath.Join(root, "derivatives/fmriprep/sub-01/anat")
	empty, _ := tissue.NewVolume(layers.Dims, layers.Affine())
	writeVolumes(t, anat, map[string]*tissue.Volume{
		"sub-01_label-GM_probseg.nii.gz": l.GM, "sub-01_label-WM_probseg.nii.gz": l.WM, "sub-01_label-CSF_probseg.nii.gz": l.CSF,
		"sub-01_desc-preproc_T1w.nii.gz": l.T1,
		// Template space: never used for the scanner-space voxel.
		"sub-01_space-MNI152NLin2009cAsym_label-GM_probseg.nii.gz": empty, "sub-01_space-MNI152NLin2009cAsym_label-WM_probseg.nii.gz": empty,
		"sub-01_space-MNI152NLin2009cAsym_label-CSF_probseg.nii.gz": empty,
	})
	outside := t.TempDir()
	writeVolumes(t, filepath.Join(outside, "fast/sub-02"), map[string]*tissue.Volume{"T1_pve_0.nii.gz": l.CSF, "T1_pve_1.nii.gz": l.GM, "T1_pve_2.nii.gz": l.WM})

	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := d.Participant("01"), d.Participant("02")
	gmName := "derivatives/fmriprep/sub-01/anat/sub-01_label-GM_probseg.nii.gz"
	if len(p1.Segmentations) != 1 || p1.Segmentations[0].Name != gmName || p1.Segmentations[0].Files.Type != tissue.TypeProbseg || len(p2.Segmentations) != 0 {
		t.Fatalf("segmentations: sub-01 %+v, sub-02 %+v", p1.Segmentations, p2.Segmentations)
	}
	if in := p1.Inputs(root); !slices.Contains(in, gmName) || !slices.Contains(in, "derivatives/fmriprep/sub-01/anat/sub-01_desc-preproc_T1w.nii.gz") {
		t.Errorf("inputs %v lack the segmentation", in)
	}
	pl := &Pipeline{Settings: settings()}
	for _, c := range []struct {
		p      *Participant
		source string
		gm     float64
		figure bool
	}{
		{p1, "segmentation: " + gmName, trueGM, true},
		{p2, analysis.SourceDefaults, 0.6, false},
	} {
		out := t.TempDir()
		if _, err := pl.Process(context.Background(), c.p, out); err != nil {
			t.Fatal(err)
		}
		stem := filepath.Join(out, "mrs", "sub-"+c.p.Label+"_desc-")
		q := readQCTissue(t, stem+"qc_svs.json")
		if q.Source != c.source || math.Abs(q.GM-c.gm) > 0.01 {
			t.Errorf("sub-%s: tissue %+v, want source %q, GM %.4f", c.p.Label, q, c.source, c.gm)
		}
		if c.figure && (math.Abs(q.WM-trueWM) > 0.01 || math.Abs(q.CSF-trueCSF) > 0.01 || q.FigureImage != "sub-01_desc-preproc_T1w.nii.gz") {
			t.Errorf("sub-%s: WM %.4f CSF %.4f (truth %.4f %.4f), figure on %q", c.p.Label, q.WM, q.CSF, trueWM, trueCSF, q.FigureImage)
		}
		if _, err := os.Stat(stem + "voxel_svs.svg"); (err == nil) != c.figure {
			t.Errorf("sub-%s: voxel figure present %v, want %v", c.p.Label, err == nil, c.figure)
		}
		js, _ := os.ReadFile(filepath.Join(out, "sub-"+c.p.Label+"_summary.json"))
		if !strings.Contains(string(js), c.source) {
			t.Errorf("sub-%s: summary does not name the tissue source:\n%s", c.p.Label, js)
		}
	}
	// A template, and fixed fractions in the settings.
	st := settings()
	st.Segmentation = filepath.Join(outside, "fast/sub-{subject}/T1_pve_1.nii.gz")
	pl = &Pipeline{Settings: st}
	out := t.TempDir()
	if _, err := pl.Process(context.Background(), p2, out); err != nil {
		t.Fatal(err)
	}
	if q := readQCTissue(t, filepath.Join(out, "mrs", "sub-02_desc-qc_svs.json")); q.Segmentation != "FSL FAST" || math.Abs(q.GM-trueGM) > 0.01 {
		t.Errorf("template: tissue %+v", q)
	}
	// sub-01 has no file at the template's place: a warning and the
	// defaults.
	w, err := pl.Process(context.Background(), p1, t.TempDir())
	if err != nil || !strings.Contains(strings.Join(w, "\n"), "fixed default tissue fractions used") {
		t.Errorf("template without a file: %v, warnings %q", err, w)
	}
	if testing.Short() {
		return // the uncovered voxel and fixed settings fractions: full run only
	}
	// A segmentation that does not cover sub-01's voxel (its grid starts
	// at x = 160 mm): a warning, and the spectrum scaled with the defaults.
	farSpec := layers
	farSpec.OriginMM[0], farSpec.CSFToGM, farSpec.GMToWM = 160, 170, 180
	lf, err := synth.LayeredSegmentation(farSpec)
	if err != nil {
		t.Fatal(err)
	}
	writeVolumes(t, filepath.Join(outside, "far/sub-01"), map[string]*tissue.Volume{"T1_pve_0.nii.gz": lf.CSF, "T1_pve_1.nii.gz": lf.GM, "T1_pve_2.nii.gz": lf.WM})
	st.Segmentation = filepath.Join(outside, "far/sub-{subject}/T1_pve_1.nii.gz")
	pl = &Pipeline{Settings: st}
	out = t.TempDir()
	w, err = pl.Process(context.Background(), p1, out)
	if err != nil || !strings.Contains(strings.Join(w, "\n"), "does not cover the voxel") {
		t.Errorf("segmentation not covering the voxel: %v, warnings %q", err, w)
	}
	if q := readQCTissue(t, filepath.Join(out, "mrs", "sub-01_desc-qc_svs.json")); q.Source != analysis.SourceDefaults {
		t.Errorf("segmentation not covering the voxel: tissue %+v, want the fixed defaults", q)
	}
	st = settings()
	st.TissueFractions = &[3]float64{0.7, 0.3, 0}
	pl = &Pipeline{Settings: st}
	out = t.TempDir()
	if _, err := pl.Process(context.Background(), p1, out); err != nil {
		t.Fatal(err)
	}
	if q := readQCTissue(t, filepath.Join(out, "mrs", "sub-01_desc-qc_svs.json")); q.Source != analysis.SourceUser || q.GM != 0.7 {
		t.Errorf("fixed fractions: tissue %+v", q)
	}
	st.TissueFractions = &[3]float64{0.7, 0.7, 0}
	pl = &Pipeline{Settings: st}
	if _, err := pl.Process(context.Background(), p1, t.TempDir()); err == nil || !strings.Contains(err.Error(), "sum to 1.4") {
		t.Errorf("fractions summing to 1.4: %v", err)
	}
}

// Segmentations under a dataset's derivatives: the T1-space BIDS probseg
// maps of a session, not the template-space ones.
func ExampleFindSegmentations() {
	root, _ := os.MkdirTemp("", "bids")
	defer os.RemoveAll(root)
	anat := filepath.Join(root, "derivatives", "fmriprep", "sub-01", "ses-1", "anat")
	os.MkdirAll(anat, 0o755)
	v, _ := tissue.NewVolume([3]int{4, 4, 4}, mrs.Affine{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}})
	for _, space := range []string{"", "_space-MNI152NLin2009cAsym"} {
		for _, l := range []string{"GM", "WM", "CSF"} {
			tissue.WriteVolume(filepath.Join(anat, "sub-01_ses-1"+space+"_label-"+l+"_probseg.nii.gz"), v)
		}
	}
	for _, s := range FindSegmentations(root, "01") {
		fmt.Println(s.Session, s.Files.Source(), s.Name)
	}
	// Output:
	// 1 BIDS probseg derivatives/fmriprep/sub-01/ses-1/anat/sub-01_ses-1_label-GM_probseg.nii.gz
}
