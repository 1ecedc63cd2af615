package tissue

import (
	"math"
	"testing"

	"glusleep/mrs"
)

// The overlaps of the cells a box touches sum to the box's volume (closed
// form: the product of its edge lengths, here with axis-aligned edges),
// including boxes whose faces lie exactly on cell faces, where a clipping
// plane holds a whole face of the clipped cell.
func TestOverlapSumsToVolume(t *testing.T) {
	for _, c := range []struct {
		name string
		m    mrs.Affine
		want float64
	}{
		// x from 0 to 0.5: the face x = 0 lies on the cells' faces.
		{"thin on cell face", mrs.Affine{{0.5, 0, 0, -0.25}, {0, 4, 0, 1.5}, {0, 0, 4, 1.5}}, 8},
		{"thin off cell face", mrs.Affine{{0.5, 0, 0, -0.15}, {0, 4, 0, 1.5}, {0, 0, 4, 1.5}}, 8},
		// Every face on a cell face: 2 × 3 × 4 cells.
		{"aligned", mrs.Affine{{2, 0, 0, 0.5}, {0, 3, 0, 1}, {0, 0, 4, 1.5}}, 24},
		{"half cells", mrs.Affine{{2.5, 0, 0, 0.75}, {0, 1.5, 0, 0.25}, {0, 0, 0.5, -0.25}}, 1.875},
	} {
		b, err := newBox(c.m)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		lo, hi, _ := b.cellRange()
		var clip clipper
		sum := 0.0
		for k := lo[2]; k < hi[2]; k++ {
			for j := lo[1]; j < hi[1]; j++ {
				for i := lo[0]; i < hi[0]; i++ {
					sum += b.overlap([3]int{i, j, k}, &clip)
				}
			}
		}
		if math.Abs(sum-c.want) > 1e-12*c.want || math.Abs(b.volume-c.want) > 1e-12*c.want {
			t.Errorf("%s: overlaps sum to %.12g, box volume %.12g, want %g", c.name, sum, b.volume, c.want)
		}
	}
}

// integrate weighs a uniform segmentation by the thin box on a cell face:
// GM = the box's volume (8 cells, closed form), nothing outside.
func TestIntegrateThinBoxOnCellFace(t *testing.T) {
	one := func(x float32) *Volume {
		v := &Volume{Dims: [3]int{4, 8, 8}, Affine: mrs.Affine{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}}}
		v.Data = make([]float32, 4*8*8)
		for i := range v.Data {
			v.Data[i] = x
		}
		return v
	}
	seg := &Segmentation{GM: one(1), WM: one(0), CSF: one(0)}
	b, err := newBox(mrs.Affine{{0.5, 0, 0, -0.25}, {0, 4, 0, 1.5}, {0, 0, 4, 1.5}})
	if err != nil {
		t.Fatal(err)
	}
	gm, wm, csf, outside, cells, err := seg.integrate(b)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(gm-8) > 1e-12 || wm != 0 || csf != 0 || outside != 0 || cells != 16 {
		t.Errorf("gm %.12g wm %g csf %g outside %g cells %d, want 8 0 0 0 16", gm, wm, csf, outside, cells)
	}
}
