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

// Published singlet positions (Govindaraju et al. 2000): Cr CH3 3.027 ppm,
// NAA CH3 2.008 ppm. A correctly decoded basis puts them there.
func TestReadChallengeBasis(t *testing.T) {
	b, err := ReadBasisFile(shareddata.Path(t, "mrs/fitting-challenge/press3T_30ms.BASIS"))
	if err != nil {
		t.Fatal(err)
	}
	if b.NData != 4096 || math.Abs(b.Dwell-0.00025) > 1e-9 || math.Abs(b.Frequency-123.261703) > 1e-6 {
		t.Errorf("header NDATAB %d BADELT %g HZPPPM %g", b.NData, b.Dwell, b.Frequency)
	}
	var names []string
	for _, e := range b.Entries {
		names = append(names, e.Name)
		if len(e.FID) != 2048 {
			t.Fatalf("%s: %d points, want 2048", e.Name, len(e.FID))
		}
	}
	t.Logf("metabolites: %s", strings.Join(names, " "))
	p := b.Params()
	for _, c := range []struct {
		name string
		ppm  float64
	}{{"Cr", 3.027}, {"NAA", 2.008}, {"PCr", 3.029}} {
		e := entry(b, c.name)
		if e == nil {
			t.Fatalf("no %s in basis", c.name)
		}
		if got := peakPPM(e.FID, p, c.ppm-0.3, c.ppm+0.3); math.Abs(got-c.ppm) > 0.01 {
			t.Errorf("%s singlet at %.3f ppm, want %.3f", c.name, got, c.ppm)
		}
	}
}

func entry(b *Basis, name string) *BasisEntry {
	for i := range b.Entries {
		if b.Entries[i].Name == name {
			return &b.Entries[i]
		}
	}
	return nil
}

func TestReadLCModelTestBasis(t *testing.T) {
	b, err := ReadBasisFile(shareddata.Path(t, "mrs/lcmodel-test/3t.basis"))
	if err != nil {
		t.Fatal(err)
	}
	e := entry(b, "NAA")
	if e == nil {
		t.Fatal("no NAA")
	}
	// 512 points at 2000 Hz: one spectral point is 3.9 Hz = 0.031 ppm, so the
	// peak lies within half a point of 2.008 ppm.
	if len(e.FID) != 512 {
		t.Errorf("NAA has %d points, want 512 (NDATAB 1024)", len(e.FID))
	}
	if got := peakPPM(e.FID, b.Params(), 1.7, 2.3); math.Abs(got-2.008) > 0.016 {
		t.Errorf("NAA singlet at %.3f ppm", got)
	}
}

func TestBasisRoundTrip(t *testing.T) {
	p := mrs.Params{SpectrometerFrequency: 63.87, Dwell: 0.0004, EchoTime: 0.03, Sequence: "PRESS"}
	n := 64
	fids := [][]complex128{make([]complex128, n), make([]complex128, n)}
	for k := 0; k < n; k++ {
		t := float64(k) * p.Dwell
		fids[0][k] = cmplx.Exp(complex(-10*t, 2*math.Pi*(-100)*t))
		fids[1][k] = 0.5 * cmplx.Exp(complex(-20*t, 2*math.Pi*(37)*t))
	}
	var buf bytes.Buffer
	// PCho is written under LCModel's name, PCh; other names as given.
	if err := WriteBasis(&buf, "test", p, []string{"PCho", "B'"}, fids); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBasis(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entries) != 2 || b.Entries[0].Name != "PCh" || b.Entries[1].Name != "B'" || b.NData != 2*n || b.EchoTime != 0.03 {
		t.Fatalf("read back %+v", b)
	}
	for i := range fids {
		for k := range fids[i] {
			if d := cmplx.Abs(b.Entries[i].FID[k] - fids[i][k]); d > 1e-8 {
				t.Fatalf("entry %d point %d: %v, want %v", i, k, b.Entries[i].FID[k], fids[i][k])
			}
		}
	}
}

func TestReadBasisErrors(t *testing.T) {
	cases := map[string]string{
		"no BASIS1":  " $SEQPAR HZPPPM=1 $END\n",
		"encrypted":  " $BASIS1 BADELT=-0.0005, NDATAB=4 $END\n",
		"odd ndatab": " $BASIS1 BADELT=0.0005, NDATAB=5 $END\n",
		"no entries": " $BASIS1 BADELT=0.0005, NDATAB=4 $END\n",
		"short data": " $BASIS1 BADELT=0.0005, NDATAB=4 $END\n $BASIS METABO='X' $END\n 1 2 3\n",
		"no metabo":  " $BASIS1 BADELT=0.0005, NDATAB=2 $END\n $BASIS ID='X' $END\n 1 2 3 4\n",
	}
	for name, in := range cases {
		if _, err := ReadBasis(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzReadBasis(f *testing.F) {
	f.Add(" $SEQPAR HZPPPM=123.2 $END\n $BASIS1 BADELT=0.0005, NDATAB=4, FMTBAS='(2E17.9)' $END\n $BASIS METABO='X' $END\n 1 2\n 3 4\n 5 6\n 7 8\n")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ReadBasis(strings.NewReader(s))
		if err == nil && len(b.Entries) == 0 {
			t.Fatal("no error and no entries")
		}
	})
}
