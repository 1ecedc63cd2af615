package analysis_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"glusleep/internal/cpubench"
	"glusleep/internal/shareddata"
	"glusleep/mrs/analysis"
	"glusleep/mrs/basis"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/sim"
)

// BenchmarkMRSFitSpectrum is `glusleep mrs fit --basis FILE.BASIS` on one
// spectrum, Osprey's sub-01 (Philips 3 T PRESS TE 35 ms, 2048 points):
// read the .sdat, preprocess as mrs fit does (auto: this file holds one
// averaged FID, so none), fit with LCModel's lipids added, water-scale
// with the water reference found beside it, and write _fit.tsv, _qc.json
// and _fit.svg. It reads the copy in ../shared/data/mrs/osprey, which has
// the water reference beside it, else the same file in
// testdata/invivo/osprey (no water reference there: no water scaling).
// The basis is simulated for the header and written as an LCModel .BASIS
// (as `glusleep mrs basis --like` does) and read once by analysis.New,
// outside the timed loop: the CPU time per spectrum of a run over many
// spectra. It reports cpu-ns/op beside the wall time. LCModel 6.3 on the
// same spectrum and basis is timed by testdata/time_lcmodel.sh
// (testdata/README.md).
func BenchmarkMRSFitSpectrum(b *testing.B) {
	in := filepath.Join("testdata", "invivo", "osprey", "sub-01_PRESS_35_act.sdat")
	if root, ok := shareddata.Root(); ok {
		if p := filepath.Join(root, "mrs", "osprey", "sub-01_PRESS_35_act.sdat"); fileExists(p) {
			in = p
		}
	}
	ds, err := mrsio.Read(in, mrsio.Options{})
	if err != nil {
		b.Fatal(err)
	}
	d := ds.Data
	q, err := sim.SequenceFor(d.Params)
	if err != nil {
		b.Fatal(err)
	}
	mhz := math.Round(d.SpectrometerFrequency*1000) / 1000
	set, err := basis.Simulate(q, mhz, d.Dwell, d.Points(), nil)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "press35.BASIS")
	if err := set.WriteLCModel(path); err != nil {
		b.Fatal(err)
	}
	a, err := analysis.New(analysis.Settings{Basis: path, Lipids: true})
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	if _, err := a.Run(in, out, "sub-01"); err != nil { // warm-up: fails early on a broken setup
		b.Fatal(err)
	}
	b.ResetTimer()
	stop := cpubench.Start(b)
	for b.Loop() {
		if _, err := a.Run(in, out, "sub-01"); err != nil {
			b.Fatal(err)
		}
	}
	stop()
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
