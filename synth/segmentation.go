package synth

import (
	"fmt"
	"math"

	"glusleep/mrs"
	"glusleep/mrs/tissue"
)

// LayeredSpec describes a synthetic T1-space segmentation in which tissue
// depends on the world x coordinate (RAS, mm) only: CSF for x < CSFToGM,
// GM for CSFToGM ≤ x < GMToWM, WM beyond. The grid's first axis runs along
// world x; its other two axes are turned about x by RotXDeg, so the grid is
// oblique in y–z while every partial volume stays exactly computable.
type LayeredSpec struct {
	// Dims is the grid size and SpacingMM the voxel size along each axis.
	Dims      [3]int
	SpacingMM [3]float64
	// RotXDeg turns the grid's second and third axes about world x.
	RotXDeg float64
	// OriginMM is the world position of voxel (0, 0, 0)'s centre.
	OriginMM [3]float64
	// CSFToGM and GMToWM are the tissue boundaries on world x in mm.
	CSFToGM, GMToWM float64
}

// Layered is a synthetic segmentation: exact partial-volume maps, a
// labelled volume (FreeSurfer labels 24 CSF, 3 cortex, 2 white matter, by
// the class at each voxel's centre) and a T1-like image (WM 1, GM 0.6,
// CSF 0.2, weighted by partial volume).
type Layered struct {
	GM, WM, CSF, Labels, T1 *tissue.Volume
}

// Affine returns the grid's voxel-to-world transform.
func (s LayeredSpec) Affine() mrs.Affine {
	sn, cs := math.Sincos(s.RotXDeg * math.Pi / 180)
	return mrs.Affine{
		{s.SpacingMM[0], 0, 0, s.OriginMM[0]},
		{0, cs * s.SpacingMM[1], -sn * s.SpacingMM[2], s.OriginMM[1]},
		{0, sn * s.SpacingMM[1], cs * s.SpacingMM[2], s.OriginMM[2]},
	}
}

// overlap returns the length of [a, b] ∩ [lo, hi].
func overlap(a, b, lo, hi float64) float64 {
	return math.Max(0, math.Min(b, hi)-math.Max(a, lo))
}

// SlabFractions returns the exact CSF, GM and WM shares of the world-x
// interval [x0, x1] (the partial volumes of anything whose extent along x
// is that interval and whose tissue depends on x alone).
func (s LayeredSpec) SlabFractions(x0, x1 float64) (csf, gm, wm float64) {
	w := x1 - x0
	inf := math.Inf(1)
	return overlap(x0, x1, -inf, s.CSFToGM) / w, overlap(x0, x1, s.CSFToGM, s.GMToWM) / w, overlap(x0, x1, s.GMToWM, inf) / w
}

// LabelBoundaries returns where the labelled volume's classes change on
// world x: at the voxel faces nearest the true boundaries (a voxel takes
// the class at its centre).
func (s LayeredSpec) LabelBoundaries() (csfToGM, gmToWM float64) {
	face := func(b float64) float64 {
		// First voxel whose centre is at or beyond b; its lower face.
		i := math.Ceil((b - s.OriginMM[0]) / s.SpacingMM[0])
		return s.OriginMM[0] + (i-0.5)*s.SpacingMM[0]
	}
	return face(s.CSFToGM), face(s.GMToWM)
}

// LayeredSegmentation builds the volumes of spec.
func LayeredSegmentation(spec LayeredSpec) (*Layered, error) {
	if !(spec.CSFToGM < spec.GMToWM) {
		return nil, fmt.Errorf("synth: CSF/GM boundary %g mm must lie below the GM/WM boundary %g mm", spec.CSFToGM, spec.GMToWM)
	}
	for _, d := range spec.SpacingMM {
		if !(d > 0) {
			return nil, fmt.Errorf("synth: voxel spacing %v mm, want > 0", spec.SpacingMM)
		}
	}
	out := &Layered{}
	for _, p := range []**tissue.Volume{&out.GM, &out.WM, &out.CSF, &out.Labels, &out.T1} {
		v, err := tissue.NewVolume(spec.Dims, spec.Affine())
		if err != nil {
			return nil, fmt.Errorf("synth: %w", err)
		}
		*p = v
	}
	lab := map[tissue.Class]float32{tissue.CSF: 24, tissue.GM: 3, tissue.WM: 2}
	nx, ny := spec.Dims[0], spec.Dims[1]
	for i := 0; i < nx; i++ {
		x := spec.OriginMM[0] + float64(i)*spec.SpacingMM[0]
		csf, gm, wm := spec.SlabFractions(x-spec.SpacingMM[0]/2, x+spec.SpacingMM[0]/2)
		class := tissue.WM
		if x < spec.CSFToGM {
			class = tissue.CSF
		} else if x < spec.GMToWM {
			class = tissue.GM
		}
		for k := 0; k < spec.Dims[2]; k++ {
			for j := 0; j < ny; j++ {
				o := i + nx*(j+ny*k)
				out.CSF.Data[o], out.GM.Data[o], out.WM.Data[o] = float32(csf), float32(gm), float32(wm)
				out.Labels.Data[o] = lab[class]
				out.T1.Data[o] = float32(0.2*csf + 0.6*gm + wm)
			}
		}
	}
	return out, nil
}
