package bids

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/internal/tsv"
	"glusleep/mrs"
	"glusleep/psg/edf"
)

// Channel types from EDF+ labels: the signal-type prefixes of the EDF+
// "standard texts" (Kemp & Olivan 2003) and usual PSG names without one.
func TestChannelType(t *testing.T) {
	tests := []struct{ label, want string }{
		{"EEG Fpz-Cz", "EEG"}, {"EEG C3-M2", "EEG"}, {"EOG horizontal", "EOG"}, {"EMG submental", "EMG"},
		{"ECG II", "ECG"}, {"EKG", "ECG"}, {"Resp oro-nasal", "RESP"}, {"Temp rectal", "TEMP"},
		{"SaO2", "MISC"}, {"Event marker", "TRIG"}, {"C4-M1", "EEG"}, {"O2-A1", "EEG"}, {"Fz", "EEG"},
		{"LOC", "EOG"}, {"E2-M2", "EOG"}, {"Chin", "EMG"}, {"Leg L", "EMG"}, {"LAT", "EMG"}, {"Thorax", "RESP"},
		{"Airflow", "RESP"}, {"SpO2", "MISC"}, {"Pleth", "MISC"}, {"whatever", "MISC"}, {"", "MISC"},
	}
	for _, tc := range tests {
		if got := ChannelType(tc.label); got != tc.want {
			t.Errorf("ChannelType(%q) = %s, want %s", tc.label, got, tc.want)
		}
	}
}

func TestParsePrefilter(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		in              string
		low, high, note float64
	}{
		{"HP:0.3Hz LP:35Hz N:50Hz", 0.3, 35, 50},
		{"HP: 10 Hz LP: 1 kHz", 10, 1000, nan},
		{"HP:DC LP:100Hz", nan, 100, nan},
		{"notch:60Hz", nan, nan, 60},
		{"", nan, nan, nan},
		{"none", nan, nan, nan},
	}
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for _, tc := range tests {
		l, h, n := parsePrefilter(tc.in)
		if !same(l, tc.low) || !same(h, tc.high) || !same(n, tc.note) {
			t.Errorf("parsePrefilter(%q) = %v %v %v, want %v %v %v", tc.in, l, h, n, tc.low, tc.high, tc.note)
		}
	}
}

// testHeader is a 2 h recording in 1 s records: two EEG derivations at
// 256 Hz, a chin EMG at 512 Hz, an EOG at 256 Hz, SpO2 at 1 Hz and the
// annotation signal.
func testHeader() *edf.Header {
	sig := func(label, dim, pre string, n int) edf.Signal {
		return edf.Signal{Label: label, Dimension: dim, Prefilter: pre, Samples: n, Transducer: "AgAgCl electrode", DigMin: -32768, DigMax: 32767, PhysMin: -500, PhysMax: 500}
	}
	return &edf.Header{Format: edf.EDFPlusC, Records: 7200, RecordDuration: 1, Signals: []edf.Signal{
		sig("EEG C3-M2", "uV", "HP:0.3Hz LP:35Hz N:50Hz", 256), sig("EEG C4-M2", "uV", "HP:0.3Hz LP:35Hz", 256),
		sig("EMG Chin", "uV", "HP:10Hz LP:100Hz", 512), sig("EOG E1-M2", "uV", "", 256), sig("SaO2", "%", "", 1),
		{Label: "EDF Annotations", Samples: 60},
	}}
}

func TestEEGFromEDF(t *testing.T) {
	side, chans, err := EEGFromEDF(testHeader(), EEGOptions{TaskName: "sleep", PowerLineFrequency: 60})
	if err != nil {
		t.Fatal(err)
	}
	if side.SamplingFrequency != 256 || side.PowerLineFrequency != 60.0 || side.SoftwareFilters != "n/a" || side.EEGReference != "M2" ||
		side.EEGChannelCount != 2 || side.EMGChannelCount != 1 || side.EOGChannelCount != 1 || side.MISCChannelCount != 1 ||
		side.RecordingDuration != 7200 || side.RecordingType != "continuous" {
		t.Errorf("sidecar %+v", side)
	}
	var b bytes.Buffer
	if err := WriteChannelsTSV(&b, chans); err != nil {
		t.Fatal(err)
	}
	want := "name\ttype\tunits\tdescription\tsampling_frequency\treference\tlow_cutoff\thigh_cutoff\tnotch\n" +
		"EEG C3-M2\tEEG\tµV\tAgAgCl electrode\t256\tM2\t0.3\t35\t50\n" +
		"EEG C4-M2\tEEG\tµV\tAgAgCl electrode\t256\tM2\t0.3\t35\tn/a\n" +
		"EMG Chin\tEMG\tµV\tAgAgCl electrode\t512\tn/a\t10\t100\tn/a\n" +
		"EOG E1-M2\tEOG\tµV\tAgAgCl electrode\t256\tM2\tn/a\tn/a\tn/a\n" +
		"SaO2\tMISC\t%\tAgAgCl electrode\t1\tn/a\tn/a\tn/a\tn/a\n"
	if b.String() != want {
		t.Errorf("channels.tsv:\n%s\nwant\n%s", b.String(), want)
	}
	// Unknown mains frequency is "n/a"; mixed references are per channel.
	h := testHeader()
	h.Signals[1].Label = "EEG C4-M1"
	side, _, err = EEGFromEDF(h, EEGOptions{TaskName: "sleep"})
	if err != nil {
		t.Fatal(err)
	}
	if side.PowerLineFrequency != "n/a" || !strings.Contains(side.EEGReference, "channels.tsv") {
		t.Errorf("PowerLineFrequency %v, EEGReference %q", side.PowerLineFrequency, side.EEGReference)
	}
}

func TestEEGFromEDFErrors(t *testing.T) {
	noData := &edf.Header{RecordDuration: 1, Signals: []edf.Signal{{Label: "EDF Annotations", Samples: 60}}}
	tests := []struct {
		name string
		h    *edf.Header
		opt  EEGOptions
		want string
	}{
		{"no task", testHeader(), EEGOptions{}, "TaskName"},
		{"negative mains", testHeader(), EEGOptions{TaskName: "sleep", PowerLineFrequency: -50}, "power line"},
		{"annotations only", &edf.Header{Signals: noData.Signals}, EEGOptions{TaskName: "sleep"}, "record duration"},
		{"no data signals", noData, EEGOptions{TaskName: "sleep"}, "no data signals"},
	}
	for _, tc := range tests {
		if _, _, err := EEGFromEDF(tc.h, tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestEventsColumns(t *testing.T) {
	hdr := []string{"onset", "duration", "trial_type", "stage"}
	rows := [][]string{{"0", "30", "sleep_stage", "W"}, {"30", "30", "sleep_stage", "N2"}, {"41.5", "1.2", "Leg movement left", "n/a"}, {"50", "12", "Arousal", "n/a"}, {"60", "1", "Spindle", "n/a"}}
	cols, err := EventsColumns(hdr, rows)
	if err != nil {
		t.Fatal(err)
	}
	if got := cols["stage"].Levels; len(got) != 2 || got["W"] != "wake" || got["N2"] != "NREM sleep stage N2" {
		t.Errorf("stage levels %v", got)
	}
	tt := cols["trial_type"].Levels
	if len(tt) != 4 || !strings.Contains(tt["Leg movement left"], "left leg") || tt["Spindle"] != "scored event labelled Spindle" || !strings.Contains(tt["Arousal"], "arousal") {
		t.Errorf("trial_type levels %v", tt)
	}
	if cols["onset"].Units != "s" || cols["duration"].Units != "s" {
		t.Errorf("onset/duration units %q %q, want s", cols["onset"].Units, cols["duration"].Units)
	}
	bad := []struct {
		hdr  []string
		rows [][]string
		want string
	}{
		{[]string{"onset", "duration", "mood"}, nil, `"mood"`},
		{[]string{"onset", "stage"}, nil, "no duration"},
		{[]string{"onset", "duration", "stage"}, [][]string{{"0", "30", "deep"}}, `"deep"`},
	}
	for _, b := range bad {
		if _, err := EventsColumns(b.hdr, b.rows); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%v: error %v, want one mentioning %s", b.hdr, err, b.want)
		}
	}
}

func testSpectrum() *mrs.Data {
	d := &mrs.Data{Params: mrs.Params{SpectrometerFrequency: 123.25, Dwell: 0.00025, Nucleus: "1H", EchoTime: 0.02, RepetitionTime: 2,
		MixingTime: 0.01, Sequence: "STEAM", Vendor: "Siemens", FieldStrength: 2.89},
		Dims: []mrs.Dim{{Tag: mrs.DimCoil, Size: 2}, {Tag: mrs.DimDyn, Size: 3}}}
	for i := 0; i < 6; i++ {
		d.FIDs = append(d.FIDs, make([]complex128, 1024))
	}
	return d
}

func TestMRSFromData(t *testing.T) {
	s, err := MRSFromData(testSpectrum(), MRSOptions{Suffix: "svs", ReferenceSignal: "bids::sub-01/mrs/sub-01_mrsref.nii.gz", VoxelSize: [3]float64{20, 20, 20}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s)
	want := `{"ResonantNucleus":["1H"],"SpectrometerFrequency":[123.25],"SpectralWidth":4000,"EchoTime":0.02,"RepetitionTime":2,"MixingTime":0.01,` +
		`"NumberOfSpectralPoints":1024,"NumberOfTransients":3,"AcquisitionVoxelSize":[20,20,20],"PulseSequenceType":"STEAM","WaterSuppression":true,` +
		`"ReferenceSignal":"bids::sub-01/mrs/sub-01_mrsref.nii.gz","Manufacturer":"Siemens","MagneticFieldStrength":2.89}`
	if string(b) != want {
		t.Errorf("svs sidecar\n%s\nwant\n%s", b, want)
	}
	d := testSpectrum()
	d.Sequence = "PRESS"
	s, err = MRSFromData(d, MRSOptions{Suffix: "mrsref", ReferenceSignal: "bids::x"})
	if err != nil {
		t.Fatal(err)
	}
	if s.WaterSuppression || s.MixingTime != 0 || s.NumberOfTransients != 0 || s.ReferenceSignal != "" {
		t.Errorf("mrsref sidecar %+v: want no water suppression, no TM (PRESS), no transients or reference", s)
	}
}

func TestMRSFromDataErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *mrs.Data)
		opt    MRSOptions
		want   string
	}{
		{"suffix", nil, MRSOptions{Suffix: "spectrum"}, "suffix"},
		{"TE in ms", func(d *mrs.Data) { d.EchoTime = 30 }, MRSOptions{Suffix: "svs"}, "not ms"},
		{"TE unknown", func(d *mrs.Data) { d.EchoTime = 0 }, MRSOptions{Suffix: "svs"}, "echo time unknown"},
		{"TR negative", func(d *mrs.Data) { d.RepetitionTime = -1 }, MRSOptions{Suffix: "svs"}, "repetition time"},
		{"no frequency", func(d *mrs.Data) { d.SpectrometerFrequency = 0 }, MRSOptions{Suffix: "svs"}, "spectrometer frequency"},
		{"no dwell", func(d *mrs.Data) { d.Dwell = math.NaN() }, MRSOptions{Suffix: "svs"}, "dwell"},
		{"no points", func(d *mrs.Data) { d.FIDs = nil }, MRSOptions{Suffix: "svs"}, "no points"},
		{"reference not a URI", nil, MRSOptions{Suffix: "svs", ReferenceSignal: "sub-01_mrsref.nii.gz"}, "BIDS URI"},
	}
	for _, tc := range tests {
		d := testSpectrum()
		if tc.change != nil {
			tc.change(d)
		}
		if _, err := MRSFromData(d, tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

// CompleteRaw writes every missing sidecar, keeps existing ones unless
// told to overwrite, and gives byte-identical files when run again.
func TestCompleteRaw(t *testing.T) {
	root := t.TempDir()
	edir := filepath.Join(root, "sub-01", "ses-1", "eeg")
	if err := os.MkdirAll(edir, 0o755); err != nil {
		t.Fatal(err)
	}
	stem := filepath.Join(edir, "sub-01_ses-1_task-sleep_run-1")
	data := make([]float64, 60*16)
	sigs := []edf.SignalData{{Signal: edf.Signal{Label: "EEG C3-M2", Dimension: "uV", Samples: 16, DigMin: -32768, DigMax: 32767, PhysMin: -500, PhysMax: 500}, Data: data}}
	var b bytes.Buffer
	if err := edf.Write(&b, sigs, edf.WriteOptions{RecordDuration: 1}); err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(stem+"_eeg.edf", b.Bytes(), 0o644))
	must(t, os.WriteFile(stem+"_events.tsv", []byte("onset\tduration\ttrial_type\tstage\n0\t30\tsleep_stage\tW\n30\t30\tsleep_stage\tN1\n"), 0o644))
	must(t, os.WriteFile(stem+"_channels.tsv", []byte("name\ttype\tunits\nEEG C3-M2\tEEG\tuV\n"), 0o644))
	got, err := CompleteRaw(root, RawOptions{EEG: EEGOptions{PowerLineFrequency: 50}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{stem + "_eeg.json", stem + "_events.json"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("written %v, want %v (the channels.tsv exists)", got, want)
	}
	var side EEGSidecar
	jb, _ := os.ReadFile(stem + "_eeg.json")
	must(t, json.Unmarshal(jb, &side))
	if side.TaskName != "sleep" || side.SamplingFrequency != 16 || side.RecordingDuration != 60 {
		t.Errorf("eeg.json %+v: want task sleep (from the name), 16 Hz, 60 s", side)
	}
	got, err = CompleteRaw(root, RawOptions{EEG: EEGOptions{PowerLineFrequency: 50}, Overwrite: true})
	if err != nil || len(got) != 3 {
		t.Fatalf("overwrite wrote %v (%v), want 3 files", got, err)
	}
	jb2, _ := os.ReadFile(stem + "_eeg.json")
	if !bytes.Equal(jb, jb2) {
		t.Error("eeg.json differs between two runs")
	}
	// An events column glusleep cannot describe is an error naming the file.
	must(t, os.WriteFile(stem+"_events.tsv", []byte("onset\tduration\tmood\n0\t1\tok\n"), 0o644))
	if _, err := CompleteRaw(root, RawOptions{Overwrite: true}); err == nil || !strings.Contains(err.Error(), "_events.tsv") {
		t.Errorf("error %v, want one naming the events file", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzParseTSV(f *testing.F) {
	f.Add("onset\tduration\n0\t30\n")
	f.Add("\ufeffa\tb\r\n1\t2\r\n\r\n")
	f.Add("a\t\tb\n")
	f.Add("")
	f.Add("onset\tduration\ttrial_type\tstage\n0\t30\tsleep_stage\tW\n1\t2\n")
	f.Fuzz(func(t *testing.T, s string) {
		tb, err := tsv.Read(strings.NewReader(s), "fuzz", tsv.Limits{})
		if err != nil {
			return
		}
		hdr, rows := tb.Header, tb.Rows
		for _, r := range rows {
			if len(r) != len(hdr) {
				t.Fatalf("row of %d values for %d columns", len(r), len(hdr))
			}
		}
		if cols, err := EventsColumns(hdr, rows); err == nil {
			for name, c := range cols {
				if c.Description == "" {
					t.Fatalf("column %s without description", name)
				}
			}
		}
	})
}

func FuzzParsePrefilter(f *testing.F) {
	for _, s := range []string{"HP:0.3Hz LP:35Hz N:50Hz", "HP:DC", "LP:1kHz", "", "N:..5Hz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, h, n := parsePrefilter(s)
		for _, x := range []float64{l, h, n} {
			if x < 0 || math.IsInf(x, 0) {
				t.Fatalf("%q: filter frequency %v", s, x)
			}
		}
	})
}
