package basis

import (
	"fmt"
	"path/filepath"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/naming"
	"glusleep/mrs/sim"
)

// Like fills r's sequence (sim.SequenceFor: PRESS TE1 = TE2 = TE/2, STEAM
// TE and TM, semi-LASER), spectrometer frequency (MHz), dwell (s) and
// points from the header of the MRS data file at path, read with opt (its
// MixingTime, in s, replaces a STEAM file's, as mrs fit's reading does:
// mrsio.Options.MixingTime), and keeps that file's acquisition
// (Request.LikeAcquisition).
func (r *Request) Like(path string, opt mrsio.Options) error {
	ds, err := mrsio.Read(path, opt)
	if err != nil {
		return err
	}
	acq := ds.Acquisition()
	r.LikeAcquisition = &acq
	p := ds.Data.Params
	if r.Sequence, err = sim.SequenceFor(p); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r.MHz, r.Dwell, r.Points = p.SpectrometerFrequency, p.Dwell, ds.Data.Points()
	return nil
}

// Given are acquisition parameters a user states, each overriding the
// request's (e.g. from Like) when not zero: sequence times in s (PRESS
// takes TE1 and TE2, or TE split in halves; STEAM and semi-LASER TE,
// STEAM TM), the spectrometer frequency in MHz (else FieldT in T at
// mrs.ProtonMHzPerTesla), the dwell in s and the number of points.
type Given struct {
	TE1, TE2, TE, TM   float64
	MHz, FieldT, Dwell float64
	Points             int
}

// Set puts g's non-zero parameters into r.
func (r *Request) Set(g Given) {
	q := &r.Sequence
	switch {
	case !strings.EqualFold(q.Kind, "press"):
		q.TE, q.TM = nonZero(g.TE, q.TE), nonZero(g.TM, q.TM)
	case g.TE1 > 0 || g.TE2 > 0: // one half-echo given: the other is kept
		q.TE1, q.TE2 = nonZero(g.TE1, q.TE1), nonZero(g.TE2, q.TE2)
	case g.TE > 0:
		q.TE1, q.TE2 = g.TE/2, g.TE/2
	}
	if g.MHz == 0 {
		g.MHz = g.FieldT * mrs.ProtonMHzPerTesla
	}
	r.MHz, r.Dwell = nonZero(g.MHz, r.MHz), nonZero(g.Dwell, r.Dwell)
	if g.Points > 0 {
		r.Points = g.Points
	}
}

// nonZero returns v, or def when v is 0.
func nonZero(v, def float64) float64 {
	if v != 0 {
		return v
	}
	return def
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
	o.Names = c
	if err := o.checkNames(); err != nil {
		return o, err
	}
	return o, nil
}

// checkNames refuses a name convention the format cannot be written in:
// an LCModel .BASIS takes LCModel's names (naming.NamesLCModel, or
// naming.NamesFSL, the same names), which its default sums (GPC+PCh) and
// soft constraints (Scyllo/Big3) need.
func (o Output) checkNames() error {
	if o.Format == FormatLCModel && o.Names != naming.NamesLCModel && o.Names != naming.NamesFSL {
		return fmt.Errorf("names %s: an LCModel .BASIS is written with LCModel's names (PCh, Scyllo), which its default sums and priors need; use format fsl or nifti for other names", o.Names)
	}
	return nil
}

// Write writes the set as o says, its metabolites named by o.Names in
// every format (a renamed copy: s keeps its names), and returns a one-line
// description of what it wrote. An LCModel .BASIS refuses a convention
// other than LCModel's (or FSL-MRS's, the same names), as NewOutput does.
func (s *Set) Write(o Output) (string, error) {
	if err := o.checkNames(); err != nil {
		return "", err
	}
	switch o.Format {
	case FormatLCModel:
		c := s.renamed(o.Names)
		if err := c.WriteLCModel(o.Path); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s: %d metabolites (%s), %s, %d points at %g s",
			o.Path, len(c.Names), strings.Join(c.Names, " "), s.Source, s.Points(), s.Params.Dwell), nil
	case FormatFSL:
		if err := s.WriteFSLNames(o.Path, o.Names); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s/: %d entries as FSL-MRS JSON (%s)", o.Path, len(s.Names), s.Source), nil
	case FormatNIfTI:
		if err := s.renamed(o.Names).WriteNIfTI(o.Path); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s/: %d entries as NIfTI-MRS (%s)", o.Path, len(s.Names), s.Source), nil
	}
	return "", fmt.Errorf("basis: output format %q: want lcmodel, fsl or nifti", o.Format)
}

// renamed returns a shallow copy of s with its names in convention c
// (naming.Name): the caller's set (often a shared one from Source.For)
// keeps its names.
func (s *Set) renamed(c naming.NameConvention) *Set {
	r := *s
	r.Names = make([]string, len(s.Names))
	for i, n := range s.Names {
		r.Names[i] = naming.Name(n, c)
	}
	return &r
}
