package preproc

import (
	"math"
	"strings"
	"testing"

	"glusleep/mrs"
)

// Bad input gets an error that says what is wrong, never a panic.
func TestRunErrors(t *testing.T) {
	good := func() *mrs.Data {
		d, _, _ := coilData(2, 4, 256, 3)
		return d
	}
	_, w, _ := coilData(2, 4, 256, 3)
	cases := []struct {
		name  string
		data  func() *mrs.Data
		water *mrs.Data
		want  string
	}{
		{"nil", func() *mrs.Data { return nil }, nil, "no data"},
		{"no FIDs", func() *mrs.Data { return &mrs.Data{Params: params3T} }, nil, "no FIDs"},
		{"NaN", func() *mrs.Data { d := good(); d.FIDs[5][17] = complex(math.NaN(), 0); return d }, nil, "not finite"},
		{"Inf in water", good, func() *mrs.Data {
			_, w, _ := coilData(2, 4, 256, 3)
			w.FIDs[1][3] = complex(0, math.Inf(1))
			return w
		}(), "not finite"},
		{"short", func() *mrs.Data {
			return &mrs.Data{Params: params3T, FIDs: [][]complex128{make([]complex128, 8)}}
		}, nil, "points"},
		{"water channels differ", func() *mrs.Data {
			d := good()
			return &mrs.Data{Params: d.Params, Dims: []mrs.Dim{{Tag: mrs.DimDyn, Size: 4}}, FIDs: d.FIDs[:4]}
		}, w, "channels"},
		{"no frequency", func() *mrs.Data { d := good(); d.SpectrometerFrequency = 0; return d }, nil, "frequency"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(c.data(), c.water, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}
