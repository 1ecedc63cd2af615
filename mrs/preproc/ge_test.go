package preproc

import (
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs/format/mrsio"
)

// TestGEPfiles preprocesses all twenty GE 1.5 T PROBE-P files (five with
// -short; 16 suppressed and 8 water frames each), a creatine–lactate–acetate
// localisation phantom at room temperature, and reports where the
// referenced peaks and the quality measures land: without being told,
// referencing must find creatine, put it at 3.027 ppm and detect the
// phantom from water's position.
func TestGEPfiles(t *testing.T) {
	t.Parallel()
	dir := shareddata.Path(t, "mrs/ge-1.5T-press-te30")
	files, _ := filepath.Glob(filepath.Join(dir, "*.7"))
	if len(files) != 20 {
		t.Fatalf("%s: %d P-files, want 20", dir, len(files))
	}
	// All 20 in the full run; with -short every fifth creatine phantom and
	// one acetate-only voxel (P1904, without creatine).
	want := 18
	if testing.Short() {
		var some []string
		for i, f := range files {
			if i%5 == 0 || strings.HasPrefix(filepath.Base(f), "P1904") {
				some = append(some, f)
			}
		}
		files, want = some, len(some)-1
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
		r := q.Referencing
		if r == nil {
			t.Fatalf("%s: no referencing report", filepath.Base(f))
		}
		if r.Method == "metabolites" {
			clear++
			// A room-temperature phantom (creatine, lactate, acetate): Cr CH3
			// at 3.027 ppm, and water then at ~4.82 ppm (about 20 °C).
			if q.Cr.PPM < 3.00 || q.Cr.PPM > 3.05 || !r.Phantom || r.TemperatureC < 15 || r.TemperatureC > 26 {
				t.Errorf("%s: Cr at %.3f ppm, phantom %v (%s), %.1f °C; want 3.027 ± 0.025 ppm, a phantom at 15–26 °C",
					filepath.Base(f), q.Cr.PPM, r.Phantom, r.PhantomReason, r.TemperatureC)
			}
		} else if r.Warning == "" {
			t.Errorf("%s: referenced by %s without a warning", filepath.Base(f), r.Method)
		}
	}
	// Two acetate-only voxels (P1904, P1907) have no creatine peak.
	if clear != want {
		t.Errorf("%d of %d files referenced to metabolite peaks, want %d", clear, len(files), want)
	}
}
