// Package export writes the samples of any set of an EDF/EDF+/BDF
// recording's signals, streamed record by record in bounded memory, as a
// tab-separated table (TSV) or as NumPy arrays (.npy, .npz), with each
// sample's time in seconds from the recording start taken from the record
// onsets (so EDF+D/BDF+D gaps are kept), in the signals' physical units or
// with voltages in µV.
//
// Layouts:
//   - TSV: a header "time_s", then "LABEL (UNIT)" per signal; one row per
//     sample instant. All signals must share one sampling rate.
//   - .npy: one float64 array of shape (samples, 1+signals): column 0 is
//     time_s, then one column per signal. All signals must share one rate.
//     The column names and units are not in the file: Write returns them
//     (glusleep writes them beside it as JSON).
//   - .npz: per sampling rate, data (samples × signals, float64 or
//     float32), time_s (float64), channels and units (strings) and rate_hz;
//     with several rates each name ends in _<rate>hz (e.g. data_256hz).
package export

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/internal/npy"
	"glusleep/psg/edf"
)

// Format is an output layout.
type Format string

// The formats (see the package documentation).
const (
	TSV Format = "tsv"
	NPY Format = "npy"
	NPZ Format = "npz"
)

// ParseFormat reads "tsv", "npy" or "npz".
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))); f {
	case TSV, NPY, NPZ:
		return f, nil
	}
	return "", fmt.Errorf("export format %q, want tsv, npy or npz", s)
}

// Options select what is written.
type Options struct {
	// Channels are signal indices (0-based) in output order; empty means
	// every signal that is not an annotation signal.
	Channels []int
	// Start and Duration bound the time window in s from the recording
	// start (Duration < 0: to the end).
	Start, Duration float64
	// Microvolts converts voltage signals (V, mV, µV, nV) to µV; other
	// signals keep their physical unit.
	Microvolts bool
	// Format is the layout; DType the .npz data type (npy.Float64 when
	// empty; .npy and TSV always write float64 / decimal text).
	Format Format
	DType  npy.DType
	// Progress, when set, is called after each block of records with the
	// records done and the total to do (over all passes).
	Progress func(done, total int)
}

// Column describes one exported signal.
type Column struct {
	// Index is the signal's 0-based index in the file; Label its label.
	Index int    `json:"index"`
	Label string `json:"label"`
	// Unit is the unit written ("uV" when converted).
	Unit string `json:"unit"`
	// RateHz is the sampling rate.
	RateHz float64 `json:"rate_hz"`
	// Samples is the number of samples written.
	Samples int `json:"samples"`
}

// Summary says what Write wrote.
type Summary struct {
	// Columns are the signals in output order.
	Columns []Column `json:"columns"`
	// Format is the layout written.
	Format Format `json:"format"`
	// Start and End bound the samples written (s from the recording start);
	// Gaps counts the record gaps inside them.
	Start float64 `json:"start_s"`
	End   float64 `json:"end_s"`
	Gaps  int     `json:"gaps"`
}

// SelectChannels resolves channel specifications: a 1-based signal number
// as `psg info` prints it (optionally written "#3"), or a label (compared
// ignoring case and surrounding space). A label that several signals carry
// is refused with their numbers, so that duplicates are addressed by
// number. Empty specs select every non-annotation signal.
func SelectChannels(f *edf.File, specs []string) ([]int, error) {
	if len(specs) == 0 {
		var out []int
		for i, s := range f.Signals {
			if !s.IsAnnotation() {
				out = append(out, i)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%s: no data signals (only annotations)", f.Name)
		}
		return out, nil
	}
	var out []int
	for _, spec := range specs {
		sp := strings.TrimSpace(spec)
		if sp == "" {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(sp, "#")); err == nil {
			if n < 1 || n > len(f.Signals) {
				return nil, fmt.Errorf("%s: channel %d does not exist: signals are numbered 1 to %d", f.Name, n, len(f.Signals))
			}
			if f.Signals[n-1].IsAnnotation() {
				return nil, fmt.Errorf("%s: signal %d (%s) holds annotations, not samples", f.Name, n, f.Signals[n-1].Label)
			}
			out = append(out, n-1)
			continue
		}
		var hits []int
		for i, s := range f.Signals {
			if !s.IsAnnotation() && strings.EqualFold(strings.TrimSpace(s.Label), sp) {
				hits = append(hits, i)
			}
		}
		switch len(hits) {
		case 0:
			return nil, fmt.Errorf("%s: no signal labelled %q; the file has: %s", f.Name, sp, labelList(f))
		case 1:
			out = append(out, hits[0])
		default:
			nums := make([]string, len(hits))
			for k, h := range hits {
				nums[k] = strconv.Itoa(h + 1)
			}
			return nil, fmt.Errorf("%s: %d signals are labelled %q (numbers %s): give the number instead of the label", f.Name, len(hits), sp, strings.Join(nums, ", "))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no channels given", f.Name)
	}
	return out, nil
}

func labelList(f *edf.File) string {
	var b []string
	for i, s := range f.Signals {
		if !s.IsAnnotation() {
			b = append(b, fmt.Sprintf("%d %q", i+1, s.Label))
		}
	}
	return strings.Join(b, ", ")
}

// group is a set of columns sharing one number of samples per record.
type group struct {
	perRecord int
	rate      float64
	cols      []int // indices into the column list
}

// plan holds what every pass needs: the selected records and, per record,
// the range of sample positions (as fractions of the record) inside the
// window.
type plan struct {
	f          *edf.File
	first, end int // records [first, end)
	onsets     []float64
	t0, t1     float64
	gaps       int
}

func newPlan(f *edf.File, start, duration float64) (*plan, error) {
	if math.IsNaN(start) || math.IsNaN(duration) || start < 0 {
		return nil, fmt.Errorf("%s: time window from %g s for %g s: want start ≥ 0", f.Name, start, duration)
	}
	if f.RecordDuration <= 0 {
		return nil, fmt.Errorf("%s: record duration is %g s: the file holds no samples to export", f.Name, f.RecordDuration)
	}
	end := math.Inf(1)
	if duration >= 0 {
		end = start + duration
	}
	p := &plan{f: f, onsets: f.RecordOnsets(), t0: start, t1: end, first: -1}
	for k, on := range p.onsets {
		if on+f.RecordDuration <= start+1e-9 || on >= end-1e-9 {
			continue
		}
		if p.first < 0 {
			p.first = k
		}
		p.end = k + 1
	}
	if p.first < 0 {
		p.first, p.end = 0, 0
	}
	for _, g := range f.Gaps() {
		if g.Record > p.first && g.Record < p.end {
			p.gaps++
		}
	}
	return p, nil
}

// span returns the sample positions [j0, j1) of record k inside the window
// for a signal of n samples per record.
func (p *plan) span(k, n int) (int, int) {
	on := p.onsets[k]
	rate := float64(n) / p.f.RecordDuration
	j0, j1 := 0, n
	if on < p.t0 {
		j0 = min(n, int(math.Ceil((p.t0-on)*rate-1e-6)))
	}
	if on+p.f.RecordDuration > p.t1 {
		j1 = max(j0, min(n, int(math.Ceil((p.t1-on)*rate-1e-6))))
	}
	return j0, j1
}

// count returns the samples inside the window for n samples per record.
func (p *plan) count(n int) int {
	total := 0
	for k := p.first; k < p.end; k++ {
		j0, j1 := p.span(k, n)
		total += j1 - j0
	}
	return total
}

// Write writes the signals of f chosen by opt to w and says what it wrote.
func Write(w io.Writer, f *edf.File, opt Options) (*Summary, error) {
	chans := opt.Channels
	if len(chans) == 0 {
		var err error
		if chans, err = SelectChannels(f, nil); err != nil {
			return nil, err
		}
	}
	p, err := newPlan(f, opt.Start, opt.Duration)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Format: opt.Format, Start: opt.Start, Gaps: p.gaps}
	scale := make([]float64, len(chans))
	var groups []*group
	byN := map[int]*group{}
	for c, i := range chans {
		if i < 0 || i >= len(f.Signals) || f.Signals[i].IsAnnotation() {
			return nil, fmt.Errorf("%s: signal %d cannot be exported", f.Name, i+1)
		}
		s := f.Signals[i]
		col := Column{Index: i, Label: s.Label, Unit: s.Dimension, RateHz: s.Rate(f.RecordDuration), Samples: p.count(s.Samples)}
		scale[c] = 1
		if u, ok := edf.UnitScale(s.Dimension); ok && opt.Microvolts {
			scale[c], col.Unit = u, "uV"
		}
		sum.Columns = append(sum.Columns, col)
		g := byN[s.Samples]
		if g == nil {
			g = &group{perRecord: s.Samples, rate: col.RateHz}
			byN[s.Samples] = g
			groups = append(groups, g)
		}
		g.cols = append(g.cols, c)
	}
	if p.end > p.first {
		last := p.onsets[p.end-1]
		sum.End = math.Min(p.t1, last+f.RecordDuration)
		sum.Start = math.Max(p.t0, p.onsets[p.first])
	}
	if opt.Format != NPZ && len(groups) > 1 {
		return nil, fmt.Errorf("%s: the chosen signals have %d sampling rates (%s): %s holds one rate; export them separately or as .npz",
			f.Name, len(groups), rateList(groups), opt.Format)
	}
	ex := &exporter{f: f, p: p, chans: chans, scale: scale, opt: opt, sum: sum, total: (p.end - p.first) * len(groups)}
	switch opt.Format {
	case TSV:
		err = ex.tsv(w, groups[0])
	case NPY:
		err = ex.npy(w, groups[0])
	case NPZ:
		err = ex.npz(w, groups)
	default:
		err = fmt.Errorf("export format %q, want tsv, npy or npz", opt.Format)
	}
	if err != nil {
		return nil, err
	}
	return sum, nil
}

func rateList(gs []*group) string {
	var s []string
	for _, g := range gs {
		s = append(s, strconv.FormatFloat(g.rate, 'g', -1, 64)+" Hz")
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

// WriteNPYSidecar writes, at path (atomically), the JSON that describes a
// .npy export's columns: "columns" (time_s in s, then each signal's label
// and unit) and "layout".
func (s *Summary) WriteNPYSidecar(path string) error {
	js, err := json.MarshalIndent(map[string]any{"columns": append([]Column{{Label: "time_s", Unit: "s"}}, s.Columns...),
		"layout": "float64 array (samples, 1 + signals): column 0 time_s, then the signals in this order"}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(js, '\n'), 0o644)
}
