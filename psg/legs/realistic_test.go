package legs_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"

	"glusleep/psg/annot"
	"glusleep/psg/legs"
	"glusleep/synth"
)

// realisticNight returns a synthetic night's hypnogram, its true leg
// movements and respiratory events, and the two legs' EMG at rate Hz with
// resting-level change, electrode drift, ECG spikes and 50 Hz hum.
func realisticNight(t testing.TB, seed uint64, rate, hours float64) (*annot.Hypnogram, []synth.LegMovement, *legs.Channel, *legs.Channel) {
	n, err := synth.NewNight(synth.NightSpec{Seed: seed, InBedHours: hours, WASOMinutes: 30 * hours / 8, EEGRate: 8})
	if err != nil {
		t.Fatal(err)
	}
	h := n.Hypnogram
	rng := rand.New(rand.NewPCG(seed, 77))
	truth, resp := synth.PLMNight(h, synth.PLMSpec{Series: int(math.Ceil(6 * hours / 8)), Isolated: int(20 * hours / 8),
		LongInWake: 3, Respiratory: int(8 * hours / 8)}, rng)
	h.Events = append(h.Events, resp...)
	l, r, err := synth.LegEMG(synth.LegEMGSpec{Rate: rate, Seconds: h.End(), NoiseUV: 1, RestChange: 0.3, DriftUV: 30,
		ECGUV: 15, MainsUV: 10, MainsHz: 50, Movements: truth, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return h, truth, &legs.Channel{Label: "Leg L", Samples: l, Rate: rate}, &legs.Channel{Label: "Leg R", Samples: r, Rate: rate}
}

// oneHourNight is realisticNight(5, 200 Hz, 1 h), built once for the
// tests that draw and write it.
var oneHourNight struct {
	once sync.Once
	h    *annot.Hypnogram
	l, r *legs.Channel
}

// sharedOneHourNight returns copies (each caller may change its own) of
// the hypnogram and legs of oneHourNight.
func sharedOneHourNight(t *testing.T) (*annot.Hypnogram, *legs.Channel, *legs.Channel) {
	t.Helper()
	oneHourNight.once.Do(func() { oneHourNight.h, _, oneHourNight.l, oneHourNight.r = realisticNight(t, 5, 200, 1) })
	if oneHourNight.h == nil {
		t.Fatal("the shared one-hour night could not be built")
	}
	h := *oneHourNight.h
	h.Stages, h.Events, h.Warnings = slices.Clone(h.Stages), slices.Clone(h.Events), slices.Clone(h.Warnings)
	l, r := *oneHourNight.l, *oneHourNight.r
	l.Samples, r.Samples = slices.Clone(l.Samples), slices.Clone(r.Samples)
	return &h, &l, &r
}

// match pairs true movements with scored ones (onsets within 0.5 s) and
// returns sensitivity, precision, and the mean and largest onset error of
// the pairs.
func match(truth []synth.LegMovement, got []legs.Movement) (sens, prec, meanErr, maxErr float64) {
	var det []float64
	for _, m := range got {
		if m.Duration >= 0.5 {
			det = append(det, m.Onset)
		}
	}
	sort.Float64s(det)
	used := make([]bool, len(det))
	hit := 0
	sum := 0.0
	for _, tm := range truth {
		k := sort.SearchFloat64s(det, tm.Start()-0.5)
		best, bi := 0.5, -1
		for ; k < len(det) && det[k] < tm.Start()+0.5; k++ {
			if e := math.Abs(det[k] - tm.Start()); !used[k] && e < best {
				best, bi = e, k
			}
		}
		if bi >= 0 {
			used[bi] = true
			hit++
			sum += best
			maxErr = math.Max(maxErr, best)
		}
	}
	return float64(hit) / float64(len(truth)), float64(hit) / float64(len(det)), sum / float64(max(hit, 1)), maxErr
}

// Detection on realistic synthetic nights at 200, 256 and 512 Hz against
// the known movements: sensitivity and precision ≥ 0.95, mean onset error
// under 0.2 s.
func TestRealisticNights(t *testing.T) {
	if testing.Short() {
		t.Skip("synthesizes and scores whole nights")
	}
	t.Parallel()
	for _, c := range []struct {
		rate, hours float64
		seed        uint64
	}{{200, 8, 1}, {256, 8, 2}, {512, 3, 3}} {
		t.Run(fmt.Sprintf("%gHz_%gh", c.rate, c.hours), func(t *testing.T) {
			h, truth, l, r := realisticNight(t, c.seed, c.rate, c.hours)
			res, err := legs.ScoreEMG(l, r, h, legs.DefaultParams(legs.WASM2016))
			if err != nil {
				t.Fatal(err)
			}
			sens, prec, me, mx := match(truth, res.Movements)
			t.Logf("%d true movements: sensitivity %.3f, precision %.3f, onset error mean %.3f s, max %.3f s; PLMS index %.1f, %d series",
				len(truth), sens, prec, me, mx, res.Measures.PLMSIndex, res.Measures.Series)
			if sens < 0.95 || prec < 0.95 || me >= 0.2 {
				t.Errorf("sensitivity %.3f, precision %.3f, mean onset error %.3f s", sens, prec, me)
			}
			// The true movements scored by the same rules give the same
			// PLMS and PLMW counts as the EMG.
			var tl, tr []legs.Interval
			for _, m := range truth {
				if m.Side != "right" {
					tl = append(tl, legs.Interval{Onset: m.Onset, Offset: m.Onset + m.Duration})
				}
				if m.Side != "left" {
					on, d := m.Onset, m.Duration
					if m.Side == "bilateral" {
						on += m.RightLag
						if m.RightDuration > 0 {
							d = m.RightDuration
						}
					}
					tr = append(tr, legs.Interval{Onset: on, Offset: on + d})
				}
			}
			sort.Slice(tl, func(i, j int) bool { return tl[i].Onset < tl[j].Onset })
			sort.Slice(tr, func(i, j int) bool { return tr[i].Onset < tr[j].Onset })
			want := legs.Score(tl, tr, h, legs.DefaultParams(legs.WASM2016)).Measures
			got := res.Measures
			t.Logf("PLMS %d (from the true movements %d), PLMW %d (%d), CLM %d (%d), respiratory-excluded %d (%d)",
				got.PLMSCount, want.PLMSCount, got.PLMWCount, want.PLMWCount, got.CLMCount, want.CLMCount, got.RespiratoryExcluded, want.RespiratoryExcluded)
			if got.PLMSCount != want.PLMSCount || got.PLMWCount != want.PLMWCount || got.CLMCount != want.CLMCount {
				t.Errorf("counts from the EMG differ from those of the true movements")
			}
		})
	}
}

// BenchmarkScoreNight scores an 8-hour night with two leg channels at
// 256 Hz (conditioning, baseline, detection and scoring).
func BenchmarkScoreNight(b *testing.B) {
	h, _, l, r := realisticNight(b, 9, 256, 8)
	p := legs.DefaultParams(legs.WASM2016)
	b.ResetTimer()
	for b.Loop() {
		if _, err := legs.ScoreEMG(l, r, h, p); err != nil {
			b.Fatal(err)
		}
	}
	samples := float64(len(l.Samples) + len(r.Samples))
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(perOp*1e9/samples, "ns/sample")
	b.ReportMetric(perOp, "s/night")
}
