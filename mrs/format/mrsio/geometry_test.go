package mrsio

import (
	"encoding/json"
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
