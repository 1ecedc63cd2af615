package study

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"glusleep/mrs/analysis"
	"glusleep/mrs/fit"
	"glusleep/mrs/preproc"
	"glusleep/mrs/results"
)

// PhantomSettings declare every spectrum of the study a phantom (see
// mrs/analysis.Settings.Phantom).
type PhantomSettings struct {
	// TemperatureC is the phantom's temperature in °C (0: room
	// temperature, preproc.RoomTemperatureC).
	TemperatureC float64 `json:"temperature_c"`
	// Singlets are known singlets of its contents, "PPM[:NAME]" (e.g.
	// "1.904:acetate"; analysis.ParseSinglet).
	Singlets []string `json:"singlets,omitempty"`
}

// preprocPhantom converts the settings (nil stays nil).
func (ph *PhantomSettings) preprocPhantom() (*preproc.Phantom, error) {
	if ph == nil {
		return nil, nil
	}
	out := &preproc.Phantom{TemperatureC: ph.TemperatureC}
	for _, s := range ph.Singlets {
		pk, err := analysis.ParseSinglet(s)
		if err != nil {
			return nil, fmt.Errorf("settings: phantom singlet %w", err)
		}
		out.Singlets = append(out.Singlets, pk)
	}
	return out, nil
}

// MRSResultsDigest returns the SHA-256 of the names and contents of the
// files under dir (Settings.MRSResultsSHA256), so that changed results
// re-run the participants.
func MRSResultsDigest(dir string) (string, error) {
	h := sha256.New()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return "", fmt.Errorf("MRS results: %w", err)
	}
	sort.Strings(paths)
	for _, p := range paths {
		sum, err := fileSHA256(p)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s %s\n", filepath.ToSlash(rel), sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// mrsResults returns the results under Settings.MRSResults, read once.
func (pl *Pipeline) mrsResults() ([]*results.Result, error) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	dir := pl.Settings.MRSResults
	if pl.resultsFrom == dir && pl.results != nil {
		return pl.results, nil
	}
	rs, err := results.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("MRS results: %w", err)
	}
	pl.results, pl.resultsFrom = rs, dir
	return rs, nil
}

// MatchesParticipant reports whether the result r belongs to the
// participant with label: its ID (LCModel's title, an Osprey row's
// subject, or its path when the tool gave none) or its path relative to
// the results folder contains "sub-<label>" as a whole token, that is
// not followed or preceded by a letter or digit ("sub-01" matches
// "sub-01/ses-1/x.table", "sub-01_PRESS.table" and the LCModel title
// "sub-01 thalamus", not "sub-010.table").
func MatchesParticipant(r *results.Result, label string) bool {
	return hasToken(r.ID, "sub-"+label) || hasToken(r.Path, "sub-"+label)
}

func hasToken(s, tok string) bool {
	alnum := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; ; {
		j := strings.Index(s[i:], tok)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(tok)
		before := j == 0 || !alnum(rune(s[j-1]))
		after := end == len(s) || !alnum(rune(s[end]))
		if before && after {
			return true
		}
		i = j + 1
	}
}

// resultsMRS fills sum from the existing fit of p under
// Settings.MRSResults (the first matching result in path order, see
// MatchesParticipant): Glx/tCr, its %SD as the CRLB, tNAA/tCr, the tool's
// SNR (with its definition) and linewidth, and flags of implausible
// values. A participant without a result gets a warning, as one without
// readable MRS data does.
func (pl *Pipeline) resultsMRS(p *Participant, sum *Summary) ([]string, error) {
	rs, err := pl.mrsResults()
	if err != nil {
		return nil, err
	}
	var match []*results.Result
	for _, r := range rs {
		if MatchesParticipant(r, p.Label) {
			match = append(match, r)
		}
	}
	if len(match) == 0 {
		return []string{fmt.Sprintf("no MRS result for sub-%s in the --mrs-results folder: Glx/tCr is n/a", p.Label)}, nil
	}
	r := match[0]
	glx, _ := r.Get("Glx")
	crlb := math.NaN()
	if glx.Canonical != "" {
		crlb = glx.SDPercent
	}
	sum.GlxTCr, sum.GlxCRLB, sum.NAATCr = ptr(r.Ratio("Glx")), ptr(crlb), ptr(r.Ratio("tNAA"))
	sum.SNR, sum.FWHMPPM, sum.SNRDefinition = ptr(r.SNR), ptr(r.FWHMPPM), r.SNRDefinition
	sum.MRSSource = fmt.Sprintf("%s result %s", r.Tool, r.Path)
	q := analysis.QC{Flags: resultFlags(r, pl.Settings.Phantom != nil)}
	sum.QCFlags, sum.QCFlagDetails = q.FlagNames(), q.Flags
	for _, f := range q.Flags {
		sum.Notes = append(sum.Notes, f.Name+": "+f.Message)
	}
	if len(match) > 1 {
		sum.Notes = append(sum.Notes, fmt.Sprintf("MRS measures are from %s, the first of %d results matching sub-%s", r.Path, len(match), p.Label))
	}
	return nil, nil
}

// resultFlags are the flags of fit.Flags that a result table shows, by
// the same rules: tCr absent, not positive or with an undetermined %SD
// (fit.FlagTCrZero: results.Result.TCrDetected, and Ratio is then NaN),
// a brain metabolite's ratio to tCr far outside the normal range
// (fit.BrainRanges; with a detected tCr, not for phantoms), and an
// undetermined %SD (≥ 999 %, LCModel's mark) of tCr or of a BrainRanges
// metabolite (not for phantoms) with a positive value.
func resultFlags(r *results.Result, phantom bool) []fit.Flag {
	var out []fit.Flag
	tcr, ok := r.TCr()
	switch {
	case !ok || !(tcr.Value > 0):
		out = append(out, fit.Flag{Name: fit.FlagTCrZero, Message: fmt.Sprintf("%s gives no positive total creatine: ratios to tCr are undefined", r.Tool)})
	case !r.TCrDetected():
		out = append(out, fit.Flag{Name: fit.FlagTCrZero, Message: fmt.Sprintf("%s gives total creatine a %%SD of %.4g %%: not determined, ratios to tCr are undefined", r.Tool, tcr.SDPercent)})
	}
	check := []results.Metabolite{}
	if ok {
		check = append(check, tcr)
	}
	for _, b := range fit.BrainRanges {
		m, have := r.Get(b.Name)
		if !have || phantom {
			continue
		}
		check = append(check, m)
		if !r.TCrDetected() {
			continue
		}
		lo, hi := b.Limits()
		if v := r.Ratio(b.Name); !(v >= lo && v <= hi) {
			out = append(out, fit.Flag{Name: fit.FlagRatioImplausible, Message: fmt.Sprintf("%s/tCr = %.3g is outside %.2g–%.2g (twice the normal brain range either way)", b.Name, v, lo, hi)})
		}
	}
	for _, m := range check {
		if m.Value > 0 && m.SDPercent >= results.UndeterminedSD {
			out = append(out, fit.Flag{Name: fit.FlagCRLBUndetermined, Message: fmt.Sprintf("%s %%SD is %.4g %%: its value is not determined by the data", m.Canonical, m.SDPercent)})
		}
	}
	return out
}
