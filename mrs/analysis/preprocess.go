package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/preproc"
)

// PreprocSettings are the options of Preprocess.
type PreprocSettings struct {
	// Read supplies what inputs lack (dwell, frequency, TE).
	Read mrsio.Options
	// Water is a water reference file; empty: the input's own, if found.
	Water string
	// Options are the preprocessing's (steps, line broadening in Hz,
	// zero filling, phantom).
	Options preproc.Options
	// Provenance marks the NIfTI-MRS outputs (its Original is set to the
	// input for the spectrum, to the water reference's file for the
	// reference).
	Provenance mrsio.Provenance
}

// Preprocessed is a spectrum Preprocess preprocessed and wrote.
type Preprocessed struct {
	*preproc.Result
	// QC is the content of <stem>_preproc_qc.json.
	QC PreprocQC
	// SVS and Water are the NIfTI-MRS files written (Water "" without a
	// water reference).
	SVS, Water string
}

// Preprocess reads the spectrum in (any format mrsio reads) and its water
// reference, preprocesses it (preproc.Run) and writes in dir (made if
// needed) <stem>_svs.nii.gz, with a water reference <stem>_mrsref.nii.gz
// (metadata by mrsio.ForOutput, the steps as ProcessingApplied), and the
// preprocessing QC and figure (WritePreproc); stem is Stem(in).
func Preprocess(in, dir string, s PreprocSettings) (*Preprocessed, error) {
	w, err := readWater(s.Water, s.Read)
	if err != nil {
		return nil, err
	}
	x, err := readInput(in, s.Read, w)
	if err != nil {
		return nil, err
	}
	res, err := preproc.Run(x.ds.Data, x.water, s.Options)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p := &Preprocessed{Result: res, QC: x.preprocQC(res.QC)}
	stem := Stem(in)
	write := func(name string, d *mrs.Data, original string) (string, error) {
		prov := s.Provenance
		prov.Original = original
		c := mrsio.ForOutput(d, prov, true)
		c.Meta["ProcessingApplied"] = strings.Join(res.QC.Steps, "; ")
		path := filepath.Join(dir, stem+name)
		return path, nifti.WriteData(path, c)
	}
	if p.SVS, err = write("_svs.nii.gz", res.Data, in); err != nil {
		return nil, err
	}
	if res.Water != nil {
		if p.Water, err = write("_mrsref.nii.gz", res.Water, x.waterFile); err != nil {
			return nil, err
		}
	}
	if _, err := WritePreproc(dir, stem, p.QC, res); err != nil {
		return nil, err
	}
	return p, nil
}
