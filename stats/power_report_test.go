package stats

import (
	"math"
	"strings"
	"testing"
)

// The examples of R's ?power.t.test (stats 4.x): power.t.test(n = 20,
// delta = 1) gives power = 0.8689528; power.t.test(power = .90, delta = 1)
// gives n = 22.02110.
func TestSolvePowerT(t *testing.T) {
	r, err := SolvePowerT(PowerTOptions{N: 20, Delta: 1}, 0)
	if err != nil || math.Abs(r.Power-0.8689528) > 5e-7 || !strings.HasPrefix(r.Line, "two.sample t-test, n = 20") {
		t.Errorf("power: %+v %v", r, err)
	}
	r, err = SolvePowerT(PowerTOptions{Delta: 1}, 0.9)
	if err != nil || math.Abs(r.N-22.02110) > 5e-5 || !strings.HasSuffix(r.Line, "n = 22.02 (use 23)") {
		t.Errorf("n: %+v %v", r, err)
	}
	for _, c := range []struct {
		s    string
		want TTestType
	}{{"two.sample", TwoSample}, {"one.sample", OneSample}, {"paired", Paired}} {
		if got, err := ParseTTestType(c.s); err != nil || got != c.want || got.String() != c.s {
			t.Errorf("%s: %v %v", c.s, got, err)
		}
	}
	if _, err := ParseTTestType("welch"); err == nil {
		t.Error("welch accepted")
	}
}

// Both directions of the correlation solver agree: the n found for a
// power gives that power back.
func TestSolvePowerCorrelation(t *testing.T) {
	n, err := SolvePowerCorrelation(0.3, 0, 0.05, 0.8, TwoSided)
	if err != nil {
		t.Fatal(err)
	}
	p, err := SolvePowerCorrelation(0.3, n.N, 0.05, 0, TwoSided)
	if err != nil || math.Abs(p.Power-0.8) > 1e-6 {
		t.Errorf("n %g gives power %g (%v), want 0.8", n.N, p.Power, err)
	}
}
