package mrsio

import (
	"testing"

	"glusleep/internal/shareddata"
)

// Every reader that knows TR gives it in s whatever unit its format
// stores (DICOM, RDA and SPAR ms; GE µs; NIfTI-MRS s), and Acquisition
// gives it in ms, for the real files of ../shared/data; the references
// were read by other tools or from the header text
// (testdata/README.md, "Repetition times").
func TestHeaderRepetitionTime(t *testing.T) {
	for _, c := range []struct {
		path string
		trMS float64
	}{
		{"mrs/vendor/philips_spar_sdat_WS.SDAT", 2000},                     // SPAR repetition_time : 2000
		{"mrs/osprey/sub-01_PRESS_35_act.sdat", 2000},                      // SPAR repetition_time : 2000
		{"mrs/vendor/siemens_rda_WS.rda", 1500},                            // RDA TR: 1500.000000
		{"mrs/vendor/siemens_ima_WS.ima", 1500},                            // CSA RepetitionTime 1500.00000000
		{"mrs/vendor/SVS.dcm", 2000},                                       // pydicom (0018,0080) 2000.0
		{"mrs/osprey/sub-01_ses-01_SVS-ref_uncombined-coils.nii.gz", 5000}, // nibabel: RepetitionTime 5.0 s
		{"mrs/ge-1.5T-press-te30/P1806_1.5T_030_2000.7", 2000},             // file name: TE 030, TR 2000
		{"mrs/ge-1.5T-press-te30/P1751_1.5T_030_2000.7", 2000},             // sdbm's .shf (tarquin): TR 2000 ms
	} {
		ds, err := Read(shareddata.Path(t, c.path), Options{})
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if got := ds.Data.RepetitionTime; got != c.trMS/1000 {
			t.Errorf("%s: TR %g s, want %g s", c.path, got, c.trMS/1000)
		}
		if a := ds.Acquisition(); a.TRms != c.trMS || a.Sources["tr_ms"] != "" {
			t.Errorf("%s: acquisition TR %g ms (source %q), want %g ms from the header", c.path, a.TRms, a.Sources["tr_ms"], c.trMS)
		}
	}
}
