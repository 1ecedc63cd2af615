package edf_test

import (
	"fmt"
	"os"
	"path/filepath"

	"glusleep/psg/edf"
)

// Write a two-second EDF+ with one 4 Hz EEG channel and a scored stage,
// then open it and read the samples back in µV.
func Example() {
	dir, _ := os.MkdirTemp("", "edf-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "night.edf")
	sig := edf.SignalData{Signal: edf.Signal{Label: "EEG C3-M2", Dimension: "uV", PhysMin: -100, PhysMax: 100,
		DigMin: -32768, DigMax: 32767, Samples: 4}, Data: []float64{0, 10, 20, 30, 40, 50, 60, 70}}
	fh, err := os.Create(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	err = edf.Write(fh, []edf.SignalData{sig}, edf.WriteOptions{RecordDuration: 1,
		Annotations: []edf.Annotation{{Onset: 0, Duration: 30, Text: "Sleep stage W"}}})
	fh.Close()
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := edf.Open(path, edf.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	data, err := f.ReadAll()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s, %d records of %g s, %q at %g Hz\n", f.Format, f.Records, f.RecordDuration, f.Signals[0].Label, f.Signals[0].Rate(f.RecordDuration))
	fmt.Printf("samples %.1f\n", data[0])
	fmt.Printf("annotation %q at %g s\n", f.Annotations()[0].Text, f.Annotations()[0].Onset)
	// Output:
	// EDF+C, 2 records of 1 s, "EEG C3-M2" at 4 Hz
	// samples [0.0 10.0 20.0 30.0 40.0 50.0 60.0 70.0]
	// annotation "Sleep stage W" at 0 s
}
