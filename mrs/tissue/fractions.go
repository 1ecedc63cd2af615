package tissue

import (
	"fmt"
	"math"

	"glusleep/mrs"
)

// Fractions are the tissue volume fractions of an MRS voxel.
type Fractions struct {
	// GM, WM and CSF are the mean partial volumes over the voxel (they sum
	// to 1 less the share of other tissue and of the voxel outside the
	// segmentation).
	GM  float64 `json:"f_gm"`
	WM  float64 `json:"f_wm"`
	CSF float64 `json:"f_csf"`
	// Outside is the share of the voxel outside the segmentation's grid.
	Outside float64 `json:"outside_fraction"`
	// Samples is the number of segmentation voxels (grid cells, inside
	// the grid or beyond it) that overlap the MRS voxel, each counted by
	// its exact overlap volume.
	Samples int `json:"samples"`
	// StepMM was the spacing in mm of the sampling lattice of an earlier,
	// sampled Measure.
	//
	// Deprecated: always 0; Measure integrates the overlap exactly and
	// samples nothing. Kept so that readers of "sample_step_mm" (the QC
	// JSON of mrs/analysis) keep their schema.
	StepMM float64 `json:"sample_step_mm"`
	// Source names the segmentation ("FSL FAST", "SPM", "labels").
	Source string `json:"segmentation"`
}

// Normalised returns GM, WM and CSF scaled to sum to 1 (the form the
// Gasparovic water-scaling formula uses), or an error when the voxel holds
// none of them.
func (f Fractions) Normalised() (gm, wm, csf float64, err error) {
	s := f.GM + f.WM + f.CSF
	if !(s > 0) {
		return 0, 0, 0, fmt.Errorf("tissue: the voxel holds no GM, WM or CSF (outside the brain or the segmentation?)")
	}
	return f.GM / s, f.WM / s, f.CSF / s, nil
}

// MaxOutside is the largest share of the voxel that may lie outside the
// segmentation's grid before Measure refuses.
const MaxOutside = 0.05

// Measure returns the tissue fractions of the voxel vox (size, axes and
// centre; any Frame RASAffine understands) in seg: each segmentation voxel
// counts by the exact volume of its overlap with the box, as FSL-MRS's
// voxel mask does in the limit of fine sampling. Segmentation voxels
// wholly inside the box count whole; those its faces cut are clipped by
// the box's planes and their polyhedra's volumes computed, so the
// fractions are exact to rounding (about 1e-12) for partial-volume maps
// that are constant within each segmentation voxel.
func Measure(seg *Segmentation, vox mrs.Voxel) (Fractions, error) {
	for i, s := range vox.Size {
		if !(s > 0) || math.IsInf(s, 0) {
			return Fractions{}, fmt.Errorf("tissue: voxel edge %d is %g mm: the spectrum has no voxel geometry", i, s)
		}
	}
	if seg == nil || seg.GM == nil || seg.WM == nil || seg.CSF == nil {
		return Fractions{}, fmt.Errorf("tissue: no segmentation")
	}
	toIndex, err := seg.GM.Affine.Inverse()
	if err != nil {
		return Fractions{}, fmt.Errorf("tissue: segmentation grid: %w", err)
	}
	// Unit voxel u (each in −½…½) → world: the spectrum's affine; world →
	// segmentation index: toIndex. Compose once.
	a := vox.RASAffine()
	var m mrs.Affine
	for r := 0; r < 3; r++ {
		for c := 0; c < 4; c++ {
			for k := 0; k < 3; k++ {
				m[r][c] += toIndex[r][k] * a[k][c]
			}
		}
		m[r][3] += toIndex[r][3]
	}
	b, err := newBox(m)
	if err != nil {
		return Fractions{}, fmt.Errorf("tissue: voxel centre %v mm, size %v mm, axes %v: %w", vox.Centre, vox.Size, vox.Axes, err)
	}
	f := Fractions{Source: seg.Source}
	gm, wm, csf, outside, cells, err := seg.integrate(b)
	if err != nil {
		return f, err
	}
	f.Samples = cells
	f.GM, f.WM, f.CSF = gm/b.volume, wm/b.volume, csf/b.volume
	f.Outside = outside / b.volume
	if f.Outside > MaxOutside {
		return f, fmt.Errorf("tissue: %.0f%% of the voxel lies outside the segmentation's field of view (check that the T1 and the spectrum come from one session and the same scanner space)", 100*f.Outside)
	}
	return f, nil
}

// integrate sums the partial volumes of the segmentation voxels weighted
// by their overlap volumes with b (in cells), the overlap outside the grid,
// and the number of cells that overlap b at all.
func (seg *Segmentation) integrate(b box) (gm, wm, csf, outside float64, cells int, err error) {
	lo, hi, n := b.cellRange()
	if n > MaxCells {
		return 0, 0, 0, 0, 0, fmt.Errorf("tissue: the voxel spans %.3g segmentation voxels, over the %d budget (tissue.MaxCells): check its size and the grid's spacing", n, MaxCells)
	}
	dims := seg.GM.Dims
	var clip clipper
	inside := 0.0 // overlap volume of the cells inside the grid
	// Sum in a fixed order (k, j, i) so results are reproducible.
	for k := lo[2]; k < hi[2]; k++ {
		for j := lo[1]; j < hi[1]; j++ {
			for i := lo[0]; i < hi[0]; i++ {
				w := b.overlap([3]int{i, j, k}, &clip)
				if w == 0 {
					continue
				}
				cells++
				if i < 0 || j < 0 || k < 0 || i >= dims[0] || j >= dims[1] || k >= dims[2] {
					outside += w
					continue
				}
				inside += w
				o := i + dims[0]*(j+dims[1]*k)
				gm += w * float64(seg.GM.Data[o])
				wm += w * float64(seg.WM.Data[o])
				csf += w * float64(seg.CSF.Data[o])
			}
		}
	}
	// The cells tile space, so their overlaps sum to the box's volume; a
	// larger gap is a clipping fault, not rounding.
	if d := inside + outside - b.volume; !(math.Abs(d) <= overlapTolerance*b.volume) {
		return 0, 0, 0, 0, 0, fmt.Errorf("tissue: the segmentation voxels' overlaps sum to %.12g cells, the MRS voxel's volume is %.12g cells (relative difference %.3g over %g): overlap integration fault", inside+outside, b.volume, d/b.volume, overlapTolerance)
	}
	return gm, wm, csf, outside, cells, nil
}

// overlapTolerance is the relative difference between the summed overlap
// volumes and the box's volume above which integrate reports a fault.
const overlapTolerance = 1e-9
