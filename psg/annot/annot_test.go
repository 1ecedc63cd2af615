package annot

import (
	"bytes"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
	"glusleep/psg/edf"
)

func TestParseStage(t *testing.T) {
	cases := map[string]Stage{
		"Sleep stage W": Wake, "Sleep stage 1": N1, "Sleep stage 2": N2, "Sleep stage 3": N3, "Sleep stage 4": N3,
		"Sleep stage R": REM, "Sleep stage ?": Unscored, "Movement time": Movement,
		"N3": N3, "rem": REM, "0": Wake, "5": REM, "Wake|0": Wake, "Stage 2 sleep|2": N2, "REM sleep|5": REM, "S4": N3,
	}
	for in, want := range cases {
		got, err := ParseStage(in)
		if err != nil || got != want {
			t.Errorf("ParseStage(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseStage("T0"); err == nil {
		t.Error("T0 accepted as a stage")
	}
}

// The Sleep-EDF hypnogram SC4001EC: 154 annotations (MNE reads them too).
// Stages spanning several epochs are expanded; the file's first annotation
// is 30630 s of wake = 1021 epochs.
func TestReadSleepEDF(t *testing.T) {
	h, err := Read(shareddata.Path(t, "psg/mne/SC4001EC-Hypnogram.edf"))
	if err != nil {
		t.Fatal(err)
	}
	if h.Start != 0 || h.Epoch != 30 {
		t.Errorf("start %g epoch %g", h.Start, h.Epoch)
	}
	for i := 0; i < 1021; i++ {
		if h.Stages[i] != Wake {
			t.Fatalf("epoch %d is %v, want W (first 30630 s are wake)", i, h.Stages[i])
		}
	}
	if h.Stages[1021] != N1 {
		t.Errorf("epoch 1021 is %v, want N1", h.Stages[1021])
	}
}

func TestEventsTSVRoundTrip(t *testing.T) {
	h := &Hypnogram{Start: 60, Epoch: 30, Stages: []Stage{Wake, N1, N2, N3, REM, Unscored, Movement, N2},
		Events: []Event{{Onset: 95, Duration: 12, Kind: Apnea, Label: "Obstructive apnea"}, {Onset: 50, Kind: LightsOff, Label: "Lights off"}}}
	var buf bytes.Buffer
	if err := WriteEventsTSV(&buf, h); err != nil {
		t.Fatal(err)
	}
	g, err := ReadEventsTSV(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if g.Start != 60 || len(g.Stages) != len(h.Stages) {
		t.Fatalf("start %g, %d stages", g.Start, len(g.Stages))
	}
	for i := range h.Stages {
		if g.Stages[i] != h.Stages[i] {
			t.Errorf("epoch %d: %v, want %v", i, g.Stages[i], h.Stages[i])
		}
	}
	if len(g.Events) != 2 || g.Events[0].Kind != LightsOff || g.Events[1].Kind != Apnea || g.Events[1].Duration != 12 {
		t.Errorf("events %+v", g.Events)
	}
}

const nsrrXML = `<?xml version="1.0" encoding="UTF-8"?>
<PSGAnnotation><SoftwareVersion>Compumedics</SoftwareVersion><EpochLength>30</EpochLength>
<ScoredEvents>
<ScoredEvent><EventType/><EventConcept>Recording Start Time</EventConcept><Start>0</Start><Duration>900</Duration></ScoredEvent>
<ScoredEvent><EventType>Stages|Stages</EventType><EventConcept>Wake|0</EventConcept><Start>0.0</Start><Duration>60.0</Duration></ScoredEvent>
<ScoredEvent><EventType>Stages|Stages</EventType><EventConcept>Stage 1 sleep|1</EventConcept><Start>60.0</Start><Duration>30.0</Duration></ScoredEvent>
<ScoredEvent><EventType>Stages|Stages</EventType><EventConcept>Stage 4 sleep|4</EventConcept><Start>90.0</Start><Duration>30.0</Duration></ScoredEvent>
<ScoredEvent><EventType>Respiratory|Respiratory</EventType><EventConcept>Hypopnea|Hypopnea</EventConcept><Start>70.5</Start><Duration>14.2</Duration></ScoredEvent>
<ScoredEvent><EventType>Arousals|Arousals</EventType><EventConcept>Arousal|Arousal ()</EventConcept><Start>85</Start><Duration>5</Duration></ScoredEvent>
</ScoredEvents></PSGAnnotation>`

const cmpXML = `<CMPStudyConfig><EpochLength>30</EpochLength>
<ScoredEvents><ScoredEvent><Name>Obstructive Apnea</Name><Start>31.5</Start><Duration>11</Duration></ScoredEvent></ScoredEvents>
<SleepStages><SleepStage>0</SleepStage><SleepStage>2</SleepStage><SleepStage>5</SleepStage><SleepStage>9</SleepStage></SleepStages>
</CMPStudyConfig>`

func TestReadXML(t *testing.T) {
	h, err := ReadXML(strings.NewReader(nsrrXML))
	if err != nil {
		t.Fatal(err)
	}
	want := []Stage{Wake, Wake, N1, N3}
	if len(h.Stages) != len(want) {
		t.Fatalf("stages %v", h.Stages)
	}
	for i := range want {
		if h.Stages[i] != want[i] {
			t.Errorf("epoch %d %v, want %v", i, h.Stages[i], want[i])
		}
	}
	// The NSRR "Recording Start Time" marker is not an event.
	kinds := []EventKind{Hypopnea, Arousal}
	if len(h.Events) != len(kinds) {
		t.Fatalf("events %+v", h.Events)
	}
	for i, k := range kinds {
		if h.Events[i].Kind != k {
			t.Errorf("event %d kind %v, want %v (%+v)", i, h.Events[i].Kind, k, h.Events[i])
		}
	}
	c, err := ReadXML(strings.NewReader(cmpXML))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Stages) != 4 || c.Stages[1] != N2 || c.Stages[2] != REM || c.Stages[3] != Unscored || c.Events[0].Kind != Apnea {
		t.Errorf("Compumedics: %v %+v", c.Stages, c.Events)
	}
}

func TestReadStageList(t *testing.T) {
	h, err := ReadStageList(strings.NewReader("# scored by X\nW\nN1\n\n2\n3\n4\nR\n?\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []Stage{Wake, N1, N2, N3, N3, REM, Unscored}
	for i := range want {
		if h.Stages[i] != want[i] {
			t.Errorf("epoch %d %v, want %v", i, h.Stages[i], want[i])
		}
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"list", func() error { _, err := ReadStageList(strings.NewReader("W\nX7\n"), 0); return err }, "line 2"},
		{"tsv no onset", func() error { _, err := ReadEventsTSV(strings.NewReader("start\tduration\n")); return err }, `no "onset" column`},
		{"tsv onset", func() error {
			_, err := ReadEventsTSV(strings.NewReader("onset\tduration\ttrial_type\nabc\t30\tN2\n"))
			return err
		}, "line 2: onset"},
		{"tsv ragged", func() error { _, err := ReadEventsTSV(strings.NewReader("onset\tduration\n1\n")); return err }, "line 2"},
		{"tsv partial epoch", func() error {
			_, err := ReadEventsTSV(strings.NewReader("onset\tduration\ttrial_type\n0\t45\tN2\n"))
			return err
		}, "not a whole number"},
		{"xml start", func() error {
			_, err := ReadXML(strings.NewReader(`<PSGAnnotation><ScoredEvents><ScoredEvent><EventType>Stages</EventType><EventConcept>Wake|0</EventConcept><Start>x</Start><Duration>30</Duration></ScoredEvent></ScoredEvents></PSGAnnotation>`))
			return err
		}, "Start"},
		{"overlap", func() error {
			_, err := FromSpans([]Span{{0, 60, Wake}, {30, 30, N1}}, 30)
			return err
		}, "overlaps"},
	}
	for _, c := range cases {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestFromAnnotationsKeepsEvents(t *testing.T) {
	h, err := FromAnnotations([]edf.Annotation{{Onset: 0, Duration: 60, Text: "Sleep stage W"}, {Onset: 10, Duration: -1, Text: "Lights off"},
		{Onset: 60, Duration: 30, Text: "Sleep stage 2"}, {Onset: 70, Duration: 3, Text: "Arousal"}}, 30)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Stages) != 3 || h.Stages[2] != N2 || len(h.Events) != 2 {
		t.Fatalf("%+v", h)
	}
	if off, ok := h.LightsOff(); !ok || off != 10 {
		t.Errorf("lights off %g %v", off, ok)
	}
}

func FuzzReadEventsTSV(f *testing.F) {
	f.Add("onset\tduration\ttrial_type\n0\t30\tSleep stage W\n30\t30\tN2\n40\t5\tArousal\n")
	f.Fuzz(func(t *testing.T, s string) { ReadEventsTSV(strings.NewReader(s)) })
}

func FuzzReadXML(f *testing.F) {
	f.Add(nsrrXML)
	f.Add(cmpXML)
	f.Fuzz(func(t *testing.T, s string) { ReadXML(strings.NewReader(s)) })
}

func FuzzReadStageList(f *testing.F) {
	f.Add("W\nN1\n2\n")
	f.Fuzz(func(t *testing.T, s string) { ReadStageList(strings.NewReader(s), 30) })
}
