package clinical_test

import (
	"testing"

	"glusleep/clinical"
	"glusleep/synth"
)

// Over many seeds, the scores of synthetic cohorts equal the design truth
// (answers were derived from chosen scores, not scored by this package), and
// the study protocol finds exactly the built screen failures.
func TestSynthCohortsManySeeds(t *testing.T) {
	p, err := clinical.ParseProtocol(clinical.Allen2013Protocol, "allen2013.json")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for seed := int64(1); seed <= 40; seed++ {
		cohort := synth.ClinicalCohort(seed, synth.ClinicalOptions{RLS: 28, Controls: 20, ScreenFailures: 4, Nights: 2})
		d := cohortDataset(cohort, false)
		res := clinical.ScoreDataset(d)
		for _, i := range res.Issues {
			if i.Severity == clinical.SeverityError {
				t.Fatalf("seed %d: clean synthetic answers gave an error issue: %v", seed, i)
			}
		}
		f := res.Fields()
		var subjects []clinical.Subject
		for _, c := range cohort {
			tr := c.Truth
			want := map[string]float64{"ess_total": float64(tr.ESSTotal), "psqi_global": float64(tr.PSQIGlobal), "jhrlss": float64(tr.JHRLSS)}
			if tr.IRLSTotal >= 0 {
				want["irls_total"] = float64(tr.IRLSTotal)
			}
			for k, comp := range tr.PSQIComponents {
				want[clinical.PSQI.Outputs[k].Name] = float64(comp)
			}
			for k, w := range want {
				if v := f[c.ID][k]; v.Kind != clinical.KindNumber || v.Num != w {
					t.Errorf("seed %d %s %s = %v, truth %g", seed, c.ID, k, v, w)
				}
				checked++
			}
			if v := f[c.ID]["irlssg2014_met"]; v.Kind != clinical.KindBool || v.Bool != tr.RLSCriteriaMet {
				t.Errorf("seed %d %s criteria %v, truth %t", seed, c.ID, v, tr.RLSCriteriaMet)
			}
			if v := f[c.ID]["dopaminergic"]; v.Bool != tr.Dopaminergic {
				t.Errorf("seed %d %s dopaminergic %v, truth %t", seed, c.ID, v, tr.Dopaminergic)
			}
			if tr.Dopaminergic {
				if v := f[c.ID]["augmentation_mpi"]; v.Kind != clinical.KindBool || v.Bool != tr.Augmentation {
					t.Errorf("seed %d %s augmentation %v, truth %t", seed, c.ID, v, tr.Augmentation)
				}
			}
			subjects = append(subjects, clinical.Subject{ID: c.ID, Fields: map[string]clinical.Value{
				"group": clinical.Str(tr.Group), "plm_per_night": clinical.Num(tr.PLMPerNight)}})
		}
		clinical.AddFields(subjects, f, true)
		sc, err := p.Screen(subjects, "")
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range sc.Subjects {
			if s.Eligible != cohort[i].Truth.Eligible {
				t.Errorf("seed %d %s eligible %t, designed %t (%s)", seed, s.Participant, s.Eligible, cohort[i].Truth.Eligible, s.Reason)
			}
		}
	}
	if checked < 40*48*10 {
		t.Fatalf("only %d values checked", checked)
	}
}
