package clinical

import (
	"testing"
)

func BenchmarkScoreDataset(b *testing.B) {
	d, err := ReadBIDSPhenotype("testdata/bids/phenotype")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ScoreDataset(d)
	}
}

func BenchmarkReadBIDSPhenotype(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadBIDSPhenotype("testdata/bids/phenotype"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseEvalExpr(b *testing.B) {
	vals := map[string]Value{"a": Num(7), "b": Bool(true), "c": Str("rls")}
	get := func(k string) Value { return vals[k] }
	b.ReportAllocs()
	for b.Loop() {
		e, err := ParseExpr(`a >= 6 and (b or missing(d)) and c in ["rls", "control"]`)
		if err != nil {
			b.Fatal(err)
		}
		e.Eval(get)
	}
}
