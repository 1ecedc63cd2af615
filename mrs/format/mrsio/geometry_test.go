package mrsio

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/format/philips"
)

type geometryRef struct {
	Files     map[string][3][4]float64 `json:"files"`
	Synthetic struct {
		SPAR   string        `json:"spar"`
		Affine [3][4]float64 `json:"affine"`
	} `json:"synthetic_spar"`
}

func readGeometryRef(t *testing.T) geometryRef {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "geometry_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref geometryRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// affineClose fails unless got and want place the voxel alike: each edge
// length and the centre within tolMM, each edge direction within tolDeg.
func affineClose(t *testing.T, what string, got mrs.Affine, want [3][4]float64, tolMM, tolDeg float64) {
	t.Helper()
	w := mrs.Affine(want)
	for c := 0; c < 4; c++ {
		g, r := got.Column(c), w.Column(c)
		if c == 3 {
			if d := math.Hypot(math.Hypot(g[0]-r[0], g[1]-r[1]), g[2]-r[2]); d > tolMM {
				t.Errorf("%s: centre %v, reference %v (%.3g mm apart)", what, g, r, d)
			}
			continue
		}
		lg, lr := math.Hypot(math.Hypot(g[0], g[1]), g[2]), math.Hypot(math.Hypot(r[0], r[1]), r[2])
		if math.Abs(lg-lr) > tolMM {
			t.Errorf("%s: edge %d is %.4f mm, reference %.4f", what, c, lg, lr)
		}
		cos := (g[0]*r[0] + g[1]*r[1] + g[2]*r[2]) / (lg * lr)
		if deg := math.Acos(math.Min(1, math.Max(-1, cos))) * 180 / math.Pi; deg > tolDeg {
			t.Errorf("%s: edge %d direction %v, reference %v (%.3g° apart)", what, c, g, r, deg)
		}
	}
}

// convertAffines writes d as NIfTI-MRS (as mrs convert does) and returns
// the affine the file's sform and, separately, its qform state.
func convertAffines(t *testing.T, d *mrs.Data) (sform, qform mrs.Affine) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.nii.gz")
	if err := nifti.WriteData(out, d); err != nil {
		t.Fatal(err)
	}
	f, err := nifti.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if f.IntentName != nifti.Version || f.SformCode != 2 || f.QformCode != 2 {
		t.Errorf("intent %q, sform code %d, qform code %d", f.IntentName, f.SformCode, f.QformCode)
	}
	h := f.Header
	h.SformCode = 0
	return f.Header.Affine(), h.Affine()
}

// Every vendor fixture converts to NIfTI-MRS whose sform and qform place
// the voxel as the reference (testdata/README.md) within 0.1 mm and 0.1°.
func TestVendorGeometry(t *testing.T) {
	ref := readGeometryRef(t)
	names := make([]string, 0, len(ref.Files))
	for n := range ref.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			ds, err := Read(shareddata.Path(t, name), Options{})
			if err != nil {
				t.Fatal(err)
			}
			s, q := convertAffines(t, ds.Data)
			affineClose(t, "sform", s, ref.Files[name], 0.1, 0.1)
			affineClose(t, "qform", q, ref.Files[name], 0.1, 0.1)
			if ds.Water != nil {
				ws, _ := convertAffines(t, ds.Water)
				affineClose(t, "water reference sform", ws, ref.Files[name], 0.1, 0.1)
			}
		})
	}
}

// A SPAR with all three angulations set: the affine equals the one SciPy's
// intrinsic x-y-z Euler rotation gives (testdata/README.md).
func TestSPARAngulation(t *testing.T) {
	ref := readGeometryRef(t)
	spar := "synthesizer_frequency : 127786142\nsample_frequency : 2000\nsamples : 4\nrows : 1\n" + ref.Synthetic.SPAR
	d, err := philips.Read([]byte(spar), make([]byte, 32), "synthetic.SPAR", "synthetic.SDAT")
	if err != nil {
		t.Fatal(err)
	}
	d.FIDs[0][0] = 1
	s, q := convertAffines(t, d)
	affineClose(t, "sform", s, ref.Synthetic.Affine, 0.1, 0.1)
	affineClose(t, "qform", q, ref.Synthetic.Affine, 0.1, 0.1)
	// Tighter than the acceptance: the rotation is exact.
	affineClose(t, "sform (1e-4)", s, ref.Synthetic.Affine, 1e-4, 1e-4)
}

// Oblique voxels the fixtures lack, each affine worked by hand (cos 30° =
// 0.8660254, sin 30° = 0.5; cos 20° = 0.9396926, sin 20° = 0.3420201):
//
//   - Siemens RDA, RowVector (cos 30°, sin 30°, 0) and ColumnVector
//     (−sin 30°, cos 30°, 0) in LPS, normal row × column = (0, 0, 1),
//     readout 20, phase 25, thickness 15 mm, VOIPosition (10, −20, 30):
//     LPS columns (17.3205, 10, 0), (−12.5, 21.6506, 0), (0, 0, 15), to RAS
//     by negating x and y; centre (−10, 20, 30).
//   - GE, image plane turned 20° about S: tlhc (100, 50, 4), trhc = tlhc +
//     240·(−cos 20°, −sin 20°, 0), brhc = trhc + 240·(sin 20°, −cos 20°, 0);
//     row (−0.9397, −0.3420, 0), column (0.3420, −0.9397, 0), third edge
//     −(row × column) = (0, 0, −1); opuser8–10 30 (R/L, to the row, most
//     along R), 25 (A/P, to the column), 15 (S/I); centre opuser11–13
//     (5, −7, 4).
func TestObliqueGeometry(t *testing.T) {
	c, s := 0.8660254037844387, 0.5
	rda := fmt.Sprintf(">>> Begin of header <<<\r\nMRFrequency: 123.2\r\nDwellTime: 250\r\nVectorSize: 4\r\n"+
		"RowVector[0]: %.9f\r\nRowVector[1]: %.9f\r\nRowVector[2]: 0\r\nColumnVector[0]: %.9f\r\nColumnVector[1]: %.9f\r\nColumnVector[2]: 0\r\n"+
		"VOIReadoutFOV: 20\r\nVOIPhaseFOV: 25\r\nVOIThickness: 15\r\nVOIPositionSag: 10\r\nVOIPositionCor: -20\r\nVOIPositionTra: 30\r\n>>> End of header <<<\r\n", c, s, -s, c)
	b := append([]byte(rda), make([]byte, 64)...)
	b[len(rda)] = 1
	c20, s20 := 0.9396926207859084, 0.3420201433256687
	tl := [3]float64{100, 50, 4}
	tr := [3]float64{tl[0] - 240*c20, tl[1] - 240*s20, 4}
	br := [3]float64{tr[0] + 240*s20, tr[1] - 240*c20, 4}
	ge := pfileGeometry(1, 4, [6]float32{30, 25, 15, 5, -7, 4},
		[9]float32{float32(tl[0]), float32(tl[1]), 4, float32(tr[0]), float32(tr[1]), 4, float32(br[0]), float32(br[1]), 4})
	for _, tc := range []struct {
		name string
		b    []byte
		want [3][4]float64
	}{
		{"oblique.rda", b, [3][4]float64{{-17.3205081, 12.5, 0, -10}, {-10, -21.6506351, 0, 20}, {0, 0, 15, 30}}},
		{"oblique.7", ge, [3][4]float64{{-30 * c20, 25 * s20, 0, 5}, {-30 * s20, -25 * c20, 0, -7}, {0, 0, -15, 4}}},
	} {
		path := filepath.Join(t.TempDir(), tc.name)
		if err := os.WriteFile(path, tc.b, 0o644); err != nil {
			t.Fatal(err)
		}
		ds, err := Read(path, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		sf, q := convertAffines(t, ds.Data)
		affineClose(t, tc.name+" sform", sf, tc.want, 1e-3, 1e-3)
		affineClose(t, tc.name+" qform", q, tc.want, 1e-3, 1e-3)
	}
}

// An MR Spectroscopy Storage object whose Volume Localization Sequence
// holds three slabs: normals n0 = (1, 0, 0), n1 = (0, cos 30°, sin 30°),
// n2 = (0, −sin 30°, cos 30°), thicknesses 20, 25, 15 mm, mid-slab
// position (10, −20, 30) (LPS). By hand, with spec2nii's convention (edges
// −n0, −n1 and their vector product n0 × n1 = (0, −sin 30°, cos 30°)): LPS
// columns (−20, 0, 0), (0, −21.6506, −12.5), (0, −7.5, 12.9904); RAS
// negates x and y; centre (−10, 20, 30).
func TestDICOMVolumeLocalization(t *testing.T) {
	c, s := 0.8660254037844387, 0.5
	d := corpusData()
	b := dicomBytes(d, 64)
	fd := func(x ...float64) []byte {
		var out []byte
		for _, v := range x {
			out = binary.LittleEndian.AppendUint64(out, math.Float64bits(v))
		}
		return out
	}
	el := func(g, e uint16, val []byte) []byte {
		out := binary.LittleEndian.AppendUint16(nil, g)
		out = binary.LittleEndian.AppendUint16(out, e)
		out = append(out, "FD"...)
		out = binary.LittleEndian.AppendUint16(out, uint16(len(val)))
		return append(out, val...)
	}
	var seq []byte
	for _, slab := range []struct{ th, nx, ny, nz float64 }{{20, 1, 0, 0}, {25, 0, c, s}, {15, 0, -s, c}} {
		item := append(el(0x0018, 0x9104, fd(slab.th)), el(0x0018, 0x9105, fd(slab.nx, slab.ny, slab.nz))...)
		item = append(item, el(0x0018, 0x9106, fd(10, -20, 30))...)
		seq = append(seq, 0xFE, 0xFF, 0x00, 0xE0)
		seq = binary.LittleEndian.AppendUint32(seq, uint32(len(item)))
		seq = append(seq, item...)
	}
	hdr := []byte{0x18, 0x00, 0x26, 0x91, 'S', 'Q', 0, 0}
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(len(seq)))
	// Insert the sequence before (5600,0020), keeping tag order.
	at := bytes.Index(b, []byte{0x00, 0x56, 0x20, 0x00})
	obj := append(append(append(append([]byte(nil), b[:at]...), hdr...), seq...), b[at:]...)
	path := filepath.Join(t.TempDir(), "slabs.dcm")
	if err := os.WriteFile(path, obj, 0o644); err != nil {
		t.Fatal(err)
	}
	ds, err := Read(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := [3][4]float64{{20, 0, 0, -10}, {0, 21.6506351, 7.5, 20}, {0, -12.5, 12.9903811, 30}}
	sf, q := convertAffines(t, ds.Data)
	affineClose(t, "sform", sf, want, 1e-3, 1e-3)
	affineClose(t, "qform", q, want, 1e-3, 1e-3)
}
