// Package lcmodel reads and writes LCModel's time-domain data files (.RAW
// for water-suppressed data, .H2O for the water reference): Fortran
// namelists ($SEQPAR, $NMID) followed by the complex FID as pairs of reals.
//
// LCModel's FIDs use the opposite sign convention to NIfTI-MRS (see
// ../shared/DESIGN.md §4): they are conjugated when read and when written,
// so a glusleep FID always peaks at the right chemical shift.
package lcmodel

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/format/internal/budget"
)

// File is an LCModel .RAW/.H2O file.
type File struct {
	// Namelists are the header groups in file order ($SEQPAR, $NMID, ...).
	Namelists []Namelist
	// FID holds the samples in the NIfTI-MRS convention (already conjugated).
	FID []complex128
}

// Namelist returns the header group with the given name and whether it
// exists.
func (f *File) Namelist(name string) (Namelist, bool) {
	for _, n := range f.Namelists {
		if strings.EqualFold(n.Name, name) {
			return n, true
		}
	}
	return Namelist{}, false
}

// maxPoints bounds the number of samples read (a corrupt header must not
// make the reader allocate without limit).
const maxPoints = 1 << 22

// Read reads an LCModel .RAW or .H2O file. The number of points is taken
// from the data (every complex pair up to the end of the file), or must
// equal points when points > 0.
func Read(r io.Reader, points int) (*File, error) {
	b, err := io.ReadAll(io.LimitReader(r, budget.MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > budget.MaxFileBytes {
		return nil, fmt.Errorf("file is over the %d-byte read budget for an MRS file", budget.MaxFileBytes)
	}
	text := string(b)
	f := &File{}
	pos := 0
	fmtDat := ""
	// Header: namelists until the one holding FMTDAT ($NMID), each
	// introduced by $ or & at the start of a token.
	for {
		k := pos
		for k < len(text) && isSpace(text[k]) {
			k++
		}
		if k >= len(text) || (text[k] != '$' && text[k] != '&') {
			break
		}
		nl, n, err := parseNamelist(text[k:])
		if err != nil {
			return nil, fmt.Errorf("header: %w", err)
		}
		f.Namelists = append(f.Namelists, nl)
		pos = k + n
		if v, ok := nl.Values["FMTDAT"]; ok {
			fmtDat = v
		}
	}
	if len(f.Namelists) == 0 {
		return nil, fmt.Errorf("header: no $NMID namelist before the data")
	}
	if _, ok := f.Namelist("NMID"); !ok {
		return nil, fmt.Errorf("header: no $NMID namelist (found %s)", names(f.Namelists))
	}
	// Skip the rest of the $END line.
	if nl := strings.IndexByte(text[pos:], '\n'); nl >= 0 {
		pos += nl + 1
	} else {
		pos = len(text)
	}
	ff, fixed := parseFormat(fmtDat)
	count := 0
	if points > 0 {
		count = 2 * points
	} else {
		count = countReals(text[pos:], ff, fixed)
	}
	if count == 0 {
		return nil, fmt.Errorf("data: no samples after the header")
	}
	if count%2 != 0 {
		return nil, fmt.Errorf("data: %d reals, want an even number (real, imaginary pairs)", count)
	}
	if count/2 > maxPoints {
		return nil, fmt.Errorf("data: %d points, more than the %d glusleep reads", count/2, maxPoints)
	}
	vals, _, err := readReals(text[pos:], count, ff, fixed)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	f.FID = make([]complex128, count/2)
	for i := range f.FID {
		re, im := vals[2*i], vals[2*i+1]
		if math.IsNaN(re) || math.IsNaN(im) || math.IsInf(re, 0) || math.IsInf(im, 0) {
			return nil, fmt.Errorf("data: point %d is not finite", i)
		}
		// LCModel convention → NIfTI-MRS convention.
		f.FID[i] = complex(re, -im)
	}
	return f, nil
}

func names(nls []Namelist) string {
	var s []string
	for _, n := range nls {
		s = append(s, "$"+n.Name)
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// countReals counts the reals left in text.
func countReals(text string, f fortranFormat, fixed bool) int {
	n := 0
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		if fixed && len(strings.Fields(l)) != (len(l)+f.width-1)/f.width {
			for k := 0; k < len(l); k += f.width {
				e := min(k+f.width, len(l))
				if strings.TrimSpace(l[k:e]) != "" {
					n++
				}
			}
		} else {
			n += len(strings.Fields(l))
		}
	}
	return n
}

// ReadFile reads the LCModel file at path; errors name the file.
func ReadFile(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	f, err := Read(bufio.NewReader(fh), 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Data converts the file to an mrs.Data with parameters p (an LCModel
// .RAW file does not carry dwell time or frequency unless $SEQPAR gives
// HZPPPM and ECHOT; those fill the zero fields of p).
func (f *File) Data(p mrs.Params) *mrs.Data {
	if sp, ok := f.Namelist("SEQPAR"); ok {
		if p.SpectrometerFrequency == 0 {
			if v, err := sp.Float("HZPPPM", 0); err == nil && v > 0 {
				p.SpectrometerFrequency = v
			}
		}
		if p.EchoTime == 0 {
			if v, err := sp.Float("ECHOT", 0); err == nil && v > 0 {
				p.EchoTime = v / 1000
			}
		}
		if p.Sequence == "" {
			p.Sequence = strings.TrimSpace(sp.String("SEQ"))
		}
	}
	if p.Nucleus == "" {
		p.Nucleus = "1H"
	}
	return &mrs.Data{Params: p, FIDs: [][]complex128{append([]complex128(nil), f.FID...)}, Meta: map[string]any{}}
}

// Write writes fid (NIfTI-MRS convention) as an LCModel .RAW/.H2O file with
// a $SEQPAR (when p has a frequency) and a $NMID namelist, in the (2E16.6)
// format with one complex point per line.
func Write(w io.Writer, id string, p mrs.Params, fid []complex128) error {
	bw := bufio.NewWriter(w)
	if p.SpectrometerFrequency > 0 {
		fmt.Fprintf(bw, " $SEQPAR\n HZPPPM = %.10g,\n", p.SpectrometerFrequency)
		if p.EchoTime > 0 {
			fmt.Fprintf(bw, " ECHOT = %.6g,\n", p.EchoTime*1000)
		}
		if p.Sequence != "" {
			fmt.Fprintf(bw, " SEQ = '%s',\n", strings.ReplaceAll(p.Sequence, "'", "''"))
		}
		fmt.Fprintf(bw, " $END\n")
	}
	fmt.Fprintf(bw, " $NMID\n ID = '%s',\n FMTDAT = '(2E16.6)',\n VOLUME = 1.,\n TRAMP = 1.\n $END\n",
		strings.ReplaceAll(id, "'", "''"))
	for _, v := range fid {
		// NIfTI-MRS → LCModel convention.
		fmt.Fprintf(bw, "%16.6E%16.6E\n", real(v), -imag(v))
	}
	return bw.Flush()
}
