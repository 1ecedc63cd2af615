package dicom

import (
	"math"
	"os"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/format/internal/vendortest"
)

// The Siemens .ima fixture: parameters as its CSA header states them
// (63.683831 MHz, dwell 500 µs, TE 30 ms, TR 1.5 s), samples equal to the
// reference once the conjugation is undone, NAA at 2.01 ppm.
func TestSiemensIMA(t *testing.T) {
	d, err := ReadFile(shareddata.Path(t, "mrs/vendor/siemens_ima_WS.ima"))
	if err != nil {
		t.Fatal(err)
	}
	if d.SpectrometerFrequency != 63.683831 || d.Dwell != 500e-6 || d.Points() != 2048 || d.EchoTime != 0.03 || d.RepetitionTime != 1.5 || d.Nucleus != "1H" || d.Sequence != "svs_se" {
		t.Errorf("params %+v, %d points", d.Params, d.Points())
	}
	// The CSA ImagePositionPatient (10, −10, 0) is the voxel's corner; the
	// centre is half a voxel along row (−x) and column (+y) from it.
	if d.Voxel.Size != [3]float64{20, 20, 20} || d.Voxel.Centre != [3]float64{0, 0, 0} {
		t.Errorf("voxel %+v", d.Voxel)
	}
	vendortest.EqualConjugated(t, d.FIDs[0], vendortest.ReadRef(t, shareddata.Path(t, "mrs/vendor/siemens_ima_WS.ref")))
	vendortest.NAAOnRightSide(t, d)
}

// The MR Spectroscopy Storage fixture (Philips, implicit VR): 127.767224
// MHz, spectral width 2000 Hz, 1024 points, effective echo time 35.406 ms
// (per-frame functional groups), two frames (the water-suppressed spectrum
// and the water reference), NAA at 2.01 ppm in the first.
func TestSpectroscopyStorage(t *testing.T) {
	d, err := ReadFile(shareddata.Path(t, "mrs/vendor/SVS.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	if d.SpectrometerFrequency != 127.767224 || math.Abs(d.Dwell-1/1999.9998779296875) > 1e-15 || d.Points() != 1024 || math.Abs(d.EchoTime-0.03540639877319336) > 1e-12 || d.Nucleus != "1H" || d.FieldStrength != 3 {
		t.Errorf("params %+v, %d points", d.Params, d.Points())
	}
	if len(d.FIDs) != 2 || len(d.Dims) != 1 {
		t.Fatalf("%d FIDs, dims %v", len(d.FIDs), d.Dims)
	}
	vendortest.NAAOnRightSide(t, d)
}

func TestErrors(t *testing.T) {
	b, err := os.ReadFile(shareddata.Path(t, "mrs/vendor/siemens_ima_WS.ima"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"no DICM marker":       b[:100],
		"runs past the end":    b[:2000],
		"no spectroscopy data": b[:len(b)-16384-12],
	}
	for want, c := range cases {
		_, err := Read(c, "bad.dcm")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "bad.dcm") {
			t.Errorf("%q: %v", want, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	if b, err := os.ReadFile("../../../../shared/data/mrs/vendor/siemens_ima_WS.ima"); err == nil {
		f.Add(b[:4096])
	}
	f.Add(append(make([]byte, 128), []byte("DICM\x02\x00\x10\x00UI\x14\x001.2.840.10008.1.2.1\x00")...))
	f.Fuzz(func(t *testing.T, b []byte) {
		if d, err := Read(b, "fuzz"); err == nil {
			if err := d.Validate(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
