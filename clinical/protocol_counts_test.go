package clinical

import (
	"reflect"
	"testing"
)

func TestScreeningCounts(t *testing.T) {
	s := &Screening{Subjects: []SubjectResult{
		{Participant: "sub-01", Group: "rls", Eligible: true},
		{Participant: "sub-02", Group: "control", Eligible: false},
		{Participant: "sub-03", Group: "rls", Eligible: false},
		{Participant: "sub-04", Group: "control", Eligible: true},
		{Participant: "sub-05", Group: "rls", Eligible: true},
	}}
	want := []GroupCount{{"control", 2, 1}, {"rls", 3, 2}}
	if got := s.Counts(); !reflect.DeepEqual(got, want) {
		t.Errorf("Counts() = %+v, want %+v", got, want)
	}
	if got := (&Screening{}).Counts(); len(got) != 0 {
		t.Errorf("empty screening: %+v", got)
	}
}
