package tissue

import (
	"fmt"
	"math"
	"slices"

	"glusleep/mrs"
)

// vec is a point or direction in the segmentation's index space.
type vec [3]float64

func (a vec) dot(b vec) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func (a vec) sub(b vec) vec     { return vec{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func (a vec) cross(b vec) vec {
	return vec{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// MaxCells is the most segmentation voxels (grid cells, inside or outside
// the grid) that the bounding box of an MRS voxel may span before Measure
// refuses: 64 Mi, far above any single-voxel or CSI box on a T1 grid.
const MaxCells = 1 << 26

// box is the MRS voxel in the segmentation's index space, shifted by ½ so
// that segmentation voxel (i, j, k) is the unit cell [i, i+1)×[j, j+1)×
// [k, k+1): the parallelepiped {x : −½ ≤ w[r]·x − c[r] ≤ ½, r = 0, 1, 2},
// where u = W·x − c are the unit-voxel coordinates.
type box struct {
	w       [3]vec // rows of the inverse of the box's edge matrix
	c       [3]float64
	corners [8]vec
	volume  float64 // in cells (index-space volume)
}

// MaxCornerCells is how far (in segmentation voxels along any axis) a
// corner of the MRS voxel may lie from the segmentation grid's origin
// before Measure refuses: 2^20, beyond any real geometry (a kilometre of
// 1 mm voxels) and where clipping a unit cell in float64 still leaves
// its volume exact to about 1e-10, inside the overlap check's 1e-9.
const MaxCornerCells = 1 << 20

// newBox maps the unit voxel (−½…½ along each edge) by m (unit voxel →
// segmentation index). It refuses a non-finite m and corners beyond
// ±MaxCornerCells.
func newBox(m mrs.Affine) (box, error) {
	var b box
	for r := range m {
		for c, x := range m[r] {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return b, fmt.Errorf("tissue: the voxel's map to the segmentation's grid has element [%d][%d] = %g, want finite", r, c, x)
			}
		}
	}
	var edge [3]vec // edge[c] is column c of m
	var origin vec
	for r := 0; r < 3; r++ {
		for c := 0; c < 3; c++ {
			edge[c][r] = m[r][c]
		}
		origin[r] = m[r][3] + 0.5
	}
	det := edge[0].dot(edge[1].cross(edge[2]))
	if !(math.Abs(det) > 0) || math.IsInf(det, 0) {
		return b, fmt.Errorf("tissue: the voxel maps to a degenerate box in the segmentation's grid (determinant %g)", det)
	}
	// Rows of the inverse of the edge matrix: w[r]·edge[c] = δ(r, c).
	b.w[0] = edge[1].cross(edge[2])
	b.w[1] = edge[2].cross(edge[0])
	b.w[2] = edge[0].cross(edge[1])
	for r := range b.w {
		for k := range b.w[r] {
			b.w[r][k] /= det
		}
		b.c[r] = b.w[r].dot(origin)
	}
	b.volume = math.Abs(det)
	for k := range b.corners {
		p := origin
		for c := 0; c < 3; c++ {
			s := -0.5
			if k>>c&1 == 1 {
				s = 0.5
			}
			for r := 0; r < 3; r++ {
				p[r] += s * edge[c][r]
			}
		}
		for r := range p {
			if !(math.Abs(p[r]) <= MaxCornerCells) {
				return b, fmt.Errorf("tissue: a voxel corner lies at index %g along segmentation axis %d, beyond ±2^20 (tissue.MaxCornerCells)", p[r], r)
			}
		}
		b.corners[k] = p
	}
	return b, nil
}

// cellRange returns the cells [lo, hi) along each axis that the box's
// bounding box touches.
func (b box) cellRange() (lo, hi [3]int, cells float64) {
	cells = 1
	for r := 0; r < 3; r++ {
		mn, mx := math.Inf(1), math.Inf(-1)
		for _, p := range b.corners {
			mn, mx = math.Min(mn, p[r]), math.Max(mx, p[r])
		}
		lo[r], hi[r] = int(math.Floor(mn)), int(math.Ceil(mx))
		if hi[r] == lo[r] {
			hi[r]++
		}
		cells *= float64(hi[r] - lo[r])
	}
	return lo, hi, cells
}

// overlap returns the volume of cell (i, j, k) inside the box: 1 when the
// cell lies wholly inside, 0 when wholly outside, and otherwise the volume
// of the unit cube clipped by the box's face planes that cut it.
func (b box) overlap(cell [3]int, scratch *clipper) float64 {
	p := vec{float64(cell[0]), float64(cell[1]), float64(cell[2])}
	var cut [3]bool
	inside := true
	for r := 0; r < 3; r++ {
		// Range of u_r over the cell's corners.
		u := b.w[r].dot(p) - b.c[r]
		mn, mx := u, u
		for k := 0; k < 3; k++ {
			if w := b.w[r][k]; w > 0 {
				mx += w
			} else {
				mn += w
			}
		}
		if mn >= 0.5 || mx <= -0.5 {
			return 0
		}
		if mn < -0.5 || mx > 0.5 {
			cut[r] = true
			inside = false
		}
	}
	if inside {
		return 1
	}
	scratch.cube(p)
	for r := 0; r < 3; r++ {
		if !cut[r] {
			continue
		}
		// u_r ≤ ½ and −u_r ≤ ½.
		scratch.clip(b.w[r], b.c[r]+0.5)
		scratch.clip(vec{-b.w[r][0], -b.w[r][1], -b.w[r][2]}, 0.5-b.c[r])
		if len(scratch.faces()) == 0 {
			return 0
		}
	}
	return scratch.volume()
}

// clipper holds a convex polyhedron as its faces (each a planar convex
// polygon, vertices in cyclic order). It keeps two generations of face
// buffers, read from one and written to the other, and reuses them
// between cells.
type clipper struct {
	buf [2][][]vec
	n   [2]int
	cur int
	// cap collects the points on a clipping plane; keys and sorted order
	// them.
	cap, sorted []vec
	keys        []keyed
}

// faces returns the polyhedron's faces.
func (c *clipper) faces() [][]vec { return c.buf[c.cur][:c.n[c.cur]] }

// newFace returns an empty vertex buffer for the next face of
// generation g.
func (c *clipper) newFace(g int) []vec {
	if c.n[g] == len(c.buf[g]) {
		c.buf[g] = append(c.buf[g], nil)
	}
	return c.buf[g][c.n[g]][:0]
}

// addFace stores f as the next face of generation g.
func (c *clipper) addFace(g int, f []vec) {
	c.buf[g][c.n[g]] = f
	c.n[g]++
}

// cube sets the polyhedron to the unit cube with its lowest corner at p.
func (c *clipper) cube(p vec) {
	quads := [6][4]vec{
		{{0, 0, 0}, {0, 1, 0}, {1, 1, 0}, {1, 0, 0}},
		{{0, 0, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}},
		{{0, 0, 0}, {1, 0, 0}, {1, 0, 1}, {0, 0, 1}},
		{{0, 1, 0}, {0, 1, 1}, {1, 1, 1}, {1, 1, 0}},
		{{0, 0, 0}, {0, 0, 1}, {0, 1, 1}, {0, 1, 0}},
		{{1, 0, 0}, {1, 1, 0}, {1, 1, 1}, {1, 0, 1}},
	}
	c.cur, c.n[0] = 0, 0
	for _, q := range quads {
		f := c.newFace(0)
		for _, d := range q {
			f = append(f, vec{p[0] + d[0], p[1] + d[1], p[2] + d[2]})
		}
		c.addFace(0, f)
	}
}

// clip keeps the part of the polyhedron where n·x ≤ d: each face is cut by
// the plane (Sutherland–Hodgman) and the cut closes with a new face made
// of the points on the plane, in angular order. A plane that leaves every
// vertex on its kept side (n·x − d ≤ 0) removes nothing and one that
// leaves none strictly there removes everything; both return before the
// cut, so a face lying on the plane is neither capped a second time nor
// kept as a flat remnant.
func (c *clipper) clip(n vec, d float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, f := range c.faces() {
		for _, a := range f {
			da := n.dot(a) - d
			lo, hi = math.Min(lo, da), math.Max(hi, da)
		}
	}
	if hi <= 0 {
		return
	}
	c.cap = c.cap[:0]
	g := 1 - c.cur
	c.n[g] = 0
	if lo >= 0 {
		c.cur = g
		return
	}
	for _, f := range c.faces() {
		nf := c.newFace(g)
		for i, a := range f {
			b := f[(i+1)%len(f)]
			da, db := n.dot(a)-d, n.dot(b)-d
			if da <= 0 {
				nf = append(nf, a)
				if da == 0 {
					c.cap = append(c.cap, a)
				}
			}
			if (da < 0 && db > 0) || (da > 0 && db < 0) {
				t := da / (da - db)
				q := vec{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1]), a[2] + t*(b[2]-a[2])}
				nf = append(nf, q)
				c.cap = append(c.cap, q)
			}
		}
		if len(nf) >= 3 {
			c.addFace(g, nf)
		} else if c.n[g] < len(c.buf[g]) {
			c.buf[g][c.n[g]] = nf // keep the buffer for reuse
		}
	}
	if c.n[g] > 0 && len(c.cap) >= 3 {
		c.orderCap(n)
		c.addFace(g, append(c.newFace(g), c.cap...))
	}
	c.cur = g
}

// orderCap sorts the cap's points (all on a plane of normal n) by angle
// about their mean. The angle is a pseudo-angle: monotonic in the true
// angle, without trigonometry.
func (c *clipper) orderCap(n vec) {
	var m vec
	for _, p := range c.cap {
		for k := range m {
			m[k] += p[k]
		}
	}
	for k := range m {
		m[k] /= float64(len(c.cap))
	}
	// An in-plane basis e1, e2.
	a := vec{1, 0, 0}
	if math.Abs(n[0]) > math.Abs(n[1]) && math.Abs(n[0]) > math.Abs(n[2]) {
		a = vec{0, 1, 0}
	}
	e1 := n.cross(a)
	e2 := n.cross(e1)
	c.keys = c.keys[:0]
	for i, p := range c.cap {
		d := p.sub(m)
		c.keys = append(c.keys, keyed{pseudoAngle(d.dot(e1), d.dot(e2)), i})
	}
	slices.SortFunc(c.keys, func(p, q keyed) int {
		switch {
		case p.angle < q.angle:
			return -1
		case p.angle > q.angle:
			return 1
		}
		return p.i - q.i
	})
	c.sorted = c.sorted[:0]
	for _, k := range c.keys {
		c.sorted = append(c.sorted, c.cap[k.i])
	}
	c.cap, c.sorted = c.sorted, c.cap
}

// keyed is a cap point's index and its pseudo-angle.
type keyed struct {
	angle float64
	i     int
}

// pseudoAngle returns a number in [0, 4) that increases with the angle of
// (x, y) from the positive x axis, as atan2 does.
func pseudoAngle(x, y float64) float64 {
	s := math.Abs(x) + math.Abs(y)
	if s == 0 {
		return 0
	}
	p := y / s // −1…1 along the diamond
	if x < 0 {
		return 2 - p
	}
	if y < 0 {
		return 4 + p
	}
	return p
}

// volume returns the polyhedron's volume: the sum, over faces, of the
// pyramids from an inner point (the mean of the vertices) to each face.
func (c *clipper) volume() float64 {
	var o vec
	k := 0
	for _, f := range c.faces() {
		for _, p := range f {
			for r := range o {
				o[r] += p[r]
			}
			k++
		}
	}
	for r := range o {
		o[r] /= float64(k)
	}
	v := 0.0
	for _, f := range c.faces() {
		a := f[0].sub(o)
		s := 0.0
		for i := 1; i+1 < len(f); i++ {
			s += a.dot(f[i].sub(o).cross(f[i+1].sub(o)))
		}
		v += math.Abs(s)
	}
	return v / 6
}
