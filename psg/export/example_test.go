package export_test

import (
	"fmt"
	"os"

	"glusleep/psg/edf"
	"glusleep/psg/export"
)

// Export the first channel of an EDF+D file with two gaps as TSV: times
// follow the record onsets across the gaps.
func ExampleWrite() {
	f, err := edf.Open("testdata/edfd_gaps.edf", edf.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	idx, _ := export.SelectChannels(f, []string{"EEG"})
	sum, err := export.Write(os.Stdout, f, export.Options{Channels: idx, Start: 0.75, Duration: 2.5, Format: export.TSV})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sum.Gaps, "gap")
	// Output:
	// time_s	EEG (uV)
	// 0.75	102
	// 0.875	103
	// 3	200
	// 3.125	201
	// 1 gap
}
