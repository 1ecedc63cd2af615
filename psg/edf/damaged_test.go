package edf

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
)

// Damaged headers and sizes: record durations and rates out of range are
// refused; data beyond the declared records and a record count of -1 are
// read with warnings; a short file is refused unless AllowTruncated.
func TestSizesAndLimits(t *testing.T) {
	good, _ := os.ReadFile(writeTemp(t, sampleSignals(), WriteOptions{}))
	set := func(off int, s string) []byte {
		b := append([]byte(nil), good...)
		copy(b[off:], padField(s, 8))
		return b
	}
	rec := (len(good) - 256*4) / 3
	refused := []struct {
		name string
		data []byte
		want string
	}{
		{"record duration 1e-300", set(244, "1e-300"), "duration of a data record"},
		{"rate above 1 MHz", set(244, "0.0001"), "above the 1e+06 Hz"},
		{"record duration 1e8", set(244, "1e8"), "duration of a data record"},
		{"one byte short", good[:len(good)-1], "file is truncated"},
		{"records over 64 MiB", func() []byte {
			b := set(244, "100")
			copy(b[256+3*216:], padField("16777216", 8))
			copy(b[256+3*216+8:], padField("16777216", 8))
			return b
		}(), "over the 64 MiB"},
	}
	for _, c := range refused {
		_, err := NewReader(bytes.NewReader(c.data), int64(len(c.data)), "bad.edf", Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, want an ErrFormat naming %q", c.name, err, c.want)
		}
	}
	if _, err := NewReader(bytes.NewReader(good[:len(good)-1]), int64(len(good)-1), "t.edf", Options{}); !errors.Is(err, ErrTruncated) {
		t.Errorf("truncated file: %v does not wrap ErrTruncated", err)
	}
	warned := []struct {
		name            string
		data            []byte
		records         int
		trailing, warns string
	}{
		{"half a record more", append(append([]byte(nil), good...), make([]byte, rec/2)...), 3, "beyond the 3 declared records (0 whole records", ""},
		{"two records more", append(append([]byte(nil), good...), good[256*4:256*4+2*rec]...), 3, "(2 whole records and 0 bytes)", ""},
		{"header declares 2 of 3", set(236, "2"), 2, "(1 whole records and 0 bytes)", ""},
		{"header says -1", set(236, "-1"), 3, "", "-1 (unknown): 3 complete records"},
	}
	for _, c := range warned {
		f, err := NewReader(bytes.NewReader(c.data), int64(len(c.data)), "w.edf", Options{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		all := strings.Join(f.Warnings, "; ")
		if f.Records != c.records || !strings.Contains(f.Trailing, c.trailing) || !strings.Contains(all, c.warns) || len(f.Warnings) == 0 {
			t.Errorf("%s: %d records, trailing %q, warnings %q", c.name, f.Records, f.Trailing, all)
		}
	}
	if f, _ := NewReader(bytes.NewReader(good), int64(len(good)), "ok.edf", Options{}); len(f.Warnings) != 0 || f.Trailing != "" {
		t.Errorf("sound file warned: %v", f.Warnings)
	}
}

// BDF+ files are told from plain BDF by the reserved field.
func TestBDFPlusFormat(t *testing.T) {
	for _, c := range []struct {
		reserved string
		want     Format
	}{{"24BIT", BDF}, {"BDF+C", BDFPlusC}, {"BDF+D", BDFPlusD}} {
		h := make([]byte, 512)
		copy(h, "\xffBIOSEMI")
		copy(h[8:], padField("X X X X", 160))
		copy(h[168:], "01.01.2000.00.00512     ")
		copy(h[192:], padField(c.reserved, 44))
		copy(h[236:], padField("1", 8))
		copy(h[244:], padField("1", 8))
		copy(h[252:], padField("1", 4))
		s := h[256:]
		copy(s, padField("EEG", 16))
		off := 16 + 80
		for _, v := range []string{"uV", "-100", "100", "-8388608", "8388607"} {
			copy(s[off:], padField(v, 8))
			off += 8
		}
		off += 80
		copy(s[off:], padField("2", 8))
		body := append(h, make([]byte, 6)...)
		hd, _, err := parseHeader(body)
		if err != nil || hd.Format != c.want || !hd.Format.IsBDF() || hd.Format.String() != map[Format]string{BDF: "BDF", BDFPlusC: "BDF+C", BDFPlusD: "BDF+D"}[c.want] {
			t.Errorf("reserved %q: %v %v", c.reserved, hd, err)
		}
	}
}

// Gaps lists the stretches between records of an EDF+D file.
func TestGaps(t *testing.T) {
	p := writeTemp(t, sampleSignals()[:1], WriteOptions{})
	b, _ := os.ReadFile(p)
	copy(b[192:], padField("EDF+D", 44))
	hb := 256 * 3
	rb := (len(b) - hb) / 3
	copy(b[hb+2*rb+256*2:], []byte("+10\x14\x14\x00"))
	f, err := NewReader(bytes.NewReader(b), int64(len(b)), "d.edf", Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := f.Gaps()
	if len(g) != 1 || g[0].Record != 2 || g[0].Onset != 2 || g[0].Duration != 8 {
		t.Errorf("gaps %+v, want one from 2 s lasting 8 s before record 2", g)
	}
}

// The shared BDF+ files (pyEDFlib's, MNE's) are reported as BDF+C, the
// BioSemi one ("24BIT") as BDF.
func TestSharedBDFPlus(t *testing.T) {
	for rel, want := range map[string]Format{
		"psg/mne/multiple_annotation_chans.bdf": BDFPlusC,
		"psg/pyedflib/test_generator.bdf":       BDFPlusC,
		"psg/mne/test_bdf_stim_channel.bdf":     BDF,
	} {
		f, err := Open(shareddata.Path(t, rel), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if f.Format != want || len(f.Warnings) != 0 {
			t.Errorf("%s: %v (warnings %v), want %v", rel, f.Format, f.Warnings, want)
		}
		f.Close()
	}
}
