package mrsio

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glusleep/mrs"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/sim"
)

// A STEAM file whose header states no mixing time gets AssumedMixingTime
// (12 ms), marked assumed, not TM 0. Options.MixingTime (s) replaces a
// STEAM file's mixing time — an assumed one or a header's — records it as a flag
// with what it replaced, and leaves a PRESS file's alone; a value that
// can only be ms given as s is refused.
func TestMixingTimeOption(t *testing.T) {
	dir := t.TempDir()
	pfile := func(name, psd string) string {
		b := pfileBytes(2, 8)
		copy(b[60248:60281], psd) // psdname
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	steamNII := func(name string, tm float64) string {
		d := corpusData()
		d.Sequence, d.MixingTime = "STEAM", tm
		p := filepath.Join(dir, name)
		if err := nifti.WriteData(p, d); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name     string
		path     string
		tm       float64 // Options.MixingTime, s
		wantTMms float64
		source   string // Sources["tm_ms"]
		replaced *Replaced
		err      string
	}{
		{"GE PROBE-S, no option: 12 ms assumed", pfile("S0.7", "PROBE-S"), 0, 12, SourceAssumed, nil, ""},
		{"GE PROBE-S, 20 ms given", pfile("S1.7", "PROBE-S"), 0.020, 20, SourceFlag, &Replaced{12, SourceAssumed}, ""},
		{"GE PROBE-P: no mixing time to replace", pfile("P1.7", "PROBE-P"), 0.020, 0, "", nil, ""},
		{"NIfTI-MRS STEAM, header 10 ms, 20 ms given", steamNII("h_svs.nii.gz", 0.010), 0.020, 20, SourceFlag, &Replaced{10, SourceHeader}, ""},
		{"NIfTI-MRS STEAM, header 10 ms kept", steamNII("k_svs.nii.gz", 0.010), 0, 10, "", nil, ""},
		{"NIfTI-MRS STEAM without a mixing time: 12 ms assumed", steamNII("n_svs.nii.gz", 0), 0, 12, SourceAssumed, nil, ""},
		{"NIfTI-MRS STEAM without a mixing time, 20 ms given", steamNII("g_svs.nii.gz", 0), 0.020, 20, SourceFlag, &Replaced{12, SourceAssumed}, ""},
		{"ms given as s", pfile("S2.7", "PROBE-S"), 20, 0, "", nil, "mixing time 20 s: want more than 0 and at most 1 s"},
		{"negative", pfile("S3.7", "PROBE-S"), -0.01, 0, "", nil, "mixing time -0.01 s"},
	} {
		ds, err := Read(c.path, Options{MixingTime: c.tm})
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), filepath.Base(c.path)) {
				t.Errorf("%s: error %v, want one naming the file with %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		a := ds.Acquisition()
		if a.TMms != c.wantTMms || a.Sources["tm_ms"] != c.source {
			t.Errorf("%s: TM %g ms from %q, want %g ms from %q", c.name, a.TMms, a.Sources["tm_ms"], c.wantTMms, c.source)
		}
		var want map[string]Replaced
		if c.replaced != nil {
			want = map[string]Replaced{"tm_ms": *c.replaced}
		}
		if !maps.Equal(a.Replaced, want) {
			t.Errorf("%s: replaced %v, want %v", c.name, a.Replaced, want)
		}
		b, _ := json.Marshal(a)
		if c.replaced != nil && !strings.Contains(string(b), `"replaced":{"tm_ms":{"value":`) {
			t.Errorf("%s: acquisition JSON %s lacks what --tm replaced", c.name, b)
		}
		if c.replaced == nil && strings.Contains(string(b), `"replaced"`) {
			t.Errorf("%s: acquisition JSON %s names a replaced value", c.name, b)
		}
	}
}

// IsSTEAM reads sequence names as the basis simulation does: the
// sequences sim.SequenceFor simulates as STEAM and no others.
func TestIsSTEAMAgreesWithSim(t *testing.T) {
	for _, name := range []string{"STEAM", "steam", "svs_st", "SVS_ST", "PROBE-S STEAM", "PRESS", "svs_se", "sLASER", "", "PROBE-P"} {
		q, err := sim.SequenceFor(mrs.Params{EchoTime: 0.02, Sequence: name})
		if err != nil {
			t.Fatal(err)
		}
		if IsSTEAM(name) != (q.Kind == "steam") {
			t.Errorf("%q: IsSTEAM %v, sim simulates %s", name, IsSTEAM(name), q.Kind)
		}
	}
}
