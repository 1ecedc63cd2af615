package jmrui

import (
	"bytes"
	"math"
	"math/cmplx"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"glusleep/mrs"
)

// A single line at +200 Hz (NIfTI-MRS convention: exp(+2πi·200·t)) written
// and read back keeps its samples and parameters; in the file the FID is
// conjugated, as jMRUI (and spec2nii's importer) expect.
func TestRoundTripAndConvention(t *testing.T) {
	d := &mrs.Data{Params: mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025, Nucleus: "1H", FieldStrength: 2.89}}
	fid := make([]complex128, 512)
	for k := range fid {
		tt := float64(k) * d.Dwell
		fid[k] = cmplx.Exp(complex(-10*tt, 2*math.Pi*200*tt))
	}
	d.FIDs = [][]complex128{fid, fid}
	d.Dims = []mrs.Dim{{Tag: mrs.DimUser0, Size: 2}}
	var buf bytes.Buffer
	if err := Write(&buf, d, "x"); err != nil {
		t.Fatal(err)
	}
	// The file's second sample: conj(exp((−10 + i2π200)·dwell)).
	lines := strings.Split(buf.String(), "\n")
	var second string
	for i, l := range lines {
		if strings.HasPrefix(l, "Signal 1 out of 2") {
			second = lines[i+2]
			break
		}
	}
	f := strings.Fields(second)
	re, _ := strconv.ParseFloat(f[0], 64)
	im, _ := strconv.ParseFloat(f[1], 64)
	if re != real(fid[1]) || im != -imag(fid[1]) {
		t.Errorf("second sample in the file %q, want %g and %g (conjugated)", second, real(fid[1]), -imag(fid[1]))
	}
	got, err := Read(buf.Bytes(), "x.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.FIDs, d.FIDs) || got.Dwell != d.Dwell || got.SpectrometerFrequency != d.SpectrometerFrequency || !reflect.DeepEqual(got.Dims, d.Dims) {
		t.Errorf("read back: %+v %v", got.Params, got.Dims)
	}
}

func TestErrors(t *testing.T) {
	good := "PointsInDataset: 2\nSamplingInterval: 0.25\nTransmitterFrequency: 1.232E8\nSignal 1 out of 1 in file\n1 2\n3 4\n"
	if _, err := Read([]byte(good), "ok.txt"); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"no \"Signal 1":            "PointsInDataset: 2\n",
		"SamplingInterval missing": strings.Replace(good, "SamplingInterval", "Sampling", 1),
		"line 5":                   strings.Replace(good, "1 2", "1 x", 1),
		"PointsInDataset 3":        strings.Replace(good, "PointsInDataset: 2", "PointsInDataset: 3", 1),
	}
	for want, in := range cases {
		_, err := Read([]byte(in), "bad.txt")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "bad.txt") {
			t.Errorf("%q: %v", want, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("PointsInDataset: 2\nSamplingInterval: 0.25\nTransmitterFrequency: 1.232E8\nSignal 1 out of 1 in file\n1 2\n3 4\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if d, err := Read(b, "fuzz"); err == nil {
			if err := d.Validate(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
