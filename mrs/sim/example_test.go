package sim_test

import (
	"fmt"
	"math/cmplx"

	"glusleep/mrs/sim"
)

// Simulate a PRESS TE 30 ms basis at 3 T for creatine. With ideal pulses
// a singlet refocuses fully, so the first point of a spectrum of singlets
// counts their protons (one proton = 1): creatine's CH3 and CH2, 3 + 2.
func ExampleBasis() {
	q := sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}
	names, fids, err := sim.Basis(q, 123.2, 1.0/2000, 2048, []string{"Cr"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, n := range names {
		fmt.Printf("%s: %d points, |FID(0)| = %.2f\n", n, len(fids[i]), cmplx.Abs(fids[i][0]))
	}
	// Output: Cr: 2048 points, |FID(0)| = 5.00
}
