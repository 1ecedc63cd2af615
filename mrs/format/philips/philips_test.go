package philips

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/format/internal/vendortest"
)

// VAX F-floating values worked by hand: 1.0 is exponent 129 (0x4080 in the
// first word), 0.5 is 128, −2.0 is sign + 130; 3.0 = 0.11b × 2² (exponent 130: 0x4140), 6.0 = 0.11b × 2³.
func TestVaxFloat(t *testing.T) {
	for _, c := range []struct {
		w0, w1 uint16
		want   float64
	}{{0x4080, 0, 1}, {0x4000, 0, 0.5}, {0xc100, 0, -2}, {0x4140, 0, 3}, {0x41c0, 0, 6}, {0, 0, 0}, {0x4090, 0x0000, 1.125}} {
		b := make([]byte, 4)
		binary.LittleEndian.PutUint16(b, c.w0)
		binary.LittleEndian.PutUint16(b[2:], c.w1)
		if got := vaxFloat(b); got != c.want {
			t.Errorf("%#04x %#04x: %g, want %g", c.w0, c.w1, got, c.want)
		}
	}
}

// The SPAR/SDAT fixtures: parameters as the SPAR states them, samples equal
// to the reference (which is in the opposite sign convention), NAA at
// 2.01 ppm; the water reference reads too.
func TestVendorFixture(t *testing.T) {
	d, err := ReadFile(shareddata.Path(t, "mrs/vendor/philips_spar_sdat_WS.SDAT"))
	if err != nil {
		t.Fatal(err)
	}
	if d.SpectrometerFrequency != 127.786142 || math.Abs(d.Dwell-1.0/2000) > 1e-15 || d.Points() != 1024 || d.EchoTime != 0.030 || d.Vendor != "Philips" {
		t.Errorf("params %+v, %d points", d.Params, d.Points())
	}
	vendortest.EqualConjugated(t, d.FIDs[0], vendortest.ReadRef(t, shareddata.Path(t, "mrs/vendor/philips_spar_sdat_WS.ref")))
	vendortest.NAAOnRightSide(t, d)
	w, err := ReadFile(shareddata.Path(t, "mrs/vendor/philips_spar_sdat_W.SDAT"))
	if err != nil || w.Points() != 1024 {
		t.Errorf("water: %v", err)
	}
}

func TestErrors(t *testing.T) {
	spar := []byte("synthesizer_frequency : 127786142\nsample_frequency : 2000\nsamples : 4\nrows : 1\n")
	sdat := make([]byte, 32)
	if _, err := Read(spar, sdat, "x.SPAR", "x.SDAT"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		spar, sdat []byte
		want       string
	}{
		{spar, sdat[:30], "x.SDAT: size"},
		{[]byte("sample_frequency : 2000\nsamples : 4\n"), sdat, "synthesizer_frequency: missing"},
		{[]byte("synthesizer_frequency : abc\nsample_frequency : 2000\nsamples : 4\n"), sdat, "not a number"},
		{[]byte("synthesizer_frequency : 1\nsample_frequency : 2000\nsamples : 0\n"), sdat, "samples/rows"},
	}
	for _, c := range cases {
		_, err := Read(c.spar, c.sdat, "x.SPAR", "x.SDAT")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v", c.want, err)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("synthesizer_frequency : 127786142\nsample_frequency : 2000\nsamples : 4\nrows : 1\n"), make([]byte, 32))
	f.Fuzz(func(t *testing.T, spar, sdat []byte) {
		if d, err := Read(spar, sdat, "f.SPAR", "f.SDAT"); err == nil {
			if err := d.Validate(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
