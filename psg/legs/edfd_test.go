package legs

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"glusleep/psg/edf"
)

// A leg movement recorded after a gap of an EDF+D file is scored at its
// recorded time: six 10 s records at onsets 0, 10, 20, 70, 80, 90 s;
// 2 µV noise with a 2 s, 60 µV, 40 Hz burst 3 s into the fourth record.
// Its onset is 70 + 3 = 73 s (a continuous reading would put it at
// 30 + 3 = 33 s).
func TestEDFDMovementAtRecordedTime(t *testing.T) {
	const rate, rec = 256, 10
	x := make([]float64, 6*rec*rate)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range x {
		x[i] = 2 * rng.NormFloat64()
	}
	for i := (3*rec + 3) * rate; i < (3*rec+5)*rate; i++ {
		x[i] += 60 * math.Sin(2*math.Pi*40*float64(i)/rate)
	}
	var buf bytes.Buffer
	sig := edf.SignalData{Signal: edf.Signal{Label: "Leg L", Dimension: "uV", PhysMin: -500, PhysMax: 500, DigMin: -32768, DigMax: 32767, Samples: rec * rate}, Data: x}
	if err := edf.Write(&buf, []edf.SignalData{sig}, edf.WriteOptions{RecordDuration: rec}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	copy(b[192:], "EDF+D")
	hb := 256 * 3
	rb := (len(b) - hb) / 6
	for k, on := range []int{0, 10, 20, 70, 80, 90} {
		tal := "+" + strconv.Itoa(on) + "\x14\x14\x00"
		off := hb + k*rb + rec*rate*2
		ann := b[off : hb+(k+1)*rb]
		clear(ann)
		copy(ann, tal)
	}
	f, err := edf.NewReader(bytes.NewReader(b), int64(len(b)), "d.edf", edf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Gaps()) != 1 {
		t.Fatalf("gaps %+v", f.Gaps())
	}
	res, err := ScoreFile(f, nil, "", "", DefaultParams(WASM2016))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Movements) != 1 || math.Abs(res.Movements[0].Onset-73) > 0.1 {
		t.Fatalf("movements %+v, want one at 73 s", res.Movements)
	}
}
