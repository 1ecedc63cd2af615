package study

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/sim"
	"glusleep/psg/annot"
	"glusleep/synth"
)

// BenchmarkParticipantLevel processes one demo-like participant (a 1.5 T
// PRESS TE 30 ms spectrum of 2048 points fitted with the simulated basis,
// already cached as it is after the first participant of a cohort, and two
// scored nights) and reports the participant-level throughput in
// participants per minute on one core (run with -cpu 1).
func BenchmarkParticipantLevel(b *testing.B) {
	p := mrs.Params{SpectrometerFrequency: 63.87, Dwell: 0.0004, EchoTime: 0.030, Nucleus: "1H"}
	names, fids, err := sim.Basis(sim.Sequence{Kind: "press", TE1: 0.015, TE2: 0.015}, p.SpectrometerFrequency, p.Dwell, 2048, nil)
	if err != nil {
		b.Fatal(err)
	}
	amps := map[string]float64{"NAA": 10, "NAAG": 1, "Cr": 4, "PCr": 4, "GPC": 1, "PCho": 0.5, "Ins": 6, "Glu": 9, "Gln": 3, "GSH": 1.5, "Tau": 1.5}
	rng := rand.New(rand.NewPCG(1, 2))
	fid, _, err := synth.Spectrum(synth.SpectrumSpec{Names: names, Basis: fids, Dwell: p.Dwell, Amplitudes: amps,
		LorentzHz: 3, GaussHz: 3, ShiftHz: 1, Phase0: 10, NoiseSD: 6}, rng)
	if err != nil {
		b.Fatal(err)
	}
	root := b.TempDir()
	write := func(path string, data []byte) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write(filepath.Join(root, "participants.tsv"), []byte("participant_id\tgroup\nsub-01\trls\n"))
	var raw bytes.Buffer
	if err := lcmodel.Write(&raw, "sub-01", p, fid); err != nil {
		b.Fatal(err)
	}
	write(filepath.Join(root, "sourcedata/sub-01/mrs/sub-01_svs.RAW"), raw.Bytes())
	write(filepath.Join(root, "sourcedata/sub-01/mrs/sub-01_svs.json"), []byte(`{"SpectrometerFrequency": 63.87, "Dwell": 0.0004, "EchoTime": 0.030}`))
	for night := 1; night <= 2; night++ {
		n, err := synth.NewNight(synth.NightSpec{Seed: uint64(night), InBedHours: 8, SleepOnsetMinutes: 20, WASOMinutes: 40, EEGRate: 16})
		if err != nil {
			b.Fatal(err)
		}
		stem := filepath.Join(root, "sub-01", "eeg", fmt.Sprintf("sub-01_task-sleep_run-%d", night))
		write(stem+"_eeg.edf", []byte(tinyEDF(b)))
		var ev bytes.Buffer
		if err := annot.WriteEventsTSV(&ev, n.Hypnogram); err != nil {
			b.Fatal(err)
		}
		write(stem+"_events.tsv", ev.Bytes())
	}
	d, err := Open(root)
	if err != nil {
		b.Fatal(err)
	}
	part := d.Participant("01")
	pl := &Pipeline{Settings: DefaultSettings()}
	if _, err := pl.Process(context.Background(), part, b.TempDir()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		out, err := os.MkdirTemp(root, "out-")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := pl.Process(context.Background(), part, out); err != nil {
			b.Fatal(err)
		}
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(60/perOp, "participants/min")
}
