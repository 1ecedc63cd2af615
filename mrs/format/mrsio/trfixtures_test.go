package mrsio

import (
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateTR = flag.Bool("update-tr", false, "rewrite testdata/tr from trFixtures")

// trFixtures are small files of each format whose headers state TR 1800
// ms in the format's own unit (testdata/README.md, "tr/"): RDA "TR: 1800"
// (ms), SPAR "repetition_time : 1800" (ms), DICOM (0018,0080) "1800" (DS,
// ms), NIfTI-MRS "RepetitionTime": 1.8 (s), GE rdb_hdr TR 1800000 (µs).
func trFixtures(t testing.TB) map[string][]byte {
	d := corpusData()
	d.RepetitionTime = 1.8
	rda := bytes.Replace(rdaBytes(d, 64), []byte("TR: 2000\r\n"), []byte("TR: 1800\r\n"), 1)
	dcm := dicomBytes(d, 64)
	at := bytes.Index(dcm, []byte{0x18, 0x00, 0x52, 0x90}) // (0018,9052): (0018,0080) goes before it
	el := binary.LittleEndian.AppendUint16(nil, 0x0018)
	el = binary.LittleEndian.AppendUint16(el, 0x0080)
	el = append(el, "DS"...)
	el = binary.LittleEndian.AppendUint16(el, 4)
	el = append(el, "1800"...)
	dcm = append(dcm[:at:at], append(el, dcm[at:]...)...)
	ge := pfileBytes(1, 64)
	binary.LittleEndian.PutUint32(ge[60128:], 1800000) // TR in µs
	return map[string][]byte{
		"tr.rda":  rda,
		"tr.SPAR": append(sparBytes(64, 1), "repetition_time : 1800\n"...),
		"tr.SDAT": sdatBytes(d),
		"tr.dcm":  dcm,
		"tr.nii":  niftiBytes(t, d),
		"tr_ge.7": ge,
	}
}

// The committed testdata/tr files are what trFixtures makes (run with
// -update-tr to rewrite them).
func TestTRFixturesCurrent(t *testing.T) {
	dir := filepath.Join("testdata", "tr")
	for name, b := range trFixtures(t) {
		p := filepath.Join(dir, name)
		if *updateTR {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s: committed file differs from its generator (go test -run TestTRFixturesCurrent -update-tr): %v", name, err)
		}
	}
}

// Each reader turns its format's TR unit into s (mrs.Params) and
// Acquisition into ms: the committed fixtures all state 1800 ms.
func TestTRFixtures(t *testing.T) {
	for _, name := range []string{"tr.rda", "tr.SDAT", "tr.dcm", "tr.nii", "tr_ge.7"} {
		ds, err := Read(filepath.Join("testdata", "tr", name), Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if ds.Data.RepetitionTime != 1.8 || ds.Acquisition().TRms != 1800 {
			t.Errorf("%s: TR %g s (%g ms), want 1.8 s, 1800 ms", name, ds.Data.RepetitionTime, ds.Acquisition().TRms)
		}
	}
}
