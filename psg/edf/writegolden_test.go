package edf

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var updateWritten = flag.Bool("update-written", false, "rewrite testdata/written.edf (then rerun testdata/mne_written.py)")

// writtenInput is the recording of testdata/written.edf: two signals of
// 50 samples per 0.5 s record, the second shorter (its last record
// padded), a start with a sub-second part and annotations in several
// records.
func writtenInput() ([]SignalData, WriteOptions) {
	a := make([]float64, 50*5+17)
	for i := range a {
		a[i] = 240 * math.Sin(float64(i)/7)
	}
	b := make([]float64, 50*4+3)
	for i := range b {
		b[i] = 1.5*math.Cos(float64(i)/5) - 0.25
	}
	sigs := []SignalData{
		{Signal: Signal{Label: "EEG C3-M2", Transducer: "AgAgCl electrode", Dimension: "uV", PhysMin: -250.5, PhysMax: 250.5,
			DigMin: -32768, DigMax: 32767, Prefilter: "HP:0.3Hz LP:35Hz", Samples: 50}, Data: a},
		{Signal: Signal{Label: "Leg L", Dimension: "mV", PhysMin: -2, PhysMax: 2, DigMin: -2048, DigMax: 2047, Samples: 50}, Data: b},
	}
	opt := WriteOptions{Start: time.Date(2024, 3, 5, 22, 30, 15, 250_000_000, time.UTC), RecordDuration: 0.5,
		Annotations: []Annotation{{0.25, 30, "Sleep stage W"}, {1.7, -1, "Lights off ✓"}, {2.9, 0.5, "Arousal"}}}
	return sigs, opt
}

// Write's bytes are those of testdata/written.edf (a regression snapshot
// of the writer, see testdata/README.md), and MNE's reading of that file
// (testdata/mne_written.json) gives back the samples written, within one
// digital step (the padding of the short signal as digital 0), and the
// annotations (MNE's start has whole seconds, its onsets count from the
// first sample, and it crops durations at the recording's end, 3 s).
func TestWriteAgainstMNE(t *testing.T) {
	sigs, opt := writtenInput()
	var buf bytes.Buffer
	if err := Write(&buf, sigs, opt); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "written.edf")
	if *updateWritten {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("Write gives %d bytes unlike the %d of %s", buf.Len(), len(want), golden)
	}
	js, err := os.ReadFile(filepath.Join("testdata", "mne_written.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Sfreq       float64     `json:"sfreq"`
		MeasDate    string      `json:"meas_date"`
		Names       []string    `json:"ch_names"`
		Data        [][]float64 `json:"data"`
		Annotations [][]any     `json:"annotations"`
	}
	if err := json.Unmarshal(js, &ref); err != nil {
		t.Fatal(err)
	}
	if ref.Sfreq != 100 || len(ref.Data) != len(sigs) || ref.MeasDate != "2024-03-05T22:30:15+00:00" {
		t.Fatalf("MNE read %g Hz, %d channels, start %s", ref.Sfreq, len(ref.Data), ref.MeasDate)
	}
	for k, s := range sigs {
		scale, _ := UnitScale(s.Dimension)
		scale *= 1e-6 // MNE's volts
		step := s.Gain() * scale
		if ref.Names[k] != s.Label || len(ref.Data[k]) != 6*s.Samples {
			t.Fatalf("channel %d: MNE %q of %d samples, want %q of %d", k, ref.Names[k], len(ref.Data[k]), s.Label, 6*s.Samples)
		}
		for i, got := range ref.Data[k] {
			w := math.Max(s.PhysMin, math.Min(s.PhysMax, s.Offset())) // the padding: digital 0
			if i < len(s.Data) {
				w = s.Data[i]
			}
			if math.Abs(got-w*scale) > step {
				t.Errorf("%s sample %d: MNE %g V, written %g V", s.Label, i, got, w*scale)
				break
			}
		}
	}
	if len(ref.Annotations) != len(opt.Annotations) {
		t.Fatalf("MNE read %d annotations, want %d", len(ref.Annotations), len(opt.Annotations))
	}
	for k, a := range opt.Annotations {
		r := ref.Annotations[k]
		dur := math.Min(math.Max(a.Duration, 0), 3-a.Onset)
		if math.Abs(r[0].(float64)-a.Onset) > 1e-9 || math.Abs(r[1].(float64)-dur) > 1e-9 || r[2].(string) != a.Text {
			t.Errorf("annotation %d: MNE %v, written %+v", k, r, a)
		}
	}
}
