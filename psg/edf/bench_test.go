package edf

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// benchFile writes (once) a synthetic 8-hour, 20-channel, 256 Hz EDF+ into
// the temporary folder and returns its path. MNE is timed on the same file
// (testdata/mne_timing.py).
func benchFile(b *testing.B) string {
	p := filepath.Join(os.TempDir(), "glusleep-bench-8h-20ch-256hz.edf")
	if st, err := os.Stat(p); err == nil && st.Size() > 290e6 {
		return p
	}
	const secs, rate, nch = 8 * 3600, 256, 20
	sigs := make([]SignalData, nch)
	for c := range sigs {
		x := make([]float64, secs*rate)
		for i := range x {
			x[i] = 80 * math.Sin(2*math.Pi*float64(c+1)*float64(i)/rate)
		}
		sigs[c] = SignalData{Signal{Label: "EEG " + string(rune('A'+c)), Dimension: "uV", PhysMin: -100, PhysMax: 100, DigMin: -32768, DigMax: 32767, Samples: rate}, x}
	}
	tmp := p + ".tmp"
	fh, err := os.Create(tmp)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(fh, 1<<20)
	if err := Write(w, sigs, WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	fh.Close()
	if err := os.Rename(tmp, p); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkReadAll decodes every signal of the 8-hour file to physical
// values (MNE's read_raw_edf(preload=True) does the same work).
func BenchmarkReadAll(b *testing.B) {
	p := benchFile(b)
	st, _ := os.Stat(p)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		f, err := Open(p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.ReadAll(); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkReadOneChannel decodes one signal of the 8-hour file; it reads
// only that signal's bytes of each record.
func BenchmarkReadOneChannel(b *testing.B) {
	p := benchFile(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := Open(p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Physical(3, 0, -1); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkReadWindow reads 30 s of one channel: memory O(window + record).
func BenchmarkReadWindow(b *testing.B) {
	p := benchFile(b)
	f, err := Open(p, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Physical(3, 4*3600, 30); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeAllReuse decodes the whole 8-hour file into reused
// buffers: the decoding throughput without the cost of first touching
// 1.2 GB of fresh memory.
func BenchmarkDecodeAllReuse(b *testing.B) {
	p := benchFile(b)
	st, _ := os.Stat(p)
	f, err := Open(p, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	dst, err := f.ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.ReadAllInto(dst); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStreamOneChannel streams one signal of the 8-hour file record by
// record: allocations stay O(record), not O(file) or O(channel).
func BenchmarkStreamOneChannel(b *testing.B) {
	p := benchFile(b)
	f, err := Open(p, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.ReportAllocs()
	for b.Loop() {
		sum := 0.0
		if err := f.Stream(3, 0, -1, func(t0 float64, x []float64) error {
			for _, v := range x {
				sum += v
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}
