package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// cohortTable synthesizes an n-participant cohort table (TSV text) with a
// group × Glx interaction on wake time, some missing cells and tied
// (rounded) values.
func cohortTable(n int, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	b.WriteString("participant_id\tgroup\tsex\tage\tglx_tcr\twake\n")
	for i := 0; i < n; i++ {
		g := "control"
		rls := 0.0
		if rng.IntN(2) == 1 {
			g, rls = "rls", 1
		}
		sex := "F"
		m := 0.0
		if rng.IntN(2) == 1 {
			sex, m = "M", 1
		}
		age := math.Round(55 + 9*rng.NormFloat64())
		glx := 0.8 + 0.4*rls + 0.5*rng.NormFloat64()
		wake := 40 + 10*glx + 15*rls + 25*glx*rls + 0.4*age + 5*m + 12*rng.NormFloat64()
		glxS := fmt.Sprintf("%.3f", glx)
		if i%97 == 5 {
			glxS = "n/a"
		}
		fmt.Fprintf(&b, "sub-%05d\t%s\t%s\t%.0f\t%s\t%.1f\n", i+1, g, sex, age, glxS, wake)
	}
	return b.String()
}

// analyseCohort runs the study's full analysis set on a cohort table.
func analyseCohort(t *Table) error {
	_, g, err := t.Split("glx_tcr", "group", "rls", "control")
	if err != nil {
		return err
	}
	if _, err := TTest(g[0], g[1], TTestOptions{Alternative: Greater, VarEqual: true}); err != nil {
		return err
	}
	if _, err := TTest(g[0], g[1], TTestOptions{}); err != nil {
		return err
	}
	if _, err := MannWhitney(g[0], g[1], MWUOptions{ConfInt: true}); err != nil {
		return err
	}
	if _, err := CohensD(g[0], g[1], 0.95); err != nil {
		return err
	}
	glx, _ := t.Float("glx_tcr")
	wake, _ := t.Float("wake")
	age, _ := t.Float("age")
	for _, m := range []CorMethod{Pearson, Spearman, Kendall} {
		if _, err := Correlation(glx, wake, CorOptions{Method: m}); err != nil {
			return err
		}
	}
	if _, err := PartialCorrelation(glx, wake, [][]float64{age}, CorOptions{}); err != nil {
		return err
	}
	if _, err := LM("wake ~ glx_tcr * group + age + sex", t, LMOptions{}); err != nil {
		return err
	}
	return nil
}

func BenchmarkCohort10000(b *testing.B) {
	src := cohortTable(10000, 3)
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		t, err := ReadTable(strings.NewReader(src), "cohort")
		if err != nil {
			b.Fatal(err)
		}
		if err := analyseCohort(t); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCohortAnalysisRuns(t *testing.T) {
	tb, err := ReadTable(strings.NewReader(cohortTable(300, 4)), "cohort")
	if err != nil {
		t.Fatal(err)
	}
	if err := analyseCohort(tb); err != nil {
		t.Fatal(err)
	}
	r, err := LM("wake ~ glx_tcr * group + age + sex", tb, LMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// the simulated interaction (25 per unit Glx in RLS) must be recovered
	c, _ := r.Coef("glx_tcr:grouprls")
	if !(c.Lower < 25 && 25 < c.Upper) || r.Dropped != 300/97+1 {
		t.Errorf("interaction %+v, dropped %d", c, r.Dropped)
	}
}
