package rda

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/format/internal/vendortest"
)

// The Siemens RDA fixture: parameters as its header states them, samples
// equal to the reference (written by another tool, vendor convention) once
// glusleep's conjugation is undone, and NAA at 2.01 ppm.
func TestVendorFixture(t *testing.T) {
	d, err := ReadFile(shareddata.Path(t, "mrs/vendor/siemens_rda_WS.rda"))
	if err != nil {
		t.Fatal(err)
	}
	if d.SpectrometerFrequency != 63.683977 || d.Dwell != 500e-6 || d.Points() != 2048 || d.EchoTime != 0.030 || d.RepetitionTime != 1.5 || d.Nucleus != "1H" || d.FieldStrength != 1.494 {
		t.Errorf("params %+v, %d points", d.Params, d.Points())
	}
	if d.Voxel.Size != [3]float64{0, 20, 20} && d.Voxel.Size[1] != 20 {
		t.Errorf("voxel %+v", d.Voxel)
	}
	vendortest.EqualConjugated(t, d.FIDs[0], vendortest.ReadRef(t, shareddata.Path(t, "mrs/vendor/siemens_rda_WS.ref")))
	vendortest.NAAOnRightSide(t, d)
	ex, err := ReadFile(shareddata.Path(t, "mrs/vendor/siemens_example.rda"))
	if err != nil {
		t.Fatal(err)
	}
	if ex.SpectrometerFrequency != 63.68399 || ex.Voxel.Size != [3]float64{20, 20, 20} {
		t.Errorf("example: %+v", ex.Params)
	}
}

// Decimal commas and CRLF headers read as the same values.
func TestDecimalCommas(t *testing.T) {
	b, err := os.ReadFile(shareddata.Path(t, "mrs/vendor/siemens_rda_WS.rda"))
	if err != nil {
		t.Fatal(err)
	}
	end := bytes.Index(b, []byte(endMark))
	hdr := strings.NewReplacer("MRFrequency: 63.683977", "MRFrequency: 63,683977", "TE: 30.000000", "TE: 30,000000").Replace(string(b[:end]))
	c, err := Read(append([]byte(hdr), b[end:]...), "comma.rda")
	if err != nil {
		t.Fatal(err)
	}
	if c.SpectrometerFrequency != 63.683977 || c.EchoTime != 0.03 {
		t.Errorf("comma header: %g MHz, TE %g s", c.SpectrometerFrequency, c.EchoTime)
	}
}

func TestErrors(t *testing.T) {
	good := []byte(beginMark + "\r\nMRFrequency: 63.7\r\nDwellTime: 500\r\nVectorSize: 4\r\n" + endMark + "\r\n" + strings.Repeat("\x00", 64))
	if _, err := Read(good, "ok.rda"); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"does not start":     []byte("hello"),
		"no \">>> End":       []byte(beginMark + "\nMRFrequency: 1\n"),
		"MRFrequency":        bytes.Replace(good, []byte("63.7"), []byte("x"), 1),
		"VectorSize":         bytes.Replace(good, []byte("VectorSize: 4"), []byte("VectorSize: -4"), 1),
		"truncated":          good[:len(good)-10],
		"DwellTime: missing": bytes.Replace(good, []byte("DwellTime"), []byte("Dwell"), 1),
	}
	for want, b := range cases {
		_, err := Read(b, "bad.rda")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "bad.rda") {
			t.Errorf("%q: %v", want, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(beginMark + "\r\nMRFrequency: 63.7\r\nDwellTime: 500\r\nVectorSize: 4\r\n" + endMark + "\r\n" + strings.Repeat("\x01", 64)))
	f.Add([]byte(beginMark + "\nVectorSize: 99999999999\n" + endMark))
	f.Fuzz(func(t *testing.T, b []byte) {
		if d, err := Read(b, "fuzz"); err == nil {
			if err := d.Validate(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
