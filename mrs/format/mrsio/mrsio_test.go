package mrsio

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
	"glusleep/mrs/format/nifti"
)

// Every shared fixture opens through Read with the right reader, points
// and frequency, and the water reference where the file has one.
func TestReadFixtures(t *testing.T) {
	cases := []struct {
		path, format string
		points       int
		mhz          float64
		water        bool
	}{
		{"mrs/vendor/siemens_rda_WS.rda", "rda", 2048, 63.683977, false},
		{"mrs/vendor/siemens_ima_WS.ima", "dicom", 2048, 63.683831, false},
		{"mrs/vendor/SVS.dcm", "dicom", 1024, 127.767224, true},
		{"mrs/vendor/philips_spar_sdat_WS.SDAT", "philips", 1024, 127.786142, false},
		{"mrs/pregame-synthetic/nifti_synthetic.nii.gz", "nifti", 1024, 298.062497, false},
		{"mrs/ge-1.5T-press-te30/P1806_1.5T_030_2000.7", "ge", 2048, 63.872622, true},
		{"mrs/fitting-challenge/dataset1.RAW", "lcmodel", 2048, 123.261703, true},
	}
	// Values a reader assumes or derives rather than reads (GE: 1H, B0
	// from the frequency; the sequence, PRESS, is read from the header's
	// "probe-p"); a SPAR that states its nucleus. Files whose header names
	// no sequence (LCModel .RAW, and this DICOM and NIfTI-MRS file) are
	// taken as PRESS, assumed.
	sources := map[string]map[string]string{
		"ge":      {"nucleus": "assumed", "field_strength_t": "derived"},
		"lcmodel": {"nucleus": "assumed", "spectrometer_frequency_mhz": "flag", "dwell_s": "flag", "sequence": "assumed"},
	}
	noSequence := map[string]bool{"mrs/vendor/SVS.dcm": true, "mrs/pregame-synthetic/nifti_synthetic.nii.gz": true}
	for _, c := range cases {
		opt := Options{}
		if c.format == "lcmodel" {
			opt = Options{SpectrometerFrequency: 123.261703, Dwell: 0.00025}
		}
		ds, err := Read(shareddata.Path(t, c.path), opt)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if ds.Format != c.format || ds.Data.Points() != c.points || ds.Data.SpectrometerFrequency != c.mhz || (ds.Water != nil) != c.water {
			t.Errorf("%s: format %s, %d points, %g MHz, water %v", c.path, ds.Format, ds.Data.Points(), ds.Data.SpectrometerFrequency, ds.Water != nil)
		}
		want := sources[c.format]
		if noSequence[c.path] {
			want = map[string]string{"sequence": "assumed"}
		}
		if got := ds.Acquisition().Sources; !maps.Equal(got, want) {
			t.Errorf("%s: sources %v, want %v", c.path, got, want)
		}
	}
}

// A NIfTI-MRS spectrum finds its BIDS *_mrsref sibling; an LCModel file
// its JSON sidecar; unknown formats are errors listing the known ones.
func TestSiblings(t *testing.T) {
	dir := t.TempDir()
	d := &mrs.Data{Params: mrs.Params{SpectrometerFrequency: 63.87, Dwell: 0.0004, Nucleus: "1H"}, FIDs: [][]complex128{{1, 2, 3, 4}}}
	if err := nifti.WriteData(filepath.Join(dir, "sub-01_svs.nii.gz"), d); err != nil {
		t.Fatal(err)
	}
	w := *d
	w.FIDs = [][]complex128{{10, 20, 30, 40}}
	if err := nifti.WriteData(filepath.Join(dir, "sub-01_mrsref.nii.gz"), &w); err != nil {
		t.Fatal(err)
	}
	ds, err := Read(filepath.Join(dir, "sub-01_svs.nii.gz"), Options{})
	if err != nil || ds.Water == nil || ds.WaterFrom != "sub-01_mrsref.nii.gz" || real(ds.Water.FIDs[0][0]) != 10 {
		t.Errorf("mrsref: %+v %v", ds, err)
	}
	raw := filepath.Join(dir, "x.RAW")
	os.WriteFile(raw, []byte(" $NMID ID='x' FMTDAT='(2E16.6)' $END\n  1.0E+00  2.0E+00\n  3.0E+00  4.0E+00\n"), 0o644)
	if _, err := Read(raw, Options{}); err == nil || !strings.Contains(err.Error(), "x.json") {
		t.Errorf("LCModel without parameters: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "x.json"), []byte(`{"SpectrometerFrequency": 63.87, "Dwell": 0.0004, "EchoTime": 0.03}`), 0o644)
	ds, err = Read(raw, Options{})
	if err != nil || ds.Data.Dwell != 0.0004 || ds.Data.EchoTime != 0.03 {
		t.Errorf("LCModel with sidecar: %+v %v", ds, err)
	}
	if _, err := Read(filepath.Join(dir, "x.xyz"), Options{}); err == nil || !strings.Contains(err.Error(), "unknown MRS file format") {
		t.Errorf("unknown: %v", err)
	}
}

// Acquisition records where each value an LCModel file's header lacks
// came from (a flag, the basis, the JSON sidecar; its nucleus assumed),
// and nothing for the values the header gives; Describe shows the same.
func TestAcquisitionSources(t *testing.T) {
	dir := t.TempDir()
	bare := filepath.Join(dir, "bare.RAW")
	os.WriteFile(bare, []byte(" $NMID ID='x' FMTDAT='(2E16.6)' $END\n  1.0E+00  2.0E+00\n  3.0E+00  4.0E+00\n"), 0o644)
	seqpar := filepath.Join(dir, "seqpar.RAW")
	os.WriteFile(seqpar, []byte(" $SEQPAR HZPPPM=63.87, ECHOT=30. $END\n $NMID ID='x' FMTDAT='(2E16.6)' $END\n  1.0E+00  2.0E+00\n"), 0o644)
	side := filepath.Join(dir, "side.RAW")
	os.WriteFile(side, []byte(" $NMID ID='x' FMTDAT='(2E16.6)' $END\n  1.0E+00  2.0E+00\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "side.json"), []byte(`{"SpectrometerFrequency": 63.87, "Dwell": 0.0004, "RepetitionTime": 2.5}`), 0o644)
	nii := filepath.Join(dir, "sub-01_svs.nii.gz")
	if err := nifti.WriteData(nii, corpusData()); err != nil {
		t.Fatal(err)
	}
	pfile := func(name, psd string) string {
		b := pfileBytes(2, 8)
		copy(b[60248:60281], psd) // psdname
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	ge := map[string]string{"nucleus": "assumed", "field_strength_t": "derived"}
	geWith := func(k string) map[string]string { m := maps.Clone(ge); m[k] = "assumed"; return m }
	flags := Options{SpectrometerFrequency: 63.87, Dwell: 0.0004, EchoTime: 0.03}
	basis := flags
	basis.EchoTime, basis.Sources = 0, map[string]string{"dwell_s": SourceBasis, "spectrometer_frequency_mhz": SourceBasis}
	for _, c := range []struct {
		name string
		path string
		opt  Options
		want map[string]string
		teMS float64
	}{
		{"flags", bare, flags, map[string]string{"spectrometer_frequency_mhz": "flag", "dwell_s": "flag", "te_ms": "flag", "nucleus": "assumed", "sequence": "assumed"}, 30},
		{"basis", bare, basis, map[string]string{"spectrometer_frequency_mhz": "basis", "dwell_s": "basis", "nucleus": "assumed", "sequence": "assumed"}, 0},
		{"$SEQPAR", seqpar, Options{Dwell: 0.0004}, map[string]string{"dwell_s": "flag", "nucleus": "assumed", "sequence": "assumed"}, 30},
		{"sidecar", side, Options{EchoTime: 0.035}, map[string]string{"spectrometer_frequency_mhz": "sidecar", "dwell_s": "sidecar", "te_ms": "flag", "tr_ms": "sidecar", "nucleus": "assumed", "sequence": "assumed"}, 35},
		{"NIfTI-MRS without a sequence", nii, flags, map[string]string{"sequence": "assumed"}, 30},
		{"GE PROBE-P", pfile("P1.7", "PROBE-P"), Options{}, ge, 30},
		{"GE PROBE-S: STEAM, mixing time assumed", pfile("P2.7", "PROBE-S"), Options{}, geWith("tm_ms"), 30},
		{"GE unknown sequence: PRESS assumed", pfile("P3.7", "myseq"), Options{}, geWith("sequence"), 30},
	} {
		ds, err := Read(c.path, c.opt)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		a := ds.Acquisition()
		if !maps.Equal(a.Sources, c.want) || a.TEms != c.teMS {
			t.Errorf("%s: sources %v, TE %g ms; want %v, %g ms", c.name, a.Sources, a.TEms, c.want, c.teMS)
		}
		if c.name == "sidecar" && (a.TRms != 2500 || ds.Water != nil) {
			t.Errorf("sidecar RepetitionTime 2.5 s: TR %g ms, want 2500 ms", a.TRms)
		}
		b, _ := json.Marshal(a)
		if has := strings.Contains(string(b), `"sources"`); has != (c.want != nil) {
			t.Errorf("%s: JSON %s", c.name, b)
		}
		info := Describe(c.path, ds, false)
		if !maps.Equal(info.Sources, c.want) || info.TEms != c.teMS {
			t.Errorf("%s: mrs info sources %v, TE %g ms", c.name, info.Sources, info.TEms)
		}
		var text strings.Builder
		if err := info.WriteText(&text, "--keep-phi"); err != nil {
			t.Fatal(err)
		}
		if has := strings.Contains(text.String(), "not in the file: "); has != (c.want != nil) ||
			(c.name == "flags" && !strings.Contains(text.String(), "dwell_s (flag), nucleus (assumed), sequence (assumed), spectrometer_frequency_mhz (flag), te_ms (flag)\n")) {
			t.Errorf("%s: mrs info text:\n%s", c.name, text.String())
		}
	}
}
