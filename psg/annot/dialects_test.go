package annot

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Luna .annot, CSV/TSV hypnograms (with a lab's codes through a stage map)
// and stage lists, written by hand after each format's documentation; the
// expected stages and events are the ones written.
func TestTextDialects(t *testing.T) {
	origin := time.Date(2020, 1, 1, 22, 28, 15, 0, time.UTC)
	cases := []struct {
		name, file, body string
		opt              Options
		dialect          string
		start            float64
		stages           []Stage
		events           []Event
	}{
		{"luna seconds and durations", "a.annot",
			"# N1 | NREM1 sleep\n# apnea_obstructive | OA\nclass\tinstance\tchannel\tstart\tstop\tmeta\n" +
				"W\t.\t.\t0\t60\t.\nN1\t.\t.\t60\t+30\t.\nN2\t.\t.\te:4\te:5\t.\nR\t.\t.\t150\t...\t.\nW\t.\t.\t180\t210\t.\n" +
				"apnea_obstructive\t.\tAirflow\t95.5\t+12\t.\narousal_spontaneous\t1\tC3\t0+00:02:41\t+3\t.\n",
			Options{}, DialectLuna, 0, []Stage{Wake, Wake, N1, N2, N2, REM, Wake},
			[]Event{{95.5, 12, Apnea, "apnea_obstructive"}, {161, 3, Arousal, "arousal_spontaneous/1"}}},
		{"luna clock times after midnight", "b.annot",
			"N2 . . 22:30:15 22:30:45 .\nN3 . . 22:30:45 +30 .\nhypopnea . . 00:28:15 +10 .\n",
			Options{Origin: origin}, DialectLuna, 120, []Stage{N2, N3},
			[]Event{{7200, 10, Hypopnea, "hypopnea"}}},
		{"luna reduced formats and epoch codes", "r.annot",
			"N2\te:2\t.\nN3\t1\te:3\te:4\napnea\t100\t+10\nW\t150\t...\nR\t180\t210\nN1\t.\te:8:30:30\t.\n",
			Options{}, DialectLuna, 30, []Stage{N2, N3, N3, Unscored, Wake, REM, N1},
			[]Event{{100, 10, Apnea, "apnea"}}},
		{"yasa-style csv", "h.csv",
			"onset,duration,value,description\n0,60,0,WAKE\n60,30,1,N1\n90,60,2,N2\n150,30,4,REM\n180,30,-1,ART\n",
			Options{}, DialectCSV, 0, []Stage{Wake, Wake, N1, N2, N2, REM, Unscored}, nil},
		{"lab codes through a stage map", "lab.tsv",
			"start\tstage\n0\t11\n30\t12\n60\t13\n90\t14\n120\t15\n",
			Options{StageMap: map[string]Stage{"11": Wake, "12": N1, "13": N2, "14": N3, "15": REM}}, DialectCSV, 0,
			[]Stage{Wake, N1, N2, N3, REM}, nil},
		{"semicolon table", "s.csv", "time;sleep_stage\n30;W\n60;N2\n", Options{}, DialectCSV, 30, []Stage{Wake, N2}, nil},
		{"bids events", "e_events.tsv",
			"onset\tduration\ttrial_type\n0\t30\tW\n30\t30\tN1\n40\t12\tObstructive apnea\n",
			Options{}, DialectBIDS, 0, []Stage{Wake, N1}, []Event{{40, 12, Apnea, "Obstructive apnea"}}},
		{"stage list", "s.txt", "W\nN1\nSLEEP-S2\n", Options{}, DialectStageList, 0, []Stage{Wake, N1, N2}, nil},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.file)
			os.WriteFile(p, []byte(c.body), 0o644)
			h, err := ReadFile(p, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if h.Dialect != c.dialect || h.Start != c.start || len(h.Stages) != len(c.stages) {
				t.Fatalf("dialect %q start %g stages %v; want %q %g %v", h.Dialect, h.Start, h.Stages, c.dialect, c.start, c.stages)
			}
			for i := range c.stages {
				if h.Stages[i] != c.stages[i] {
					t.Errorf("epoch %d: %v, want %v", i, h.Stages[i], c.stages[i])
				}
			}
			if len(h.Events) != len(c.events) {
				t.Fatalf("events %+v, want %+v", h.Events, c.events)
			}
			for i, e := range c.events {
				if h.Events[i] != e {
					t.Errorf("event %d: %+v, want %+v", i, h.Events[i], e)
				}
			}
		})
	}
}

// Bad text is refused with the line and the problem.
func TestTextDialectErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ file, body, want string }{
		{"a.annot", "N2 . . 22:30:15 +30 .\n", "needs the recording start"},
		{"b.annot", "N2 . . 10 20\n", "5 columns"},
		{"c.annot", "N2 . . 30 20 .\n", "before start"},
		{"d.csv", "onset,stage\n0,11\n", "stage map"},
		{"e.csv", "onset,stage\nx,W\n", "want seconds"},
	} {
		p := filepath.Join(dir, c.file)
		os.WriteFile(p, []byte(c.body), 0o644)
		if _, err := ReadFile(p, Options{}); err == nil || !contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.file, err, c.want)
		}
	}
	if _, err := ParseStageMap("11=W,12"); err == nil {
		t.Error("a stage map entry without = was accepted")
	}
	if m, err := ParseStageMap("11=W, 12=n1"); err != nil || m["12"] != N1 {
		t.Errorf("stage map: %v %v", m, err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func FuzzReadLuna(f *testing.F) {
	f.Add("class\tinstance\tchannel\tstart\tstop\tmeta\nN2\t.\t.\te:1\te:2\t.\napnea\t.\t.\t10\t+5\t.\n")
	f.Add("N2 . . 0+00:00:30 ... .\nW . . 60 90 .\n")
	f.Fuzz(func(t *testing.T, s string) {
		ReadLuna(stringsReader(s), Options{Origin: time.Date(2020, 1, 1, 22, 0, 0, 0, time.UTC)})
	})
}

func FuzzReadHypnogramCSV(f *testing.F) {
	f.Add("onset,duration,stage\n0,30,W\n30,60,N2\n")
	f.Add("time;sleep_stage\n30;W\n")
	f.Fuzz(func(t *testing.T, s string) { ReadHypnogramCSV(stringsReader(s), Options{}) })
}

// FuzzReadFile reads arbitrary bytes as a scoring file under several
// names (the extension decides where content cannot); the committed corpus
// holds a truncated hypnogram EDF, an Embla export, an NSRR translation
// without start times and an unknown XML dialect.
func FuzzReadFile(f *testing.F) {
	f.Add([]byte(`<EventExport><Events><Event><Type>SLEEP-S2</Type><StartTime>2010-01-26T22:42:30.000000</StartTime><StopTime>2010-01-26T22:43:00.000000</StopTime></Event></Events></EventExport>`), ".xml")
	f.Add([]byte("class\tinstance\tchannel\tstart\tstop\tmeta\nN2\t.\t.\t0\t30\t.\n"), ".annot")
	f.Fuzz(func(t *testing.T, b []byte, ext string) {
		if len(ext) > 8 || strings.ContainsAny(ext, "/\\\x00") {
			return
		}
		p := filepath.Join(t.TempDir(), "f"+ext)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return
		}
		h, err := ReadFile(p, Options{Origin: time.Date(2010, 1, 26, 21, 29, 59, 0, time.UTC)})
		if err == nil && h.Epoch <= 0 {
			t.Fatalf("epoch %g", h.Epoch)
		}
	})
}

// An ISO-8859-1 Compumedics export (as NSRR's translator wrote them) is
// decoded to UTF-8.
func TestLatin1XML(t *testing.T) {
	x := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><CMPStudyConfig><ScoredEvents><ScoredEvent><Name>Arousal (\xe9veil)</Name><Start>1</Start><Duration>3</Duration></ScoredEvent></ScoredEvents><SleepStages><SleepStage>0</SleepStage></SleepStages></CMPStudyConfig>"
	h, err := ReadXML(strings.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Events) != 1 || h.Events[0].Label != "Arousal (éveil)" || h.Events[0].Kind != Arousal {
		t.Errorf("events %+v", h.Events)
	}
	big := strings.Repeat("\xe9", 10000)
	r := &latin1Reader{r: bufio.NewReader(strings.NewReader(big))}
	var out []byte
	buf := make([]byte, 3) // odd sizes split characters across reads
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			break
		}
	}
	if string(out) != strings.Repeat("é", 10000) {
		t.Errorf("decoded %d bytes, want %d", len(out), 20000)
	}
}
