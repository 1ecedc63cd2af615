package sim

import (
	"fmt"
	"strings"

	"glusleep/mrs"
)

// SequenceFor returns the ideal-pulse sequence that simulates a basis for
// data acquired with parameters p: STEAM (TE, TM) when p.Sequence names
// STEAM (Siemens svs_st), semi-LASER (TE) when it names (semi-)LASER, and
// otherwise PRESS — the clinical default, and the sequence of headers that
// name none — with TE1 = TE2 = TE/2, since PRESS headers rarely give the
// split. It refuses data without an echo time.
func SequenceFor(p mrs.Params) (Sequence, error) {
	if !(p.EchoTime > 0) {
		return Sequence{}, fmt.Errorf("sim: the header has no echo time (TE): cannot choose the basis's sequence timing")
	}
	s := strings.ToLower(p.Sequence)
	switch {
	case strings.Contains(s, "laser"):
		return Sequence{Kind: "slaser", TE: p.EchoTime}, nil
	case strings.Contains(s, "steam") || strings.Contains(s, "svs_st"):
		return Sequence{Kind: "steam", TE: p.EchoTime, TM: p.MixingTime}, nil
	}
	return Sequence{Kind: "press", TE1: p.EchoTime / 2, TE2: p.EchoTime / 2}, nil
}

// Describe returns the sequence and its timing in ms, e.g. "PRESS TE1 15
// ms, TE2 15 ms".
func (q Sequence) Describe() string {
	switch strings.ToLower(q.Kind) {
	case "press":
		return fmt.Sprintf("PRESS TE1 %.4g ms, TE2 %.4g ms", 1000*q.TE1, 1000*q.TE2)
	case "steam":
		return fmt.Sprintf("STEAM TE %.4g ms, TM %.4g ms", 1000*q.TE, 1000*q.TM)
	case "slaser":
		return fmt.Sprintf("semi-LASER TE %.4g ms", 1000*q.TE)
	}
	return q.Kind
}
