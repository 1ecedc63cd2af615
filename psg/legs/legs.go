package legs

import (
	"fmt"
	"strings"

	"glusleep/psg/annot"
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
