package clinical_test

import (
	"fmt"
	"math"
	"strings"

	"glusleep/clinical"
)

func ExampleScoreIRLS() {
	// Item scores as printed beside each option of the form (item 3 too).
	s, err := clinical.ScoreIRLS([10]int{3, 3, 2, 3, 2, 2, 3, 2, 2, 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Total, s.Band, s.Symptoms, s.Impact)
	// Output: 23 severe 16 5
}

func ExampleScorePSQI() {
	s := clinical.ScorePSQI(clinical.PSQIAnswers{
		Bedtime: 23 * 60, LatencyMin: 20, GetUp: 7 * 60, SleepHours: 7, // 23:00, 20 min, 07:00, 7 h
		Q5:           [10]int{2, 1, 0, 2, 0, 0, 1, 0, 1, 2},
		Q5jDescribed: true,
		Q6:           1, Q7: 0, Q8: 1, Q9: 2,
	})
	fmt.Println(s.Components, s.Global, s.Poor, s.EfficiencyPercent)
	// Output: [1 2 1 0 1 0 2] 7 true 87.5
}

func ExampleScoreESS() {
	total, excessive, ok, _ := clinical.ScoreESS([8]int{3, 3, 3, 2, 0, 0, 0, 0})
	fmt.Println(total, excessive, ok)
	// Output: 11 true true
}

func ExampleScoreJHRLSS() {
	onset, _ := clinical.ParseClock("19:30")
	bed, _ := clinical.ParseClock("23:00")
	s, _ := clinical.ScoreJHRLSS(true, onset, bed)
	fmt.Println(s)
	// Output: 2
}

func ExampleRLSAnswers_Met() {
	a := clinical.RLSAnswers{Essential: [5]int{1, 1, 1, 1, 1}, NightsPerWeek: 2, DurationMonths: 24,
		LifetimeEpisodes: math.NaN(), Significant: 1}
	for _, set := range []clinical.CriteriaSet{clinical.IRLSSG2014Set, clinical.ICSD3Set, clinical.DSM5Set} {
		m, _ := a.Met(set)
		fmt.Println(set, m)
	}
	course, _ := a.Course()
	fmt.Println(course)
	// Output:
	// IRLSSG2014 1
	// ICSD-3 1
	// DSM-5 0
	// chronic-persistent
}

func ExampleParseExpr() {
	e, err := clinical.ParseExpr("rls_nights_per_week >= 6 and (missing(plm_per_night) or plm_per_night >= 20)")
	if err != nil {
		panic(err)
	}
	fields := map[string]clinical.Value{"rls_nights_per_week": clinical.Num(7)}
	t, _ := e.Eval(func(k string) clinical.Value { return fields[k] })
	fmt.Println(t, e.Fields())
	_, err = clinical.ParseExpr("rls_nights_per_week => 6")
	fmt.Println(err)
	// Output:
	// pass [plm_per_night rls_nights_per_week]
	// rule "rls_nights_per_week => 6", column 21: single '=': use '==' to compare
}

func ExampleProtocol_Screen() {
	p, err := clinical.ParseProtocol([]byte(`{
	  "name": "example",
	  "groups": {"rls": {"include": [
	    {"id": "I1", "rule": "irlssg2014_met == true"},
	    {"id": "I2", "rule": "rls_nights_per_week >= 6"}]}}}`), "example.json")
	if err != nil {
		panic(err)
	}
	subjects := []clinical.Subject{
		{ID: "sub-01", Fields: map[string]clinical.Value{"group": clinical.Str("rls"), "irlssg2014_met": clinical.Bool(true), "rls_nights_per_week": clinical.Num(7)}},
		{ID: "sub-02", Fields: map[string]clinical.Value{"group": clinical.Str("rls"), "irlssg2014_met": clinical.Bool(true), "rls_nights_per_week": clinical.Num(4)}},
	}
	sc, err := p.Screen(subjects, "")
	if err != nil {
		panic(err)
	}
	for _, s := range sc.Subjects {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%s %t %s", s.Participant, s.Eligible, s.Reason)))
	}
	// Output:
	// sub-01 true
	// sub-02 false not satisfied: I2 fail
}

func ExampleReadREDCap() {
	dict, err := clinical.ReadREDCapDictionary(strings.NewReader(
		"Variable / Field Name,Form Name,Field Type,\"Choices, Calculations, OR Slider Labels\"\n"+
			"record_id,participant,text,\n"+
			"ess_01,ess,radio,\"0, Score 0 | 1, Score 1 | 2, Score 2 | 3, Score 3\"\n"), "dictionary.csv")
	if err != nil {
		panic(err)
	}
	// a label export: labels are mapped back to their codes
	d, err := clinical.ReadREDCap(strings.NewReader("record_id,ess_01\nsub-01,Score 2\nsub-02,Score 7\n"),
		dict, clinical.REDCapOptions{Labels: true}, "export.csv")
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Records["sub-01"].Values["ess_01"])
	for _, i := range d.Issues {
		fmt.Println(i)
	}
	// Output:
	// 2
	// export.csv:3: error: participant sub-02, column ess_01, value "Score 7": unknown label for radio field of form ess (the dictionary allows Score 0, Score 1, Score 2, Score 3); treated as missing
}

// Questionnaires from a BIDS phenotype folder, scored.
func ExampleReadPhenotype() {
	d, err := clinical.ReadPhenotype([]string{"testdata/bids/phenotype"}, clinical.PhenotypeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	res := clinical.ScoreDataset(d)
	f := res.Fields()
	fmt.Println(f["sub-01"]["irls_total"], f["sub-01"]["psqi_global"], clinical.CountErrors(res.Issues) > 0)
	// Output: 25 12 true
}
