package tsv_test

import (
	"fmt"
	"math"
	"strings"

	"glusleep/internal/tsv"
)

func ExampleRead() {
	in := "participant_id\tage\nsub-01\t54\nsub-02\tn/a\n"
	t, err := tsv.Read(strings.NewReader(in), "participants.tsv", tsv.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, r := range t.Rows {
		fmt.Println(r[0], r[1], tsv.IsMissing(r[1]), t.Pos(i, 1))
	}
	_, err = tsv.Read(strings.NewReader("participant_id\tage\nsub-01\t54\t1\n"), "bad.tsv", tsv.Limits{})
	fmt.Println(err)
	fmt.Println(tsv.Fixed(math.NaN(), 1), tsv.Fixed(7.25, 1))
	// Output:
	// sub-01 54 false participants.tsv:2:8
	// sub-02 n/a true participants.tsv:3:8
	// bad.tsv:2:11: 3 fields, the header has 2 columns
	// n/a 7.2
}
