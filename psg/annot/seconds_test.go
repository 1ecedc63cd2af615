package annot

import (
	"strings"
	"testing"
)

// Times in the text dialects are decimal seconds as tsv.Float reads them:
// hexadecimal, infinities and NaN are refused with the line named, in the
// events TSV, the hypnogram table, the XML and Luna .annot alike.
func TestSecondsRefusesNonDecimal(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"tsv hex onset", "onset\tduration\ttrial_type\n0x1p4\t30\tN2\n", "line 2: onset"},
		{"tsv hex duration", "onset\tduration\ttrial_type\n0\t0x1p4\tN2\n", "line 2: duration"},
		{"tsv NaN onset", "onset\tduration\ttrial_type\nNaN\t30\tN2\n", "line 2: onset"},
		{"tsv n/a onset", "onset\tduration\ttrial_type\nn/a\t30\tN2\n", "line 2: onset"},
		{"tsv Inf duration", "onset\tduration\ttrial_type\n0\tInf\tN2\n", "line 2: duration"},
		{"csv hex onset", "onset,stage\n0x1p4,W\n", "line 2: onset"},
		{"csv hex duration", "onset,duration,stage\n0,0x1p4,W\n", "line 2: duration"},
		{"xml hex start", `<PSGAnnotation><ScoredEvents><ScoredEvent><EventType>Stages|Stages</EventType>` +
			`<EventConcept>Wake|0</EventConcept><Start>0x0p0</Start><Duration>30</Duration></ScoredEvent></ScoredEvents></PSGAnnotation>`,
			"Start"},
		{"xml hex epoch", "<CMPStudyConfig><EpochLength>0x1.ep4</EpochLength><SleepStages><SleepStage>0</SleepStage></SleepStages></CMPStudyConfig>", "EpochLength"},
		{"luna hex start", "W\t.\t0x1p4\t+30\n", "line 1: start"},
		{"luna hex stop", "W\t.\t0\t+0x1.ep4\n", "line 1: stop"},
		{"luna hex epoch length", "W\t.\te:1:0x1.ep4\t.\n", "line 1: start"},
	} {
		var err error
		switch {
		case strings.HasPrefix(c.name, "tsv"):
			_, err = ReadEventsTSV(strings.NewReader(c.in))
		case strings.HasPrefix(c.name, "csv"):
			_, err = ReadHypnogramCSV(strings.NewReader(c.in), Options{})
		case strings.HasPrefix(c.name, "luna"):
			_, err = ReadLuna(strings.NewReader(c.in), Options{})
		default:
			_, err = ReadXML(strings.NewReader(c.in))
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}

// Rows keep their roles whatever the column order: the columns are found
// once, from the header.
func TestEventsTSVColumnOrder(t *testing.T) {
	a := "onset\tduration\ttrial_type\tstage\n0\t30\tx\tW\n30\t30\tx\tN2\n40\t5\tArousal\tn/a\n"
	b := "stage\ttrial_type\tduration\tonset\nW\tx\t30\t0\nN2\tx\t30\t30\nn/a\tArousal\t5\t40\n"
	ha, err := ReadEventsTSV(strings.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	hb, err := ReadEventsTSV(strings.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(ha.Stages) != 2 || len(ha.Events) != 1 || ha.Events[0].Label != "Arousal" {
		t.Fatalf("read %d stages, events %+v", len(ha.Stages), ha.Events)
	}
	if len(hb.Stages) != len(ha.Stages) || hb.Stages[1] != ha.Stages[1] || len(hb.Events) != 1 || hb.Events[0] != ha.Events[0] {
		t.Errorf("reordered columns: %+v %+v, want %+v %+v", hb.Stages, hb.Events, ha.Stages, ha.Events)
	}
}
