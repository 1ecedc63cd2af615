package tissue

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"math"
	"sort"
	"strings"

	"glusleep/mrs"
)

// panel is one slice of the figure: which grid axis is held fixed and
// which two run across and up.
type panel struct {
	name        string
	fixed, h, v int
}

var panels = []panel{
	{"axial", 2, 0, 1},
	{"coronal", 1, 0, 2},
	{"sagittal", 0, 1, 2},
}

// Figure returns an SVG of three orthogonal slices of img (a T1 image, or
// any volume on the segmentation's grid) through the voxel's centre, with
// the voxel's outline (the box cut by each slice plane) drawn in red.
// Slices are the grid's own planes (axial: k fixed; coronal: j; sagittal:
// i), each shown with the grid's second in-plane index increasing upwards
// and 1 mm drawn as 1.5 px. The output is deterministic.
func Figure(img *Volume, vox mrs.Voxel, title string) (string, error) {
	if img == nil {
		return "", fmt.Errorf("tissue: no image for the voxel figure")
	}
	toIndex, err := img.Affine.Inverse()
	if err != nil {
		return "", fmt.Errorf("tissue: image grid: %w", err)
	}
	centre := toIndex.Apply(vox.RASAffine().Column(3))
	var c [3]int
	for a := 0; a < 3; a++ {
		c[a] = int(math.Floor(centre[a] + 0.5))
		if c[a] < 0 || c[a] >= img.Dims[a] {
			return "", fmt.Errorf("tissue: the voxel centre (grid index %.1f, %.1f, %.1f) lies outside the image %v", centre[0], centre[1], centre[2], img.Dims)
		}
	}
	corners := boxCorners(vox, toIndex)
	var spacing [3]float64
	for a := 0; a < 3; a++ {
		col := img.Affine.Column(a)
		spacing[a] = math.Sqrt(col[0]*col[0] + col[1]*col[1] + col[2]*col[2])
	}
	const pxPerMM, pad, top = 1.5, 10.0, 30.0
	var body strings.Builder
	x0, height := pad, 0.0
	for _, p := range panels {
		w := float64(img.Dims[p.h]) * spacing[p.h] * pxPerMM
		h := float64(img.Dims[p.v]) * spacing[p.v] * pxPerMM
		uri, err := slicePNG(img, p, c[p.fixed])
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&body, `<g transform="translate(%.2f,%.2f)">`+"\n", x0, top)
		fmt.Fprintf(&body, `<image width="%.2f" height="%.2f" preserveAspectRatio="none" style="image-rendering:pixelated" href="%s"/>`+"\n", w, h, uri)
		if poly := slicePolygon(corners, p, float64(c[p.fixed])); len(poly) >= 3 {
			var pts []string
			for _, q := range poly {
				// Index → panel px: voxel index n spans [n−½, n+½]; up is +v.
				px := (q[0] + 0.5) * spacing[p.h] * pxPerMM
				py := h - (q[1]+0.5)*spacing[p.v]*pxPerMM
				pts = append(pts, fmt.Sprintf("%.2f,%.2f", px, py))
			}
			fmt.Fprintf(&body, `<polygon points="%s" fill="none" stroke="#e31a1c" stroke-width="2"/>`+"\n", strings.Join(pts, " "))
		}
		fmt.Fprintf(&body, `<text x="%.2f" y="%.2f" font-size="12" text-anchor="middle">%s (%s = %d)</text>`+"\n", w/2, h+16, p.name, "ijk"[p.fixed:p.fixed+1], c[p.fixed])
		body.WriteString("</g>\n")
		x0 += w + pad
		height = math.Max(height, h)
	}
	var out strings.Builder
	fmt.Fprintf(&out, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif">`+"\n", x0, top+height+26)
	fmt.Fprintf(&out, `<text x="%.2f" y="18" font-size="14">%s</text>`+"\n", pad, html.EscapeString(title))
	out.WriteString(body.String())
	out.WriteString("</svg>\n")
	return out.String(), nil
}

// boxCorners returns the eight corners of the voxel in grid index space.
func boxCorners(vox mrs.Voxel, toIndex mrs.Affine) [8][3]float64 {
	a := vox.RASAffine()
	var out [8][3]float64
	for n := 0; n < 8; n++ {
		u := [3]float64{float64(n&1) - 0.5, float64(n>>1&1) - 0.5, float64(n>>2&1) - 0.5}
		out[n] = toIndex.Apply(a.Apply(u))
	}
	return out
}

// slicePolygon cuts the box (its corners in index space) with the plane
// index[p.fixed] = at and returns the section's vertices in (h, v) index
// coordinates, ordered around their centroid.
func slicePolygon(c [8][3]float64, p panel, at float64) [][2]float64 {
	var pts [][2]float64
	for n := 0; n < 8; n++ {
		for bit := 0; bit < 3; bit++ {
			m := n | 1<<bit
			if m == n {
				continue
			}
			a, b := c[n], c[m]
			da, db := a[p.fixed]-at, b[p.fixed]-at
			if (da > 0 && db > 0) || (da < 0 && db < 0) || da == db {
				continue
			}
			t := da / (da - db)
			pts = append(pts, [2]float64{a[p.h] + t*(b[p.h]-a[p.h]), a[p.v] + t*(b[p.v]-a[p.v])})
		}
	}
	if len(pts) < 3 {
		return nil
	}
	var cx, cy float64
	for _, q := range pts {
		cx += q[0]
		cy += q[1]
	}
	cx /= float64(len(pts))
	cy /= float64(len(pts))
	sort.SliceStable(pts, func(i, j int) bool {
		return math.Atan2(pts[i][1]-cy, pts[i][0]-cx) < math.Atan2(pts[j][1]-cy, pts[j][0]-cx)
	})
	return pts
}

// slicePNG renders one grid slice as a grey-scale PNG data URI, black at
// the slice's minimum and white at its maximum, +v upwards.
func slicePNG(img *Volume, p panel, at int) (string, error) {
	w, h := img.Dims[p.h], img.Dims[p.v]
	val := func(x, y int) float32 {
		var idx [3]int
		idx[p.fixed], idx[p.h], idx[p.v] = at, x, y
		v, _ := img.At(idx[0], idx[1], idx[2])
		return v
	}
	lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := val(x, y)
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	span := hi - lo
	if span <= 0 {
		span = 1
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g.SetGray(x, h-1-y, color.Gray{Y: uint8(math.Round(float64((val(x, y) - lo) / span * 255)))})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, g); err != nil {
		return "", fmt.Errorf("tissue: figure: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}
