package nifti

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
)

type nibabelRef struct {
	Files map[string]struct {
		NiftiVersion int                     `json:"nifti_version"`
		Shape        []int                   `json:"shape"`
		Dwell        float64                 `json:"dwell_s"`
		VoxelMM      []float64               `json:"voxel_mm"`
		IntentName   string                  `json:"intent_name"`
		MHz          float64                 `json:"spectrometer_frequency_mhz"`
		TE           float64                 `json:"echo_time_s"`
		DimTags      []string                `json:"dim_tags"`
		JSONKeys     []string                `json:"json_keys"`
		SumAbs       float64                 `json:"sum_abs"`
		Samples      map[string][][2]float64 `json:"samples"`
		Sform        [][]float64             `json:"sform"`
	} `json:"files"`
}

// The shared NIfTI-MRS files (written by spec2nii) read as nibabel reads
// them: dimensions and tags, dwell, frequency, TE, JSON keys, geometry and
// samples (testdata/nibabel_reference.json).
func TestSharedFilesAgainstNibabel(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "nibabel_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref nibabelRef
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(ref.Files))
	for n := range ref.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		r := ref.Files[name]
		t.Run(filepath.Base(name), func(t *testing.T) {
			f, err := ReadFile(shareddata.Path(t, name))
			if err != nil {
				t.Fatal(err)
			}
			d := f.Data
			if f.Version != r.NiftiVersion || f.IntentName != r.IntentName {
				t.Errorf("version %d intent %q; nibabel %d %q", f.Version, f.IntentName, r.NiftiVersion, r.IntentName)
			}
			shape := []int{1, 1, 1, d.Points()}
			var tags []string
			for _, dm := range d.Dims {
				shape = append(shape, dm.Size)
				tags = append(tags, dm.Tag)
			}
			if !reflect.DeepEqual(shape, r.Shape) || !reflect.DeepEqual(tags, r.DimTags) {
				t.Errorf("shape %v tags %v; nibabel %v %v", shape, tags, r.Shape, r.DimTags)
			}
			if d.Dwell != r.Dwell || d.SpectrometerFrequency != r.MHz || d.EchoTime != r.TE || d.Nucleus != "1H" {
				t.Errorf("dwell %g MHz %g TE %g nucleus %q; want %g %g %g 1H", d.Dwell, d.SpectrometerFrequency, d.EchoTime, d.Nucleus, r.Dwell, r.MHz, r.TE)
			}
			var keys []string
			for k := range d.Meta {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if !reflect.DeepEqual(keys, r.JSONKeys) {
				t.Errorf("JSON keys %v, nibabel %v", keys, r.JSONKeys)
			}
			for i := 0; i < 3; i++ {
				if d.Voxel.Size[i] != r.VoxelMM[i] || d.Voxel.Centre[i] != r.Sform[i][3] {
					t.Errorf("voxel %v at %v; nibabel %v, sform %v", d.Voxel.Size, d.Voxel.Centre, r.VoxelMM, r.Sform)
				}
			}
			sum := 0.0
			for _, fid := range d.FIDs {
				for _, v := range fid {
					sum += math.Hypot(real(v), imag(v))
				}
			}
			if math.Abs(sum-r.SumAbs) > 1e-9*r.SumAbs {
				t.Errorf("Σ|x| %.12g, nibabel %.12g", sum, r.SumAbs)
			}
			for k, want := range r.Samples {
				var j int
				if err := json.Unmarshal([]byte(k), &j); err != nil {
					t.Fatal(err)
				}
				fid := d.FIDs[j]
				got := []complex128{fid[0], fid[1], fid[2], fid[len(fid)-1]}
				for i, w := range want {
					if real(got[i]) != w[0] || imag(got[i]) != w[1] {
						t.Errorf("FID %d sample %d: %v, nibabel %v", j, i, got[i], w)
					}
				}
			}
		})
	}
}

func sampleData() *mrs.Data {
	d := &mrs.Data{Params: mrs.Params{SpectrometerFrequency: 123.261703, Dwell: 0.00025, Nucleus: "1H", EchoTime: 0.03,
		RepetitionTime: 2, Vendor: "GE", Sequence: "PRESS", Voxel: mrs.Voxel{Size: [3]float64{20, 25, 15}, Centre: [3]float64{1.5, -20, 12}, Frame: "RAS"}},
		Dims: []mrs.Dim{{Tag: mrs.DimCoil, Size: 2}, {Tag: mrs.DimDyn, Size: 3}},
		Meta: map[string]any{"ConversionMethod": "glusleep test", "dim_6_info": "averages", "dim_6_header": map[string]any{"x": []any{1.0, 2.0, 3.0}}}}
	for j := 0; j < 6; j++ {
		fid := make([]complex128, 64)
		for k := range fid {
			// float32-representable values: complex64 storage is exact.
			fid[k] = complex(float64(float32(math.Cos(float64(k+j)))), float64(float32(math.Sin(float64(k*j)))))
		}
		d.FIDs = append(d.FIDs, fid)
	}
	return d
}

// Written and read back, data and parameters are identical; written again,
// the bytes are identical (NIfTI-2 and NIfTI-1, complex64 and complex128,
// plain and gzip).
func TestRoundTripBitIdentical(t *testing.T) {
	for _, c := range []struct {
		version, datatype int
		ext               string
	}{{2, typeComplex64, ".nii.gz"}, {1, typeComplex64, ".nii"}, {2, typeComplex128, ".nii"}} {
		d := sampleData()
		h := DefaultHeader(d)
		h.Version, h.Datatype = c.version, c.datatype
		path := filepath.Join(t.TempDir(), "x"+c.ext)
		if err := WriteFile(path, &File{Header: h, Data: d}); err != nil {
			t.Fatal(err)
		}
		f, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got := f.Data
		want := d.Params
		if c.version == 1 {
			want.Dwell = float64(float32(want.Dwell)) // NIfTI-1 pixdim is float32
		}
		if !reflect.DeepEqual(got.FIDs, d.FIDs) || !reflect.DeepEqual(got.Dims, d.Dims) || got.Params != want {
			t.Errorf("v%d type %d: read back differs:\n got %+v %v\nwant %+v %v", c.version, c.datatype, got.Params, got.Dims, want, d.Dims)
		}
		if got.Meta["ConversionMethod"] != "glusleep test" || !reflect.DeepEqual(got.Meta["dim_6_header"], d.Meta["dim_6_header"]) {
			t.Errorf("meta %v", got.Meta)
		}
		path2 := filepath.Join(t.TempDir(), "y"+c.ext)
		if err := WriteFile(path2, f); err != nil {
			t.Fatal(err)
		}
		b1, _ := os.ReadFile(path)
		b2, _ := os.ReadFile(path2)
		if !bytes.Equal(b1, b2) {
			t.Errorf("v%d type %d: rewritten file differs (%d vs %d bytes)", c.version, c.datatype, len(b1), len(b2))
		}
	}
}

// A shared file written by glusleep and read again keeps every sample and
// JSON field.
func TestSharedFileRewrite(t *testing.T) {
	f, err := ReadFile(shareddata.Path(t, "mrs/pregame-synthetic/nifti_synthetic.nii.gz"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := Read(buf.Bytes(), "rewritten")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g.Data.FIDs, f.Data.FIDs) || !reflect.DeepEqual(g.Data.Meta, f.Data.Meta) || g.Data.Params != f.Data.Params {
		t.Error("rewritten shared file differs")
	}
}

// Bad input: an error naming the file and the field, never a panic.
func TestReadErrors(t *testing.T) {
	var good bytes.Buffer
	if err := Write(&good, &File{Header: DefaultHeader(sampleData()), Data: sampleData()}); err != nil {
		t.Fatal(err)
	}
	g := good.Bytes()
	mod := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), g...)) }
	cases := []struct {
		name, want string
		b          []byte
	}{
		{"short", "want at least 348", g[:100]},
		{"truncated data", "truncated", g[:len(g)-10]},
		{"sizeof_hdr", "sizeof_hdr", mod(func(b []byte) []byte { binary.LittleEndian.PutUint32(b, 999); return b })},
		{"magic", "magic", mod(func(b []byte) []byte { b[4] = 'x'; return b })},
		{"not complex", "must be complex", mod(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[12:], 16); return b })},
		{"dim[0]", "dim[0]", mod(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[16:], 9); return b })},
		{"MRSI", "single-voxel", mod(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[24:], 4); return b })},
		{"vox_offset", "vox_offset", mod(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[168:], 1<<40); return b })},
		{"extension size", "extension", mod(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[544:], 1<<20); return b })},
		{"JSON", "JSON header", mod(func(b []byte) []byte { b[552] = '!'; return b })},
	}
	for _, c := range cases {
		_, err := Read(c.b, "bad.nii")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.nii") {
			t.Errorf("%s: %v (want %q and the file name)", c.name, err, c.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	var good bytes.Buffer
	Write(&good, &File{Header: DefaultHeader(sampleData()), Data: sampleData()})
	f.Add(good.Bytes())
	h1 := DefaultHeader(sampleData())
	h1.Version = 1
	var v1 bytes.Buffer
	Write(&v1, &File{Header: h1, Data: sampleData()})
	f.Add(v1.Bytes())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if fl, err := Read(b, "fuzz"); err == nil {
			if err := fl.Data.Validate(); err != nil {
				t.Fatalf("accepted invalid data: %v", err)
			}
		}
	})
}

// A spec2nii file's geometry survives being read and written with
// DefaultHeader (as mrs preproc and mrs convert write): the new sform
// equals the original within 1e-4 mm.
func TestSharedGeometryKept(t *testing.T) {
	for _, name := range []string{"mrs/osprey/sub-01_ses-01_SVS-ref_uncombined-coils.nii.gz", "mrs/pregame-synthetic/nifti_synthetic.nii.gz"} {
		f, err := ReadFile(shareddata.Path(t, name))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, &File{Header: DefaultHeader(f.Data), Data: f.Data}); err != nil {
			t.Fatal(err)
		}
		g, err := Read(buf.Bytes(), "rewritten")
		if err != nil {
			t.Fatal(err)
		}
		want, got := f.Header.Affine(), g.Header.Affine()
		for r := 0; r < 3; r++ {
			for c := 0; c < 4; c++ {
				if math.Abs(got[r][c]-want[r][c]) > 1e-4 {
					t.Errorf("%s: affine %v, original %v", name, got, want)
				}
			}
		}
		if g.IntentName != Version {
			t.Errorf("intent %q", g.IntentName)
		}
	}
}

// ReadHeader reads a header and nothing after it; what is wrong with it
// is a *HeaderError naming the field.
func TestReadHeader(t *testing.T) {
	var good bytes.Buffer
	if err := Write(&good, &File{Header: DefaultHeader(sampleData()), Data: sampleData()}); err != nil {
		t.Fatal(err)
	}
	g := good.Bytes()
	r := bytes.NewReader(g)
	h, err := ReadHeader(r)
	if err != nil || h.Version != 2 || h.Len != 540 || r.Len() != len(g)-540 || h.Pair || h.Dim[4] != int64(sampleData().Points()) {
		t.Fatalf("header %+v, %v; %d bytes left", h, err, r.Len())
	}
	mod := func(f func(b []byte)) []byte { b := append([]byte(nil), g...); f(b); return b }
	for _, tc := range []struct {
		name, field string
		b           []byte
	}{
		{"short", "header", g[:300]},
		{"NIfTI-2 cut short", "header", g[:400]},
		{"sizeof_hdr", "sizeof_hdr", mod(func(b []byte) { binary.LittleEndian.PutUint32(b, 999) })},
		{"magic", "magic", mod(func(b []byte) { b[4] = 'x' })},
	} {
		_, err := ReadHeader(bytes.NewReader(tc.b))
		var he *HeaderError
		if !errors.As(err, &he) || he.Field != tc.field {
			t.Errorf("%s: error %v, want a HeaderError on %s", tc.name, err, tc.field)
		}
	}
	if h, err := ReadHeader(bytes.NewReader(mod(func(b []byte) { copy(b[4:], "ni2") }))); err != nil || !h.Pair {
		t.Errorf("ni2 magic: %+v, %v; want a pair", h, err)
	}
}
