package preproc

import (
	"path/filepath"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/format/mrsio"
)

// TestGEPfiles preprocesses all twenty GE 1.5 T PROBE-P files (16
// suppressed and 8 water frames each) and reports where the referenced
// peaks and the quality measures land.
func TestGEPfiles(t *testing.T) {
	dir := shareddata.Path(t, "mrs/ge-1.5T-press-te30")
	files, _ := filepath.Glob(filepath.Join(dir, "*.7"))
	if len(files) != 20 {
		t.Fatalf("%s: %d P-files, want 20", dir, len(files))
	}
	clear := 0
	for _, f := range files {
		ds, err := mrsio.Read(f, mrsio.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(ds.Data, ds.Water, Options{})
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		q := res.QC
		t.Logf("%s: NAA %.3f ppm (SNR %.0f, %.2f Hz), Cr %.3f ppm, water %.3f ppm %.2f Hz, suppression %.2f%%, drift range %.2f Hz, rejected %v",
			filepath.Base(f), q.NAA.PPM, q.SNR, q.NAA.FWHMHz, q.Cr.PPM, q.Water.PPM, q.Water.FWHMHz, *q.WaterSuppressionPercent, q.DriftRangeHz, q.Rejected)
		if len(res.Data.FIDs) != 1 || res.Data.Points() != 2048 || q.Transients != 16 {
			t.Errorf("%s: %d spectra of %d points from %d transients, want 1 × 2048 from 16", filepath.Base(f), len(res.Data.FIDs), res.Data.Points(), q.Transients)
		}
		if q.SNR >= 100 {
			clear++
			if q.NAA.PPM < 1.96 || q.NAA.PPM > 2.06 {
				t.Errorf("%s: NAA at %.3f ppm, want 2.01 ± 0.05", filepath.Base(f), q.NAA.PPM)
			}
		}
	}
	if clear < 10 {
		t.Errorf("%d files with NAA SNR ≥ 100, want at least 10", clear)
	}
}
