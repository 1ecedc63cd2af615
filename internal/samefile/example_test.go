package samefile_test

import (
	"fmt"

	"glusleep/internal/samefile"
)

// Paths that do not exist are compared by their cleaned absolute names;
// existing files as files (links and other spellings included).
func ExampleIs() {
	fmt.Println(samefile.Is("out/rec.edf", "out/./rec.edf"))
	fmt.Println(samefile.Is("out/rec.edf", "out/rec_deid.edf"))
	// Output:
	// true
	// false
}
