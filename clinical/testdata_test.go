package clinical_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"glusleep/clinical"
	"glusleep/synth"
)

var update = flag.Bool("update", false, "rewrite the generated testdata (BIDS phenotype folder, REDCap project, derivatives)")

const (
	tdSeed = 7
	bidsTD = "testdata/bids"
	rcTD   = "testdata/redcap"
)

func tdCohort() []synth.ClinicalParticipant {
	return synth.ClinicalCohort(tdSeed, synth.ClinicalOptions{RLS: 6, Controls: 4, ScreenFailures: 2, Nights: 2})
}

// injected are the bad answers written into the testdata on purpose; the
// truth of these participants' affected scores is therefore n/a.
var injected = []struct{ id, col, val string }{
	{"sub-02", "irls_05", "5"},          // out of range
	{"sub-03", "ess_04", ""},            // missing
	{"sub-04", "psqi_02", "30-40"},      // range answer: midpoint 35 with a note
	{"sub-05", "ess_02", "9"},           // unknown code
	{"sub-07", "psqi_06", ""},           // missing: PSQI global n/a
	{"sub-08", "psqi_04", "seven"},      // not a number
	{"sub-09", "jhrlss_onset", "25:00"}, // (a control: symptoms 0, onset not needed)
}

func tdDataset(cohort []synth.ClinicalParticipant) *clinical.Dataset {
	return cohortDataset(cohort, true)
}

// cohortDataset builds a dataset from a synthetic cohort, with the injected
// bad answers when inject is set.
func cohortDataset(cohort []synth.ClinicalParticipant, inject bool) *clinical.Dataset {
	d := clinical.NewDataset()
	d.MedicationTable = true
	for _, p := range cohort {
		ans := map[string]string{}
		for k, v := range p.Answers {
			ans[k] = v
		}
		for _, in := range injected {
			if inject && in.id == p.ID {
				ans[in.col] = in.val
			}
		}
		keys := make([]string, 0, len(ans))
		for k := range ans {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ans[k] != "" {
				d.Set(p.ID, k, ans[k])
			} else {
				d.Set(p.ID, k, clinical.Missing)
			}
		}
		for _, m := range p.Medications {
			d.AddMedication(p.ID, clinical.Medication{Drug: m.Drug, DailyDose: m.DailyDose, DoseUnit: m.DoseUnit, Start: m.Start})
		}
	}
	return d
}

// TestGenerateTestdata rewrites the generated testdata with -update.
func TestGenerateTestdata(t *testing.T) {
	if !*update {
		t.Skip("run with -update to regenerate testdata")
	}
	cohort := tdCohort()
	d := tdDataset(cohort)
	if err := clinical.WriteBIDSPhenotype(filepath.Join(bidsTD, "phenotype"), d); err != nil {
		t.Fatal(err)
	}
	var pb bytes.Buffer
	pb.WriteString("participant_id\tage\tsex\tgroup\n")
	for _, p := range cohort {
		fmt.Fprintf(&pb, "%s\t%d\t%s\t%s\n", p.ID, p.Age, p.Sex, p.Truth.Group)
	}
	must(t, os.WriteFile(filepath.Join(bidsTD, "participants.tsv"), pb.Bytes(), 0o644))
	must(t, os.MkdirAll(rcTD, 0o755))
	must(t, clinical.WriteREDCapProject(filepath.Join(rcTD, "dictionary.csv"), filepath.Join(rcTD, "export_raw.csv"), filepath.Join(rcTD, "export_labels.csv"), d))
	deriv := filepath.Join(bidsTD, "derivatives", "legs")
	var truth bytes.Buffer
	truth.WriteString("participant_id\tgroup\teligible\tirls_total\tess_total\tpsqi_global\tjhrlss\tplm_per_night\n")
	for _, p := range cohort {
		dir := filepath.Join(deriv, p.ID)
		must(t, os.MkdirAll(dir, 0o755))
		for n, c := range p.PLMCounts {
			b, _ := json.Marshal(map[string]any{"plm_count": c})
			must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s_night-%d_legs.json", p.ID, n+1)), append(b, '\n'), 0o644))
		}
		fmt.Fprintf(&truth, "%s\t%s\t%t\t%d\t%d\t%d\t%d\t%g\n", p.ID, p.Truth.Group, p.Truth.Eligible, p.Truth.IRLSTotal, p.Truth.ESSTotal, p.Truth.PSQIGlobal, p.Truth.JHRLSS, p.Truth.PLMPerNight)
	}
	must(t, os.WriteFile("testdata/synth_truth.tsv", truth.Bytes(), 0o644))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func readREDCap(t *testing.T, labels bool) *clinical.Dataset {
	t.Helper()
	f, err := os.Open(filepath.Join(rcTD, "dictionary.csv"))
	must(t, err)
	defer f.Close()
	dict, err := clinical.ReadREDCapDictionary(f, "dictionary.csv")
	must(t, err)
	name := "export_raw.csv"
	if labels {
		name = "export_labels.csv"
	}
	e, err := os.Open(filepath.Join(rcTD, name))
	must(t, err)
	defer e.Close()
	d, err := clinical.ReadREDCap(e, dict, clinical.REDCapOptions{Labels: labels}, name)
	must(t, err)
	// medication records come as a TSV beside the export
	m, err := os.Open(filepath.Join(bidsTD, "phenotype", "medications.tsv"))
	must(t, err)
	defer m.Close()
	must(t, clinical.ReadMedications(d, m, "medications.tsv"))
	return d
}

func tableText(t *testing.T, res *clinical.Results) map[string]string {
	out := map[string]string{}
	for _, tb := range res.Tables {
		var b bytes.Buffer
		must(t, tb.WriteTSV(&b))
		out[tb.Instrument.Name] = b.String()
	}
	return out
}

type issueKey struct{ id, col, val string }

func issueSet(iss []clinical.Issue) map[issueKey]clinical.Severity {
	m := map[issueKey]clinical.Severity{}
	for _, i := range iss {
		m[issueKey{i.Participant, i.Column, i.Value}] = i.Severity
	}
	return m
}

// The REDCap project (raw and label exports through the data dictionary)
// and the BIDS phenotype folder hold the same synthetic participants: they
// must give identical score tables and the same issues.
func TestREDCapEqualsBIDS(t *testing.T) {
	bd, err := clinical.ReadBIDSPhenotype(filepath.Join(bidsTD, "phenotype"))
	must(t, err)
	bres := clinical.ScoreDataset(bd)
	want := tableText(t, bres)
	if len(want) != 7 {
		t.Fatalf("BIDS gave %d tables", len(want))
	}
	for _, labels := range []bool{false, true} {
		res := clinical.ScoreDataset(readREDCap(t, labels))
		got := tableText(t, res)
		for name, w := range want {
			if got[name] != w {
				t.Errorf("labels=%t: %s differs\nREDCap:\n%s\nBIDS:\n%s", labels, name, got[name], w)
			}
		}
		gi, wi := issueSet(res.Issues), issueSet(bres.Issues)
		for k, s := range wi {
			if gi[k] != s {
				t.Errorf("labels=%t: BIDS issue %v (%s) not given by REDCap", labels, k, s)
			}
		}
		for k := range gi {
			if _, ok := wi[k]; !ok {
				t.Errorf("labels=%t: REDCap issue %v not given by BIDS", labels, k)
			}
		}
	}
}

// Every injected bad value gives an issue naming participant, column and
// value; every other participant's scores equal the synthetic truth.
func TestTestdataAgainstTruth(t *testing.T) {
	bd, err := clinical.ReadBIDSPhenotype(filepath.Join(bidsTD, "phenotype"))
	must(t, err)
	res := clinical.ScoreDataset(bd)
	is := issueSet(res.Issues)
	for _, in := range injected {
		v := in.val
		if v == "" {
			v = clinical.Missing
		}
		if in.col == "jhrlss_onset" {
			continue // not read: the control has no symptoms
		}
		if _, ok := is[issueKey{in.id, in.col, v}]; !ok {
			t.Errorf("no issue for %s %s=%q; issues: %v", in.id, in.col, v, res.Issues)
		}
	}
	bad := map[string]map[string]bool{}
	for _, in := range injected {
		if bad[in.id] == nil {
			bad[in.id] = map[string]bool{}
		}
		bad[in.id][strings.SplitN(in.col, "_", 2)[0]] = true
	}
	f := res.Fields()
	n := 0
	for _, p := range tdCohort() {
		check := func(inst, field string, want int) {
			if bad[p.ID][inst] || want < 0 {
				return
			}
			v := f[p.ID][field]
			if v.Kind != clinical.KindNumber || v.Num != float64(want) {
				t.Errorf("%s %s = %v, truth %d", p.ID, field, v, want)
			}
			n++
		}
		check("irls", "irls_total", p.Truth.IRLSTotal)
		check("ess", "ess_total", p.Truth.ESSTotal)
		check("psqi", "psqi_global", p.Truth.PSQIGlobal)
		check("jhrlss", "jhrlss", p.Truth.JHRLSS)
		for k, c := range p.Truth.PSQIComponents {
			check("psqi", clinical.PSQI.Outputs[k].Name, c)
		}
	}
	if n < 80 {
		t.Fatalf("only %d values checked", n)
	}
	// the range answer of sub-04 was scored as its midpoint, 35 minutes
	if g := f["sub-04"]["psqi_global"]; g.IsMissing() {
		t.Errorf("sub-04 PSQI n/a despite a usable range answer")
	}
	for _, id := range []string{"sub-07", "sub-08"} {
		if g := f[id]["psqi_global"]; !g.IsMissing() {
			t.Errorf("%s PSQI global %v, want n/a", id, g)
		}
	}
}
