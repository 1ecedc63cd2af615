package gepfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/cmplx"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/mrs"
	"glusleep/mrs/sim"
)

// All twenty 1.5 T PROBE-P files: 2048 points, 2500 Hz, 63.87 MHz, TE 30 ms,
// 8 water and 16 suppressed frames (rhuser19 = 8; the SAGE headers tarquin
// ships with these files say num_ref_frames 8, num_sig_frames 16), and
// psdname "probe-p" (the SAGE headers' sequence name): PRESS read from the
// header, not assumed.
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
		if f.PSDName != "probe-p" || par.Sequence != "PRESS" || f.SequenceAssumed || par.MixingTime != 0 || f.MixingTimeAssumed {
			t.Errorf("%s: psdname %q: %s (assumed %v), TM %g s", filepath.Base(p), f.PSDName, par.Sequence, f.SequenceAssumed, par.MixingTime)
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
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.7") ||
			!errors.Is(err, ErrFormat) || !strings.HasPrefix(err.Error(), "gepfile: ") {
			t.Errorf("%s: %v, want a gepfile.ErrFormat naming the file and %q", c.name, err, c.want)
		}
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "none.7")); err == nil || !strings.HasPrefix(err.Error(), "gepfile: ") {
		t.Errorf("missing file: %v, want a gepfile: error", err)
	}
}

// synthetic returns a revision 9 P-file of one receiver, one water and
// one suppressed frame of 4 points, whose psdname field holds psd.
func synthetic(psd []byte) []byte {
	b := make([]byte, 61464+3*4*8)
	le := binary.LittleEndian
	le.PutUint32(b, math.Float32bits(9))
	le.PutUint16(b[74:], 2)
	le.PutUint16(b[80:], 4)
	le.PutUint16(b[82:], 4)
	le.PutUint32(b[216+4*19:], math.Float32bits(1))
	le.PutUint32(b[368:], math.Float32bits(2500))
	le.PutUint32(b[424:], 638726220)
	le.PutUint32(b[60136:], 20000)
	copy(b[60248:60281], psd)
	return b
}

// The sequence and mixing time follow the header's psdname, and so does
// the basis simulated for the file (sim.SequenceFor: a PROBE-S file gets
// a STEAM basis, not PRESS); what the file does not say is marked assumed.
func TestSequence(t *testing.T) {
	const press, steam = "PRESS TE1 10 ms, TE2 10 ms", "STEAM TE 20 ms, TM 12 ms"
	for _, c := range []struct {
		psd               string
		seq               string
		tm                float64
		seqAssumed, tmSet bool
		name, basis       string
	}{
		{"PROBE-P", "PRESS", 0, false, false, "PROBE-P", press},
		{"probe-p", "PRESS", 0, false, false, "probe-p", press},
		{"presscsi", "PRESS", 0, false, false, "presscsi", press},
		{"PROBE-S", "STEAM", AssumedMixingTime, false, true, "PROBE-S", steam},
		{"probe-s\x00junk", "STEAM", AssumedMixingTime, false, true, "probe-s", steam},
		{"jpress", "PRESS", 0, true, false, "jpress", press},
		{"", "PRESS", 0, true, false, "", press},
		{"\xff\xfe", "PRESS", 0, true, false, "", press},
		{"0123456789012345678901234567890123456", "PRESS", 0, true, false, "012345678901234567890123456789012", press},
	} {
		b := synthetic([]byte(c.psd))
		f, err := Read(bytes.NewReader(b), int64(len(b)), "P1.7")
		if err != nil {
			t.Fatalf("%q: %v", c.psd, err)
		}
		p := f.Params
		if f.PSDName != c.name || p.Sequence != c.seq || f.SequenceAssumed != c.seqAssumed || p.MixingTime != c.tm || f.MixingTimeAssumed != c.tmSet {
			t.Errorf("psdname %q: read %q, %s (assumed %v), TM %g s (assumed %v); want %q, %s (assumed %v), TM %g s",
				c.psd, f.PSDName, p.Sequence, f.SequenceAssumed, p.MixingTime, f.MixingTimeAssumed, c.name, c.seq, c.seqAssumed, c.tm)
		}
		if q, err := sim.SequenceFor(p); err != nil || q.Describe() != c.basis {
			t.Errorf("psdname %q: basis simulated for %v (%v), want %s", c.psd, q.Describe(), err, c.basis)
		}
	}
}

// Receivers are counted in words that agree with the number.
func TestReceiverGrammar(t *testing.T) {
	for n, want := range map[int]string{1: "1 receiver", 2: "2 receivers", 0: "0 receivers"} {
		if got := plural(n, "receiver"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
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

// A size that overstates the file (a reader shorter than the size given):
// the header or a receiver's data cannot be read, an ErrFormat error
// naming the file and what was being read, not a bare EOF.
func TestReadPastEnd(t *testing.T) {
	b := synthetic([]byte("PROBE-P"))
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"header", b[:1000], "reading the header"},
		{"receiver", b[:len(b)-8], "reading receiver 0"},
	} {
		_, err := Read(bytes.NewReader(c.data), int64(len(b)), "big.7")
		if !errors.Is(err, ErrFormat) || !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "big.7") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an ErrFormat naming big.7 and %q", c.name, err, c.want)
		}
	}
	if _, err := Read(bytes.NewReader(b), int64(len(b)), "ok.7"); err != nil {
		t.Errorf("whole file: %v", err)
	}
}
