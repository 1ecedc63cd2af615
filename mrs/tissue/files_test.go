package tissue_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs/tissue"
	"glusleep/synth"
)

// Detect finds each convention's three maps (or the labels and their
// lookup) and the T1 beside them, from any one map, the base name or the
// folder; what it cannot tell, or finds twice, is an error naming the way
// out.
func TestDetect(t *testing.T) {
	t.Parallel()
	l, err := synth.LayeredSegmentation(spec)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(names map[string]*tissue.Volume, extra ...string) string {
		dir := writeAll(t, names)
		for _, e := range extra {
			os.WriteFile(filepath.Join(dir, e), []byte("index\tname\tabbreviation\n1\tGrey matter\tGM\n2\tWhite matter\tWM\n3\tCerebrospinal fluid\tCSF\n"), 0o644)
		}
		return dir
	}
	fast := mk(map[string]*tissue.Volume{"T1_fast_pve_0.nii.gz": l.CSF, "T1_fast_pve_1.nii.gz": l.GM, "T1_fast_pve_2.nii.gz": l.WM, "T1_fast.nii.gz": l.T1})
	spm := mk(map[string]*tissue.Volume{"c1T1.nii": l.GM, "c2T1.nii": l.WM, "c3T1.nii": l.CSF, "T1.nii": l.T1})
	prob := mk(map[string]*tissue.Volume{"sub-01_label-GM_probseg.nii.gz": l.GM, "sub-01_label-WM_probseg.nii.gz": l.WM, "sub-01_label-CSF_probseg.nii.gz": l.CSF,
		"sub-01_desc-preproc_T1w.nii.gz": l.T1})
	lab := mk(map[string]*tissue.Volume{"sub-01_dseg.nii.gz": l.Labels}, "sub-01_dseg.tsv")
	aseg := mk(map[string]*tissue.Volume{"aseg.nii.gz": l.Labels, "brain.nii.gz": l.T1})
	for _, c := range []struct {
		path   string
		typ    tissue.Type
		want   tissue.Type
		gm, t1 string // base names
		lookup string
	}{
		{filepath.Join(fast, "T1_fast_pve_2.nii.gz"), "", tissue.TypeFAST, "T1_fast_pve_1.nii.gz", "T1_fast.nii.gz", ""},
		{filepath.Join(fast, "T1_fast"), tissue.TypeFAST, tissue.TypeFAST, "T1_fast_pve_1.nii.gz", "T1_fast.nii.gz", ""},
		{fast, "", tissue.TypeFAST, "T1_fast_pve_1.nii.gz", "T1_fast.nii.gz", ""},
		{filepath.Join(spm, "c3T1.nii"), "", tissue.TypeSPM, "c1T1.nii", "T1.nii", ""},
		{filepath.Join(spm, "T1.nii"), tissue.TypeSPM, tissue.TypeSPM, "c1T1.nii", "T1.nii", ""},
		{spm, tissue.TypeSPM, tissue.TypeSPM, "c1T1.nii", "T1.nii", ""},
		{filepath.Join(prob, "sub-01_label-WM_probseg.nii.gz"), "", tissue.TypeProbseg, "sub-01_label-GM_probseg.nii.gz", "sub-01_desc-preproc_T1w.nii.gz", ""},
		{prob, "", tissue.TypeProbseg, "sub-01_label-GM_probseg.nii.gz", "sub-01_desc-preproc_T1w.nii.gz", ""},
		{filepath.Join(lab, "sub-01_dseg.nii.gz"), "", tissue.TypeLabels, "", "", "sub-01_dseg.tsv"},
		{filepath.Join(aseg, "aseg.nii.gz"), "", tissue.TypeLabels, "", "", ""},
	} {
		f, err := tissue.Detect(c.path, c.typ)
		if err != nil {
			t.Errorf("%s (%q): %v", c.path, c.typ, err)
			continue
		}
		base := func(p string) string {
			if p == "" {
				return ""
			}
			return filepath.Base(p)
		}
		if f.Type != c.want || base(f.GM) != c.gm || base(f.T1) != c.t1 || base(f.Lookup) != c.lookup {
			t.Errorf("%s (%q): %+v", c.path, c.typ, f)
		}
		if _, err := f.Read(); err != nil {
			t.Errorf("%s: read: %v", c.path, err)
		}
	}
	// A T1 named as labels is detected so, and refused on reading.
	if f, err := tissue.Detect(filepath.Join(aseg, "brain.nii.gz"), tissue.TypeLabels); err != nil || f.Type != tissue.TypeLabels {
		t.Errorf("brain.nii.gz as labels: %+v, %v", f, err)
	} else if _, err := f.Read(); err == nil || !strings.Contains(err.Error(), "whole-number label") {
		t.Errorf("T1 read as labels: %v", err)
	}
	both := mk(map[string]*tissue.Volume{"a_pve_0.nii": l.CSF, "a_pve_1.nii": l.GM, "a_pve_2.nii": l.WM, "c1a.nii": l.GM, "c2a.nii": l.WM, "c3a.nii": l.CSF})
	os.Remove(filepath.Join(fast, "T1_fast_pve_0.nii.gz"))
	for _, c := range []struct {
		path string
		typ  tissue.Type
		want string
	}{
		{filepath.Join(aseg, "brain.nii.gz"), "", "cannot tell its type"},
		{both, "", "holds 2 segmentations"},
		{filepath.Join(fast, "T1_fast_pve_1.nii.gz"), "", "T1_fast_pve_0.nii.gz is missing"},
		{filepath.Join(fast, "nothere.nii.gz"), "", "no such file"},
		{t.TempDir(), "", "holds no complete segmentation"},
	} {
		if _, err := tissue.Detect(c.path, c.typ); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.path, err, c.want)
		}
	}
	if _, err := tissue.ParseType("freesurfer"); err == nil {
		t.Error("type freesurfer accepted")
	}
}

// A BIDS _dseg.tsv lookup maps the labelled volume's labels 1/2/3 (here
// relabelled from the synthetic 3/2/24) to GM/WM/CSF: the fractions equal
// those of FreeSurfer's table on the original labels.
func TestLookupLabels(t *testing.T) {
	t.Parallel()
	l, err := synth.LayeredSegmentation(spec)
	if err != nil {
		t.Fatal(err)
	}
	relab := *l.Labels
	relab.Data = make([]float32, len(l.Labels.Data))
	for i, v := range l.Labels.Data {
		relab.Data[i] = map[float32]float32{3: 1, 2: 2, 24: 3}[v]
	}
	dir := writeAll(t, map[string]*tissue.Volume{"sub-01_dseg.nii.gz": &relab, "aseg.nii.gz": l.Labels})
	os.WriteFile(filepath.Join(dir, "sub-01_dseg.tsv"), []byte("index\tname\n0\tbackground\n1\tGM\n2\tWM\n3\tCSF\n"), 0o644)
	viaLookup, err := tissue.ReadLabels(filepath.Join(dir, "sub-01_dseg.nii.gz"), mustLookup(t, filepath.Join(dir, "sub-01_dseg.tsv")))
	if err != nil {
		t.Fatal(err)
	}
	viaFS, err := tissue.ReadLabels(filepath.Join(dir, "aseg.nii.gz"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range voxels {
		a, err1 := tissue.Measure(viaLookup, c.vox)
		b, err2 := tissue.Measure(viaFS, c.vox)
		if err1 != nil || err2 != nil || a.GM != b.GM || a.WM != b.WM || a.CSF != b.CSF {
			t.Errorf("%s: lookup %+v (%v), FreeSurfer %+v (%v)", c.name, a, err1, b, err2)
		}
	}
	for name, content := range map[string]string{
		"no index":    "label\tname\n1\tGM\n",
		"no class":    "index\tcolour\n1\tred\n",
		"not whole":   "index\tname\n1.5\tGM\n",
		"ragged":      "index\tname\n1\tGM\textra\n",
		"no tissue":   "index\tname\n1\tLeft-Thalamus\n",
		"header only": "index\tname\n",
	} {
		p := filepath.Join(dir, "bad.tsv")
		os.WriteFile(p, []byte(content), 0o644)
		if _, err := tissue.ReadLookup(p); err == nil || !strings.Contains(err.Error(), "bad.tsv") {
			t.Errorf("%s: %v, want an error naming the file", name, err)
		}
	}
}

func mustLookup(t *testing.T, p string) map[int]tissue.Class {
	t.Helper()
	m, err := tissue.ReadLookup(p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// FuzzReadLookup: any bytes give a table or an error, never a panic.
func FuzzReadLookup(f *testing.F) {
	f.Add([]byte("index\tname\tabbreviation\n1\tGrey matter\tGM\n2\tWhite matter\tWM\n"))
	f.Add([]byte("index\ttissue\n\n3\tcsf\r\n"))
	f.Add([]byte(""))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "lut.tsv")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Skip()
		}
		m, err := tissue.ReadLookup(p)
		if err == nil && len(m) == 0 {
			t.Error("empty table without error")
		}
	})
}
