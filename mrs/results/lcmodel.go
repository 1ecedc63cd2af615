package results

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"glusleep/mrs/naming"
)

// LCModelUnits describes LCModel's concentrations: water-scaled (mM-like
// "institutional units") with DOWS=T, else relative to the basis's CONC.
const LCModelUnits = "LCModel concentration (institutional units; relative without water scaling)"

// LCModelSNRDefinition is LCModel's S/N (LCModel manual, section 2.4.2).
const LCModelSNRDefinition = "LCModel S/N: maximum of the phased spectrum minus baseline over the analysis window, divided by twice the RMS of the residual"

// ReadLCModelTable reads an LCModel .table file (LTABLE output): the
// concentration table ($$CONC), linewidth, S/N and data shift ($$MISC)
// and the title.
func ReadLCModelTable(r io.Reader) (*Result, error) {
	text, err := readAll(r)
	if err != nil {
		return nil, err
	}
	ls := lines(text)
	if len(ls) == 0 || !strings.Contains(ls[0], "LCModel") {
		return nil, fmt.Errorf("%w: no LCModel banner on the first line of a .table", ErrFormat)
	}
	res := newResult("LCModel")
	res.Units = LCModelUnits
	if len(ls) > 1 {
		res.ID = strings.TrimSpace(ls[1])
	}
	found := false
	for i, l := range ls {
		switch {
		case strings.HasPrefix(l, "$$CONC"):
			if err := parseConcTable(res, ls, i); err != nil {
				return nil, err
			}
			found = true
		case strings.HasPrefix(l, "$$MISC"):
			parseMisc(res, ls[i+1:])
		}
	}
	if !found {
		return nil, fmt.Errorf("%w: .table without a $$CONC concentration table", ErrFormat)
	}
	return res, nil
}

// sectionCount reads "N lines in following …" from a section header.
func sectionCount(l string) (int, error) {
	f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(l), "$$CONC"))
	if len(f) == 0 {
		return 0, fmt.Errorf("%w: LCModel section header %q has no line count", ErrFormat, l)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 1 || n > 100000 {
		return 0, fmt.Errorf("%w: LCModel section header %q: bad line count", ErrFormat, l)
	}
	return n, nil
}

// parseConcTable reads the concentration table whose header ("N lines in
// following concentration table") is ls[at]: a column header line, then
// N−1 rows "conc %SD ratio name".
func parseConcTable(res *Result, ls []string, at int) error {
	n, err := sectionCount(ls[at])
	if err != nil {
		return err
	}
	if at+n >= len(ls) {
		return fmt.Errorf("%w: LCModel concentration table announces %d lines, the file ends after %d", ErrFormat, n, len(ls)-at-1)
	}
	// The header names the ratio's denominator, e.g. "/Cr+PCr".
	ratioIsTCr := false
	for _, f := range strings.Fields(ls[at+1]) {
		if strings.HasPrefix(f, "/") {
			ratioIsTCr = naming.CanonicalName(f[1:]) == "tCr"
		}
	}
	for k := at + 2; k <= at+n; k++ {
		f := splitRatioFlag(strings.Fields(ls[k]))
		if len(f) < 4 || !strings.HasSuffix(f[1], "%") {
			return fmt.Errorf("%w: LCModel concentration row %d %q: want conc, %%SD, ratio, name", ErrFormat, k+1, ls[k])
		}
		conc, err := parseNum(f[0])
		if err != nil {
			return fmt.Errorf("results: LCModel row %d: %w", k+1, err)
		}
		sd, err := parseNum(strings.TrimSuffix(f[1], "%"))
		if err != nil {
			return fmt.Errorf("results: LCModel row %d: %w", k+1, err)
		}
		ratio, err := parseNum(f[2])
		if err != nil {
			return fmt.Errorf("results: LCModel row %d: %w", k+1, err)
		}
		if !ratioIsTCr {
			ratio = math.NaN()
		}
		res.add(strings.Join(f[3:], " "), conc, sd, ratio)
	}
	return nil
}

// splitRatioFlag splits a concentration row's third field when LCModel
// wrote a '+' or '-' between the ratio and the name in place of the
// space: its mark of a metabolite outside its soft ratio constraint (e.g.
// "1.101+Glc"; LCModel.f, the concentration table's fmtpm). The mark is
// dropped; the ratio and name are kept.
func splitRatioFlag(f []string) []string {
	if len(f) != 3 {
		return f
	}
	s := f[2]
	for i := 1; i < len(s)-1; i++ {
		if s[i] != '+' && s[i] != '-' {
			continue
		}
		if _, err := strconv.ParseFloat(s[:i], 64); err == nil {
			return []string{f[0], f[1], s[:i], s[i+1:]}
		}
	}
	return f
}

// parseMisc reads FWHM, S/N and data shift from LCModel's misc. table.
func parseMisc(res *Result, ls []string) {
	for i, l := range ls {
		if i > 8 || strings.HasPrefix(l, "$$") {
			return
		}
		if v, ok := after(l, "FWHM ="); ok {
			res.FWHMPPM = v
		}
		if v, ok := after(l, "S/N ="); ok {
			res.SNR, res.SNRDefinition = v, LCModelSNRDefinition
		}
		if v, ok := after(l, "Data shift ="); ok {
			res.ShiftPPM = v
		}
	}
}

// after returns the number following key in l.
func after(l, key string) (float64, bool) {
	i := strings.Index(l, key)
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(l[i+len(key):])
	if len(f) == 0 {
		return 0, false
	}
	v, err := parseNum(f[0])
	return v, err == nil && !math.IsNaN(v)
}

// ReadLCModelCSV reads an LCModel .csv file (LCSV output): one result per
// row (one per voxel: ID "row R col C"), columns "Name", "Name %SD" and
// "Name/Cr+PCr" per metabolite. LCModel cuts names to 13 characters there
// (MM14+Lip13a+L); the .table has them whole.
func ReadLCModelCSV(r io.Reader) ([]*Result, error) {
	text, err := readAll(r)
	if err != nil {
		return nil, err
	}
	ls := lines(text)
	if len(ls) < 2 {
		return nil, fmt.Errorf("%w: LCModel .csv has %d lines, want a header and a row", ErrFormat, len(ls))
	}
	head := splitCSV(ls[0])
	if len(head) < 5 || head[0] != "Row" || head[1] != "Col" || (len(head)-2)%3 != 0 {
		return nil, fmt.Errorf("%w: LCModel .csv header must be Row, Col, then Name, Name %%SD, Name/REF per metabolite", ErrFormat)
	}
	var out []*Result
	for li, l := range ls[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := splitCSV(l)
		if len(f) != len(head) {
			return nil, fmt.Errorf("%w: LCModel .csv line %d has %d fields, header %d", ErrFormat, li+2, len(f), len(head))
		}
		res := newResult("LCModel")
		res.Units = LCModelUnits
		res.ID = fmt.Sprintf("row %s col %s", f[0], f[1])
		for j := 2; j < len(head); j += 3 {
			name := head[j]
			if head[j+1] != name+" %SD" || !strings.HasPrefix(head[j+2], name+"/") {
				return nil, fmt.Errorf("%w: LCModel .csv columns %q, %q, %q are not one metabolite's", ErrFormat, head[j], head[j+1], head[j+2])
			}
			var v [3]float64
			for k := 0; k < 3; k++ {
				if v[k], err = parseNum(f[j+k]); err != nil {
					return nil, fmt.Errorf("results: LCModel .csv line %d, %s: %w", li+2, head[j+k], err)
				}
			}
			if naming.CanonicalName(strings.TrimPrefix(head[j+2], name+"/")) != "tCr" {
				v[2] = math.NaN()
			}
			res.add(name, v[0], v[1], v[2])
		}
		out = append(out, res)
	}
	return out, nil
}

func splitCSV(l string) []string {
	f := strings.Split(l, ",")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	return f
}

// ReadLCModelCoord reads an LCModel .coord file (LCOORD output): the
// concentration and misc. tables and the ppm axis, phased data, fit and
// background curves.
func ReadLCModelCoord(r io.Reader) (*Result, error) {
	text, err := readAll(r)
	if err != nil {
		return nil, err
	}
	ls := lines(text)
	if len(ls) == 0 || !strings.Contains(ls[0], "LCModel") {
		return nil, fmt.Errorf("%w: no LCModel banner on the first line of a .coord", ErrFormat)
	}
	res := newResult("LCModel")
	res.Units = LCModelUnits
	if len(ls) > 1 {
		res.ID = strings.TrimSpace(ls[1])
	}
	sp := &Spectrum{}
	ny := -1
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		switch {
		case strings.Contains(l, "lines in following concentration table"):
			if err := parseConcTable(res, ls, i); err != nil {
				return nil, err
			}
		case strings.Contains(l, "lines in following misc. output table"):
			parseMisc(res, ls[i+1:])
		case strings.Contains(l, "points on ppm-axis = NY"):
			if ny, err = strconv.Atoi(strings.Fields(l)[0]); err != nil || ny < 1 || ny > 1<<20 {
				return nil, fmt.Errorf("%w: .coord line %d: bad NY", ErrFormat, i+1)
			}
			if sp.PPM, i, err = readValues(ls, i+1, ny); err != nil {
				return nil, err
			}
			i--
		case strings.Contains(l, "NY phased data points follow"):
			sp.Data, i, err = readValues(ls, i+1, ny)
			i--
		case strings.Contains(l, "NY points of the fit to the data follow"):
			sp.Fit, i, err = readValues(ls, i+1, ny)
			i--
		case strings.Contains(l, "NY background values follow"):
			sp.Baseline, i, err = readValues(ls, i+1, ny)
			i--
		}
		if err != nil {
			return nil, err
		}
	}
	if len(res.Metabolites) == 0 {
		return nil, fmt.Errorf("%w: .coord without a concentration table", ErrFormat)
	}
	if sp.PPM != nil {
		if sp.Data == nil || sp.Fit == nil || sp.Baseline == nil {
			return nil, fmt.Errorf("%w: .coord has a ppm axis but not the data, fit and background curves", ErrFormat)
		}
		res.Spectrum = sp
	}
	return res, nil
}

// readValues reads n whitespace-separated numbers from ls starting at line
// from; it returns them and the index of the line after the last one read.
func readValues(ls []string, from, n int) ([]float64, int, error) {
	if n < 1 {
		return nil, from, fmt.Errorf("%w: .coord curve before its NY count", ErrFormat)
	}
	out := make([]float64, 0, n)
	i := from
	for ; i < len(ls) && len(out) < n; i++ {
		for _, f := range strings.Fields(ls[i]) {
			v, err := parseNum(f)
			if err != nil {
				return nil, i, fmt.Errorf("%w: .coord line %d: %v", ErrFormat, i+1, err)
			}
			out = append(out, v)
		}
	}
	if len(out) != n {
		return nil, i, fmt.Errorf("%w: .coord curve at line %d has %d values, want NY = %d", ErrFormat, from, len(out), n)
	}
	return out, i, nil
}
