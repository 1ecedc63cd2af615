package night_test

import (
	"fmt"
	"os"
	"path/filepath"

	"glusleep/psg/night"
)

// A night scored as BIDS events (10 min wake, 60 min N2, 5 min wake, 25
// min N2): its sleep statistics and hypnogram figure.
func ExampleAnalyze() {
	dir, err := os.MkdirTemp("", "night")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	ev := filepath.Join(dir, "sub-01_task-sleep_events.tsv")
	tsv := "onset\tduration\ttrial_type\n0\t600\tW\n600\t3600\tN2\n4200\t300\tW\n4500\t1500\tN2\n"
	if err := os.WriteFile(ev, []byte(tsv), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	n, err := night.Analyze(night.Input{Hypnogram: ev}, night.Options{Sleep: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := n.Write(dir); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: TST %.0f min, WASO %.0f min, SOL %.0f min\n", n.Stem, n.Sleep.TST, n.Sleep.WASO, n.Sleep.SOL)
	for _, f := range n.Outputs(dir) {
		fmt.Println(filepath.Base(f))
	}
	// Output:
	// sub-01_task-sleep: TST 85 min, WASO 5 min, SOL 10 min
	// sub-01_task-sleep_sleep.json
	// sub-01_task-sleep_hypnogram.svg
}

// The same night analysed and written in one call, into a folder made for
// it.
func ExampleAnalyzeTo() {
	dir, err := os.MkdirTemp("", "night")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	ev := filepath.Join(dir, "sub-01_task-sleep_events.tsv")
	tsv := "onset\ttrial_type\tduration\n0\tW\t600\n600\tN2\t3600\n4200\tW\t300\n4500\tN2\t1500\n"
	if err := os.WriteFile(ev, []byte(tsv), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	out := filepath.Join(dir, "derivatives", "sub-01")
	n, err := night.AnalyzeTo(night.Input{Hypnogram: ev}, night.Options{Sleep: true}, out)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("SE %.1f %%\n", n.Sleep.SE)
	files, _ := os.ReadDir(out)
	for _, f := range files {
		fmt.Println(f.Name())
	}
	// Output:
	// SE 85.0 %
	// sub-01_task-sleep_hypnogram.svg
	// sub-01_task-sleep_sleep.json
}
