package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
)

// `mrs info` never prints identifying fields unless --phi, in text or JSON.
func TestMRSInfoHidesPHI(t *testing.T) {
	f := shareddata.Path(t, "mrs/osprey/sub-01_ses-01_SVS-ref_uncombined-coils.nii.gz")
	for _, args := range [][]string{{"mrs", "info", f}, {"mrs", "info", f, "--json"}} {
		var so, se bytes.Buffer
		if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, args); code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, se.String())
		}
		if strings.Contains(so.String(), "F7T_2019_005_003") || strings.Contains(so.String(), "19810730") {
			t.Errorf("%v printed identifying fields:\n%s", args, so.String())
		}
		if !strings.Contains(so.String(), "297.219948") {
			t.Errorf("%v: no frequency:\n%s", args, so.String())
		}
	}
	var so, se bytes.Buffer
	runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "info", f, "--json", "--phi"})
	var js map[string]any
	if err := json.Unmarshal(so.Bytes(), &js); err != nil || js["metadata"].(map[string]any)["PatientName"] != "F7T_2019_005_003" {
		t.Errorf("--phi: %v %s", err, so.String())
	}
}

// `mrs convert` of a GE P-file writes NIfTI-MRS with the same samples and
// its water frames beside it, without identifying fields; an RDA converts
// to LCModel .RAW and back with the same parameters.
func TestMRSConvert(t *testing.T) {
	ge := shareddata.Path(t, "mrs/ge-1.5T-press-te30/P1806_1.5T_030_2000.7")
	dir := t.TempDir()
	out := filepath.Join(dir, "sub-01_svs.nii.gz")
	var so, se bytes.Buffer
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "convert", ge, out}); code != 0 {
		t.Fatalf("exit %d %s", code, se.String())
	}
	src, err := mrsio.Read(ge, mrsio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := mrsio.Read(out, mrsio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Water == nil || got.WaterFrom != "sub-01_mrsref.nii.gz" || len(got.Data.FIDs) != len(src.Data.FIDs) {
		t.Fatalf("converted: %d FIDs, water %q", len(got.Data.FIDs), got.WaterFrom)
	}
	for j := range src.Data.FIDs {
		for k, v := range src.Data.FIDs[j] {
			w := got.Data.FIDs[j][k]
			if float32(real(v)) != float32(real(w)) || float32(imag(v)) != float32(imag(w)) {
				t.Fatalf("FID %d sample %d: %v, source %v", j, k, w, v)
			}
		}
	}
	if got.Data.EchoTime != src.Data.EchoTime || got.Data.SpectrometerFrequency != src.Data.SpectrometerFrequency {
		t.Errorf("params %+v vs %+v", got.Data.Params, src.Data.Params)
	}
	rda := shareddata.Path(t, "mrs/vendor/siemens_rda_WS.rda")
	raw := filepath.Join(dir, "rda.RAW")
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "convert", rda, raw}); code != 0 {
		t.Fatalf("exit %d %s", code, se.String())
	}
	r, err := mrsio.Read(raw, mrsio.Options{Dwell: 500e-6})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := mrsio.Read(rda, mrsio.Options{})
	if r.Data.SpectrometerFrequency != s.Data.SpectrometerFrequency || r.Data.EchoTime != s.Data.EchoTime || !reflect.DeepEqual(len(r.Data.FIDs[0]), len(s.Data.FIDs[0])) {
		t.Errorf("RAW: %+v vs %+v", r.Data.Params, s.Data.Params)
	}
	se.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "convert", rda, filepath.Join(dir, "x.csv")}); code != 2 {
		t.Errorf("unknown output: exit %d %s", code, se.String())
	}
}

// `mrs convert` of a spectrum with a water reference to an LCModel .H2O
// (the water file of a .RAW) is a usage error (exit 2) that names the
// .RAW to write instead, and writes nothing.
func TestMRSConvertWaterDropped(t *testing.T) {
	dir := t.TempDir()
	p := mrs.Params{SpectrometerFrequency: 63.87, Dwell: 0.0004, EchoTime: 0.03, Nucleus: "1H"}
	in := filepath.Join(dir, "sub-01_svs.nii.gz")
	for name, v := range map[string]complex128{in: 1, filepath.Join(dir, "sub-01_mrsref.nii.gz"): 100} {
		if err := nifti.WriteData(name, &mrs.Data{Params: p, FIDs: [][]complex128{{v, v / 2, v / 4, v / 8}}}); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "x.H2O")
	_, se, code := run(t, "mrs", "convert", in, out)
	if code != 2 || !strings.Contains(se, "no place for the water reference") || !strings.Contains(se, "x.RAW") {
		t.Errorf("exit %d, %q; want a usage error (2) naming x.RAW", code, se)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("x.H2O written")
	}
}
