package basis

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/naming"
	"glusleep/mrs/sim"
)

func TestNewOutput(t *testing.T) {
	for _, c := range []struct {
		path, format, names string
		want                Output
		err                 string
	}{
		{"b.BASIS", "", "", Output{"b.BASIS", FormatLCModel, naming.NamesLCModel}, ""},
		{"b.basis", "", "fsl", Output{"b.basis", FormatLCModel, naming.NamesFSL}, ""},
		{"dir", "", "", Output{"dir", FormatFSL, naming.NamesFSL}, ""},
		{"dir", "NIfTI", "", Output{"dir", FormatNIfTI, naming.NamesGlusleep}, ""},
		{"dir", "fsl", "glusleep", Output{"dir", FormatFSL, naming.NamesGlusleep}, ""},
		{"dir", "json", "", Output{}, `format "json"`},
		{"dir", "", "osprey", Output{}, `names "osprey"`},
		{"b.BASIS", "", "glusleep", Output{}, "names glusleep: an LCModel .BASIS"},
	} {
		got, err := NewOutput(c.path, c.format, c.names)
		if c.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("%+v: %v, want %q", c, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%+v: %+v, %v", c, got, err)
		}
	}
}

// Set splits a PRESS TE in halves unless TE1 and TE2 are given, takes
// the frequency from the field (2.894 T, a Siemens "3 T", times CODATA
// 2018's proton γ/2π 42.577478518 MHz/T) unless given, and leaves what it is not given alone;
// Like takes a STEAM header's.
func TestSetAndLike(t *testing.T) {
	r := Request{Sequence: sim.Sequence{Kind: "PRESS"}, Dwell: 0.0005}
	r.Set(Given{TE: 0.030, FieldT: 2.894, Points: 1024})
	if r.Sequence.TE1 != 0.015 || r.Sequence.TE2 != 0.015 || math.Abs(r.MHz-2.894*42.577478518) > 1e-5 || r.Dwell != 0.0005 || r.Points != 1024 {
		t.Errorf("PRESS TE 30 ms at 2.894 T: %+v", r)
	}
	r.Set(Given{TE1: 0.011, TE2: 0.019, TE: 0.030, MHz: 123.2, FieldT: 7})
	if r.Sequence.TE1 != 0.011 || r.Sequence.TE2 != 0.019 || r.MHz != 123.2 {
		t.Errorf("PRESS 11 + 19 ms, 123.2 MHz: %+v", r)
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "steam.nii.gz")
	p := mrs.Params{SpectrometerFrequency: 123.25, Dwell: 0.00025, EchoTime: 0.020, MixingTime: 0.010, Sequence: "STEAM", Nucleus: "1H"}
	if err := nifti.WriteData(data, &mrs.Data{Params: p, FIDs: [][]complex128{make([]complex128, 256)}}); err != nil {
		t.Fatal(err)
	}
	var l Request
	if err := l.Like(data, mrsio.Options{}); err != nil {
		t.Fatal(err)
	}
	if l.Sequence.TM != 0.010 || l.LikeAcquisition.TMms != 10 || l.LikeAcquisition.Sources["tm_ms"] != "" {
		t.Errorf("like STEAM: TM %g s, acquisition %+v; want the header's 10 ms", l.Sequence.TM, l.LikeAcquisition)
	}
	l.Set(Given{TM: 0.015})
	if l.Sequence.Kind != "steam" || l.Sequence.TE != 0.020 || l.Sequence.TM != 0.015 || l.MHz != 123.25 || l.Dwell != 0.00025 || l.Points != 256 {
		t.Errorf("like STEAM, TM 15 ms: %+v", l)
	}
	// The mixing time read as mrs fit reads it: the acquisition says it
	// was given and what it replaced.
	var g Request
	if err := g.Like(data, mrsio.Options{MixingTime: 0.015}); err != nil {
		t.Fatal(err)
	}
	if a := g.LikeAcquisition; g.Sequence.TM != 0.015 || a.TMms != 15 || a.Sources["tm_ms"] != mrsio.SourceFlag ||
		a.Replaced["tm_ms"] != (mrsio.Replaced{Value: 10, Source: mrsio.SourceHeader}) {
		t.Errorf("like STEAM with TM 15 ms: TM %g s, acquisition %+v", g.Sequence.TM, a)
	}
	if err := l.Like(filepath.Join(dir, "none.nii.gz"), mrsio.Options{}); err == nil {
		t.Error("missing file accepted")
	}
}

// Write writes each format where its readers find it, LCModel's names in
// a .BASIS and the chosen ones in a NIfTI-MRS folder.
func TestWriteOutputs(t *testing.T) {
	r := Request{Sequence: sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}, MHz: 123.2, Dwell: 1.0 / 2000, Points: 256, Names: []string{"Cr", "PCho"}}
	dir := t.TempDir()
	set, err := Build(r) // simulated once: writing does not change the set
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Output{
		{filepath.Join(dir, "b.BASIS"), FormatLCModel, naming.NamesLCModel},
		{filepath.Join(dir, "fsl"), FormatFSL, naming.NamesFSL},
		{filepath.Join(dir, "nii"), FormatNIfTI, naming.NamesGlusleep},
	} {
		line, err := set.Write(o)
		if err != nil || !strings.HasPrefix(line, o.Path) {
			t.Fatalf("%s: %q, %v", o.Format, line, err)
		}
		back, err := Read(o.Path)
		if err != nil || back.Points() != 256 || len(back.Names) != 2 {
			t.Fatalf("%s read back: %v", o.Format, err)
		}
		if !strings.Contains(line, map[Format]string{FormatLCModel: "(Cr PCh)", FormatFSL: "FSL-MRS JSON", FormatNIfTI: "NIfTI-MRS"}[o.Format]) {
			t.Errorf("%s: %q", o.Format, line)
		}
	}
	for _, f := range []string{"fsl/PCh.json", "nii/PCho.nii.gz"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := set.Write(Output{Path: dir, Format: "csv"}); err == nil {
		t.Error("unknown format written")
	}
	// A .BASIS is not written in a convention it would not apply.
	for _, c := range []naming.NameConvention{naming.NamesGlusleep, "", "osprey"} {
		path := filepath.Join(dir, "g"+string(c)+".BASIS")
		if _, err := set.Write(Output{path, FormatLCModel, c}); err == nil || !strings.Contains(err.Error(), "LCModel's names") {
			t.Errorf("names %q in a .BASIS: %v", c, err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("names %q: .BASIS written (%v)", c, err)
		}
	}
}

// An output's format follows its name unless given, and its metabolite
// names the format's convention.
func ExampleNewOutput() {
	for _, path := range []string{"press_te30.BASIS", "press_te30"} {
		o, err := NewOutput(path, "", "")
		fmt.Println(o.Format, o.Names, err)
	}
	// Output:
	// lcmodel lcmodel <nil>
	// fsl fsl <nil>
}

// Giving one PRESS half-echo keeps the other (from --like or the
// default); writing NIfTI-MRS with other names leaves the set's own.
func TestSetOneHalfEchoAndWriteKeepsNames(t *testing.T) {
	for _, tc := range []struct {
		g        Given
		te1, te2 float64
	}{
		{Given{TE1: 0.010}, 0.010, 0.015},
		{Given{TE2: 0.020}, 0.015, 0.020},
		{Given{TE1: 0.012, TE2: 0.018}, 0.012, 0.018},
		{Given{TE: 0.040}, 0.020, 0.020},
	} {
		r := Request{Sequence: sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}}
		r.Set(tc.g)
		if r.Sequence.TE1 != tc.te1 || r.Sequence.TE2 != tc.te2 {
			t.Errorf("Set(%+v): TE1 %g TE2 %g s, want %g %g", tc.g, r.Sequence.TE1, r.Sequence.TE2, tc.te1, tc.te2)
		}
	}
	set, err := Build(Request{Sequence: sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}, MHz: 123.2, Dwell: 1.0 / 2000, Points: 256, Names: []string{"Cr", "PCho"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := set.Write(Output{filepath.Join(t.TempDir(), "nii"), FormatNIfTI, naming.NamesLCModel}); err != nil {
		t.Fatal(err)
	}
	if set.Names[1] != "PCho" {
		t.Errorf("after writing with LCModel names the set's names are %v", set.Names)
	}
}
