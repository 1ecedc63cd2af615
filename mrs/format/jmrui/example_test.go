package jmrui_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/format/jmrui"
)

// Write a four-point FID as a jMRUI text file and read it back. The header
// holds jMRUI's units (SamplingInterval in ms, TransmitterFrequency in Hz);
// Read returns glusleep's (dwell in s, frequency in MHz). The file holds the
// FID conjugated, as jMRUI expects; Read undoes it.
func Example() {
	d := &mrs.Data{
		Params: mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.00025, Nucleus: "1H", FieldStrength: 2.89},
		FIDs:   [][]complex128{{1 + 1i, 0.5 + 0.25i, 0.25, -0.125i}},
	}
	var b bytes.Buffer
	if err := jmrui.Write(&b, d, "sub-01_svs"); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(line, "SamplingInterval") || strings.HasPrefix(line, "TransmitterFrequency") {
			fmt.Println(line)
		}
	}
	got, err := jmrui.Read(b.Bytes(), "sub-01_svs.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%g MHz, dwell %g s, %g T, %d points\n", got.SpectrometerFrequency, got.Dwell, got.FieldStrength, got.Points())
	fmt.Println(got.FIDs[0])
	// Output:
	// SamplingInterval: 2.5E-01
	// TransmitterFrequency: 1.232E+08
	// 123.2 MHz, dwell 0.00025 s, 2.89 T, 4 points
	// [(1+1i) (0.5+0.25i) (0.25+0i) (0-0.125i)]
}

// A data line with fewer columns than the others (a file cut short) is
// refused, naming the file and the line.
func ExampleRead_error() {
	text := "PointsInDataset: 3\nSamplingInterval: 0.25\nTransmitterFrequency: 1.232E8\n" +
		"Signal 1 out of 1 in file\n1 2 0 0\n3 4 0 0\n5\n"
	_, err := jmrui.Read([]byte(text), "cut.txt")
	fmt.Println(err)
	// Output:
	// jmrui: not a valid jMRUI text file: cut.txt: line 7: "5": want the FID's real and imaginary parts
}

// WriteFile writes a dataset of several FIDs (one "Signal i out of n"
// block each) atomically; ReadFile reads them back along DIM_USER_0.
func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "jmrui-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	d := &mrs.Data{
		Params: mrs.Params{SpectrometerFrequency: 63.87, Dwell: 0.0004},
		Dims:   []mrs.Dim{{Tag: mrs.DimUser0, Size: 2}},
		FIDs:   [][]complex128{{1 + 1i, 0.5i}, {2 - 1i, 1}},
	}
	path := filepath.Join(dir, "sub-01_svs.txt")
	if err := jmrui.WriteFile(path, d); err != nil {
		fmt.Println(err)
		return
	}
	got, err := jmrui.ReadFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.SpectrometerFrequency, "MHz,", got.Dwell, "s,", got.Dims, got.FIDs)
	// Output:
	// 63.87 MHz, 0.0004 s, [{DIM_USER_0 2}] [[(1+1i) (0+0.5i)] [(2-1i) (1+0i)]]
}
