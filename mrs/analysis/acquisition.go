package analysis

import (
	"fmt"

	"glusleep/mrs/format/mrsio"
)

// Acquisition is what a spectrum's file says of its acquisition
// (mrsio.Acquisition: field-unit values, where the values its header
// lacks came from, and the MRSinMRS header fields of mrs.ChecklistFields),
// as <stem>_qc.json records it so that a study's group level reads it
// there instead of reading every raw spectrum again.
type Acquisition = mrsio.Acquisition

// AssumedValue is a value of a spectrum's acquisition that a basis
// simulated for the spectrum follows and that its header does not state
// as used: a value its reader assumed, or one the user gave (--tm) in
// place of the header's or of the reader's assumption.
type AssumedValue struct {
	// Key is Acquisition's JSON key ("sequence", "tm_ms").
	Key string
	// Text is the value with its name and unit (e.g. "TM 12 ms").
	Text string
	// Given is true for a value the user gave (Acquisition.Sources
	// mrsio.SourceFlag); Replaced then says what it replaced: "TM 12 ms,
	// assumed (the header does not state it)" or "the header's TM 10
	// ms".
	Given    bool
	Replaced string
}

// AssumedForBasis returns the values of acq that a basis simulated for
// the spectrum follows and that its header does not state as used: the
// sequence its reader assumed (a GE P-file whose psdname names none
// glusleep knows is taken as PRESS), and the STEAM mixing time when the
// reader assumed it (12 ms when the header states none, as in a GE
// PROBE-S P-file) or the user gave it
// (Settings.Read.MixingTime, --tm; Given, with what it replaced); nil when
// none. The nucleus, assumed 1H for several formats, does not change a
// simulated basis and is not listed.
func AssumedForBasis(acq Acquisition) []AssumedValue {
	var out []AssumedValue
	if acq.Sources["sequence"] == mrsio.SourceAssumed {
		out = append(out, AssumedValue{Key: "sequence", Text: "sequence " + acq.Sequence})
	}
	tm := AssumedValue{Key: "tm_ms", Text: fmt.Sprintf("TM %g ms", acq.TMms)}
	switch acq.Sources["tm_ms"] {
	case mrsio.SourceAssumed:
		out = append(out, tm)
	case mrsio.SourceFlag:
		tm.Given = true
		switch was := acq.Replaced["tm_ms"]; was.Source {
		case mrsio.SourceHeader:
			tm.Replaced = fmt.Sprintf("the header's TM %g ms", was.Value)
		case "": // nothing recorded (an Acquisition made by hand)
		default:
			tm.Replaced = fmt.Sprintf("TM %g ms, %s (the header does not state it)", was.Value, was.Source)
		}
		out = append(out, tm)
	}
	return out
}

// AssumedBasisWarning returns the warning for v, followed by the basis
// the command cmd ("mrs fit", "run") simulated for the input in (as named
// to the user). A mixing time assumed can be given with --tm (ms), which
// mrs fit, run and mrs basis --like take alike; a mixing time given says
// it was used and what it replaced; a sequence assumed needs a basis made
// for the right one (`glusleep mrs basis`, times in ms) given with
// --basis.
func AssumedBasisWarning(in, cmd string, v AssumedValue) string {
	switch {
	case v.Key == "tm_ms" && v.Given && v.Replaced == "":
		return fmt.Sprintf("%s: the simulated basis uses %s, given with --tm", in, v.Text)
	case v.Key == "tm_ms" && v.Given:
		return fmt.Sprintf("%s: the simulated basis uses %s, given with --tm, in place of %s", in, v.Text, v.Replaced)
	case v.Key == "tm_ms":
		return fmt.Sprintf("%s: the simulated basis uses %s, assumed (the header does not state it); give %s the mixing time with --tm MS (ms), as `glusleep mrs basis --like %s --tm MS` takes it", in, v.Text, cmd, in)
	}
	return fmt.Sprintf("%s: the simulated basis uses %s, assumed (the header names no sequence glusleep knows); make the basis with `glusleep mrs basis --sequence press|steam|slaser --te MS ...` and give it with --basis", in, v.Text)
}
