package main

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/basis"
	"glusleep/mrs/format/nifti"
)

// Issue 15: MRS timing is typed in ms in every mrs command; values
// outside the plausible range are refused (exit 2) with a message naming
// the flag, the value, the unit and the range — never clamped.
func TestMRSFlagRanges(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "b.BASIS")
	basisArgs := []string{"mrs", "basis", "--metabolites", "Cr", "--out", out}
	for _, c := range []struct {
		args []string
		want string
	}{
		{append([]string{"mrs", "basis", "--te", "0.03", "--field", "3", "--dwell", "0.00025", "--points", "1024"}, basisArgs[2:]...), "--te 0.03 ms is outside the plausible range 5–1000 ms"},
		{append([]string{"mrs", "basis", "--te1", "0.011", "--te2", "0.019", "--field", "3", "--dwell", "0.00025", "--points", "1024"}, basisArgs[2:]...), "--te1 0.011 ms"},
		{append([]string{"mrs", "basis", "--te1", "3", "--te2", "1", "--field", "3", "--dwell", "0.00025", "--points", "1024"}, basisArgs[2:]...), "TE 4 ms is outside the plausible range 5–1000 ms"},
		{append([]string{"mrs", "basis", "--te", "30", "--field", "30", "--dwell", "0.00025", "--points", "1024"}, basisArgs[2:]...), "--field 30 T is outside the plausible range 0.5–14 T"},
		{append([]string{"mrs", "basis", "--te", "30", "--field", "3", "--dwell", "0.00025", "--points", "99999999"}, basisArgs[2:]...), "--points 99999999 points is outside the plausible range 64–65536 points"},
		{append([]string{"mrs", "basis", "--te", "30", "--field", "3", "--dwell", "0.25", "--points", "1024"}, basisArgs[2:]...), "--dwell 0.25 s is outside the plausible range 1e-05–0.01 s"},
		{append([]string{"mrs", "basis", "--sequence", "steam", "--te", "30", "--tm", "0.01", "--field", "3", "--dwell", "0.00025", "--points", "1024"}, basisArgs[2:]...), "--tm 0.01 ms"},
		{[]string{"mrs", "basis", "--te", "30", "--spectrometer-frequency", "123200000", "--dwell", "0.00025", "--points", "1024", "--out", out}, "--spectrometer-frequency 1.232e+08 MHz"},
		{[]string{"mrs", "fit", "--simulate", "--tr", "2", "--out", dir, "x.nii.gz"}, "--tr 2 ms is outside the plausible range 100–60000 ms"},
		{[]string{"mrs", "info", "--te", "0.02", "x.nii.gz"}, "--te 0.02 ms"},
		{[]string{"mrs", "convert", "--te", "0.02", "x.RAW", "y.nii.gz"}, "--te 0.02 ms"},
		{[]string{"mrs", "preproc", "--te", "0.02", "--out", dir, "x.nii.gz"}, "--te 0.02 ms"},
	} {
		var so, se bytes.Buffer
		code := runMain(&cmdEnv{stdout: &so, stderr: &se}, c.args)
		if code != 2 || !strings.Contains(se.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, se.String(), c.want)
		}
	}
}

// `mrs basis --like` simulates the sequence of the data's header: STEAM
// TE and TM from a STEAM file (it simulated PRESS before).
func TestMRSBasisLikeSTEAM(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "steam.nii.gz")
	p := mrs.Params{SpectrometerFrequency: 123.25, Dwell: 0.00025, EchoTime: 0.020, MixingTime: 0.010, Sequence: "STEAM", Nucleus: "1H"}
	if err := nifti.WriteData(data, &mrs.Data{Params: p, FIDs: [][]complex128{make([]complex128, 256)}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "b.BASIS")
	var so, se bytes.Buffer
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "basis", "--like", data, "--metabolites", "Cr", "--out", out}); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	set, err := basis.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(so.String(), "STEAM TE 20 ms, TM 10 ms") || set.Points() != 256 || math.Abs(real(set.FIDs[0][0])-2.5) > 1e-6 {
		t.Errorf("%s: %d points, Cr FID(0) %v; want STEAM TE 20 ms, 256 points, 2.5 (5 protons, half in the stimulated echo)", so.String(), set.Points(), set.FIDs[0][0])
	}
}
