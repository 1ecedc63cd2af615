package nifti

import (
	"math"

	"glusleep/mrs"
)

// Affine returns the header's voxel-to-world transform in RAS+ mm, by the
// NIfTI rules: the sform when its code is positive, else the qform
// (quaternion, offsets and pixdim, with qfac = pixdim[0]) when its code is
// positive, else the voxel sizes alone (method 1 of nifti1.h).
func (h Header) Affine() mrs.Affine {
	switch {
	case h.SformCode > 0:
		return mrs.Affine(h.Srow)
	case h.QformCode > 0:
		return quaternToAffine(h.Quatern, h.QOffset, [3]float64{h.Pixdim[1], h.Pixdim[2], h.Pixdim[3]}, h.Pixdim[0])
	}
	var a mrs.Affine
	for i := 0; i < 3; i++ {
		a[i][i] = h.Pixdim[i+1]
	}
	return a
}

// Voxel returns the voxel geometry the header states (RAS): edge
// directions and centre from Affine, edge lengths from pixdim[1..3] when
// they are positive (else the affine's column lengths). A header with
// neither an sform nor a qform (both codes 0) states no position, and
// Voxel returns the zero Voxel (geometry unknown).
func (h Header) Voxel() mrs.Voxel {
	if h.SformCode <= 0 && h.QformCode <= 0 {
		return mrs.Voxel{}
	}
	v := mrs.VoxelFromAffine(h.Affine())
	for i := 0; i < 3; i++ {
		if p := h.Pixdim[i+1]; p > 0 && !math.IsInf(p, 0) {
			v.Size[i] = p
		}
	}
	return v
}

// SetAffine sets the sform and the qform (both code 2, aligned) and
// pixdim[0..3] from a, a RAS+ affine whose 3×3 part is a rotation (or
// rotation with reflection) times the voxel sizes.
func (h *Header) SetAffine(a mrs.Affine) {
	h.Srow = [3][4]float64(a)
	h.SformCode, h.QformCode = 2, 2
	q, off, size, qfac := affineToQuatern(a)
	h.Quatern, h.QOffset = q, off
	h.Pixdim[0] = qfac
	for i := 0; i < 3; i++ {
		h.Pixdim[i+1] = size[i]
	}
}

// quaternToAffine builds the qform affine as nifti1.h defines it.
func quaternToAffine(q, off, size [3]float64, qfac float64) mrs.Affine {
	b, c, d := q[0], q[1], q[2]
	a := 1 - (b*b + c*c + d*d)
	if a < 1e-7 {
		// Rotation by 180°: renormalise (b, c, d).
		n := 1 / math.Sqrt(b*b+c*c+d*d)
		b, c, d, a = b*n, c*n, d*n, 0
	} else {
		a = math.Sqrt(a)
	}
	r := [3][3]float64{
		{a*a + b*b - c*c - d*d, 2 * (b*c - a*d), 2 * (b*d + a*c)},
		{2 * (b*c + a*d), a*a + c*c - b*b - d*d, 2 * (c*d - a*b)},
		{2 * (b*d - a*c), 2 * (c*d + a*b), a*a + d*d - c*c - b*b},
	}
	if qfac < 0 {
		size[2] = -size[2]
	}
	var m mrs.Affine
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			m[i][j] = r[i][j] * size[j]
		}
		m[i][3] = off[i]
	}
	return m
}

// affineToQuatern returns the quaternion (b, c, d), offsets, voxel sizes
// and qfac of an affine whose columns are orthogonal.
func affineToQuatern(m mrs.Affine) (q, off, size [3]float64, qfac float64) {
	var r [3][3]float64
	for j := 0; j < 3; j++ {
		col := m.Column(j)
		n := math.Sqrt(col[0]*col[0] + col[1]*col[1] + col[2]*col[2])
		if n == 0 {
			col, n = [3]float64{}, 1
			col[j] = 1
		}
		size[j] = n
		for i := 0; i < 3; i++ {
			r[i][j] = col[i] / n
		}
	}
	for i := 0; i < 3; i++ {
		off[i] = m[i][3]
	}
	det := r[0][0]*(r[1][1]*r[2][2]-r[1][2]*r[2][1]) - r[0][1]*(r[1][0]*r[2][2]-r[1][2]*r[2][0]) + r[0][2]*(r[1][0]*r[2][1]-r[1][1]*r[2][0])
	qfac = 1
	if det < 0 {
		qfac = -1
		for i := 0; i < 3; i++ {
			r[i][2] = -r[i][2]
		}
	}
	var a, b, c, d float64
	if t := r[0][0] + r[1][1] + r[2][2] + 1; t > 0.5 {
		a = 0.5 * math.Sqrt(t)
		b = 0.25 * (r[2][1] - r[1][2]) / a
		c = 0.25 * (r[0][2] - r[2][0]) / a
		d = 0.25 * (r[1][0] - r[0][1]) / a
	} else if xd := 1 + r[0][0] - (r[1][1] + r[2][2]); xd > 1 {
		b = 0.5 * math.Sqrt(xd)
		c = 0.25 * (r[0][1] + r[1][0]) / b
		d = 0.25 * (r[0][2] + r[2][0]) / b
		a = 0.25 * (r[2][1] - r[1][2]) / b
	} else if yd := 1 + r[1][1] - (r[0][0] + r[2][2]); yd > 1 {
		c = 0.5 * math.Sqrt(yd)
		b = 0.25 * (r[0][1] + r[1][0]) / c
		d = 0.25 * (r[1][2] + r[2][1]) / c
		a = 0.25 * (r[0][2] - r[2][0]) / c
	} else {
		zd := 1 + r[2][2] - (r[0][0] + r[1][1])
		d = 0.5 * math.Sqrt(zd)
		b = 0.25 * (r[0][2] + r[2][0]) / d
		c = 0.25 * (r[1][2] + r[2][1]) / d
		a = 0.25 * (r[1][0] - r[0][1]) / d
	}
	if a < 0 {
		b, c, d = -b, -c, -d
	}
	return [3]float64{b, c, d}, off, size, qfac
}
