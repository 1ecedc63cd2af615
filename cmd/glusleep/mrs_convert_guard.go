package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// convertOverwritesInput refuses a conversion whose output (out, or refOut
// where the water reference goes when there is one) would replace one of
// its inputs: the spectrum in or its water reference, the file named
// waterFrom beside in ("same file…" when the reference is inside in).
// Paths are compared as files (os.SameFile: links, "./x" and "x") when
// they exist, else by their absolute names.
func convertOverwritesInput(in, waterFrom, out, refOut string, hasWater bool) error {
	inputs := []string{in}
	if waterFrom != "" && !strings.HasPrefix(waterFrom, "same file") {
		inputs = append(inputs, filepath.Join(filepath.Dir(in), waterFrom))
	}
	outputs := []string{out}
	if hasWater && refOut != "" {
		outputs = append(outputs, refOut)
	}
	for _, o := range outputs {
		for _, i := range inputs {
			if samePath(o, i) {
				return fmt.Errorf("%s: the output would overwrite the input %s; choose another output name", o, i)
			}
		}
	}
	return nil
}

// samePath says whether a and b name the same file.
func samePath(a, b string) bool {
	sa, ea := os.Stat(a)
	sb, eb := os.Stat(b)
	if ea == nil && eb == nil {
		return os.SameFile(sa, sb)
	}
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == ab
}
