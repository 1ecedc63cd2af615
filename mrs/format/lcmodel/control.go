package lcmodel

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// Control is an LCModel control file ($LCMODL namelist; LCModel manual,
// section 5). Empty strings and zero numbers are left out, so LCModel's
// defaults apply.
type Control struct {
	// Title is printed on LCModel's output.
	Title string
	// Key is the licence key (LCModel 6.3's open release accepts any; its
	// test control file uses 210387309).
	Key int
	// Points is NUNFIL, the number of complex data points.
	Points int
	// DwellS is DELTAT, the dwell time in s.
	DwellS float64
	// SpectrometerMHz is HZPPPM, the spectrometer frequency in MHz.
	SpectrometerMHz float64
	// EchoTimeMS is ECHOT in ms (used with water scaling).
	EchoTimeMS float64
	// Basis, Raw and Water are FILBAS, FILRAW and FILH2O.
	Basis, Raw, Water string
	// PS, Table, CSV and Coord are FILPS, FILTAB, FILCSV and FILCOO; a
	// non-empty Table, CSV or Coord also sets LTABLE=7, LCSV=11 or
	// LCOORD=9.
	PS, Table, CSV, Coord string
	// DoWaterScaling sets DOWS (needs Water).
	DoWaterScaling bool
	// PPMStart and PPMEnd are PPMST and PPMEND, the analysis window (ppm,
	// PPMStart > PPMEnd); 0 keeps LCModel's 4.0 and 0.2.
	PPMStart, PPMEnd float64
	// NoSimulated sets NSIMUL=0: no simulated lipids, macromolecules or
	// -CrCH2 (phantoms, or bases that hold their own).
	NoSimulated bool
	// Extra are further namelist entries written as given (key = value,
	// value already in Fortran syntax, e.g. "'Cr'" or "T"), in key order.
	Extra map[string]string
}

// WriteControl writes c as an LCModel control file.
func WriteControl(w io.Writer, c Control) error {
	if c.Points <= 0 || !(c.DwellS > 0) || !(c.SpectrometerMHz > 0) {
		return fmt.Errorf("lcmodel: control needs points (%d), dwell (%g s) and frequency (%g MHz)", c.Points, c.DwellS, c.SpectrometerMHz)
	}
	if c.Basis == "" || c.Raw == "" {
		return fmt.Errorf("lcmodel: control needs a basis (FILBAS) and data (FILRAW) file")
	}
	if c.DoWaterScaling && c.Water == "" {
		return fmt.Errorf("lcmodel: control: water scaling (DOWS) needs a water file (FILH2O)")
	}
	for _, v := range []float64{c.EchoTimeMS, c.PPMStart, c.PPMEnd} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("lcmodel: control: non-finite value %g", v)
		}
	}
	if c.PPMStart != 0 && c.PPMEnd != 0 && c.PPMStart <= c.PPMEnd {
		return fmt.Errorf("lcmodel: control: PPMST %g must exceed PPMEND %g", c.PPMStart, c.PPMEnd)
	}
	for _, s := range []string{c.Title, c.Basis, c.Raw, c.Water, c.PS, c.Table, c.CSV, c.Coord} {
		if strings.ContainsAny(s, "\n\r") {
			return fmt.Errorf("lcmodel: control: %q holds a line break", s)
		}
	}
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	var lines []string
	add := func(k, v string) { lines = append(lines, fmt.Sprintf(" %s=%s", k, v)) }
	if c.Title != "" {
		add("title", q(c.Title))
	}
	if c.Key != 0 {
		add("key", fmt.Sprint(c.Key))
	}
	add("nunfil", fmt.Sprint(c.Points))
	add("deltat", fmt.Sprintf("%.9g", c.DwellS))
	add("hzpppm", fmt.Sprintf("%.9g", c.SpectrometerMHz))
	if c.EchoTimeMS > 0 {
		add("echot", fmt.Sprintf("%.6g", c.EchoTimeMS))
	}
	add("filbas", q(c.Basis))
	add("filraw", q(c.Raw))
	if c.Water != "" {
		add("filh2o", q(c.Water))
	}
	if c.DoWaterScaling {
		add("dows", "T")
	}
	if c.PS != "" {
		add("filps", q(c.PS))
	}
	if c.Table != "" {
		add("ltable", "7")
		add("filtab", q(c.Table))
	}
	if c.CSV != "" {
		add("lcsv", "11")
		add("filcsv", q(c.CSV))
	}
	if c.Coord != "" {
		add("lcoord", "9")
		add("filcoo", q(c.Coord))
	}
	if c.PPMStart != 0 {
		add("ppmst", fmt.Sprintf("%.6g", c.PPMStart))
	}
	if c.PPMEnd != 0 {
		add("ppmend", fmt.Sprintf("%.6g", c.PPMEnd))
	}
	if c.NoSimulated {
		add("nsimul", "0")
	}
	keys := make([]string, 0, len(c.Extra))
	for k := range c.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "" || strings.ContainsAny(k+c.Extra[k], "\n\r") {
			return fmt.Errorf("lcmodel: control: bad extra entry %q = %q", k, c.Extra[k])
		}
		add(k, c.Extra[k])
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, " $LCMODL")
	for _, l := range lines {
		fmt.Fprintln(bw, l)
	}
	fmt.Fprintln(bw, " $END")
	return bw.Flush()
}
