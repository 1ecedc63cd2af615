package lcmodel

import (
	"bytes"
	"math"
	"math/cmplx"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
)

func TestReadChallengeRAW(t *testing.T) {
	f, err := ReadFile(shareddata.Path(t, "mrs/fitting-challenge/dataset1.RAW"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.FID) != 2048 {
		t.Fatalf("%d points, want 2048 (fitting challenge)", len(f.FID))
	}
	// First values as printed in the file: 2.67478E+02 1.03393E+02, stored
	// conjugated.
	if f.FID[0] != complex(267.478, -103.393) {
		t.Errorf("first point %v, want (267.478-103.393i)", f.FID[0])
	}
	nm, _ := f.Namelist("NMID")
	if nm.String("ID") != "dataset1" || nm.String("FMTDAT") != "(8E13.5)" {
		t.Errorf("$NMID %v", nm.Values)
	}
	// After conjugation the largest peak between 1.8 and 2.2 ppm is NAA at
	// 2.01 ppm (3 T, 123.261703 MHz, 4000 Hz).
	p := mrs.Params{SpectrometerFrequency: 123.261703, Dwell: 0.00025}
	if ppm := peakPPM(f.FID, p, 1.8, 2.2); math.Abs(ppm-2.01) > 0.03 {
		t.Errorf("NAA peak at %.3f ppm, want 2.01 (conjugation wrong?)", ppm)
	}
}

func peakPPM(fid []complex128, p mrs.Params, lo, hi float64) float64 {
	s := mrs.Spectrum(fid)
	ax := p.PPMAxis(len(fid))
	best, at := -1.0, 0.0
	for i, v := range ax {
		if v >= lo && v <= hi && cmplx.Abs(s[i]) > best {
			best, at = cmplx.Abs(s[i]), v
		}
	}
	return at
}

func TestReadLCModelTestData(t *testing.T) {
	f, err := ReadFile(shareddata.Path(t, "mrs/lcmodel-test/data.raw"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.FID) != 1024 {
		t.Fatalf("%d points, want 1024 (LCModel's control.file NUNFIL)", len(f.FID))
	}
	p := mrs.Params{SpectrometerFrequency: 127.786142, Dwell: 0.0005}
	if ppm := peakPPM(f.FID, p, 1.8, 2.2); math.Abs(ppm-2.01) > 0.05 {
		t.Errorf("NAA peak at %.3f ppm, want about 2.01", ppm)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	fid := []complex128{1.5 + 2i, -3.25e-7 - 1e5i, 0, complex(math.Pi, -math.E)}
	p := mrs.Params{SpectrometerFrequency: 63.87, EchoTime: 0.03, Sequence: "PRESS"}
	var buf bytes.Buffer
	if err := Write(&buf, "it's", p, fid); err != nil {
		t.Fatal(err)
	}
	f, err := Read(&buf, 0)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	for i := range fid {
		if cmplx.Abs(f.FID[i]-fid[i]) > 1e-6*math.Max(1, cmplx.Abs(fid[i])) {
			t.Errorf("point %d: %v, want %v", i, f.FID[i], fid[i])
		}
	}
	d := f.Data(mrs.Params{Dwell: 0.0004})
	if d.SpectrometerFrequency != 63.87 || d.EchoTime != 0.03 || d.Sequence != "PRESS" {
		t.Errorf("parameters from $SEQPAR: %+v", d.Params)
	}
	nm, _ := f.Namelist("NMID")
	if nm.String("ID") != "it's" {
		t.Errorf("ID %q", nm.String("ID"))
	}
}

func TestReadErrors(t *testing.T) {
	cases := map[string]string{
		"no header":    "1 2 3 4\n",
		"no end":       " $NMID ID='x', FMTDAT='(2E16.6)'\n 1 2\n",
		"odd count":    " $NMID ID='x' $END\n 1 2 3\n",
		"not a number": " $NMID ID='x' $END\n 1 abc\n",
		"no data":      " $NMID ID='x' $END\n",
		"no NMID":      " $SEQPAR HZPPPM=1 $END\n 1 2\n",
		"bad string":   " $NMID ID='x $END\n",
		"nan":          " $NMID ID='x' $END\n NaN 1\n",
	}
	for name, in := range cases {
		if _, err := Read(strings.NewReader(in), 0); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := Read(strings.NewReader(" $NMID ID='x' $END\n 1 2 3 4\n"), 3); err == nil || !strings.Contains(err.Error(), "4 of 6 values") {
		t.Errorf("short data with declared points: %v", err)
	}
}

func FuzzRead(f *testing.F) {
	f.Add(" $NMID ID='x', FMTDAT='(2E16.6)' $END\n 1 2\n 3 4\n")
	f.Add(" $SEQPAR HZPPPM=123.2, ECHOT=30 $END\n $NMID ID='a''b' FMTDAT='(8E13.5)'\n TRAMP=1, VOLUME=1 $END\n  2.67478E+02  1.03393E+02\n")
	f.Add("&NMID id='q' /\n1d0 2d0\n")
	f.Fuzz(func(t *testing.T, s string) {
		file, err := Read(strings.NewReader(s), 0)
		if err == nil && len(file.FID) == 0 {
			t.Fatal("no error and no data")
		}
	})
}
