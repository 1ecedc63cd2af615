package export

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"glusleep/internal/npy"
	"glusleep/psg/edf"
)

type edfdRef struct {
	Onsets      []float64 `json:"record_onsets_s"`
	Annotations [][]any   `json:"annotations"`
	Channels    map[string]struct {
		Rate   float64   `json:"rate_hz"`
		Times  []float64 `json:"times_s"`
		Values []float64 `json:"values_uv"`
	} `json:"channels"`
}

func openEDFD(t *testing.T) (*edf.File, edfdRef) {
	t.Helper()
	f, err := edf.Open("testdata/edfd_gaps.edf", edf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	var ref edfdRef
	b, err := os.ReadFile("testdata/edfd_gaps_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return f, ref
}

// parseTSV returns the header and the columns of a TSV export.
func parseTSV(t *testing.T, s string) ([]string, [][]float64) {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	hdr := strings.Split(lines[0], "\t")
	cols := make([][]float64, len(hdr))
	for _, l := range lines[1:] {
		for k, f := range strings.Split(l, "\t") {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("value %q: %v", f, err)
			}
			cols[k] = append(cols[k], v)
		}
	}
	return hdr, cols
}

// The exported times of an EDF+D file with two gaps equal MNE's raw.times
// mapped onto the record onsets (testdata/make_edfd.py), and the values
// MNE's: as TSV per channel and as .npz with both rates.
func TestEDFDTimesMatchMNE(t *testing.T) {
	f, ref := openEDFD(t)
	if f.Format != edf.EDFPlusD || len(f.Gaps()) != 2 {
		t.Fatalf("format %v, gaps %v", f.Format, f.Gaps())
	}
	for _, name := range []string{"EEG", "EMG"} {
		r := ref.Channels[name]
		idx, err := SelectChannels(f, []string{name})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		sum, err := Write(&buf, f, Options{Channels: idx, Duration: -1, Format: TSV})
		if err != nil {
			t.Fatal(err)
		}
		hdr, cols := parseTSV(t, buf.String())
		if hdr[0] != "time_s" || hdr[1] != name+" (uV)" || len(cols[0]) != len(r.Times) || sum.Gaps != 2 {
			t.Fatalf("%s: header %v, %d rows (want %d), %d gaps", name, hdr, len(cols[0]), len(r.Times), sum.Gaps)
		}
		for i := range r.Times {
			if math.Abs(cols[0][i]-r.Times[i]) > 1e-9 || math.Abs(cols[1][i]-r.Values[i]) > 1e-6 {
				t.Errorf("%s sample %d: %g s %g µV, want %g s %g µV", name, i, cols[0][i], cols[1][i], r.Times[i], r.Values[i])
				break
			}
		}
	}
	// A window inside the second segment: 3.25 s for 0.5 s.
	var buf bytes.Buffer
	if _, err := Write(&buf, f, Options{Channels: []int{0}, Start: 3.25, Duration: 0.5, Format: TSV}); err != nil {
		t.Fatal(err)
	}
	_, cols := parseTSV(t, buf.String())
	want := []float64{3.25, 3.375, 3.5, 3.625}
	if len(cols[0]) != len(want) {
		t.Fatalf("window times %v, want %v", cols[0], want)
	}
	for i := range want {
		if cols[0][i] != want[i] {
			t.Errorf("window times %v, want %v", cols[0], want)
		}
	}
	// Both rates in one .npz.
	buf.Reset()
	if _, err := Write(&buf, f, Options{Duration: -1, Format: NPZ}); err != nil {
		t.Fatal(err)
	}
	arrays := readNPZ(t, buf.Bytes())
	for name, suffix := range map[string]string{"EEG": "_8hz", "EMG": "_16hz"} {
		r := ref.Channels[name]
		tm, data := arrays["time_s"+suffix], arrays["data"+suffix]
		if len(tm) != len(r.Times) || len(data) != len(r.Values) {
			t.Fatalf("%s: %d times, %d values", name, len(tm), len(data))
		}
		for i := range r.Times {
			if math.Abs(tm[i]-r.Times[i]) > 1e-12 || data[i] != r.Values[i] {
				t.Errorf("%s sample %d: %g s %g, want %g s %g", name, i, tm[i], data[i], r.Times[i], r.Values[i])
				break
			}
		}
	}
	// TSV and .npy hold one rate: both channels together are refused.
	if _, err := Write(io.Discard, f, Options{Duration: -1, Format: TSV}); err == nil || !strings.Contains(err.Error(), ".npz") {
		t.Errorf("two rates as TSV: %v", err)
	}
}

// readNPZ returns the float64 members of an .npz (1-D or flattened).
func readNPZ(t *testing.T, b []byte) map[string][]float64 {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for _, zf := range z.File {
		r, _ := zf.Open()
		data, _ := io.ReadAll(r)
		if string(data[:6]) != "\x93NUMPY" {
			t.Fatalf("%s: not .npy", zf.Name)
		}
		hl := int(binary.LittleEndian.Uint16(data[8:10]))
		hdr, body := string(data[10:10+hl]), data[10+hl:]
		if !strings.Contains(hdr, "'<f8'") {
			continue
		}
		x := make([]float64, len(body)/8)
		for i := range x {
			x[i] = math.Float64frombits(binary.LittleEndian.Uint64(body[8*i:]))
		}
		out[strings.TrimSuffix(zf.Name, ".npy")] = x
	}
	return out
}

// Channels are chosen by label or number; a label that two signals carry
// is refused with their numbers, and each is reachable by number.
func TestSelectChannels(t *testing.T) {
	sig := func(label string) edf.SignalData {
		return edf.SignalData{Signal: edf.Signal{Label: label, Dimension: "mV", PhysMin: -1, PhysMax: 1, DigMin: -32768, DigMax: 32767, Samples: 4},
			Data: []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}}
	}
	a, b := sig("EMG"), sig("EMG")
	b.Data = []float64{-0.1, -0.2, -0.3, -0.4, -0.5, -0.6, -0.7, -0.8}
	var buf bytes.Buffer
	if err := edf.Write(&buf, []edf.SignalData{sig("EEG"), a, b}, edf.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := edf.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "dup.edf", edf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SelectChannels(f, []string{"EMG"}); err == nil || !strings.Contains(err.Error(), "numbers 2, 3") {
		t.Errorf("duplicate label: %v", err)
	}
	idx, err := SelectChannels(f, []string{"3", "#2", "eeg"})
	if err != nil || len(idx) != 3 || idx[0] != 2 || idx[1] != 1 || idx[2] != 0 {
		t.Fatalf("selection %v %v", idx, err)
	}
	for _, bad := range []string{"4", "0", "Leg"} {
		if _, err := SelectChannels(f, []string{bad}); err == nil {
			t.Errorf("channel %q accepted", bad)
		}
	}
	var out bytes.Buffer
	if _, err := Write(&out, f, Options{Channels: idx, Duration: -1, Format: TSV, Microvolts: true}); err != nil {
		t.Fatal(err)
	}
	hdr, cols := parseTSV(t, out.String())
	if strings.Join(hdr, "|") != "time_s|EMG #3 (uV)|EMG #2 (uV)|EEG (uV)" {
		t.Errorf("header %q", hdr)
	}
	// mV → µV, within one digital step (2/65535 mV).
	if math.Abs(cols[1][0]+100) > 0.04 || math.Abs(cols[2][0]-100) > 0.04 || math.Abs(cols[0][7]-1.75) > 1e-9 {
		t.Errorf("rows: %v %v %v", cols[0][:2], cols[1][:2], cols[2][:2])
	}
	// .npy: time then the columns, float64, shape (8, 4).
	out.Reset()
	if _, err := Write(&out, f, Options{Channels: idx, Duration: -1, Format: NPY}); err != nil {
		t.Fatal(err)
	}
	want := npy.Header("<f8", []int{8, 4})
	if !bytes.HasPrefix(out.Bytes(), want) || out.Len() != len(want)+8*4*8 {
		t.Errorf(".npy: %d bytes, header %q", out.Len(), out.Bytes()[:len(want)])
	}
}

func FuzzSelectChannels(f *testing.F) {
	f.Add("EEG,3,#1")
	f.Fuzz(func(t *testing.T, spec string) {
		file, err := edf.Open("testdata/edfd_gaps.edf", edf.Options{})
		if err != nil {
			t.Skip()
		}
		defer file.Close()
		idx, err := SelectChannels(file, strings.Split(spec, ","))
		if err != nil {
			return
		}
		Write(io.Discard, file, Options{Channels: idx, Duration: -1, Format: NPZ})
	})
}

// The .npy sidecar names column 0 time_s in s, then the signals in order.
func TestWriteNPYSidecar(t *testing.T) {
	s := &Summary{Columns: []Column{{Label: "Leg L", Unit: "µV"}, {Label: "SpO2", Unit: "%"}}}
	p := filepath.Join(t.TempDir(), "x.json")
	if err := s.WriteNPYSidecar(p); err != nil {
		t.Fatal(err)
	}
	var v struct {
		Columns []Column `json:"columns"`
		Layout  string   `json:"layout"`
	}
	b, _ := os.ReadFile(p)
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Columns) != 3 || v.Columns[0].Label != "time_s" || v.Columns[0].Unit != "s" || v.Columns[2].Label != "SpO2" || !strings.Contains(v.Layout, "column 0 time_s") {
		t.Errorf("sidecar %s", b)
	}
}
