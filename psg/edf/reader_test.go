package edf

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"glusleep/internal/shareddata"
)

type mneChannel struct {
	Name      string    `json:"name"`
	Sfreq     float64   `json:"sfreq"`
	Unit      string    `json:"unit"`
	Sum       float64   `json:"sum"`
	SumSq     float64   `json:"sumsq"`
	Positions []int     `json:"positions"`
	Values    []float64 `json:"values"`
}

type mneFile struct {
	AnnotationsOnly bool            `json:"annotations_only"`
	NTimes          int             `json:"n_times"`
	Sfreq           float64         `json:"sfreq"`
	MeasDate        string          `json:"meas_date"`
	Channels        []mneChannel    `json:"channels"`
	Annotations     [][]interface{} `json:"annotations"`
}

func loadMNE(t *testing.T) map[string]mneFile {
	b, err := os.ReadFile(filepath.Join("testdata", "mne_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Files map[string]mneFile `json:"files"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Files
}

// Every shared EDF/BDF file opens, and each signal MNE reads at its native
// rate has the same samples (MNE scales voltages to volts) within one
// digital step, and the same annotations.
func TestAgainstMNE(t *testing.T) {
	ref := loadMNE(t)
	names := make([]string, 0, len(ref))
	for k := range ref {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, rel := range names {
		want := ref[rel]
		t.Run(rel, func(t *testing.T) {
			f, err := Open(shareddata.Path(t, "psg/"+rel), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			compared := 0
			for _, ch := range want.Channels {
				i := f.Signal(ch.Name)
				if i < 0 {
					t.Logf("MNE channel %q not found by label (renamed by MNE)", ch.Name)
					continue
				}
				s := f.Signals[i]
				if math.Abs(s.Rate(f.RecordDuration)-ch.Sfreq) > 1e-9 {
					continue // MNE resampled this channel to the file's highest rate
				}
				x, err := f.Physical(i, 0, -1)
				if err != nil {
					t.Fatal(err)
				}
				if len(x) != want.NTimes {
					t.Fatalf("%s: %d samples, MNE %d", ch.Name, len(x), want.NTimes)
				}
				scale := 1.0
				if u, ok := UnitScale(s.Dimension); ok {
					scale = u * 1e-6
				}
				step := math.Abs(s.Gain()) * scale
				for k, p := range ch.Positions {
					if d := math.Abs(x[p]*scale - ch.Values[k]); d > step*1.0001+1e-15 {
						t.Errorf("%s sample %d: %g, MNE %g (step %g)", ch.Name, p, x[p]*scale, ch.Values[k], step)
					}
				}
				sum := 0.0
				for _, v := range x {
					sum += v * scale
				}
				if math.Abs(sum-ch.Sum) > step*float64(len(x))*1e-3+1e-12 {
					t.Errorf("%s: sum %g, MNE %g", ch.Name, sum, ch.Sum)
				}
				compared++
			}
			t.Logf("%d of %d MNE channels compared, %d annotations", compared, len(want.Channels), len(want.Annotations))
			if !want.AnnotationsOnly && compared == 0 {
				t.Errorf("no channel compared")
			}
			got := f.Annotations()
			if len(got) != len(want.Annotations) {
				t.Fatalf("%d annotations, MNE %d:\nours %v\nMNE  %v", len(got), len(want.Annotations), got, want.Annotations)
			}
			for k, a := range want.Annotations {
				on, dur, text := a[0].(float64), a[1].(float64), a[2].(string)
				g := got[k]
				gd := math.Max(g.Duration, 0)
				if math.Abs(g.Onset-on) > 1e-6 || math.Abs(gd-dur) > 1e-6 || g.Text != text {
					t.Errorf("annotation %d: %+v, MNE %v %v %q", k, g, on, dur, text)
				}
			}
		})
	}
}

func TestHeaderFields(t *testing.T) {
	f, err := Open(shareddata.Path(t, "psg/pyedflib/test_generator.edf"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Format != EDFPlusC || len(f.Signals) != 12 || f.Records != 600 || f.RecordDuration != 1 {
		t.Errorf("format %v, %d signals, %d records of %g s", f.Format, len(f.Signals), f.Records, f.RecordDuration)
	}
	if got := f.Start.Format("2006-01-02 15:04:05"); got != "2011-04-04 12:57:02" {
		t.Errorf("start %s", got)
	}
	if !strings.Contains(f.Patient, "X") && f.Patient == "" {
		t.Errorf("patient field empty")
	}
}
