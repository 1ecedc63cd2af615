// Package results reads metabolite fit results written by other tools —
// LCModel (.table, .csv, .coord), FSL-MRS (summary.csv) and Osprey
// (QuantifyResults/*.tsv) — into one form, with metabolite names mapped to
// glusleep's (naming.CanonicalName), so that spectra a lab has fitted already
// can enter the same statistics as glusleep's own fits.
package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"glusleep/mrs/naming"
)

// MaxBytes is the largest result file read (64 MiB): result tables are
// kilobytes, LCModel .coord files of one spectrum about 100 kB.
const MaxBytes = 64 << 20

// ErrFormat reports a file that is not the result format asked for.
var ErrFormat = errors.New("results: unrecognised format")

// Metabolite is one metabolite or sum of a result.
type Metabolite struct {
	// Name is the tool's name; Canonical glusleep's (PCh → PCho,
	// Cr+PCr → tCr, …).
	Name      string `json:"name"`
	Canonical string `json:"canonical"`
	// Value is the tool's estimate in Result.Units.
	Value float64 `json:"value"`
	// SDPercent is the tool's uncertainty (CRLB, LCModel's %SD) in percent
	// of Value; NaN when the tool gave none.
	SDPercent float64 `json:"sd_percent"`
	// RatioTCr is the tool's ratio to total creatine; NaN when the tool
	// gave none (Result.Ratio computes it from Value then).
	RatioTCr float64 `json:"ratio_tcr"`
}

// Result is one spectrum's fit by another tool.
type Result struct {
	// Tool is "LCModel", "FSL-MRS" or "Osprey".
	Tool string `json:"tool"`
	// ID identifies the spectrum within its source (LCModel's title, an
	// Osprey row's subject); may be empty.
	ID string `json:"id"`
	// Path is the result file's path relative to the folder ReadDir read
	// (forward slashes); empty from the single-file readers.
	Path string `json:"path,omitempty"`
	// Units of Metabolite.Value as the tool states them (e.g. "LCModel
	// concentration (institutional units)", "mM").
	Units string `json:"units"`
	// Metabolites in the tool's order.
	Metabolites []Metabolite `json:"metabolites"`
	// SNR is the tool's signal-to-noise ratio, SNRDefinition its
	// definition; NaN and empty when not given.
	SNR           float64 `json:"snr"`
	SNRDefinition string  `json:"snr_definition"`
	// FWHMPPM is the tool's linewidth (ppm), ShiftPPM its frequency
	// correction (ppm); NaN when not given.
	FWHMPPM  float64 `json:"fwhm_ppm"`
	ShiftPPM float64 `json:"shift_ppm"`
	// Spectrum holds LCModel's .coord curves, nil otherwise.
	Spectrum *Spectrum `json:"-"`
}

// Spectrum is a fit's curves at the tool's ppm points (LCModel .coord).
type Spectrum struct {
	// PPM are the points' shifts; Data the phased data, Fit the fit
	// (baseline included), Baseline LCModel's background, all real.
	PPM, Data, Fit, Baseline []float64
}

func newResult(tool string) *Result {
	return &Result{Tool: tool, SNR: math.NaN(), FWHMPPM: math.NaN(), ShiftPPM: math.NaN()}
}

// Get returns the metabolite with glusleep's name name (or the tool's own
// name for it) and whether the result has it.
func (r *Result) Get(name string) (Metabolite, bool) {
	c := naming.CanonicalName(name)
	for _, m := range r.Metabolites {
		if m.Canonical == c || m.Name == name {
			return m, true
		}
	}
	return Metabolite{}, false
}

// UndeterminedSD is the %SD from which a value is not determined by the
// data: LCModel's mark (999 %), the limit glusleep's own fits use
// (fit.UndeterminedCRLB).
const UndeterminedSD = 999

// TCr returns the result's total creatine: its tCr row, else Cr + PCr
// (with SDPercent NaN, not given), else Cr alone when the basis had no
// PCr (as fit.TCrRow does for glusleep's own fits); ok is false when there
// is no creatine.
func (r *Result) TCr() (tcr Metabolite, ok bool) {
	if tcr, ok = r.Get("tCr"); ok {
		return tcr, true
	}
	cr, ok1 := r.Get("Cr")
	if !ok1 {
		return Metabolite{}, false
	}
	pcr, ok2 := r.Get("PCr")
	if !ok2 {
		return cr, true
	}
	return Metabolite{Name: "Cr+PCr", Canonical: "tCr", Value: cr.Value + pcr.Value, SDPercent: math.NaN(), RatioTCr: math.NaN()}, true
}

// TCrDetected reports whether the result's total creatine (TCr) is
// detected: a positive value whose %SD is below UndeterminedSD (a %SD the
// tool did not give does not count against it). Ratios to tCr are
// numbers only then, as for glusleep's own fits (fit.TCrDetected).
func (r *Result) TCrDetected() bool {
	tcr, ok := r.TCr()
	return ok && tcr.Value > 0 && !(tcr.SDPercent >= UndeterminedSD)
}

// Ratio returns name's ratio to total creatine: the tool's own when it gave
// one, else Value over tCr's (or Cr+PCr's) Value; NaN when name is absent
// or tCr is not detected (TCrDetected), whatever ratio the tool wrote.
func (r *Result) Ratio(name string) float64 {
	m, ok := r.Get(name)
	if !ok || !r.TCrDetected() {
		return math.NaN()
	}
	if !math.IsNaN(m.RatioTCr) {
		return m.RatioTCr
	}
	tcr, _ := r.TCr()
	return m.Value / tcr.Value
}

func (r *Result) add(name string, value, sd, ratio float64) {
	r.Metabolites = append(r.Metabolites, Metabolite{Name: name, Canonical: naming.CanonicalName(name),
		Value: value, SDPercent: sd, RatioTCr: ratio})
}

// readAll reads r within MaxBytes.
func readAll(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return "", err
	}
	if len(b) > MaxBytes {
		return "", fmt.Errorf("results: input exceeds %d bytes", MaxBytes)
	}
	return string(b), nil
}

// lines splits text into lines without their line ends.
func lines(text string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), MaxBytes)
	for sc.Scan() {
		out = append(out, strings.TrimRight(sc.Text(), "\r"))
	}
	return out
}

// parseNum parses a number as the tools write it (Fortran E notation,
// "NaN", empty for missing → NaN).
func parseNum(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "nan") {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(strings.Replace(strings.Replace(s, "D", "E", 1), "d", "e", 1), 64)
	if err != nil {
		return 0, fmt.Errorf("number %q: %w", s, err)
	}
	return v, nil
}
