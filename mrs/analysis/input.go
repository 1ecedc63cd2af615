package analysis

import (
	"fmt"
	"path/filepath"

	"glusleep/mrs"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/preproc"
)

// givenWater is a water reference a user gave for every input (Settings.Water,
// PreprocSettings.Water), read once; the zero value is none.
type givenWater struct {
	data *mrs.Data
	path string
}

// readWater reads the water reference file at path with opt ("" : none).
func readWater(path string, opt mrsio.Options) (givenWater, error) {
	if path == "" {
		return givenWater{}, nil
	}
	ds, err := mrsio.Read(path, opt)
	if err != nil {
		return givenWater{}, fmt.Errorf("water reference: %w", err)
	}
	return givenWater{ds.Data, path}, nil
}

// input is a spectrum as every entry point reads it: the file, what mrsio
// read, and its water reference — the given one when there is one, else
// the file's own (mrsio.Dataset.Water), nil without.
type input struct {
	path string
	ds   *mrsio.Dataset
	// water is the reference; waterFrom says where it came from as the
	// QC files write it (a file name, "same file…"; "" without one) and
	// waterFile is its path (the provenance of a written copy).
	water                *mrs.Data
	waterFrom, waterFile string
}

// readInput reads the spectrum in with opt and takes its water reference:
// w when given, else the file's own.
func readInput(in string, opt mrsio.Options, w givenWater) (*input, error) {
	ds, err := mrsio.Read(in, opt)
	if err != nil {
		return nil, err
	}
	x := &input{path: in, ds: ds, water: ds.Water, waterFrom: ds.WaterFrom, waterFile: ds.WaterFile(in)}
	if w.data != nil {
		x.water, x.waterFrom, x.waterFile = w.data, filepath.Base(w.path), w.path
	}
	return x, nil
}

// preprocQC returns the content of <stem>_preproc_qc.json for the input
// preprocessed with QC q.
func (x *input) preprocQC(q preproc.QC) PreprocQC {
	return PreprocQC{Input: filepath.Base(x.path), Format: x.ds.Format, WaterReference: x.waterFrom, QC: q}
}
