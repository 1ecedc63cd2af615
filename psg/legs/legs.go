package legs

import (
	"fmt"

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
