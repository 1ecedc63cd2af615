package lcmodel_test

import (
	"os"

	"glusleep/mrs/format/lcmodel"
)

// Write the control file that runs LCModel on a spectrum glusleep
// preprocessed and converted (glusleep mrs convert … OUT.RAW) with a basis
// glusleep simulated (glusleep mrs basis … --out FILE.BASIS).
func ExampleWriteControl() {
	c := lcmodel.Control{Title: "sub-01", Key: 210387309, Points: 2048, DwellS: 0.0005, SpectrometerMHz: 123.2,
		Basis: "press30.BASIS", Raw: "sub-01.RAW", Table: "sub-01.table", NoSimulated: false}
	if err := lcmodel.WriteControl(os.Stdout, c); err != nil {
		panic(err)
	}
	// Output:
	//  $LCMODL
	//  title='sub-01'
	//  key=210387309
	//  nunfil=2048
	//  deltat=0.0005
	//  hzpppm=123.2
	//  filbas='press30.BASIS'
	//  filraw='sub-01.RAW'
	//  ltable=7
	//  filtab='sub-01.table'
	//  $END
}
