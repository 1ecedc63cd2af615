package results

import (
	"fmt"
	"io"
	"math"
	"strings"

	"glusleep/mrs/naming"
)

// ReadFSLMRSSummary reads FSL-MRS's summary.csv (written by fsl_mrs
// Results.to_file(what='summary'); columns Metab, /REF and /REF CRLB when
// an internal reference was used, else Raw conc and Raw CRLB, then
// optionally mMol/kg, mMol/kg CRLB, mM, mM CRLB, and %CRLB, SNR, FWHM).
// Value is mM when present, else mMol/kg, else the ratio or raw
// amplitude, and Units says which; RatioTCr is the /REF column when REF is
// Cr+PCr.
func ReadFSLMRSSummary(r io.Reader) (*Result, error) {
	text, err := readAll(r)
	if err != nil {
		return nil, err
	}
	ls := lines(text)
	if len(ls) < 2 {
		return nil, fmt.Errorf("%w: FSL-MRS summary has %d lines, want a header and rows", ErrFormat, len(ls))
	}
	head := splitCSV(ls[0])
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	im, ok := col["Metab"]
	ic, ok2 := col["%CRLB"]
	if !ok || !ok2 {
		return nil, fmt.Errorf("%w: FSL-MRS summary header lacks Metab or %%CRLB: %v", ErrFormat, head)
	}
	iratio, ratioIsTCr := -1, false
	for i, h := range head {
		if strings.HasPrefix(h, "/") && !strings.HasSuffix(h, " CRLB") {
			iratio, ratioIsTCr = i, naming.CanonicalName(h[1:]) == "tCr"
		}
	}
	res := newResult("FSL-MRS")
	ival := -1
	for _, u := range []string{"mM", "mMol/kg", "Raw conc"} {
		if i, ok := col[u]; ok {
			ival, res.Units = i, "FSL-MRS "+u
			break
		}
	}
	if ival < 0 && iratio >= 0 {
		ival, res.Units = iratio, "FSL-MRS ratio "+head[iratio]
	}
	if ival < 0 {
		return nil, fmt.Errorf("%w: FSL-MRS summary has no concentration column: %v", ErrFormat, head)
	}
	for li, l := range ls[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := splitCSV(l)
		if len(f) != len(head) {
			return nil, fmt.Errorf("%w: FSL-MRS summary line %d has %d fields, header %d", ErrFormat, li+2, len(f), len(head))
		}
		v, err := parseNum(f[ival])
		if err != nil {
			return nil, fmt.Errorf("results: FSL-MRS summary line %d: %w", li+2, err)
		}
		sd, err := parseNum(f[ic])
		if err != nil {
			return nil, fmt.Errorf("results: FSL-MRS summary line %d: %w", li+2, err)
		}
		ratio := math.NaN()
		if ratioIsTCr {
			if ratio, err = parseNum(f[iratio]); err != nil {
				return nil, fmt.Errorf("results: FSL-MRS summary line %d: %w", li+2, err)
			}
		}
		res.add(f[im], v, sd, ratio)
	}
	return res, nil
}

// OspreyQuantities are the quantities Osprey writes one table each of
// (QuantifyResults/<spectrum>_<quantity>_Voxel_1_Basis_1.tsv).
var OspreyQuantities = []string{"amplMets", "tCr", "rawWaterScaled", "CSFWaterScaled", "TissCorrWaterScaled",
	"AlphaCorrWaterScaled", "AlphaCorrWaterScaledGroupNormed", "CRLB", "h2oarea"}

// ReadOspreyTable reads one of Osprey's QuantifyResults tables: a
// tab-separated header of metabolite names (Osprey's: mI, PCh, tNAA, Glx,
// or LCModel sums written Cr_PCr) and one row per spectrum, in the order
// of the job's files. quantity names the table (one of
// OspreyQuantities); for "tCr" the values are also the ratios to tCr.
// ids, when not nil, names the rows (from subject_names_and_excluded.tsv).
func ReadOspreyTable(r io.Reader, quantity string, ids []string) ([]*Result, error) {
	known := false
	for _, q := range OspreyQuantities {
		known = known || q == quantity
	}
	if !known {
		return nil, fmt.Errorf("results: Osprey quantity %q is not one of %v", quantity, OspreyQuantities)
	}
	text, err := readAll(r)
	if err != nil {
		return nil, err
	}
	ls := lines(text)
	if len(ls) < 2 {
		return nil, fmt.Errorf("%w: Osprey table has %d lines, want a header and rows", ErrFormat, len(ls))
	}
	head := strings.Split(ls[0], "\t")
	for i := range head {
		head[i] = strings.TrimSpace(head[i])
		if head[i] == "" {
			return nil, fmt.Errorf("%w: Osprey table header column %d is empty", ErrFormat, i+1)
		}
	}
	var out []*Result
	for li, l := range ls[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != len(head) {
			return nil, fmt.Errorf("%w: Osprey table line %d has %d fields, header %d", ErrFormat, li+2, len(f), len(head))
		}
		res := newResult("Osprey")
		res.Units = "Osprey " + quantity
		if li < len(ids) {
			res.ID = ids[li]
		} else {
			res.ID = fmt.Sprintf("row %d", li+1)
		}
		for j, h := range head {
			v, err := parseNum(f[j])
			if err != nil {
				return nil, fmt.Errorf("results: Osprey table line %d, %s: %w", li+2, h, err)
			}
			ratio := math.NaN()
			if quantity == "tCr" {
				ratio = v
			}
			res.add(h, v, math.NaN(), ratio)
		}
		out = append(out, res)
	}
	return out, nil
}
