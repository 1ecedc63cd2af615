package analysis_test

import (
	"os"
	"strings"
	"testing"

	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
)

// The README's outputs and QC sections name every value a user meets in
// _fit.tsv's detection column and every flag _qc.json can carry, so a new
// one cannot ship undocumented.
func TestREADMENamesOutputs(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skipf("README.md not beside the module (%v)", err)
	}
	readme := string(b)
	names := append([]string{"detection", analysis.Detected, analysis.NotDetected, analysis.Undetermined, "quantification.sources", "replaced", "tm_ms", "tr_ms"}, fit.FlagNames...)
	for _, name := range names {
		if !strings.Contains(readme, "`"+name+"`") {
			t.Errorf("README.md does not name `%s`", name)
		}
	}
}
