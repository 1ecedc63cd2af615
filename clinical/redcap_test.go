package clinical

import (
	"strings"
	"testing"
)

const rcDict = `Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels",Field Note,Text Validation Type OR Show Slider Number
record_id,participant,,text,ID,,,
ess_01,ess,,radio,x,"0, Score 0 | 1, Score 1 | 2, Score 2 | 3, Score 3",,
irlssg_c1,rlsdx,,yesno,x,,,
psqi_01,psqi,,text,x,,,time
meds,participant,,checkbox,x,"1, Agonist | 2, Iron",,
`

func readDict(t *testing.T) *REDCapDictionary {
	t.Helper()
	d, err := ReadREDCapDictionary(strings.NewReader(rcDict), "dict.csv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestREDCapRawAndLabels(t *testing.T) {
	dict := readDict(t)
	if f, _ := dict.Field("meds"); f.Type != "checkbox" || len(f.Choices) != 2 || f.Choices[1].Label != "Iron" {
		t.Fatalf("checkbox field %+v", f)
	}
	raw := "record_id,redcap_event_name,ess_01,irlssg_c1,psqi_01,meds___1,meds___2,ess_complete\n" +
		"sub-01,baseline_arm_1,2,1,23:15,1,0,2\n" +
		"sub-01,followup_arm_1,3,1,23:15,1,0,2\n" +
		"sub-02,baseline_arm_1,7,2,,x,0,2\n"
	d, err := ReadREDCap(strings.NewReader(raw), dict, REDCapOptions{Event: "baseline_arm_1"}, "raw.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := d.Records["sub-01"]
	if r.Values["ess_01"] != "2" || r.Values["irlssg_c1"] != "1" || r.Values["psqi_01"] != "23:15" || r.Values["meds___1"] != "1" {
		t.Fatalf("sub-01 %v", r.Values)
	}
	want := map[string]string{"ess_01": "7", "irlssg_c1": "2", "meds___1": "x"}
	if len(d.Issues) != len(want) {
		t.Fatalf("issues %v", d.Issues)
	}
	for _, i := range d.Issues {
		if i.Participant != "sub-02" || want[i.Column] != i.Value || !strings.HasPrefix(i.Source, "raw.csv:4") {
			t.Errorf("issue %v", i)
		}
		if !d.Records["sub-02"].Invalid[i.Column] {
			t.Errorf("%s not marked invalid", i.Column)
		}
	}
	// without the event filter the two events of sub-01 conflict
	d, err = ReadREDCap(strings.NewReader(raw), dict, REDCapOptions{}, "raw.csv")
	if err != nil {
		t.Fatal(err)
	}
	conflict := false
	for _, i := range d.Issues {
		if i.Participant == "sub-01" && i.Column == "ess_01" && strings.Contains(i.Message, "conflicts") {
			conflict = true
		}
	}
	if !conflict {
		t.Errorf("no conflict issue: %v", d.Issues)
	}
	lab := "record_id,ess_01,irlssg_c1,meds___1\nsub-01,Score 2,Yes,Checked\nsub-02,score 2,Maybe,1\n"
	d, err = ReadREDCap(strings.NewReader(lab), dict, REDCapOptions{Labels: true}, "lab.csv")
	if err != nil {
		t.Fatal(err)
	}
	if v := d.Records["sub-01"].Values; v["ess_01"] != "2" || v["irlssg_c1"] != "1" || v["meds___1"] != "1" {
		t.Fatalf("labels %v", v)
	}
	if len(d.Issues) != 3 {
		t.Fatalf("label issues %v", d.Issues)
	}
}

func TestREDCapErrors(t *testing.T) {
	dict := readDict(t)
	cases := []struct{ csv, msg string }{
		{"record_id,Overall how would you rate\nsub-01,1\n", "not a field of the data dictionary"},
		{"ess_01\n1\n", "no record ID column"},
		{"record_id,ess_01\n,1\n", "empty record ID"},
		{"record_id,ess_01\nsub-01,1,2\n", "wrong number of fields"},
	}
	for _, c := range cases {
		_, err := ReadREDCap(strings.NewReader(c.csv), dict, REDCapOptions{}, "e.csv")
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "e.csv") {
			t.Errorf("%q: %v, want %q", c.csv, err, c.msg)
		}
	}
	if _, err := ReadREDCap(strings.NewReader("record_id,ess_01\nsub-01,1\n"), dict, REDCapOptions{Event: "x"}, "e.csv"); err == nil {
		t.Error("event filter without event column accepted")
	}
	dicts := []struct{ csv, msg string }{
		{"Variable / Field Name,Form Name,Field Type\nx,f,text\n", "header lacks"},
		{"Variable / Field Name,Form Name,Field Type,Choices\nq,f,radio,\"1 Yes\"\n", "no comma"},
		{"Variable / Field Name,Form Name,Field Type,Choices\nq,f,radio,\"1, A | 1, B\"\n", "appears twice"},
		{"Variable / Field Name,Form Name,Field Type,Choices\nq,f,text,\nq,f,text,\n", "defined twice"},
		{"Variable / Field Name,Form Name,Field Type,Choices\n", "no fields"},
	}
	for _, c := range dicts {
		_, err := ReadREDCapDictionary(strings.NewReader(c.csv), "d.csv")
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: %v, want %q", c.csv, err, c.msg)
		}
	}
}

func TestBIDSErrors(t *testing.T) {
	cases := []struct{ tsv, msg string }{
		{"", "empty"},
		{"sub\tx\n", "no participant_id"},
		{"participant_id\tx\tx\n", "appears twice"},
		{"participant_id\tx\nsub-01\t1\t2\n", "p.tsv:2:10: 3 fields, the header has 2 columns"},
		{"participant_id\tx\n\t1\n", "participant_id is empty"},
	}
	for _, c := range cases {
		err := ReadTSV(NewDataset(), strings.NewReader(c.tsv), nil, "p.tsv")
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "p.tsv") {
			t.Errorf("%q: %v, want %q", c.tsv, err, c.msg)
		}
	}
	d := NewDataset()
	if err := ReadTSV(d, strings.NewReader("participant_id\tess_01\nsub-01\t1\nsub-01\t2\n"), nil, "p.tsv"); err != nil {
		t.Fatal(err)
	}
	if len(d.Issues) != 1 || d.Issues[0].Source != "p.tsv:3" || d.Records["sub-01"].Values["ess_01"] != "1" {
		t.Fatalf("duplicate row: %v", d.Issues)
	}
}

func TestMedications(t *testing.T) {
	tsv := "participant_id\tdrug\tdaily_dose\tdose_unit\tstart_date\n" +
		"sub-01\tPramipexole\t0.25\tmg\t2010-03-01\n" +
		"sub-01\tgabapentin\t600\tmg\t2012-01-01\n" +
		"sub-02\trotigotine\t2\tmg/24h\t2011-05-05\n" +
		"sub-03\tropinirole\t-1\tmg\t2011-05-05\n" +
		"sub-03\tropinirole\t1\tg\t2011-05-05\n" +
		"sub-03\tropinirole\t1\tmg\t05/05/2011\n" +
		"sub-04\therbal tea\t1\tmg\t2011-05-05\n"
	d := NewDataset()
	if err := ReadMedications(d, strings.NewReader(tsv), "m.tsv"); err != nil {
		t.Fatal(err)
	}
	if len(d.Records["sub-01"].Medications) != 2 || d.Records["sub-01"].Medications[0].Drug != "pramipexole" || d.Records["sub-03"] != nil {
		t.Fatalf("records %+v", d.Records)
	}
	cols := map[string]bool{}
	for _, i := range d.Issues {
		cols[i.Participant+"/"+i.Column+"/"+string(i.Severity)] = true
	}
	for _, k := range []string{"sub-03/daily_dose/error", "sub-03/dose_unit/error", "sub-03/start_date/error", "sub-04/drug/note"} {
		if !cols[k] {
			t.Errorf("missing issue %s in %v", k, d.Issues)
		}
	}
	// The bad dose is on line 5, its cell at byte 19 ("sub-03\tropinirole\t").
	if d.Issues[0].Source != "m.tsv:5:19" {
		t.Errorf("first issue at %q, want m.tsv:5:19", d.Issues[0].Source)
	}
	for bad, want := range map[string]string{
		"participant_id\tdrug\n":   "m.tsv:1: header lacks column \"daily_dose\"",
		tsv + "sub-05\tx\t1\tmg\n": "m.tsv:9:",
	} {
		if err := ReadMedications(NewDataset(), strings.NewReader(bad), "m.tsv"); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: %v, want %q…", bad[max(0, len(bad)-30):], err, want)
		}
	}
	res := ScoreDataset(d)
	f := res.Fields()
	if f["sub-01"]["dopaminergic"].Bool != true || f["sub-02"]["dopaminergic"].Bool != true || f["sub-04"]["dopaminergic"].Bool != false {
		t.Errorf("dopaminergic %v %v %v", f["sub-01"]["dopaminergic"], f["sub-02"]["dopaminergic"], f["sub-04"]["dopaminergic"])
	}
	if !f["sub-01"]["augmentation_mpi"].IsMissing() {
		t.Errorf("sub-01 without MPI answers: %v", f["sub-01"]["augmentation_mpi"])
	}
	if s := f["sub-01"]["dopaminergic_drugs"].Str; s != "pramipexole 0.25 mg since 2010-03-01" {
		t.Errorf("drugs %q", s)
	}
}

// A form coded 1–5 for IRLS items (scored 0–4) is refused, in REDCap and
// BIDS alike: it would otherwise add one point per item silently.
func TestShiftedCodesRefused(t *testing.T) {
	dict := "Variable / Field Name,Form Name,Field Type,Choices\nrecord_id,p,text,\nirls_01,irls,radio,\"1, A | 2, B | 3, C | 4, D | 5, E\"\n"
	d, err := ReadREDCapDictionary(strings.NewReader(dict), "d.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadREDCap(strings.NewReader("record_id,irls_01\nsub-01,3\n"), d, REDCapOptions{}, "e.csv")
	if err == nil || !strings.Contains(err.Error(), "declares codes 1, 2, 3, 4, 5") {
		t.Fatalf("REDCap: %v", err)
	}
	levels := map[string]ColumnInfo{"irls_01": {Levels: map[string]string{"1": "", "2": "", "3": "", "4": "", "5": ""}}}
	err = ReadTSV(NewDataset(), strings.NewReader("participant_id\tirls_01\nsub-01\t3\n"), levels, "irls.tsv")
	if err == nil || !strings.Contains(err.Error(), "irls_01") {
		t.Fatalf("BIDS: %v", err)
	}
}
