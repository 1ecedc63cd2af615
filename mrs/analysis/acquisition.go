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

// AssumedValue is a value of a spectrum's acquisition that its reader
// assumed, the header not stating it, and that a basis simulated for the
// spectrum follows.
type AssumedValue struct {
	// Key is Acquisition's JSON key ("sequence", "tm_ms").
	Key string
	// Text is the value with its name and unit (e.g. "TM 12 ms").
	Text string
}

// AssumedForBasis returns the values of acq that its reader assumed
// (Sources mrsio.SourceAssumed) and that a basis simulated for the
// spectrum follows: the sequence (a GE P-file whose psdname names none
// glusleep knows is taken as PRESS) and a STEAM mixing time (a GE PROBE-S
// P-file's, 12 ms); nil when none. The nucleus, assumed 1H for several
// formats, does not change a simulated basis and is not listed.
func AssumedForBasis(acq Acquisition) []AssumedValue {
	var out []AssumedValue
	if acq.Sources["sequence"] == mrsio.SourceAssumed {
		out = append(out, AssumedValue{"sequence", "sequence " + acq.Sequence})
	}
	if acq.Sources["tm_ms"] == mrsio.SourceAssumed {
		out = append(out, AssumedValue{"tm_ms", fmt.Sprintf("TM %g ms", acq.TMms)})
	}
	return out
}

// AssumedBasisWarning returns the warning for v, assumed for the input in
// (as named to the user) and followed by the basis the command cmd ("mrs
// fit", "run") simulated for it. Neither command has a flag for these
// values, so it says how to make the basis with the right one (`glusleep
// mrs basis`, times in ms) and give it with --basis.
func AssumedBasisWarning(in, cmd string, v AssumedValue) string {
	if v.Key == "tm_ms" {
		return fmt.Sprintf("%s: the simulated basis uses %s, assumed (the header does not state it); %s has no --tm: make the basis with `glusleep mrs basis --like %s --tm MS` (mixing time in ms) and give it with --basis", in, v.Text, cmd, in)
	}
	return fmt.Sprintf("%s: the simulated basis uses %s, assumed (the header names no sequence glusleep knows); make the basis with `glusleep mrs basis --sequence press|steam|slaser --te MS ...` and give it with --basis", in, v.Text)
}
