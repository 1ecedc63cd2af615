package mrsio_test

import (
	"fmt"
	"os"
	"path/filepath"

	"glusleep/mrs"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
)

// Read a spectrum of any supported format (here NIfTI-MRS written just
// before) with its water reference, found beside it by the BIDS name
// _mrsref.
func ExampleRead() {
	dir, _ := os.MkdirTemp("", "mrsio-example")
	defer os.RemoveAll(dir)
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.0005, EchoTime: 0.030, Nucleus: "1H"}
	svs := &mrs.Data{Params: p, FIDs: [][]complex128{{1, 0.5, 0.25, 0.125}}}
	ref := &mrs.Data{Params: p, FIDs: [][]complex128{{100, 50, 25, 12.5}}}
	if err := nifti.WriteData(filepath.Join(dir, "sub-01_svs.nii.gz"), svs); err != nil {
		fmt.Println(err)
		return
	}
	if err := nifti.WriteData(filepath.Join(dir, "sub-01_mrsref.nii.gz"), ref); err != nil {
		fmt.Println(err)
		return
	}
	ds, err := mrsio.Read(filepath.Join(dir, "sub-01_svs.nii.gz"), mrsio.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ds.Format, ds.Data.SpectrometerFrequency, "MHz", ds.Data.Dwell, "s", len(ds.Data.FIDs[0]), "points")
	fmt.Println("water reference:", filepath.Base(ds.WaterFrom), ds.Water.FIDs[0][0])
	// Output:
	// nifti 123.2 MHz 0.0005 s 4 points
	// water reference: sub-01_mrsref.nii.gz (100+0i)
}

// Convert a NIfTI-MRS spectrum and its water reference to LCModel .RAW
// and .H2O, identifying metadata dropped.
func ExampleConvert() {
	dir, _ := os.MkdirTemp("", "mrsio-convert")
	defer os.RemoveAll(dir)
	p := mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.0005, EchoTime: 0.030, Nucleus: "1H"}
	svs := &mrs.Data{Params: p, FIDs: [][]complex128{{1, 0.5, 0.25, 0.125}}, Meta: map[string]any{"PatientName": "Doe^Jane"}}
	ref := &mrs.Data{Params: p, FIDs: [][]complex128{{100, 50, 25, 12.5}}}
	in := filepath.Join(dir, "sub-01_svs.nii.gz")
	if err := nifti.WriteData(in, svs); err != nil {
		fmt.Println(err)
		return
	}
	if err := nifti.WriteData(filepath.Join(dir, "sub-01_mrsref.nii.gz"), ref); err != nil {
		fmt.Println(err)
		return
	}
	c, err := mrsio.Convert(in, filepath.Join(dir, "lcm", "sub-01.RAW"), mrsio.Options{}, mrsio.Provenance{Converter: "example 1.0", Original: in})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Format, "→", filepath.Base(c.Out), "and", filepath.Base(c.WaterOut))
	// Output: nifti → sub-01.RAW and sub-01.H2O
}

// An LCModel .RAW states no dwell time, often no TE: the values a user
// gives are used, and the acquisition facts say where each came from.
func ExampleDataset_Acquisition() {
	dir, _ := os.MkdirTemp("", "mrsio-example")
	defer os.RemoveAll(dir)
	raw := filepath.Join(dir, "s.RAW")
	os.WriteFile(raw, []byte(" $SEQPAR HZPPPM=123.2 $END\n $NMID ID='s' FMTDAT='(2E16.6)' $END\n  1.0E+00  0.0E+00\n  0.5E+00  0.0E+00\n"), 0o644)
	ds, err := mrsio.Read(raw, mrsio.Options{Dwell: 0.0005, EchoTime: 0.030})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := ds.Acquisition()
	fmt.Println(a.SpectrometerFrequencyMHz, "MHz, TE", a.TEms, "ms, dwell", a.DwellS, "s")
	fmt.Println(a.Sources)
	// Output:
	// 123.2 MHz, TE 30 ms, dwell 0.0005 s
	// map[dwell_s:flag nucleus:assumed sequence:assumed te_ms:flag]
}
