package legs_test

import (
	"fmt"

	"glusleep/psg/annot"
	"glusleep/psg/legs"
)

// Five left-leg movements of 2 s, 20 s apart, in stage N2: under WASM 2016
// they are candidates with intervals of 20 s, one PLM series.
func ExampleScore() {
	h := &annot.Hypnogram{Epoch: 30, Stages: []annot.Stage{annot.N2, annot.N2, annot.N2, annot.N2, annot.N2}}
	var left []legs.Interval
	for k := 0; k < 5; k++ {
		on := 10 + 20*float64(k)
		left = append(left, legs.Interval{Onset: on, Offset: on + 2})
	}
	res := legs.Score(left, nil, h, legs.DefaultParams(legs.WASM2016))
	m := res.Measures
	fmt.Printf("%d CLM, %d PLM in %d series; PLMS index %.0f/h over %.0f s of sleep\n", m.CLMCount, m.PLMSCount, m.Series, m.PLMSIndex, m.TSTHours*3600)
	// Output: 5 CLM, 5 PLM in 1 series; PLMS index 120/h over 150 s of sleep
}
