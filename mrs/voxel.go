package mrs

import (
	"fmt"
	"math"
)

// Affine is a voxel-to-world transform: world = A[:, :3]·(i, j, k) + A[:, 3],
// in mm, as the first three rows of a NIfTI sform.
type Affine [3][4]float64

// Apply returns the world position (mm) of the fractional voxel index ijk.
func (a Affine) Apply(ijk [3]float64) [3]float64 {
	var w [3]float64
	for r := 0; r < 3; r++ {
		w[r] = a[r][0]*ijk[0] + a[r][1]*ijk[1] + a[r][2]*ijk[2] + a[r][3]
	}
	return w
}

// Inverse returns the world-to-voxel transform, or an error when the 3×3
// part is singular.
func (a Affine) Inverse() (Affine, error) {
	m := [3][3]float64{}
	for r := 0; r < 3; r++ {
		for c := 0; c < 3; c++ {
			m[r][c] = a[r][c]
		}
	}
	det := m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) - m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) + m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	if !(math.Abs(det) > 1e-12) || math.IsNaN(det) || math.IsInf(det, 0) {
		return Affine{}, fmt.Errorf("mrs: affine is singular (determinant %g)", det)
	}
	var inv Affine
	for r := 0; r < 3; r++ {
		for c := 0; c < 3; c++ {
			// Cofactor of m[c][r] over the determinant.
			r1, r2 := (c+1)%3, (c+2)%3
			c1, c2 := (r+1)%3, (r+2)%3
			inv[r][c] = (m[r1][c1]*m[r2][c2] - m[r1][c2]*m[r2][c1]) / det
		}
	}
	for r := 0; r < 3; r++ {
		inv[r][3] = -(inv[r][0]*a[0][3] + inv[r][1]*a[1][3] + inv[r][2]*a[2][3])
	}
	return inv, nil
}

// Column returns column c (0–2: the direction and length in mm of one voxel
// step along index c; 3: the world position of voxel (0, 0, 0)).
func (a Affine) Column(c int) [3]float64 { return [3]float64{a[0][c], a[1][c], a[2][c]} }

// axes returns v.Axes, or the identity when they are unset.
func (v Voxel) axes() [3][3]float64 {
	if v.Axes == ([3][3]float64{}) {
		return [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	}
	return v.Axes
}

// RASAffine returns the voxel's geometry as a NIfTI affine in RAS+ mm: column
// c is Axes[c]·Size[c] and the translation is Centre (the centre of the one
// voxel, index 0). LPS (DICOM) coordinates are converted by negating x and
// y; any other Frame ("" or "RAS") is taken as RAS.
func (v Voxel) RASAffine() Affine {
	ax := v.axes()
	var a Affine
	for c := 0; c < 3; c++ {
		for r := 0; r < 3; r++ {
			a[r][c] = ax[c][r] * v.Size[c]
		}
	}
	for r := 0; r < 3; r++ {
		a[r][3] = v.Centre[r]
	}
	if v.Frame == "LPS" {
		for c := 0; c < 4; c++ {
			a[0][c], a[1][c] = 0-a[0][c], 0-a[1][c] // 0−x: no negative zeros
		}
	}
	return a
}

// VoxelFromAffine returns the RAS voxel whose RASAffine is a: edge lengths
// the column norms, axes the normalised columns (left unset when they are
// the frame's own axes), centre the translation.
func VoxelFromAffine(a Affine) Voxel {
	v := Voxel{Frame: "RAS"}
	for c := 0; c < 3; c++ {
		col := a.Column(c)
		n := math.Sqrt(col[0]*col[0] + col[1]*col[1] + col[2]*col[2])
		v.Size[c] = n
		if n > 0 {
			for r := 0; r < 3; r++ {
				v.Axes[c][r] = col[r] / n
			}
		}
		v.Centre[c] = a[c][3]
	}
	if v.Axes == [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}} {
		v.Axes = [3][3]float64{} // the frame's own axes: stored as unset
	}
	return v
}

// Cross returns the vector product a × b.
func Cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// Unit returns a scaled to length 1, and false when a has no length.
func Unit(a [3]float64) ([3]float64, bool) {
	n := math.Sqrt(a[0]*a[0] + a[1]*a[1] + a[2]*a[2])
	if !(n > 0) || math.IsInf(n, 0) {
		return a, false
	}
	return [3]float64{a[0] / n, a[1] / n, a[2] / n}, true
}
