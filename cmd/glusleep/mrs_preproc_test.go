package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/format/mrsio"
)

// `mrs preproc` of a GE P-file writes the processed spectrum, its water
// reference, the QC JSON and the figure; the spectrum reads back as one
// FID. The file is a room-temperature creatine–lactate–acetate phantom
// (mrs/fit/testdata/README.md): referencing puts creatine at 3.03 ppm.
func TestMRSPreproc(t *testing.T) {
	ge := shareddata.Path(t, "mrs/ge-1.5T-press-te30/P1806_1.5T_030_2000.7")
	dir := t.TempDir()
	var so, se bytes.Buffer
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "preproc", ge, "--out", dir}); code != 0 {
		t.Fatalf("exit %d %s", code, se.String())
	}
	stem := filepath.Join(dir, "P1806_1.5T_030_2000")
	got, err := mrsio.Read(stem+"_svs.nii.gz", mrsio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Data.FIDs) != 1 || got.Data.Points() != 2048 || got.Water == nil {
		t.Fatalf("output: %d FIDs of %d points, water %v", len(got.Data.FIDs), got.Data.Points(), got.Water != nil)
	}
	var qc struct {
		QC struct {
			SNR float64 `json:"snr"`
			Cr  struct {
				PPM float64 `json:"ppm"`
			} `json:"cr"`
			Transients int       `json:"transients"`
			DriftHz    []float64 `json:"drift_hz"`
		} `json:"qc"`
	}
	b, err := os.ReadFile(stem + "_preproc_qc.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &qc); err != nil {
		t.Fatal(err)
	}
	if qc.QC.Transients != 16 || len(qc.QC.DriftHz) != 16 || qc.QC.SNR < 100 || qc.QC.Cr.PPM < 3.00 || qc.QC.Cr.PPM > 3.05 {
		t.Errorf("qc: %+v", qc.QC)
	}
	svg, err := os.ReadFile(stem + "_preproc.svg")
	// One document of five panels: frequency, phase, before and after
	// alignment, the final spectrum.
	if err != nil || !strings.Contains(string(svg), "after alignment") || strings.Count(string(svg), "<svg") != 6 {
		t.Errorf("figure: %v, %d svg elements", err, strings.Count(string(svg), "<svg"))
	}
	// Errors: no --out, unreadable input.
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "preproc", ge}); code != 2 {
		t.Errorf("no --out: exit %d", code)
	}
	se.Reset()
	if code := runMain(&cmdEnv{stdout: &so, stderr: &se}, []string{"mrs", "preproc", filepath.Join(dir, "none.7"), "--out", dir}); code == 0 || !strings.Contains(se.String(), "none.7") {
		t.Errorf("missing file: exit %d, %q", code, se.String())
	}
}
