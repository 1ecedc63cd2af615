package annot_test

import (
	"fmt"
	"os"
	"path/filepath"

	"glusleep/psg/annot"
)

// Read a Luna .annot file: the dialect is recognised from the content.
func ExampleReadFile() {
	p := filepath.Join(os.TempDir(), "glusleep-example.annot")
	os.WriteFile(p, []byte("class\tinstance\tchannel\tstart\tstop\tmeta\nW\t.\t.\t0\t30\t.\nN2\t.\t.\t30\t+60\t.\nhypopnea\t.\t.\t40\t+15\t.\n"), 0o644)
	defer os.Remove(p)
	h, err := annot.ReadFile(p, annot.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.Dialect, h.Stages, h.Events[0].Kind, h.Events[0].Onset)
	// Output: Luna .annot [W N2 N2] hypopnea 40
}
