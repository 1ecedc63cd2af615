package tissue_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/fit"
	"glusleep/mrs/tissue"
	"glusleep/synth"
)

// The synthetic segmentation: tissue by world x (CSF below −3.7 mm, GM to
// 8.45 mm, WM beyond) on an 80×64×64 grid of 1 × 1 × 1.2 mm voxels turned
// 10° about x, its origin off the millimetre lattice.
var spec = synth.LayeredSpec{
	Dims: [3]int{80, 64, 64}, SpacingMM: [3]float64{1, 1, 1.2}, RotXDeg: 10,
	OriginMM: [3]float64{-40.3, -30.25, -36.1}, CSFToGM: -3.7, GMToWM: 8.45,
}

// rotX returns a voxel whose first edge runs along world x (so its tissue
// shares are those of its x extent) and whose others are turned by deg
// about x.
func rotX(size, centre [3]float64, deg float64) mrs.Voxel {
	s, c := math.Sincos(deg * math.Pi / 180)
	return mrs.Voxel{Size: size, Centre: centre, Frame: "RAS", Axes: [3][3]float64{{1, 0, 0}, {0, c, s}, {0, -s, c}}}
}

// toLPS expresses a RAS voxel in DICOM's LPS frame (x and y negated).
func toLPS(v mrs.Voxel) mrs.Voxel {
	v.Frame = "LPS"
	v.Centre[0], v.Centre[1] = -v.Centre[0], -v.Centre[1]
	for i := range v.Axes {
		v.Axes[i][0], v.Axes[i][1] = -v.Axes[i][0], -v.Axes[i][1]
	}
	return v
}

var voxels = []struct {
	name string
	vox  mrs.Voxel
}{
	{"axis-aligned", mrs.Voxel{Size: [3]float64{20, 25, 15}, Centre: [3]float64{0.9, 5, 4}, Frame: "RAS"}},
	{"oblique 25°", rotX([3]float64{20, 25, 15}, [3]float64{0.9, 5, 4}, 25)},
	{"oblique −40°, LPS", toLPS(rotX([3]float64{17.3, 20, 30}, [3]float64{-2.35, -3, 2}, -40))},
	{"small, off-lattice", rotX([3]float64{6.3, 8, 8}, [3]float64{6.1, 0.4, -1.7}, 63)},
}

// truth returns the exact fractions of a voxel whose first edge is along x.
func truth(v mrs.Voxel, csfToGM, gmToWM float64) (gm, wm, csf float64) {
	cx := v.RASAffine()[0][3]
	s := synth.LayeredSpec{CSFToGM: csfToGM, GMToWM: gmToWM}
	csf, gm, wm = s.SlabFractions(cx-v.Size[0]/2, cx+v.Size[0]/2)
	return gm, wm, csf
}

func writeAll(t *testing.T, vols map[string]*tissue.Volume) string {
	t.Helper()
	dir := t.TempDir()
	for name, v := range vols {
		if err := tissue.WriteVolume(filepath.Join(dir, name), v); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// FAST and SPM partial-volume maps, written as NIfTI files and read back:
// the fractions of voxels at known places equal the exact shares within
// 1e-6 (Measure integrates exactly; what is left is the float32 storage
// of the maps and of the NIfTI sform, about 1e-7 here).
func TestFractionsPartialVolume(t *testing.T) {
	t.Parallel()
	l, err := synth.LayeredSegmentation(spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := writeAll(t, map[string]*tissue.Volume{
		"t1_pve_0.nii.gz": l.CSF, "t1_pve_1.nii.gz": l.GM, "t1_pve_2.nii.gz": l.WM,
		"c1t1.nii": l.GM, "c2t1.nii": l.WM, "c3t1.nii": l.CSF,
	})
	fast, err := tissue.ReadFAST(filepath.Join(dir, "t1_pve_0.nii.gz"), filepath.Join(dir, "t1_pve_1.nii.gz"), filepath.Join(dir, "t1_pve_2.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	spm, err := tissue.ReadSPM(filepath.Join(dir, "c1t1.nii"), filepath.Join(dir, "c2t1.nii"), filepath.Join(dir, "c3t1.nii"))
	if err != nil {
		t.Fatal(err)
	}
	for _, seg := range []*tissue.Segmentation{fast, spm} {
		for _, c := range voxels {
			f, err := tissue.Measure(seg, c.vox)
			if err != nil {
				t.Fatalf("%s %s: %v", seg.Source, c.name, err)
			}
			gm, wm, csf := truth(c.vox, spec.CSFToGM, spec.GMToWM)
			if math.Abs(f.GM-gm) > 1e-6 || math.Abs(f.WM-wm) > 1e-6 || math.Abs(f.CSF-csf) > 1e-6 || f.Outside != 0 {
				t.Errorf("%s %s: GM %.4f WM %.4f CSF %.4f (outside %.3f); truth %.4f %.4f %.4f", seg.Source, c.name, f.GM, f.WM, f.CSF, f.Outside, gm, wm, csf)
			}
			if f.StepMM != 0 { // deprecated, documented as always 0
				t.Errorf("%s %s: StepMM %g, want 0", seg.Source, c.name, f.StepMM)
			}
		}
	}
}

// A FreeSurfer-style labelled volume: each grid voxel wholly one class, so
// the truth uses the boundaries moved to the voxel faces (within 1e-6, the
// float32 sform's rounding).
func TestFractionsLabels(t *testing.T) {
	t.Parallel()
	l, err := synth.LayeredSegmentation(spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := writeAll(t, map[string]*tissue.Volume{"aseg.nii.gz": l.Labels})
	seg, err := tissue.ReadLabels(filepath.Join(dir, "aseg.nii.gz"), nil)
	if err != nil {
		t.Fatal(err)
	}
	b1, b2 := spec.LabelBoundaries()
	for _, c := range voxels {
		f, err := tissue.Measure(seg, c.vox)
		if err != nil {
			t.Fatal(err)
		}
		gm, wm, csf := truth(c.vox, b1, b2)
		if math.Abs(f.GM-gm) > 1e-6 || math.Abs(f.WM-wm) > 1e-6 || math.Abs(f.CSF-csf) > 1e-6 {
			t.Errorf("%s: GM %.4f WM %.4f CSF %.4f; truth %.4f %.4f %.4f", c.name, f.GM, f.WM, f.CSF, gm, wm, csf)
		}
	}
}

// boxBelow returns the volume share of the box [0, a₀]×[0, a₁]×[0, a₂]
// where n·u ≤ t (closed form for a box cut by a plane with every n_i ≠ 0:
// Σ over the corners s of (−1)^|s|·max(0, t − Σ sᵢnᵢaᵢ)³ / (6·n₀n₁n₂·a₀a₁a₂),
// after reflecting the axes along which n is negative).
func boxBelow(a, n [3]float64, t float64) float64 {
	for i := range n {
		if n[i] < 0 {
			t -= n[i] * a[i]
			n[i] = -n[i]
		}
	}
	v := 0.0
	for s := 0; s < 8; s++ {
		x, sign := t, 1.0
		for i := 0; i < 3; i++ {
			if s>>i&1 == 1 {
				x -= n[i] * a[i]
				sign = -sign
			}
		}
		if x > 0 {
			v += sign * x * x * x
		}
	}
	return v / (6 * n[0] * n[1] * n[2] * a[0] * a[1] * a[2])
}

// A box turned about an oblique axis, so that no edge or face is parallel
// to the grid, over labels split by a plane on voxel faces (GM below world
// x = xb, WM above) on an axis-aligned grid of unequal spacing that ends
// at y = yEnd: the GM share and the share outside the grid (past y = yEnd)
// are the box's volume below a plane, a closed form (boxBelow). Measure
// must agree within 1e-10 (the closed form's own rounding, from
// cancelling cubes, reaches a few 1e-12).
func TestFractionsObliqueClosedForm(t *testing.T) {
	sp := [3]float64{1, 0.9, 1.1}
	origin := [3]float64{-30.2, -25.05, -20.3}
	dims := [3]int{60, 50, 40}
	aff := mrs.Affine{{sp[0], 0, 0, origin[0]}, {0, sp[1], 0, origin[1]}, {0, 0, sp[2], origin[2]}}
	labels, err := tissue.NewVolume(dims, aff)
	if err != nil {
		t.Fatal(err)
	}
	const iWM = 33 // first WM column
	xb := origin[0] + (iWM-0.5)*sp[0]
	yEnd := origin[1] + (float64(dims[1])-0.5)*sp[1]
	for k := 0; k < dims[2]; k++ {
		for j := 0; j < dims[1]; j++ {
			for i := 0; i < dims[0]; i++ {
				l := float32(3) // cortex
				if i >= iWM {
					l = 2 // white matter
				}
				labels.Data[i+dims[0]*(j+dims[1]*k)] = l
			}
		}
	}
	seg, err := tissue.FromLabels(labels, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Rotation by θ about the unit axis e (Rodrigues).
	rot := func(e [3]float64, deg float64) [3][3]float64 {
		n := math.Sqrt(e[0]*e[0] + e[1]*e[1] + e[2]*e[2])
		for i := range e {
			e[i] /= n
		}
		s, c := math.Sincos(deg * math.Pi / 180)
		var r [3][3]float64
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				r[i][j] = (1 - c) * e[i] * e[j]
				if i == j {
					r[i][j] += c
				}
			}
		}
		r[0][1], r[1][0] = r[0][1]-s*e[2], r[1][0]+s*e[2]
		r[0][2], r[2][0] = r[0][2]+s*e[1], r[2][0]-s*e[1]
		r[1][2], r[2][1] = r[1][2]-s*e[0], r[2][1]+s*e[0]
		return r
	}
	for _, c := range []struct {
		name   string
		size   [3]float64
		centre [3]float64
		axis   [3]float64
		deg    float64
	}{
		{"37° about (1, 2, 3)", [3]float64{20, 25, 15}, [3]float64{1.3, -2, 0.7}, [3]float64{1, 2, 3}, 37},
		{"71° about (−2, 1, 0.5)", [3]float64{12, 18, 22}, [3]float64{-0.4, 1.1, -3}, [3]float64{-2, 1, 0.5}, 71},
		{"past the grid's end", [3]float64{20, 20, 20}, [3]float64{-16, yEnd - 10.5, 2}, [3]float64{0.3, -1, 2}, 23},
		{"small, 5° about (1, 1, 1)", [3]float64{3.3, 2.7, 4.1}, [3]float64{2.15, 0.3, -0.2}, [3]float64{1, 1, 1}, 5},
	} {
		r := rot(c.axis, c.deg)
		// Voxel edge e runs along column e of r.
		vox := mrs.Voxel{Size: c.size, Centre: c.centre, Frame: "RAS"}
		for e := 0; e < 3; e++ {
			vox.Axes[e] = [3]float64{r[0][e], r[1][e], r[2][e]}
		}
		// World coordinate q of box point u (0…size): centre + Σ axis_e·(u_e − size_e/2),
		// so q ≤ b ⇔ n·u ≤ b − centre_q + Σ n_e·size_e/2 with n_e = axis_e[q].
		below := func(q int, b float64) float64 {
			var n [3]float64
			t := b - c.centre[q]
			for e := 0; e < 3; e++ {
				n[e] = vox.Axes[e][q]
				t += n[e] * c.size[e] / 2
			}
			return boxBelow(c.size, n, t)
		}
		outside := 1 - below(1, yEnd)
		f, err := tissue.Measure(seg, vox)
		if err != nil && outside <= tissue.MaxOutside {
			t.Fatalf("%s: %v", c.name, err)
		}
		// GM is the share below x = xb and inside the grid: the case that
		// leaves the grid lies below x = xb throughout.
		gm := below(0, xb) - outside
		wm := 1 - below(0, xb)
		if math.Abs(f.GM-gm) > 1e-10 || math.Abs(f.WM-wm) > 1e-10 || f.CSF != 0 || math.Abs(f.Outside-outside) > 1e-10 {
			t.Errorf("%s: GM %.15f WM %.15f CSF %g outside %.15f; closed form %.15f %.15f 0 %.15f", c.name, f.GM, f.WM, f.CSF, f.Outside, gm, wm, outside)
		}
		if outside > 1e-9 && (outside < 0.005 || below(0, xb) < 1-1e-9) {
			t.Errorf("%s: the case should leave the grid by a little and lie below x = %g mm throughout (outside %.4f, below %.4f)", c.name, xb, outside, below(0, xb))
		}
	}
}

// With a voxel placed so that it holds GM 0.6 and WM 0.4 — the fixed
// fractions WaterScale assumes by default — the measured fractions give the
// same concentration scale as the fixed ones.
func TestMeasuredReducesToFixed(t *testing.T) {
	sp := spec
	sp.CSFToGM = -20.2 // no CSF near the voxel
	l, err := synth.LayeredSegmentation(sp)
	if err != nil {
		t.Fatal(err)
	}
	seg, err := tissue.NewSegmentation(l.GM, l.WM, l.CSF, "synthetic")
	if err != nil {
		t.Fatal(err)
	}
	// x from GMToWM − 12 to GMToWM + 8: 12 mm GM, 8 mm WM, faces in
	// single-tissue grid voxels.
	vox := rotX([3]float64{20, 20, 20}, [3]float64{sp.GMToWM - 2, 2, 1}, 15)
	f, err := tissue.Measure(seg, vox)
	if err != nil {
		t.Fatal(err)
	}
	measured, err := fit.Tissue{}.WithFractions(f.GM, f.WM, f.CSF, f.Source)
	if err != nil {
		t.Fatal(err)
	}
	exact, err := fit.Tissue{}.WithFractions(0.6, 0.4, 0, "given")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ te, tr float64 }{{0.030, 2}, {0.030, 0}, {0.144, 1.5}} {
		want, err := fit.WaterScale(1000, 1, c.te, c.tr, fit.Tissue{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := fit.WaterScale(1000, 1, c.te, c.tr, measured)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got.Scale/want.Scale-1) > 2e-3 {
			t.Errorf("TE %g TR %g: scale %g with measured fractions (GM %.4f WM %.4f CSF %.4f), %g with fixed", c.te, c.tr, got.Scale, f.GM, f.WM, f.CSF, want.Scale)
		}
		same, _ := fit.WaterScale(1000, 1, c.te, c.tr, exact)
		if same.Scale != want.Scale {
			t.Errorf("TE %g TR %g: fractions 0.6/0.4/0 given explicitly: scale %g, fixed defaults %g", c.te, c.tr, same.Scale, want.Scale)
		}
		if got.Tissue.FractionsFrom != "synthetic" || !strings.Contains(want.Tissue.FractionsFrom, "fixed") {
			t.Errorf("fractions labelled %q and %q", got.Tissue.FractionsFrom, want.Tissue.FractionsFrom)
		}
	}
}

func TestMeasureErrors(t *testing.T) {
	l, err := synth.LayeredSegmentation(spec)
	if err != nil {
		t.Fatal(err)
	}
	seg, err := tissue.NewSegmentation(l.GM, l.WM, l.CSF, "synthetic")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, want string
		vox        mrs.Voxel
	}{
		{"no geometry", "no voxel geometry", mrs.Voxel{}},
		{"outside", "outside the segmentation", mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{35, 0, 0}}},
		{"NaN size", "no voxel geometry", mrs.Voxel{Size: [3]float64{math.NaN(), 20, 20}}},
		{"flat axes", "degenerate box", mrs.Voxel{Size: [3]float64{20, 20, 20}, Axes: [3][3]float64{{1, 0, 0}, {1, 0, 0}, {0, 0, 1}}}},
		{"too large", "budget", mrs.Voxel{Size: [3]float64{1e4, 1e4, 1e4}}},
		{"NaN centre", "voxel centre [NaN 0 0] mm", mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{math.NaN(), 0, 0}}},
		{"infinite centre", "voxel centre [0 +Inf 0] mm", mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{0, math.Inf(1), 0}}},
		{"-infinite centre", "want finite", mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{0, 0, math.Inf(-1)}}},
		{"far centre", "voxel centre [1e+300 0 0] mm", mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{1e300, 0, 0}}},
		{"far centre limit", "MaxCornerCells", mrs.Voxel{Size: [3]float64{20, 20, 20}, Centre: [3]float64{0, -1e13, 0}}},
		{"NaN axis", "want finite", mrs.Voxel{Size: [3]float64{20, 20, 20}, Axes: [3][3]float64{{math.NaN(), 0, 0}, {0, 1, 0}, {0, 0, 1}}}},
	} {
		if _, err := tissue.Measure(seg, c.vox); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	other := *l.WM
	other.Affine[0][3] += 1
	if _, err := tissue.NewSegmentation(l.GM, &other, l.CSF, "x"); err == nil || !strings.Contains(err.Error(), "grid") {
		t.Errorf("mismatched grids: %v", err)
	}
	if _, err := tissue.NewSegmentation(l.T1, l.WM, l.CSF, "x"); err != nil {
		t.Errorf("T1 scaled 0–1 is a valid fraction map: %v", err)
	}
	big := *l.GM
	big.Data = append([]float32(nil), l.GM.Data...)
	big.Data[7] = 300
	if _, err := tissue.NewSegmentation(&big, l.WM, l.CSF, "x"); err == nil || !strings.Contains(err.Error(), "fraction") {
		t.Errorf("T1 intensities as a PV map: %v", err)
	}
	lab := *l.Labels
	lab.Data = append([]float32(nil), l.Labels.Data...)
	lab.Data[3] = 2.5
	if _, err := tissue.FromLabels(&lab, nil); err == nil || !strings.Contains(err.Error(), "whole-number") {
		t.Errorf("fractional label: %v", err)
	}
}

// Written volumes read back with the same grid and values, and the bytes
// are reproducible.
func TestVolumeRoundTrip(t *testing.T) {
	l, err := synth.LayeredSegmentation(spec)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := tissue.EncodeVolume(&a, l.T1); err != nil {
		t.Fatal(err)
	}
	tissue.EncodeVolume(&b, l.T1)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two encodings differ")
	}
	v, err := tissue.DecodeVolume(a.Bytes(), "t1.nii")
	if err != nil {
		t.Fatal(err)
	}
	if v.Dims != l.T1.Dims || !equalData(v.Data, l.T1.Data) {
		t.Error("data differ after the round trip")
	}
	for r := 0; r < 3; r++ {
		for c := 0; c < 4; c++ {
			if math.Abs(v.Affine[r][c]-l.T1.Affine[r][c]) > 1e-4 {
				t.Errorf("affine %v, want %v", v.Affine, l.T1.Affine)
			}
		}
	}
}

func equalData(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// smallVolume is a valid 4×3×2 float32 file.
func smallVolume(t testing.TB) []byte {
	v, err := tissue.NewVolume([3]int{4, 3, 2}, mrs.Affine{{2, 0, 0, -3}, {0, 2, 0, -2}, {0, 0, 2, -1}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range v.Data {
		v.Data[i] = float32(i) / 24
	}
	var b bytes.Buffer
	tissue.EncodeVolume(&b, v)
	return b.Bytes()
}

func gz(b []byte) []byte {
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

// Bad volumes: a clear error naming the file, never a panic; a small
// .nii.gz declaring billions of voxels is refused before any allocation.
func TestDecodeVolumeErrors(t *testing.T) {
	good := smallVolume(t)
	mod := func(f func(b []byte)) []byte {
		b := append([]byte(nil), good...)
		f(b)
		return b
	}
	bomb := mod(func(b []byte) {
		for i := 1; i <= 3; i++ {
			binary.LittleEndian.PutUint16(b[40+2*i:], 30000)
		}
	})
	nan := mod(func(b []byte) { binary.LittleEndian.PutUint32(b[352+8:], math.Float32bits(float32(math.NaN()))) })
	for _, c := range []struct {
		name, want string
		b          []byte
	}{
		{"empty", "header", nil},
		{"short", "header", good[:200]},
		{"magic", "magic", mod(func(b []byte) { b[345] = 'x' })},
		{"sizeof_hdr", "sizeof_hdr", mod(func(b []byte) { b[0] = 7 })},
		{"4-D", "dim[4]", mod(func(b []byte) { binary.LittleEndian.PutUint16(b[40:], 4); binary.LittleEndian.PutUint16(b[48:], 5) })},
		{"complex", "datatype", mod(func(b []byte) { binary.LittleEndian.PutUint16(b[70:], 32) })},
		{"truncated", "truncated", good[:len(good)-5]},
		{"truncated gzip", "truncated", gz(good)[:len(gz(good))-30]},
		{"size bomb", "budget", gz(bomb)},
		{"NaN voxel", "finite", nan},
		{"vox_offset", "vox_offset", mod(func(b []byte) { binary.LittleEndian.PutUint32(b[108:], math.Float32bits(-5)) })},
		// NIfTI-1 qform_code at byte 252, sform_code at 254.
		{"no position", "sform_code/qform_code", mod(func(b []byte) { binary.LittleEndian.PutUint32(b[252:], 0) })},
	} {
		_, err := tissue.DecodeVolume(c.b, "bad.nii")
		if err == nil || !errors.Is(err, tissue.ErrFormat) && !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.nii") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v (want %q and the file name)", c.name, err, c.want)
		}
	}
}

func FuzzDecodeVolume(f *testing.F) {
	good := smallVolume(f)
	f.Add(good)
	f.Add(gz(good))
	f.Add(good[:348])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := tissue.DecodeVolume(b, "fuzz")
		if err == nil && len(v.Data) != v.Dims[0]*v.Dims[1]*v.Dims[2] {
			t.Fatalf("accepted %v with %d values", v.Dims, len(v.Data))
		}
	})
}

// The figure: well-formed SVG, three slices each with the voxel's outline;
// for an axis-aligned voxel on an axis-aligned grid the axial outline is the
// voxel's rectangle, worked by hand from the geometry.
func TestFigure(t *testing.T) {
	sp := spec
	sp.RotXDeg = 0
	sp.SpacingMM = [3]float64{1, 1, 1}
	l, err := synth.LayeredSegmentation(sp)
	if err != nil {
		t.Fatal(err)
	}
	vox := mrs.Voxel{Size: [3]float64{20, 10, 16}, Centre: [3]float64{-0.3, 0.75, -2.1}, Frame: "RAS"}
	svg, err := tissue.Figure(l.T1, vox, "sub-01 <thalamus>")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := tissue.Figure(l.T1, vox, "sub-01 <thalamus>")
	if svg != again {
		t.Error("figure is not deterministic")
	}
	d := xml.NewDecoder(strings.NewReader(svg))
	var polys []string
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("SVG does not parse: %v", err)
			}
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "polygon" {
			for _, a := range se.Attr {
				if a.Name.Local == "points" {
					polys = append(polys, a.Value)
				}
			}
		}
	}
	if len(polys) != 3 {
		t.Fatalf("%d outlines, want 3", len(polys))
	}
	// Axial panel (height 64 voxels × 1.5 px = 96 px): x from −10.3 to 9.7
	// mm is grid i 30.0 to 50.0 (origin −40.3), so px (i + ½)·1.5 = 45.75 to
	// 75.75; y from −4.25 to 5.75 is j 26.0 to 36.0, px 96 − (j + ½)·1.5 =
	// 56.25 (bottom edge) to 41.25.
	for _, want := range []string{"45.75,56.25", "75.75,56.25", "75.75,41.25", "45.75,41.25"} {
		if !strings.Contains(polys[0], want) {
			t.Errorf("axial outline %q lacks corner %s", polys[0], want)
		}
	}
	if !strings.Contains(svg, "sub-01 &lt;thalamus&gt;") {
		t.Error("title not escaped")
	}
	if os.Getenv("GLUSLEEP_WRITE_FIGURE") != "" {
		os.WriteFile(os.Getenv("GLUSLEEP_WRITE_FIGURE"), []byte(svg), 0o644)
	}
}
