package sim

import (
	"fmt"
	"strings"
	"testing"

	"glusleep/mrs"
)

// SequenceFor picks the sequence a header names (vendors' spellings) and
// refuses a header without TE.
func TestSequenceFor(t *testing.T) {
	for _, c := range []struct {
		seq  string
		want Sequence
	}{
		{"PRESS", Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}},
		{"", Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}},
		{"svs_se", Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}},
		{"STEAM", Sequence{Kind: "steam", TE: 0.030, TM: 0.010}},
		{"svs_st", Sequence{Kind: "steam", TE: 0.030, TM: 0.010}},
		{"semi-LASER", Sequence{Kind: "slaser", TE: 0.030}},
		{"svs_slaser", Sequence{Kind: "slaser", TE: 0.030}},
	} {
		got, err := SequenceFor(mrs.Params{EchoTime: 0.030, MixingTime: 0.010, Sequence: c.seq})
		if err != nil || got != c.want {
			t.Errorf("%q: %+v, %v; want %+v", c.seq, got, err, c.want)
		}
	}
	if _, err := SequenceFor(mrs.Params{Sequence: "PRESS"}); err == nil || !strings.Contains(err.Error(), "echo time") {
		t.Errorf("no TE: %v", err)
	}
}

// The sequence to simulate a basis for a Siemens STEAM header.
func ExampleSequenceFor() {
	q, err := SequenceFor(mrs.Params{EchoTime: 0.020, MixingTime: 0.010, Sequence: "svs_st"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Describe())
	// Output: STEAM TE 20 ms, TM 10 ms
}
