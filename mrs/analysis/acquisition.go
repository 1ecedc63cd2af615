package analysis

import "glusleep/mrs/format/mrsio"

// Acquisition is what a spectrum's file says of its acquisition
// (mrsio.Acquisition: field-unit values, where the values its header
// lacks came from, and the MRSinMRS header fields of mrs.ChecklistFields),
// as <stem>_qc.json records it so that a study's group level reads it
// there instead of reading every raw spectrum again.
type Acquisition = mrsio.Acquisition
