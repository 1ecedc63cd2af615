package naming_test

import (
	"fmt"

	"glusleep/mrs/naming"
)

func ExampleCanonicalName() {
	for _, n := range []string{"PCh", "Scyllo", "mI", "Cr+PCr", "PCh_GPC"} {
		fmt.Println(n, "→", naming.CanonicalName(n))
	}
	// Output:
	// PCh → PCho
	// Scyllo → sIns
	// mI → Ins
	// Cr+PCr → tCr
	// PCh_GPC → tCho
}
