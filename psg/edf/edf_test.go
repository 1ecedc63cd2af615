package edf

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"glusleep/internal/shareddata"
)

func sampleSignals() []SignalData {
	n := 3 * 256
	eeg := make([]float64, n)
	emg := make([]float64, 3*100)
	for i := range eeg {
		eeg[i] = 50 * math.Sin(2*math.Pi*10*float64(i)/256)
	}
	for i := range emg {
		emg[i] = float64(i%50) - 25
	}
	return []SignalData{
		{Signal{Label: "EEG Fpz-Cz", Dimension: "uV", PhysMin: -100, PhysMax: 100, DigMin: -32768, DigMax: 32767, Samples: 256}, eeg},
		{Signal{Label: "Leg L", Dimension: "uV", PhysMin: -500, PhysMax: 500, DigMin: -2048, DigMax: 2047, Samples: 100}, emg},
	}
}

func writeTemp(t *testing.T, sigs []SignalData, opt WriteOptions) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "x.edf")
	var buf bytes.Buffer
	if err := Write(&buf, sigs, opt); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWriteReadRoundTrip(t *testing.T) {
	start := time.Date(2024, 3, 5, 22, 30, 15, 250_000_000, time.UTC)
	ann := []Annotation{{0, 30, "Sleep stage W"}, {30, 30, "Sleep stage 2"}, {45.5, -1, "Lights off ✓"}}
	p := writeTemp(t, sampleSignals(), WriteOptions{Patient: "MCH-0234567 F 02-MAY-1951 Haagse_Harry", Start: start, Annotations: ann})
	f, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Format != EDFPlusC || f.Records != 3 || !f.Start.Equal(start) {
		t.Fatalf("format %v records %d start %v", f.Format, f.Records, f.Start)
	}
	for i, s := range sampleSignals() {
		x, err := f.Physical(i, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		step := f.Signals[i].Gain()
		for k := range s.Data {
			if math.Abs(x[k]-s.Data[k]) > step/2+1e-9 {
				t.Fatalf("%s sample %d: %g, wrote %g (step %g)", s.Label, k, x[k], s.Data[k], step)
			}
		}
	}
	got := f.Annotations()
	if len(got) != len(ann) {
		t.Fatalf("annotations %v", got)
	}
	for i := range ann {
		if math.Abs(got[i].Onset-ann[i].Onset) > 1e-9 || got[i].Duration != ann[i].Duration || got[i].Text != ann[i].Text {
			t.Errorf("annotation %d: %+v, wrote %+v", i, got[i], ann[i])
		}
	}
	all, err := f.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i := range sampleSignals() {
		one, _ := f.Physical(i, 0, -1)
		if len(all[i]) != len(one) {
			t.Fatalf("ReadAll signal %d: %d samples, Physical %d", i, len(all[i]), len(one))
		}
		for k := range one {
			if all[i][k] != one[k] {
				t.Fatalf("ReadAll signal %d sample %d: %g, Physical %g", i, k, all[i][k], one[k])
			}
		}
	}
	if all[len(all)-1] != nil {
		t.Error("ReadAll returned samples for the annotation signal")
	}
	// A window: 1.5 s to 2.0 s of the EEG is samples 384..511.
	w, err := f.Physical(0, 1.5, 0.5)
	if err != nil || len(w) != 128 {
		t.Fatalf("window: %d samples, %v", len(w), err)
	}
}

func TestDeidentify(t *testing.T) {
	const name = "Haagse_Harry"
	p := writeTemp(t, sampleSignals(), WriteOptions{Patient: "MCH-0234567 F 02-MAY-1951 " + name,
		Recording: "Startdate 05-MAR-2024 EMG561 BK/JOP Sony. MNC R Median Nerve.", Start: time.Date(2024, 3, 5, 22, 30, 0, 0, time.UTC),
		Annotations: []Annotation{{10, -1, "Patient Haagse_Harry asleep"}}})
	in, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	orig, _ := os.ReadFile(p)
	cases := []struct {
		name string
		opt  DeidOptions
		date string
		// summary is what Summary must say about this very output.
		summary string
	}{
		{"remove date", DeidOptions{}, "1985-01-01", "date removed; annotations kept"},
		{"shift date", DeidOptions{ShiftDays: -400}, "2023-01-30", "date shifted -400 days; annotations kept"},
		{"drop annotations", DeidOptions{DropAnnotations: true}, "1985-01-01", "date removed; annotations blanked"},
		{"keep date (wins over a shift)", DeidOptions{KeepDate: true, ShiftDays: 7}, "2024-03-05", "date kept; annotations kept"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if err := Deidentify(in, &buf, c.opt); err != nil {
			t.Fatal(err)
		}
		out := buf.Bytes()
		for _, secret := range []string{name, "MCH-0234567", "02-MAY-1951", "EMG561", "05.03.24"} {
			if bytes.Contains(out[:256], []byte(secret)) && !(c.opt.KeepDate && secret == "05.03.24") {
				t.Errorf("%s: header still contains %q", c.name, secret)
			}
		}
		if c.opt.DropAnnotations == bytes.Contains(out, []byte(name)) {
			t.Errorf("%s: annotation text kept=%v", c.name, bytes.Contains(out, []byte(name)))
		}
		f, err := NewReader(bytes.NewReader(out), int64(len(out)), "deid", Options{})
		if err != nil {
			t.Fatalf("%s: reopen: %v", c.name, err)
		}
		if got := f.Start.Format("2006-01-02"); got != c.date {
			t.Errorf("%s: start %s, want %s", c.name, got, c.date)
		}
		if got := c.opt.Summary().String(); got != c.summary {
			t.Errorf("%s: summary %q, want %q", c.name, got, c.summary)
		}
		if f.Patient != "X X X X" {
			t.Errorf("%s: patient %q", c.name, f.Patient)
		}
		hb := 256 * (len(f.Signals) + 1)
		if !c.opt.DropAnnotations && !bytes.Equal(out[hb:], orig[hb:]) {
			t.Errorf("%s: data records differ", c.name)
		}
		for i := range f.Signals[:2] {
			a, _ := in.Physical(i, 0, -1)
			b, _ := f.Physical(i, 0, -1)
			for k := range a {
				if a[k] != b[k] {
					t.Fatalf("%s: signal %d sample %d changed", c.name, i, k)
				}
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	good, _ := os.ReadFile(writeTemp(t, sampleSignals(), WriteOptions{}))
	mod := func(f func(b []byte) []byte) []byte {
		b := append([]byte(nil), good...)
		return f(b)
	}
	set := func(b []byte, off int, s string) []byte { copy(b[off:], padField(s, len(s))); return b }
	ns := 3
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"short", good[:100], "shorter than the 256-byte header"},
		{"version", mod(func(b []byte) []byte { return set(b, 0, "1       ") }), "field version"},
		{"header bytes", mod(func(b []byte) []byte { return set(b, 184, "999     ") }), "header size field says 999"},
		{"records text", mod(func(b []byte) []byte { return set(b, 236, "abc     ") }), "number of data records"},
		{"signals", mod(func(b []byte) []byte { return set(b, 252, "0   ") }), "number of signals"},
		{"digital min=max", mod(func(b []byte) []byte {
			off := 256 + ns*(16+80+8+8+8)
			set(b, off, "5       ")
			return set(b, off+ns*8, "5       ")
		}), "digital maximum 5 ≤ digital minimum 5"},
		{"physical", mod(func(b []byte) []byte { return set(b, 256+ns*(16+80+8), "x       ") }), "signal 1 physical minimum"},
		{"truncated", good[:len(good)-10], "complete records"},
		{"date", mod(func(b []byte) []byte { return set(b, 168, "32.13.99") }), "valid date"},
	}
	for _, c := range cases {
		_, err := NewReader(bytes.NewReader(c.data), int64(len(c.data)), "bad.edf", Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.edf") {
			t.Errorf("%s: error %v, want one naming the file and %q", c.name, err, c.want)
		}
		if err != nil && !errors.Is(err, ErrFormat) && c.name != "short" {
			t.Errorf("%s: error does not wrap ErrFormat", c.name)
		}
	}
	trunc := good[:len(good)-10]
	f, err := NewReader(bytes.NewReader(trunc), int64(len(trunc)), "t.edf", Options{AllowTruncated: true})
	if err != nil || f.Records != 2 || f.Truncated == "" {
		t.Errorf("truncated with AllowTruncated: %v, records %d, note %q", err, f.Records, f.Truncated)
	}
	// Broken TAL in the annotation signal.
	broken := mod(func(b []byte) []byte {
		i := bytes.Index(b[256*(ns+1):], []byte("+0\x14\x14"))
		b[256*(ns+1)+i] = 'x'
		return b
	})
	if _, err := NewReader(bytes.NewReader(broken), int64(len(broken)), "tal.edf", Options{}); err == nil || !strings.Contains(err.Error(), "TAL") {
		t.Errorf("broken TAL: %v", err)
	}
}

func TestUnitScale(t *testing.T) {
	cases := map[string]float64{"uV": 1, "µV": 1, "mV": 1000, "V": 1e6, " uV ": 1, "nV": 1e-3}
	for in, want := range cases {
		if got, ok := UnitScale(in); !ok || got != want {
			t.Errorf("UnitScale(%q) = %g, %v; want %g", in, got, ok, want)
		}
	}
	if _, ok := UnitScale("degC"); ok {
		t.Error("degC accepted as voltage")
	}
}

func TestEDFPlusD(t *testing.T) {
	// Build an EDF+D by hand: two records at onsets 0 and 10 s.
	p := writeTemp(t, sampleSignals()[:1], WriteOptions{})
	b, _ := os.ReadFile(p)
	copy(b[192:], padField("EDF+D", 44))
	hb := 256 * 3
	rb := (len(b) - hb) / 3
	// Rewrite record 2's time-keeping TAL "+2" as "+10".
	annOff := hb + 2*rb + 256*2
	copy(b[annOff:], []byte("+10\x14\x14\x00"))
	f, err := NewReader(bytes.NewReader(b), int64(len(b)), "d.edf", Options{})
	if err != nil {
		t.Fatal(err)
	}
	on := f.RecordOnsets()
	if f.Format != EDFPlusD || on[0] != 0 || on[1] != 1 || on[2] != 10 {
		t.Fatalf("format %v onsets %v", f.Format, on)
	}
	x, err := f.Physical(0, 9.5, 1)
	if err != nil || len(x) != 128 {
		t.Errorf("window 9.5–10.5 s in a gap-then-record: %d samples, %v; want the first half second of the third record (128)", len(x), err)
	}
}

func TestBDFHeader(t *testing.T) {
	f, err := Open(shareddata.Path(t, "psg/mne/test_bdf_stim_channel.bdf"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Format != BDF || f.bytesPerSample() != 3 {
		t.Errorf("format %v", f.Format)
	}
}

func FuzzHeader(f *testing.F) {
	var buf bytes.Buffer
	Write(&buf, sampleSignals(), WriteOptions{Annotations: []Annotation{{1, 2, "x"}}})
	f.Add(buf.Bytes())
	f.Add(buf.Bytes()[:300])
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := NewReader(bytes.NewReader(b), int64(len(b)), "fuzz", Options{AllowTruncated: true})
		if err != nil {
			return
		}
		var chans []int
		for i, s := range file.Signals {
			if !s.IsAnnotation() && file.RecordDuration > 0 {
				file.Physical(i, 0, 1)
				chans = append(chans, i)
			}
		}
		file.Gaps()
		if len(chans) > 0 && file.Records <= 1000 {
			file.StreamRecords(chans, 0, file.Records, 0, func(*Block) error { return nil })
		}
	})
}

func FuzzTAL(f *testing.F) {
	f.Add([]byte("+0\x14\x14\x00+1.5\x152\x14Sleep stage W\x14\x00\x00"))
	f.Add([]byte("-0.25\x14\x14text\x14\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		anns, _, err := parseTALs(b)
		if err != nil {
			return
		}
		for _, a := range anns {
			if math.IsNaN(a.Onset) || a.Text == "" {
				t.Fatalf("bad annotation %+v", a)
			}
		}
	})
}

// Streaming gives the same samples as Physical, record by record.
func TestStream(t *testing.T) {
	p := writeTemp(t, sampleSignals(), WriteOptions{})
	f, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range [][2]float64{{0, -1}, {0.5, 1.25}, {2.9, 5}} {
		want, _ := f.Physical(0, w[0], w[1])
		var got []float64
		calls := 0
		err := f.Stream(0, w[0], w[1], func(t0 float64, x []float64) error {
			if calls == 0 && math.Abs(t0-math.Ceil(w[0]*256)/256) > 1e-9 {
				t.Errorf("window %v: first time %g", w, t0)
			}
			calls++
			got = append(got, x...)
			return nil
		})
		if err != nil || len(got) != len(want) {
			t.Fatalf("window %v: %d samples (%v), Physical %d", w, len(got), err, len(want))
		}
		for k := range got {
			if got[k] != want[k] {
				t.Fatalf("window %v sample %d differs", w, k)
			}
		}
	}
	if u, err := f.Microvolts(0); err != nil || u != 1 {
		t.Errorf("Microvolts = %g, %v", u, err)
	}
}

// The start date and time fields are read whole: "nn.nn.nn" with one or
// two digits each (spaces dropped); trailing text is refused (fmt.Sscanf
// read "01.02.0x" as 1, 2, 0).
func TestDotted(t *testing.T) {
	for _, tc := range []struct {
		in      string
		a, b, c int
		ok      bool
	}{
		{"04.04.11", 4, 4, 11, true}, {" 1. 2. 3", 1, 2, 3, true}, {"12.57.02", 12, 57, 2, true},
		{"01.02.0x", 0, 0, 0, false}, {"01.02", 0, 0, 0, false}, {"01.02.03.04", 0, 0, 0, false},
		{"+1.02.03", 0, 0, 0, false}, {"001.02.03", 0, 0, 0, false}, {"..", 0, 0, 0, false},
	} {
		a, b, c, ok := dotted(tc.in)
		if ok != tc.ok || ok && (a != tc.a || b != tc.b || c != tc.c) {
			t.Errorf("dotted(%q) = %d %d %d %v, want %d %d %d %v", tc.in, a, b, c, ok, tc.a, tc.b, tc.c, tc.ok)
		}
	}
}
