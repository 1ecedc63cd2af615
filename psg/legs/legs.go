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
	// Samples in µV at Rate Hz, the first at the recording start.
	Samples []float64
	Rate    float64
}

// ScoreEMG conditions each leg's EMG (Envelope), estimates its resting
// level (Baseline), detects its LMs (Detect) and scores the night (Score).
// right may be nil when only one leg was recorded. Channels sampled more
// slowly than p.MinRateHz are scored with a warning in the result.
func ScoreEMG(left, right *Channel, h *annot.Hypnogram, p Params) (*Result, error) {
	if left == nil {
		return nil, fmt.Errorf("legs: no leg channel")
	}
	var ivs [2][]Interval
	var warn []string
	chans := []*Channel{left, right}
	for _, ch := range chans {
		if ch == nil {
			continue
		}
		if !(ch.Rate > 0) {
			return nil, fmt.Errorf("legs: channel %q has sampling rate %g Hz", ch.Label, ch.Rate)
		}
		if ch.Rate < p.MinRateHz {
			warn = append(warn, fmt.Sprintf("channel %q is sampled at %g Hz, below the %g Hz the %s standard requires: onsets and amplitudes are less reliable",
				ch.Label, ch.Rate, p.MinRateHz, p.Standard))
		}
	}
	detect := func(env []float64, er float64) []Interval { return Detect(env, Baseline(env, er, p), er, p) }
	if right != nil && right.Rate == left.Rate && len(right.Samples) == len(left.Samples) {
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
	res := Score(ivs[0], ivs[1], h, p)
	if right == nil {
		warn = append(warn, "one leg only: no bilateral movements can be scored")
	}
	res.Warnings = append(warn, res.Warnings...)
	return res, nil
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
// Errors name the file and list its channels.
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
	read := func(i int) (*Channel, error) {
		if i < 0 {
			return nil, nil
		}
		u, err := f.Microvolts(i)
		if err != nil {
			return nil, err
		}
		x, err := f.Physical(i, 0, -1)
		if err != nil {
			return nil, err
		}
		for k := range x {
			x[k] *= u
		}
		return &Channel{Label: f.Signals[i].Label, Samples: x, Rate: f.Signals[i].Rate(f.RecordDuration)}, nil
	}
	lc, err := read(li)
	if err != nil {
		return nil, err
	}
	rc, err := read(ri)
	if err != nil {
		return nil, err
	}
	if lc == nil {
		lc, rc = rc, nil
	}
	res, err := ScoreEMG(lc, rc, h, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return res, nil
}
