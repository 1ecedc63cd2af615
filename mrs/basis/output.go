package basis

import (
	"fmt"
	"path/filepath"
	"strings"

	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/naming"
	"glusleep/mrs/sim"
)

// Like fills r's sequence (sim.SequenceFor: PRESS TE1 = TE2 = TE/2, STEAM
// TE and TM, semi-LASER), spectrometer frequency (MHz), dwell (s) and
// points from the header of the MRS data file at path.
func (r *Request) Like(path string) error {
	ds, err := mrsio.Read(path, mrsio.Options{})
	if err != nil {
		return err
	}
	p := ds.Data.Params
	if r.Sequence, err = sim.SequenceFor(p); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r.MHz, r.Dwell, r.Points = p.SpectrometerFrequency, p.Dwell, ds.Data.Points()
	return nil
}

// SetTiming puts sequence times (s) into r's sequence: PRESS takes te1
// and te2, or te split in halves when both are 0; STEAM and semi-LASER
// take te, STEAM tm. Zero times leave r's (e.g. from Like) alone.
func (r *Request) SetTiming(te1, te2, te, tm float64) {
	q := &r.Sequence
	if strings.EqualFold(q.Kind, "press") {
		if te1 > 0 || te2 > 0 {
			q.TE1, q.TE2 = te1, te2
		} else if te > 0 {
			q.TE1, q.TE2 = te/2, te/2
		}
		return
	}
	if te > 0 {
		q.TE = te
	}
	if tm > 0 {
		q.TM = tm
	}
}

// Format is a basis-set format glusleep writes.
type Format string

// The formats Set.Write writes.
const (
	// FormatLCModel is an LCModel .BASIS file.
	FormatLCModel Format = "lcmodel"
	// FormatFSL is a folder of FSL-MRS JSON files, one per metabolite.
	FormatFSL Format = "fsl"
	// FormatNIfTI is a folder of NIfTI-MRS files, one per metabolite.
	FormatNIfTI Format = "nifti"
)

// Output is where and how Set.Write writes a basis set.
type Output struct {
	// Path is the .BASIS file (FormatLCModel) or the folder.
	Path   string
	Format Format
	// Names is the metabolite-name convention of the files.
	Names naming.NameConvention
}

// NewOutput checks an output's format ("lcmodel", "fsl" or "nifti", any
// case; "": LCModel for a path ending in .BASIS, else FSL-MRS) and name
// convention ("lcmodel", "fsl" or "glusleep"; "": the format's own, i.e.
// LCModel's, FSL-MRS's, glusleep's for NIfTI-MRS). An LCModel .BASIS
// keeps LCModel's names (PCh, Scyllo), which its default sums and priors
// need. Errors name the field ("format …", "names …").
func NewOutput(path, format, names string) (Output, error) {
	o := Output{Path: path, Format: Format(strings.ToLower(format))}
	switch o.Format {
	case "":
		o.Format = FormatFSL
		if strings.EqualFold(filepath.Ext(path), ".basis") {
			o.Format = FormatLCModel
		}
	case FormatLCModel, FormatFSL, FormatNIfTI:
	default:
		return o, fmt.Errorf("format %q: want lcmodel, fsl or nifti", format)
	}
	if names == "" {
		o.Names = map[Format]naming.NameConvention{FormatLCModel: naming.NamesLCModel, FormatFSL: naming.NamesFSL, FormatNIfTI: naming.NamesGlusleep}[o.Format]
		return o, nil
	}
	c, ok := naming.ParseNameConvention(names)
	if !ok {
		return o, fmt.Errorf("names %q: want lcmodel, fsl or glusleep", names)
	}
	if o.Format == FormatLCModel && c == naming.NamesGlusleep {
		return o, fmt.Errorf("names glusleep: an LCModel .BASIS is written with LCModel's names (PCh, Scyllo), which its default sums and priors need; use format fsl or nifti for glusleep's names")
	}
	o.Names = c
	return o, nil
}

// Write writes the set as o says (NIfTI-MRS entries renamed in place to
// o.Names) and returns a one-line description of what it wrote.
func (s *Set) Write(o Output) (string, error) {
	switch o.Format {
	case FormatLCModel:
		if err := s.WriteLCModel(o.Path); err != nil {
			return "", err
		}
		written := make([]string, len(s.Names))
		for i, n := range s.Names {
			written[i] = naming.Name(n, naming.NamesLCModel)
		}
		return fmt.Sprintf("%s: %d metabolites (%s), %s, %d points at %g s",
			o.Path, len(s.Names), strings.Join(written, " "), s.Source, s.Points(), s.Params.Dwell), nil
	case FormatFSL:
		if err := s.WriteFSLNames(o.Path, o.Names); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s/: %d entries as FSL-MRS JSON (%s)", o.Path, len(s.Names), s.Source), nil
	case FormatNIfTI:
		for i, n := range s.Names {
			s.Names[i] = naming.Name(n, o.Names)
		}
		if err := s.WriteNIfTI(o.Path); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s/: %d entries as NIfTI-MRS (%s)", o.Path, len(s.Names), s.Source), nil
	}
	return "", fmt.Errorf("basis: output format %q: want lcmodel, fsl or nifti", o.Format)
}
