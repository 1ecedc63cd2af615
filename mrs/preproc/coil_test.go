package preproc

import (
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
	"glusleep/mrs/format/nifti"
)

// TestOspreyCoilCombination combines the 32 channels of the Osprey
// example water reference (7 T STEAM, Siemens) and compares the water SNR
// of the combination with the best single channel and the plain average.
func TestOspreyCoilCombination(t *testing.T) {
	path := shareddata.Path(t, "mrs/osprey/sub-01_ses-01_SVS-ref_uncombined-coils.nii.gz")
	d, err := nifti.ReadData(path)
	if err != nil {
		t.Fatal(err)
	}
	if d.DimIndex(mrs.DimCoil) != 0 || len(d.FIDs) != 32 {
		t.Fatalf("%s: dims %v, want 32 coils", path, d.Dims)
	}
	snr := func(fid []complex128) float64 {
		q, err := MeasurePeak(fid, d.Params, WaterWindow, [2]float64{})
		if err != nil {
			t.Fatal(err)
		}
		return q.SNR
	}
	best, bestC := 0.0, 0
	for c, f := range d.FIDs {
		if s := snr(f); s > best {
			best, bestC = s, c
		}
	}
	plain := snr(mrs.Average(d.FIDs))
	ch := make([][][]complex128, 32)
	for c, f := range d.FIDs {
		ch[c] = [][]complex128{f}
	}
	for _, tc := range []struct {
		name string
		opt  CoilOptions
	}{{"whitened", CoilOptions{}}, {"variance-weighted", CoilOptions{NoWhitening: true}}} {
		co, err := EstimateCoils(ch, ch, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		comb, err := co.Combine(d.FIDs)
		if err != nil {
			t.Fatal(err)
		}
		got := snr(comb)
		t.Logf("%s combination SNR %.0f; best single coil (%d) %.0f; plain average %.0f; max noise correlation %.2f", tc.name, got, bestC, best, plain, co.Correlation)
		if got < best || got < plain {
			t.Errorf("%s: combined SNR %.0f below best coil %.0f or plain average %.0f", tc.name, got, best, plain)
		}
	}
}
