package legs

import (
	"fmt"
	"strings"
	"unicode"

	"glusleep/psg/annot"
	"glusleep/psg/edf"
)

// Channel is one leg's tibialis EMG in µV.
type Channel struct {
	// Label names the channel (for messages).
	Label string
	// Samples in µV at Rate Hz, the first at Start seconds from the
	// recording start (0 for continuous recordings; a segment's onset for
	// discontinuous EDF+D/BDF+D ones).
	Samples []float64
	Rate    float64
	Start   float64
}

// MaxRateHz is the fastest EMG sampling rate scored (the EDF reader's
// limit): faster rates come from damaged headers.
const MaxRateHz = edf.MaxRateHz

// ScoreEMG conditions each leg's EMG (Envelope), estimates its resting
// level (Baseline), detects its LMs (Detect) and scores the night (Score).
// right may be nil when only one leg was recorded. Channels sampled more
// slowly than p.MinRateHz are scored with a warning in the result.
func ScoreEMG(left, right *Channel, h *annot.Hypnogram, p Params) (*Result, error) {
	return ScoreSegments([][2]*Channel{{left, right}}, h, p)
}

// ScoreSegments scores a night recorded in segments (the continuous runs
// of records of an EDF+D file, each pair {left, right} with its Start):
// LMs are detected in each segment, at their true times, and the night is
// scored once over all of them.
func ScoreSegments(segs [][2]*Channel, h *annot.Hypnogram, p Params) (*Result, error) {
	var ivs [2][]Interval
	var warn []string
	for k, sg := range segs {
		iv, w, err := detectLegs(sg[0], sg[1], p)
		if err != nil {
			return nil, err
		}
		ivs[0], ivs[1] = append(ivs[0], iv[0]...), append(ivs[1], iv[1]...)
		if k == 0 {
			warn = w
		}
	}
	res := Score(ivs[0], ivs[1], h, p)
	if len(segs) > 1 {
		warn = append(warn, fmt.Sprintf("discontinuous recording: LMs detected in %d segments at their recorded times", len(segs)))
	}
	res.Warnings = append(warn, res.Warnings...)
	return res, nil
}

// detectLegs returns each leg's LMs (s from the recording start).
func detectLegs(left, right *Channel, p Params) ([2][]Interval, []string, error) {
	var ivs [2][]Interval
	var warn []string
	if left == nil {
		return ivs, nil, fmt.Errorf("legs: no leg channel")
	}
	chans := []*Channel{left, right}
	for _, ch := range chans {
		if ch == nil {
			continue
		}
		if !(ch.Rate > 0) || ch.Rate > MaxRateHz {
			return ivs, nil, fmt.Errorf("legs: channel %q has sampling rate %g Hz, want > 0 and ≤ %g Hz", ch.Label, ch.Rate, MaxRateHz)
		}
		if ch.Rate < p.MinRateHz {
			warn = append(warn, fmt.Sprintf("channel %q is sampled at %g Hz, below the %g Hz the %s standard requires: onsets and amplitudes are less reliable",
				ch.Label, ch.Rate, p.MinRateHz, p.Standard))
		}
	}
	detect := func(env []float64, er float64) []Interval { return Detect(env, Baseline(env, er, p), er, p) }
	if right != nil && right.Rate == left.Rate && len(right.Samples) == len(left.Samples) && right.Start == left.Start {
		el, erR, er := envelopes(left.Samples, right.Samples, left.Rate, p)
		ivs[0], ivs[1] = detect(el, er), detect(erR, er)
	} else {
		for k, ch := range chans {
			if ch != nil {
				env, er := Envelope(ch.Samples, ch.Rate, p)
				ivs[k] = detect(env, er)
			}
		}
	}
	for k, ch := range chans {
		if ch != nil && ch.Start != 0 {
			for j := range ivs[k] {
				ivs[k][j].Onset += ch.Start
				ivs[k][j].Offset += ch.Start
			}
		}
	}
	if right == nil {
		warn = append(warn, "one leg only: no bilateral movements can be scored")
	}
	return ivs, warn, nil
}

// FromEvents returns the leg movements already scored in h's events (kind
// annot.LegMovement, e.g. a sleep lab's export), by leg: labels containing
// "right" (or " R"/"_R" at the end) go to the right leg, all others to the
// left. Score then applies the standard's rules to them.
func FromEvents(h *annot.Hypnogram) (left, right []Interval) {
	if h == nil {
		return nil, nil
	}
	for _, e := range h.Events {
		if e.Kind != annot.LegMovement {
			continue
		}
		iv := Interval{Onset: e.Onset, Offset: e.Onset + e.Duration}
		l := lower(e.Label)
		if strings.Contains(l, "right") || strings.HasSuffix(l, " r") || strings.HasSuffix(l, "_r") {
			right = append(right, iv)
		} else {
			left = append(left, iv)
		}
	}
	return left, right
}

// channelNames are normalised channel labels (lower case, letters and
// digits only) that name each leg's tibialis EMG in common montages.
var channelNames = map[Side][]string{
	Left: {"legl", "lleg", "lat", "lat1", "tibl", "ltib", "tibialisl", "ltibialis", "emgleftleg", "leftleg", "leftlegemg",
		"emglegl", "legleft", "plml", "lleg1", "emglat", "lta", "tal", "latl", "emgtibl", "tibialisanteriorl", "ltibialisanterior"},
	Right: {"legr", "rleg", "rat", "rat1", "tibr", "rtib", "tibialisr", "rtibialis", "emgrightleg", "rightleg", "rightlegemg",
		"emglegr", "legright", "plmr", "rleg1", "emgrat", "rta", "tar", "latr", "emgtibr", "tibialisanteriorr", "rtibialisanterior"},
}

func normLabel(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FindChannel returns the index of the signal labelled label (compared in
// lower case, letters and digits only), or when label is empty of the first
// signal with one of side's usual names ("Leg L", "LAT", "Tib L", "EMG Left
// Leg", ...); −1 when there is none. Annotation signals never match.
func FindChannel(sigs []edf.Signal, label string, side Side) int {
	for i, s := range sigs {
		if s.IsAnnotation() {
			continue
		}
		n := normLabel(s.Label)
		if label != "" {
			if n == normLabel(label) {
				return i
			}
			continue
		}
		for _, want := range channelNames[side] {
			if n == want {
				return i
			}
		}
	}
	return -1
}

// channelList names a file's signals for error messages.
func channelList(sigs []edf.Signal) string {
	var names []string
	for _, s := range sigs {
		if !s.IsAnnotation() {
			names = append(names, fmt.Sprintf("%q", s.Label))
		}
	}
	return strings.Join(names, ", ")
}

// ScoreFile scores the leg movements of an opened recording with the
// hypnogram h (nil: no stages): the EMG of its leg channels (named by
// leftLabel and rightLabel, or found by FindChannel when empty; converted
// to µV from their physical dimension) when it has them, else the leg
// movements scored in h's events (FromEvents), with a warning saying so.
// The result keeps the EMG it scored, which WriteOutputs draws in the EMG
// figure. Errors name the file and list its channels.
func ScoreFile(f *edf.File, h *annot.Hypnogram, leftLabel, rightLabel string, p Params) (*Result, error) {
	li := FindChannel(f.Signals, leftLabel, Left)
	ri := FindChannel(f.Signals, rightLabel, Right)
	for _, c := range []struct {
		label string
		i     int
	}{{leftLabel, li}, {rightLabel, ri}} {
		if c.label != "" && c.i < 0 {
			return nil, fmt.Errorf("%s: no channel %q; the file has %s", f.Name, c.label, channelList(f.Signals))
		}
	}
	if li < 0 && ri < 0 {
		l, r := FromEvents(h)
		if len(l)+len(r) == 0 {
			return nil, fmt.Errorf("%s: no leg EMG channel found (looked for labels like \"Leg L\", \"LAT\", \"Tib L\", \"EMG Left Leg\"; name them) and no scored leg movements in the events; the file has %s",
				f.Name, channelList(f.Signals))
		}
		res := Score(l, r, h, p)
		res.Warnings = append([]string{"no leg EMG channel: scored the leg movements listed in the events"}, res.Warnings...)
		return res, nil
	}
	segs, err := readSegments(f, li, ri)
	if err != nil {
		return nil, err
	}
	res, err := ScoreSegments(segs, h, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	res.emg = bySide(segs, li)
	return res, nil
}

// bySide returns segs, as readSegments read them for the leg channels li
// and ri (a lone leg first), as {left, right} pairs: a lone right leg
// (li < 0) is moved to the right.
func bySide(segs [][2]*Channel, li int) [][2]*Channel {
	if li >= 0 {
		return segs
	}
	out := make([][2]*Channel, len(segs))
	for i, sg := range segs {
		out[i] = [2]*Channel{nil, sg[0]}
	}
	return out
}

// readSegments reads the leg channels li and ri (−1: absent) in µV, one
// pair per continuous run of records (one run unless the file is EDF+D or
// BDF+D with gaps), each with its onset.
func readSegments(f *edf.File, li, ri int) ([][2]*Channel, error) {
	onsets := f.RecordOnsets()
	type run struct{ start, end float64 }
	var runs []run
	if len(onsets) > 0 {
		cur := run{onsets[0], onsets[0] + f.RecordDuration}
		for _, g := range f.Gaps() {
			cur.end = onsets[g.Record-1] + f.RecordDuration
			runs = append(runs, cur)
			cur = run{onsets[g.Record], 0}
		}
		cur.end = onsets[len(onsets)-1] + f.RecordDuration
		runs = append(runs, cur)
	}
	read := func(i int, r run) (*Channel, error) {
		if i < 0 {
			return nil, nil
		}
		u, err := f.Microvolts(i)
		if err != nil {
			return nil, err
		}
		x, err := f.Physical(i, r.start, r.end-r.start)
		if err != nil {
			return nil, err
		}
		for k := range x {
			x[k] *= u
		}
		return &Channel{Label: f.Signals[i].Label, Samples: x, Rate: f.Signals[i].Rate(f.RecordDuration), Start: r.start}, nil
	}
	var segs [][2]*Channel
	for _, r := range runs {
		lc, err := read(li, r)
		if err != nil {
			return nil, err
		}
		rc, err := read(ri, r)
		if err != nil {
			return nil, err
		}
		if lc == nil {
			lc, rc = rc, nil
		}
		segs = append(segs, [2]*Channel{lc, rc})
	}
	if len(segs) == 0 {
		return nil, fmt.Errorf("%s: no data records", f.Name)
	}
	return segs, nil
}
