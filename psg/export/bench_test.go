package export

import (
	"bufio"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"glusleep/internal/npy"
	"glusleep/psg/edf"
)

// benchFile writes (once) a synthetic 8-hour, 24-channel, 256 Hz EDF+
// (354 MB) into the temporary folder and returns its path; MNE is timed on
// the same file (testdata/mne_export_timing.py).
func benchFile(b *testing.B) string {
	p := filepath.Join(os.TempDir(), "glusleep-bench-8h-24ch-256hz.edf")
	if st, err := os.Stat(p); err == nil && st.Size() > 350e6 {
		return p
	}
	const secs, rate, nch = 8 * 3600, 256, 24
	sigs := make([]edf.SignalData, nch)
	for c := range sigs {
		x := make([]float64, secs*rate)
		for i := range x {
			x[i] = 80*math.Sin(2*math.Pi*float64(c+1)*float64(i)/rate) + 10*math.Sin(0.37*float64(i*(c+3)))
		}
		sigs[c] = edf.SignalData{Signal: edf.Signal{Label: "EEG " + string(rune('A'+c)), Dimension: "uV", PhysMin: -100, PhysMax: 100, DigMin: -32768, DigMax: 32767, Samples: rate}, Data: x}
	}
	tmp := p + ".tmp"
	fh, err := os.Create(tmp)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(fh, 1<<20)
	if err := edf.Write(w, sigs, edf.WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	fh.Close()
	if err := os.Rename(tmp, p); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkExportNPZ exports all 24 channels of the 8-hour file as .npz
// (float64, as MNE holds them) to a file in the temporary folder.
func BenchmarkExportNPZ(b *testing.B) {
	p := benchFile(b)
	out := filepath.Join(b.TempDir(), "x.npz")
	b.ReportAllocs()
	for b.Loop() {
		f, err := edf.Open(p, edf.Options{})
		if err != nil {
			b.Fatal(err)
		}
		fh, _ := os.Create(out)
		if _, err := Write(fh, f, Options{Duration: -1, Format: NPZ, DType: npy.Float64}); err != nil {
			b.Fatal(err)
		}
		fh.Close()
		f.Close()
	}
}

// BenchmarkExportTSV exports 4 channels of the 8-hour file as TSV text.
func BenchmarkExportTSV(b *testing.B) {
	p := benchFile(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := edf.Open(p, edf.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Write(io.Discard, f, Options{Channels: []int{0, 1, 2, 3}, Duration: -1, Format: TSV}); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
