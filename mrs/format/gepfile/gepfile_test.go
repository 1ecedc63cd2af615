package gepfile

import (
	"bytes"
	"math"
	"math/cmplx"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
)

// All twenty 1.5 T PROBE-P files: 2048 points, 2500 Hz, 63.87 MHz, TE 30 ms,
// 8 water and 16 suppressed frames (rhuser19 = 8; the SAGE headers tarquin
// ships with these files say num_ref_frames 8, num_sig_frames 16).
//
// The files are phantom acquisitions, not brain: each suppressed spectrum
// is dominated by one singlet, 2.90 ppm (acetate CH3, 1.90 ppm) or 1.79 ppm
// (creatine CH3, 3.03 ppm) below the water peak, water lying near 4.8 ppm
// at room temperature. A conjugation error would put that singlet above
// water; the test checks it lies below, at one of those two distances.
func TestStudyPFiles(t *testing.T) {
	dir := shareddata.Path(t, "mrs/ge-1.5T-press-te30")
	files, _ := filepath.Glob(filepath.Join(dir, "*.7"))
	if len(files) != 20 {
		t.Fatalf("%d P-files, want 20", len(files))
	}
	for _, p := range files {
		f, err := ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		par := f.Params
		if math.Abs(par.SpectrometerFrequency-63.87) > 0.005 || math.Abs(1/par.Dwell-2500) > 1e-6 || par.EchoTime != 0.030 ||
			par.RepetitionTime != 2.0 || f.Receivers != 1 || len(f.Water[0]) != 8 || len(f.Metab[0]) != 16 || len(f.Metab[0][0]) != 2048 {
			t.Errorf("%s: %.4f MHz, %g Hz, TE %g s, TR %g s, %d receivers, %d water + %d suppressed frames of %d points", filepath.Base(p),
				par.SpectrometerFrequency, 1/par.Dwell, par.EchoTime, par.RepetitionTime, f.Receivers, len(f.Water[0]), len(f.Metab[0]), len(f.Metab[0][0]))
			continue
		}
		w := peak(mean(f.Water[0]), par, 3.5, 6)
		below := w - peak(mean(f.Metab[0]), par, 0.3, w-0.4)
		if !(math.Abs(below-2.90) < 0.05 || math.Abs(below-1.79) < 0.05) {
			t.Errorf("%s: strongest singlet %.3f ppm below water, want 2.90 (acetate) or 1.79 (creatine)", filepath.Base(p), below)
		}
	}
}

func mean(fids [][]complex128) []complex128 {
	out := make([]complex128, len(fids[0]))
	for _, f := range fids {
		for i, v := range f {
			out[i] += v / complex(float64(len(fids)), 0)
		}
	}
	return out
}

func peak(fid []complex128, p mrs.Params, lo, hi float64) float64 {
	s := mrs.Spectrum(fid)
	ax := p.PPMAxis(len(s))
	best, at := -1.0, math.NaN()
	for i, v := range ax {
		if v >= lo && v <= hi && cmplx.Abs(s[i]) > best {
			best, at = cmplx.Abs(s[i]), v
		}
	}
	return at
}

func TestBadInput(t *testing.T) {
	p := shareddata.Path(t, "mrs/ge-1.5T-press-te30/P1806_1.5T_030_2000.7")
	good, _ := os.ReadFile(p)
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"short", good[:2], "shorter than 4"},
		{"revision", append([]byte{0, 0, 0xc8, 0x41}, good[4:]...), "revision 25 is not supported"},
		{"truncated header", good[:1000], "shorter than the revision 9 header"},
		{"truncated data", good[:len(good)-100], "need"},
	}
	for _, c := range cases {
		_, err := Read(bytes.NewReader(c.b), int64(len(c.b)), "bad.7")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.7") {
			t.Errorf("%s: %v, want an error naming the file and %q", c.name, err, c.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	hdr := make([]byte, 61464+8*2048*2)
	copy(hdr, []byte{0, 0, 0x10, 0x41})
	f.Add(hdr[:100])
	f.Fuzz(func(t *testing.T, b []byte) {
		Read(bytes.NewReader(b), int64(len(b)), "fuzz")
	})
}
