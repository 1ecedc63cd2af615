package tissue

import (
	"fmt"
	"math"
)

// Class is a tissue class.
type Class int

// Tissue classes of a segmentation.
const (
	Other Class = iota // not brain tissue or CSF (background, skull, unknown labels)
	GM                 // grey matter, cortical and deep
	WM                 // white matter
	CSF                // cerebrospinal fluid
)

// String returns the class's short name.
func (c Class) String() string {
	return [...]string{"other", "GM", "WM", "CSF"}[c]
}

// Segmentation holds three partial-volume maps (fractions 0–1 per voxel) on
// one T1-space grid.
type Segmentation struct {
	// GM, WM and CSF are the partial-volume maps.
	GM, WM, CSF *Volume
	// Source says what the maps were read from ("FSL FAST", "SPM",
	// "labels").
	Source string
}

// NewSegmentation checks that the three maps share a grid and hold
// fractions (−0.01 to 1.01, as interpolation may overshoot a little).
func NewSegmentation(gm, wm, csf *Volume, source string) (*Segmentation, error) {
	for _, p := range []struct {
		name string
		v    *Volume
	}{{"GM", gm}, {"WM", wm}, {"CSF", csf}} {
		if p.v == nil {
			return nil, fmt.Errorf("tissue: %s map missing", p.name)
		}
		if !sameGrid(p.v, gm) {
			return nil, fmt.Errorf("tissue: %s map's grid (%v, affine %v) differs from the GM map's (%v, %v)", p.name, p.v.Dims, p.v.Affine, gm.Dims, gm.Affine)
		}
		for i, x := range p.v.Data {
			if x < -0.01 || x > 1.01 {
				return nil, fmt.Errorf("tissue: %s map voxel %d is %g, want a fraction 0 to 1 (a partial-volume map, not a T1 or label image)", p.name, i, x)
			}
		}
	}
	return &Segmentation{GM: gm, WM: wm, CSF: csf, Source: source}, nil
}

// ReadFAST reads FSL FAST's partial-volume maps: pve_0 (CSF), pve_1 (GM)
// and pve_2 (WM), as FAST numbers the classes of a T1 image.
func ReadFAST(pve0, pve1, pve2 string) (*Segmentation, error) {
	v, err := readThree(pve0, pve1, pve2)
	if err != nil {
		return nil, err
	}
	return NewSegmentation(v[1], v[2], v[0], "FSL FAST")
}

// ReadSPM reads SPM's tissue maps c1 (GM), c2 (WM) and c3 (CSF).
func ReadSPM(c1, c2, c3 string) (*Segmentation, error) {
	v, err := readThree(c1, c2, c3)
	if err != nil {
		return nil, err
	}
	return NewSegmentation(v[0], v[1], v[2], "SPM")
}

func readThree(a, b, c string) ([3]*Volume, error) {
	var out [3]*Volume
	for i, p := range []string{a, b, c} {
		v, err := ReadVolume(p)
		if err != nil {
			return out, err
		}
		out[i] = v
	}
	return out, nil
}

// FreeSurferClasses maps the labels of FreeSurfer's aseg (and the cortical
// labels of aparc+aseg, 1000–1035 and 2000–2035) to tissue classes:
// cortex and deep grey nuclei (thalamus, caudate, putamen, pallidum,
// hippocampus, amygdala, accumbens, ventral DC), cerebellar cortex → GM;
// cerebral and cerebellar white matter, WM hypointensities, corpus
// callosum, optic chiasm and brain stem → WM; ventricles, CSF and choroid
// plexus → CSF. Other labels (vessels, unknown) count as Other.
func FreeSurferClasses() map[int]Class {
	m := map[int]Class{}
	for _, l := range []int{3, 42, 8, 47, 10, 49, 11, 50, 12, 51, 13, 52, 17, 53, 18, 54, 26, 58, 28, 60} {
		m[l] = GM
	}
	for _, l := range []int{2, 41, 7, 46, 16, 77, 78, 79, 85, 251, 252, 253, 254, 255} {
		m[l] = WM
	}
	for _, l := range []int{4, 43, 5, 44, 14, 15, 24, 31, 63, 72} {
		m[l] = CSF
	}
	for l := 1000; l <= 1035; l++ {
		m[l], m[l+1000] = GM, GM
	}
	return m
}

// FromLabels turns a labelled volume into partial-volume maps (each voxel
// wholly one class) with the given label → class table (FreeSurferClasses
// when nil). Labels must be whole numbers.
func FromLabels(labels *Volume, classes map[int]Class) (*Segmentation, error) {
	if classes == nil {
		classes = FreeSurferClasses()
	}
	var maps [4]*Volume
	for c := GM; c <= CSF; c++ {
		v, err := NewVolume(labels.Dims, labels.Affine)
		if err != nil {
			return nil, err
		}
		maps[c] = v
	}
	for i, x := range labels.Data {
		if x != float32(math.Trunc(float64(x))) {
			return nil, fmt.Errorf("tissue: label volume voxel %d is %g, want a whole-number label (a labelled volume such as aseg, not a probability map)", i, x)
		}
		if c := classes[int(x)]; c != Other {
			maps[c].Data[i] = 1
		}
	}
	return &Segmentation{GM: maps[GM], WM: maps[WM], CSF: maps[CSF], Source: "labels"}, nil
}

// ReadLabels reads a labelled volume (e.g. FreeSurfer's aseg.nii.gz) and
// maps it with classes (FreeSurferClasses when nil).
func ReadLabels(path string, classes map[int]Class) (*Segmentation, error) {
	v, err := ReadVolume(path)
	if err != nil {
		return nil, err
	}
	s, err := FromLabels(v, classes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
