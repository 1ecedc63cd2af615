package basis

import (
	"math"
	"math/cmplx"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/naming"
)

// The challenge's .BASIS written as an FSL-MRS folder reads back equal
// under FSL-MRS's names (sIns as Scyllo), and its Cr singlet stays at its
// published 3.027 ppm.
func TestFSLRoundTrip(t *testing.T) {
	s, err := Read(shareddata.Path(t, "mrs/fitting-challenge/press3T_30ms.BASIS"))
	if err != nil {
		t.Fatal(err)
	}
	s.Params.EchoTime = 0.030
	dir := filepath.Join(t.TempDir(), "fsl")
	if err := s.WriteFSL(dir); err != nil {
		t.Fatal(err)
	}
	r, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Names) != len(s.Names) || r.Params.Dwell != s.Params.Dwell || r.Params.SpectrometerFrequency != s.Params.SpectrometerFrequency || math.Abs(r.Params.EchoTime-0.030) > 1e-12 {
		t.Fatalf("read back %d metabolites, %+v", len(r.Names), r.Params)
	}
	idx := map[string]int{}
	for i, n := range r.Names {
		idx[n] = i
	}
	for i, n := range s.Names {
		j, ok := idx[naming.Name(n, naming.NamesFSL)]
		if !ok {
			t.Fatalf("%s missing after round trip (as %s)", n, naming.Name(n, naming.NamesFSL))
		}
		if n == "sIns" && r.Names[j] != "Scyllo" {
			t.Errorf("sIns written as %q, want FSL-MRS's Scyllo", r.Names[j])
		}
		for k := range s.FIDs[i] {
			if s.FIDs[i][k] != r.FIDs[j][k] {
				t.Fatalf("%s point %d: %v, wrote %v", n, k, r.FIDs[j][k], s.FIDs[i][k])
			}
		}
	}
	cr := r.FIDs[idx["Cr"]]
	sp := mrs.Spectrum(cr)
	ax := r.Params.PPMAxis(len(sp))
	best := 0
	for i := range sp {
		if ax[i] > 2.7 && ax[i] < 3.3 && cmplx.Abs(sp[i]) > cmplx.Abs(sp[best]) {
			best = i
		}
	}
	if math.Abs(ax[best]-3.027) > 0.01 {
		t.Errorf("Cr singlet at %.3f ppm", ax[best])
	}
}

func TestReadFSLErrors(t *testing.T) {
	cases := map[string]string{
		"lengths": `{"basis": {"basis_re": [1, 2], "basis_im": [1], "basis_dwell": 0.001, "basis_centre": 123.2}}`,
		"dwell":   `{"basis": {"basis_re": [1], "basis_im": [1], "basis_dwell": 0, "basis_centre": 123.2}}`,
		"json":    `{"basis": `,
	}
	for name, content := range cases {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "X.json"), []byte(content), 0o644)
		if _, err := Read(dir); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := Read(t.TempDir()); err == nil {
		t.Error("empty folder accepted")
	}
}

// The challenge's .BASIS written as a NIfTI-MRS folder reads back with the
// same names, grid and samples (to complex64 precision, NIfTI's storage),
// and a folder with a multi-FID file is refused with the file named.
func TestNIfTIRoundTrip(t *testing.T) {
	s, err := Read(shareddata.Path(t, "mrs/fitting-challenge/press3T_30ms.BASIS"))
	if err != nil {
		t.Fatal(err)
	}
	s.Params.EchoTime = 0.030
	dir := filepath.Join(t.TempDir(), "nifti")
	if err := s.WriteNIfTI(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Names) != len(s.Names) || got.Params.Dwell != s.Params.Dwell || got.Params.SpectrometerFrequency != s.Params.SpectrometerFrequency || got.Params.EchoTime != 0.030 {
		t.Fatalf("read %d names, params %+v", len(got.Names), got.Params)
	}
	idx := map[string]int{}
	for i, n := range s.Names {
		idx[n] = i
	}
	for i, n := range got.Names {
		j, ok := idx[n]
		if !ok {
			t.Fatalf("unknown name %q", n)
		}
		for k, v := range got.FIDs[i] {
			w := s.FIDs[j][k]
			if cmplx.Abs(v-w) > 1e-6*(1+cmplx.Abs(w)) {
				t.Fatalf("%s point %d: %v, want %v", n, k, v, w)
			}
		}
	}
	bad := &mrs.Data{Params: s.Params, Dims: []mrs.Dim{{Tag: mrs.DimDyn, Size: 2}}, FIDs: [][]complex128{s.FIDs[0], s.FIDs[1]}}
	bad.Nucleus = "1H"
	if err := nifti.WriteData(filepath.Join(dir, "zz.nii.gz"), bad); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "zz.nii.gz") {
		t.Errorf("multi-FID basis file: %v", err)
	}
}
