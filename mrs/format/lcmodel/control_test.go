package lcmodel

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// The control file LCModel 6.3 read for the Osprey sub-01 run
// (mrs/results/testdata/README.md) is what WriteControl writes for these
// settings.
func TestWriteControlMatchesLCModelRun(t *testing.T) {
	c := Control{Title: "Osprey sub-01 PRESS TE 35, glusleep basis and control", Key: 210387309,
		Points: 2048, DwellS: 0.0005, SpectrometerMHz: 127.750896, EchoTimeMS: 35,
		Basis: "glusleep_press35.BASIS", Raw: "sub01.RAW", Water: "sub01.H2O", DoWaterScaling: true,
		PS: "sub01.ps", Table: "sub01.table", CSV: "sub01.csv", Coord: "sub01.coord"}
	var buf bytes.Buffer
	if err := WriteControl(&buf, c); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/lcmodel_sub01.control")
	if err != nil {
		t.Fatal(err)
	}
	if buf.String() != string(want) {
		t.Errorf("wrote\n%s\nwant\n%s", buf.String(), want)
	}
	// It parses as the $LCMODL namelist it is.
	nl, _, err := parseNamelist(strings.TrimLeft(buf.String(), " "))
	if err != nil || nl.String("FILBAS") != "glusleep_press35.BASIS" {
		t.Errorf("namelist %+v, %v", nl, err)
	}
}

func TestWriteControlErrors(t *testing.T) {
	ok := Control{Points: 2048, DwellS: 0.0005, SpectrometerMHz: 123.2, Basis: "b", Raw: "r"}
	cases := []struct {
		name string
		edit func(*Control)
		want string
	}{
		{"no points", func(c *Control) { c.Points = 0 }, "points"},
		{"no basis", func(c *Control) { c.Basis = "" }, "FILBAS"},
		{"dows without water", func(c *Control) { c.DoWaterScaling = true }, "FILH2O"},
		{"ppm window reversed", func(c *Control) { c.PPMStart, c.PPMEnd = 0.2, 4 }, "PPMST"},
		{"line break", func(c *Control) { c.Title = "a\nb" }, "line break"},
		{"extra key empty", func(c *Control) { c.Extra = map[string]string{"": "1"} }, "extra"},
	}
	for _, tc := range cases {
		c := ok
		tc.edit(&c)
		err := WriteControl(&bytes.Buffer{}, c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error mentioning %s", tc.name, err, tc.want)
		}
	}
}
