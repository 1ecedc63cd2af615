package demo_test

import (
	"fmt"
	"os"

	"glusleep/demo"
)

// One typed step of the demo: the paper's t test recomputed from its
// published group summaries, written to Out/stats/paper_check.json.
// Published: t = 2.229, df = 46, p = 0.0154 (Allen et al. 2013). demo.Run
// runs every step in order.
func ExamplePaperCheck() {
	out, _ := os.MkdirTemp("", "demo-example")
	defer os.RemoveAll(out)
	r, err := demo.PaperCheck(demo.Config{Out: out, Stdout: os.Stdout})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("t = %.3f, df = %g, one-tailed p = %.4f\n", r.Test.T, r.Test.DF, r.Test.P)
	// Output:
	// stats: thalamic Glx/Cr, RLS (1.20 ± 0.73, n = 28) vs controls (0.80 ± 0.39, n = 20): Student t(46) = 2.23, p = .015 (one-tailed, greater), difference = 0.40, 95% CI [0.10, ∞]
	// t = 2.229, df = 46, one-tailed p = 0.0154
}
