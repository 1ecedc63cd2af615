package clinical

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"strings"
	"testing"
)

// Every reader must return an error or a dataset, never panic, and every
// issue must name a participant and a column.
func checkDataset(t *testing.T, d *Dataset) {
	for _, i := range d.Issues {
		if i.Participant == "" || i.Column == "" {
			t.Fatalf("issue without participant or column: %+v", i)
		}
	}
	ScoreDataset(d)
}

func FuzzReadTSV(f *testing.F) {
	f.Add("participant_id\tirls_01\tess_01\nsub-01\t3\t2\n", true)
	f.Add("participant_id\tpsqi_01\tpsqi_02\nsub-01\t23:00\t15-30\nsub-02\tn/a\t\n", false)
	f.Add("\ufeffparticipant_id\tx\r\nsub-01\t1\r\n", true)
	f.Add("a\tb\n1\t2\n", false)
	f.Add("participant_id\tirls_01\nsub-01\n", true)
	dict := map[string]ColumnInfo{"irls_01": {Levels: map[string]string{"0": "", "1": "", "2": "", "3": "", "4": ""}}}
	f.Fuzz(func(t *testing.T, s string, withDict bool) {
		d := NewDataset()
		var dd map[string]ColumnInfo
		if withDict {
			dd = dict
		}
		if err := ReadTSV(d, strings.NewReader(s), dd, "fuzz.tsv"); err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.tsv") {
				t.Fatalf("error without file name: %v", err)
			}
			return
		}
		checkDataset(t, d)
	})
}

func FuzzReadREDCap(f *testing.F) {
	dictB, err := os.ReadFile("testdata/redcap/dictionary.csv")
	if err != nil {
		f.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/redcap/export_raw.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(raw), false)
	f.Add("record_id,irls_01,redcap_event_name,ess___1\nsub-01,Score 2,baseline,Checked\n", true)
	f.Add("record_id,irls_01\nsub-01,\"2\nsub-02,1\n", false)
	f.Add("record_id\n\n", false)
	dict, err := ReadREDCapDictionary(bytes.NewReader(dictB), "dictionary.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, labels bool) {
		d, err := ReadREDCap(strings.NewReader(s), dict, REDCapOptions{Labels: labels}, "fuzz.csv")
		if err != nil {
			return
		}
		checkDataset(t, d)
	})
}

func FuzzReadREDCapDictionary(f *testing.F) {
	dictB, err := os.ReadFile("testdata/redcap/dictionary.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(dictB))
	f.Add("Variable / Field Name,Form Name,Field Type,\"Choices, Calculations, OR Slider Labels\"\nrecord_id,f,text,\nq,f,radio,\"1, A | 2, B\"\n")
	f.Add("Variable / Field Name,Form Name,Field Type,Choices\nq,f,radio,\"1 A\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ReadREDCapDictionary(strings.NewReader(s), "dict.csv")
		if err != nil {
			return
		}
		if len(d.Fields) == 0 {
			t.Fatal("dictionary without fields accepted")
		}
		ReadREDCap(strings.NewReader("x\n1\n"), d, REDCapOptions{}, "e.csv")
	})
}

func FuzzParseREDCapChoices(f *testing.F) {
	for _, s := range []string{"1, Yes | 0, No", "0, Score 0|1, Score 1", "1,", "| |", "a, b, c | a, d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ch, err := ParseREDCapChoices(s)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, c := range ch {
			if c.Code == "" || seen[c.Code] {
				t.Fatalf("bad choice list %q → %+v", s, ch)
			}
			seen[c.Code] = true
		}
	})
}

func FuzzReadMedications(f *testing.F) {
	f.Add("participant_id\tdrug\tdaily_dose\tdose_unit\tstart_date\nsub-01\tpramipexole\t0.25\tmg\t2010-03-01\n")
	f.Add("participant_id\tdrug\tdaily_dose\tdose_unit\tstart_date\nsub-01\tx\t-1\tg\t2010-13-01\n\tdrug\n")
	f.Fuzz(func(t *testing.T, s string) {
		d := NewDataset()
		if err := ReadMedications(d, strings.NewReader(s), "m.tsv"); err != nil {
			return
		}
		checkDataset(t, d)
	})
}

func FuzzParseProtocol(f *testing.F) {
	f.Add(string(Allen2013Protocol))
	f.Add(`{"name":"x","groups":{"a":{"include":[{"id":"1","rule":"x in [1,2]"}]}}}`)
	f.Add(`{"groups":{"a":null}}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseProtocol([]byte(s), "p.json")
		if err != nil {
			return
		}
		p.Screen([]Subject{{ID: "sub-01", Fields: map[string]Value{"group": Str("a"), "x": Num(1)}}}, "")
	})
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"23:59", "0:00", "12:30:15", "24:00", "9:5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseClock(s)
		if err == nil && (m < 0 || m >= 1440) {
			t.Fatalf("%q → %g", s, m)
		}
	})
}

// ParseColumnMap never panics; an error names the input; a map it accepts
// has no empty name and no column named twice, and reads back the same
// when written as JSON again.
func FuzzParseColumnMap(f *testing.F) {
	f.Add(`{"rls_q1": "irls_01", "sex_code": "sex"}`)
	f.Add(`{"a": "x", "b": "x"}`)
	f.Add(`{"a": "x", "a": "y"}`)
	f.Add(`{"a": 1, "b": null}`)
	f.Add(`["a"]`)
	f.Add(`{"a": "x"} trailing`)
	f.Add(`{"\u00e9": "\u00e9t\u00e9"}`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseColumnMap([]byte(s), "map.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "map.json: ") {
				t.Fatalf("error without the file's name: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for src, dst := range m {
			if dst == "" || seen[dst] {
				t.Fatalf("%q → %q: empty or repeated column name accepted from %q", src, dst, s)
			}
			seen[dst] = true
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseColumnMap(b, "again.json")
		if err != nil || !maps.Equal(again, m) {
			t.Fatalf("map %v written as %s reads back as %v, %v", m, b, again, err)
		}
	})
}
