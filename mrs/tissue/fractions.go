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
	// Samples is the number of points sampled in the voxel and StepMM
	// their largest spacing along an edge in mm.
	Samples int     `json:"samples"`
	StepMM  float64 `json:"sample_step_mm"`
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
// centre; any Frame RASAffine understands) in seg. The voxel box is
// sampled on a regular lattice of at most a tenth of the segmentation's
// smallest voxel spacing and at least 200 points per edge (at most 16 Mi
// points in all); each point takes the partial volumes of the segmentation
// voxel that contains it, so each segmentation voxel counts by its overlap
// with the box, as FSL-MRS's voxel mask does. The lattice's error is at
// most about one step (≤ 1/200 of the edge) per tissue boundary in the
// voxel, and much less on average.
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
	minSpacing := math.Inf(1)
	for c := 0; c < 3; c++ {
		col := seg.GM.Affine.Column(c)
		minSpacing = math.Min(minSpacing, math.Sqrt(col[0]*col[0]+col[1]*col[1]+col[2]*col[2]))
	}
	var n [3]int
	f := Fractions{Source: seg.Source}
	for c := 0; c < 3; c++ {
		n[c] = max(200, int(math.Ceil(vox.Size[c]/(minSpacing/10))))
	}
	if total := float64(n[0]) * float64(n[1]) * float64(n[2]); total > 1<<24 {
		shrink := math.Cbrt(total / (1 << 24))
		for c := range n {
			n[c] = max(8, int(float64(n[c])/shrink))
		}
	}
	for c := 0; c < 3; c++ {
		f.StepMM = math.Max(f.StepMM, vox.Size[c]/float64(n[c]))
	}
	// Voxel-lattice point u (each in −½…½) → world: the spectrum's affine;
	// world → segmentation index: toIndex. Compose once.
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
	gm, wm, csf, outside := seg.integrate(m, n)
	total := n[0] * n[1] * n[2]
	f.Samples = total
	f.GM, f.WM, f.CSF = gm/float64(total), wm/float64(total), csf/float64(total)
	f.Outside = float64(outside) / float64(total)

	if f.Outside > MaxOutside {
		return f, fmt.Errorf("tissue: %.0f%% of the voxel lies outside the segmentation's field of view (check that the T1 and the spectrum come from one session and the same scanner space)", 100*f.Outside)
	}
	return f, nil
}

// integrate sums the partial volumes over an n[0]×n[1]×n[2] lattice of
// cell centres in the unit voxel (−½…½ along each edge) mapped to grid
// indices by m, and counts the points outside the grid.
func (seg *Segmentation) integrate(m mrs.Affine, n [3]int) (gm, wm, csf float64, outside int) {
	dims := seg.GM.Dims
	// Index position of lattice point (i, j, k) = base + i·di + j·dj + k·dk.
	var base [3]float64
	var d [3][3]float64
	for r := 0; r < 3; r++ {
		for c := 0; c < 3; c++ {
			d[c][r] = m[r][c] / float64(n[c])
		}
		base[r] = m[r][3] + 0.5 // +½: rounding by truncation below
		for c := 0; c < 3; c++ {
			base[r] += m[r][c] * (0.5/float64(n[c]) - 0.5)
		}
	}
	var sg, sw, sc float64
	for k := 0; k < n[2]; k++ {
		for j := 0; j < n[1]; j++ {
			var p [3]float64
			for r := 0; r < 3; r++ {
				p[r] = base[r] + float64(j)*d[1][r] + float64(k)*d[2][r]
			}
			for i := 0; i < n[0]; i++ {
				x, y, z := p[0]+float64(i)*d[0][0], p[1]+float64(i)*d[0][1], p[2]+float64(i)*d[0][2]
				if x < 0 || y < 0 || z < 0 || x >= float64(dims[0]) || y >= float64(dims[1]) || z >= float64(dims[2]) {
					outside++
					continue
				}
				o := int(x) + dims[0]*(int(y)+dims[1]*int(z))
				sg += float64(seg.GM.Data[o])
				sw += float64(seg.WM.Data[o])
				sc += float64(seg.CSF.Data[o])
			}
		}
	}
	return sg, sw, sc, outside
}
