// Package mrsio opens MR spectroscopy files of every format glusleep reads,
// choosing the reader by file name and content, and returns the data in
// the NIfTI-MRS convention with the water reference where the file (or a
// file beside it) holds one: NIfTI-MRS (.nii, .nii.gz; a sibling
// *_mrsref.nii[.gz] or *_ref.nii[.gz] is the reference), GE P-files (.7;
// water frames separated), Siemens RDA (.rda) and DICOM (.dcm, .ima, or
// any file with a DICOM preamble), Philips SPAR/SDAT (.sdat), LCModel
// .RAW/.H2O (parameters from its $SEQPAR, a JSON sidecar or Options; a
// sibling .H2O is the reference) and jMRUI text (.txt).
package mrsio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/cmplx"
	"os"
	"path/filepath"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/format/dicom"
	"glusleep/mrs/format/gepfile"
	"glusleep/mrs/format/jmrui"
	"glusleep/mrs/format/lcmodel"
	"glusleep/mrs/format/nifti"
	"glusleep/mrs/format/philips"
	"glusleep/mrs/format/rda"
)

// Options supply what a format may lack (LCModel files): zero fields are
// taken from the file or a JSON sidecar.
type Options struct {
	// SpectrometerFrequency in MHz, Dwell and EchoTime in s.
	SpectrometerFrequency, Dwell, EchoTime float64
	// MixingTime is a STEAM mixing time in s (0 < TM ≤ MaxMixingTime)
	// that replaces the file's — the header's, or the one its reader
	// assumed (a GE PROBE-S P-file's) — in a STEAM spectrum and its water
	// reference (IsSTEAM), recording what it replaced
	// (Dataset.Replaced); other sequences have no mixing time and keep
	// theirs. 0 keeps the file's.
	MixingTime float64
	// Sources names where each value above came from, keyed by
	// Acquisition's JSON keys (spectrometer_frequency_mhz, dwell_s,
	// te_ms, tm_ms), e.g. SourceBasis; a value without an entry is
	// SourceFlag. Dataset.Sources records it for each value used.
	Sources map[string]string
}

// MaxMixingTime is the longest Options.MixingTime accepted, in s: STEAM
// mixing times in use are 5–100 ms, and a larger value is most likely
// one in ms given as s.
const MaxMixingTime = 1.0

// IsSTEAM reports whether a header's sequence name is a STEAM
// sequence's ("STEAM", Siemens "svs_st"; any case), as the basis
// simulation reads it (sim.SequenceFor).
func IsSTEAM(sequence string) bool {
	s := strings.ToLower(sequence)
	return strings.Contains(s, "steam") || strings.Contains(s, "svs_st")
}

// source returns where the option of Acquisition's JSON key came from.
func (o Options) source(key string) string {
	if s := o.Sources[key]; s != "" {
		return s
	}
	return SourceFlag
}

// Dataset is a file's spectrum and, when found, its water reference.
type Dataset struct {
	// Data is the (water-suppressed) spectrum; Water the unsuppressed
	// reference or nil.
	Data, Water *mrs.Data
	// Format names the reader used ("nifti", "ge", "rda", "dicom",
	// "philips", "lcmodel", "jmrui").
	Format string
	// WaterFrom says where the reference came from (a file name or "same
	// file"), empty without one.
	WaterFrom string
	// Sources says where each acquisition value of Data that the file's
	// header lacks came from (see Acquisition.Sources); nil when the
	// header gave every value.
	Sources map[string]string
	// Replaced holds, keyed as Sources, the file's values that an Options
	// value replaced (Options.MixingTime); nil when none was.
	Replaced map[string]Replaced
}

// Format returns the reader Read would use for path, or an error naming
// the formats known.
func Format(path string) (string, error) {
	l := strings.ToLower(path)
	switch {
	case strings.HasSuffix(l, ".nii") || strings.HasSuffix(l, ".nii.gz"):
		return "nifti", nil
	case strings.HasSuffix(l, ".7"):
		return "ge", nil
	case strings.HasSuffix(l, ".rda"):
		return "rda", nil
	case strings.HasSuffix(l, ".dcm") || strings.HasSuffix(l, ".ima"):
		return "dicom", nil
	case strings.HasSuffix(l, ".sdat") || strings.HasSuffix(l, ".spar"):
		return "philips", nil
	case strings.HasSuffix(l, ".raw") || strings.HasSuffix(l, ".h2o"):
		return "lcmodel", nil
	case strings.HasSuffix(l, ".txt"):
		return "jmrui", nil
	}
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		head := make([]byte, 132)
		if n, _ := f.Read(head); n == 132 && string(head[128:]) == "DICM" {
			return "dicom", nil
		}
	}
	return "", fmt.Errorf("%s: unknown MRS file format (glusleep reads NIfTI-MRS .nii/.nii.gz, GE .7, Siemens .rda/.dcm/.ima, Philips .sdat, LCModel .RAW/.H2O, jMRUI .txt)", path)
}

// Read opens path.
func Read(path string, opt Options) (*Dataset, error) {
	format, err := Format(path)
	if err != nil {
		return nil, err
	}
	ds := &Dataset{Format: format}
	switch format {
	case "nifti":
		if ds.Data, err = nifti.ReadData(path); err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(strings.TrimSuffix(path, ".gz"), ".nii")
		stem := strings.TrimSuffix(strings.TrimSuffix(base, "_svs"), "_mrs")
		for _, cand := range []string{stem + "_mrsref.nii.gz", stem + "_mrsref.nii", base + "_ref.nii.gz", base + "_ref.nii"} {
			if cand == path {
				continue
			}
			if _, err := os.Stat(cand); err == nil {
				if ds.Water, err = nifti.ReadData(cand); err != nil {
					return nil, fmt.Errorf("water reference: %w", err)
				}
				ds.WaterFrom = filepath.Base(cand)
				break
			}
		}
	case "ge":
		f, err := gepfile.ReadFile(path)
		if err != nil {
			return nil, err
		}
		ds.Data, ds.Sources = f.Data(true), geSources(f)
		if w := f.Data(false); len(w.FIDs) > 0 {
			ds.Water, ds.WaterFrom = w, "same file"
		}
	case "rda":
		if ds.Data, err = rda.ReadFile(path); err != nil {
			return nil, err
		}
	case "dicom":
		if ds.Data, err = dicom.ReadFile(path); err != nil {
			return nil, err
		}
		splitWaterFrame(ds)
	case "philips":
		sdat := path
		if strings.HasSuffix(strings.ToLower(path), ".spar") {
			sdat = strings.TrimSuffix(path, filepath.Ext(path)) + ".SDAT"
			if _, err := os.Stat(sdat); err != nil {
				sdat = strings.TrimSuffix(path, filepath.Ext(path)) + ".sdat"
			}
		}
		if ds.Data, err = philips.ReadFile(sdat); err != nil {
			return nil, err
		}
	case "lcmodel":
		if ds.Data, ds.Sources, err = readLCModel(path, opt); err != nil {
			return nil, err
		}
		if !strings.EqualFold(filepath.Ext(path), ".h2o") {
			for _, ext := range []string{".H2O", ".h2o"} {
				cand := strings.TrimSuffix(path, filepath.Ext(path)) + ext
				if _, err := os.Stat(cand); err == nil {
					if ds.Water, _, err = readLCModel(cand, paramsOpt(ds.Data.Params)); err != nil {
						return nil, fmt.Errorf("water reference: %w", err)
					}
					ds.WaterFrom = filepath.Base(cand)
					break
				}
			}
		}
	case "jmrui":
		if ds.Data, err = jmrui.ReadFile(path); err != nil {
			return nil, err
		}
	}
	if err := ds.Data.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for k, v := range readerSources(format, ds.Data) {
		if ds.Sources == nil {
			ds.Sources = map[string]string{}
		}
		if ds.Sources[k] == "" {
			ds.Sources[k] = v
		}
	}
	ds.assumeMixingTime()
	if err := ds.setMixingTime(opt); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ds, nil
}

// AssumedMixingTime is the STEAM mixing time in s given to a STEAM
// spectrum whose header does not state one (a GE PROBE-S P-file, a
// NIfTI-MRS file without MixingTime): gepfile's, TARQUIN's default.
const AssumedMixingTime = gepfile.AssumedMixingTime

// assumeMixingTime gives a spectrum whose header names no sequence at all
// (LCModel .RAW, jMRUI text) PRESS, marked assumed (Sources "sequence"),
// as sim.SequenceFor would simulate it, and a STEAM spectrum, and a STEAM
// water reference, whose header states no mixing time AssumedMixingTime,
// marked assumed (Sources "tm_ms"), so that a basis simulated for it is
// not a STEAM with TM 0; the user is told of both
// (analysis.AssumedForBasis), and --tm replaces the mixing time.
func (ds *Dataset) assumeMixingTime() {
	if strings.TrimSpace(ds.Data.Sequence) == "" {
		ds.Data.Sequence = "PRESS"
		if ds.Sources == nil {
			ds.Sources = map[string]string{}
		}
		ds.Sources["sequence"] = SourceAssumed
	}
	for _, d := range []*mrs.Data{ds.Data, ds.Water} {
		if d == nil || !IsSTEAM(d.Sequence) || d.MixingTime > 0 {
			continue
		}
		d.MixingTime = AssumedMixingTime
		if d != ds.Data {
			continue
		}
		if ds.Sources == nil {
			ds.Sources = map[string]string{}
		}
		ds.Sources["tm_ms"] = SourceAssumed
	}
}

// setMixingTime puts opt.MixingTime (s) in a STEAM spectrum and its water
// reference, recording its source and the value it replaced; a spectrum
// of another sequence is left as read.
func (ds *Dataset) setMixingTime(opt Options) error {
	tm := opt.MixingTime
	switch {
	case tm == 0:
		return nil
	case !(tm > 0) || tm > MaxMixingTime:
		return fmt.Errorf("mixing time %g s: want more than 0 and at most %g s (e.g. 0.012 for 12 ms)", tm, MaxMixingTime)
	case !IsSTEAM(ds.Data.Sequence):
		return nil
	}
	was := Replaced{Value: ds.Data.MixingTime * 1000, Source: ds.Sources["tm_ms"]}
	if was.Source == "" {
		was.Source = SourceHeader
	}
	ds.Data.MixingTime = tm
	if ds.Water != nil && IsSTEAM(ds.Water.Sequence) {
		ds.Water.MixingTime = tm
	}
	if ds.Sources == nil {
		ds.Sources = map[string]string{}
	}
	ds.Sources["tm_ms"] = opt.source("tm_ms")
	ds.Replaced = map[string]Replaced{"tm_ms": was}
	return nil
}

// paramsOpt returns the options that read a water reference .H2O with
// the parameters p of its spectrum.
func paramsOpt(p mrs.Params) Options {
	return Options{SpectrometerFrequency: p.SpectrometerFrequency, Dwell: p.Dwell, EchoTime: p.EchoTime}
}

// readLCModel reads an LCModel file with parameters from opt, else a JSON
// sidecar (SpectrometerFrequency MHz, Dwell s, EchoTime s), else its
// $SEQPAR, and returns where each value not from the $SEQPAR came from
// (Dataset.Sources; nil when none; the nucleus it assumes is added by
// Read, readerSources). The sidecar's RepetitionTime (s, as BIDS and
// NIfTI-MRS give it), which an LCModel file cannot hold, is taken too.
func readLCModel(path string, opt Options) (*mrs.Data, map[string]string, error) {
	f, err := lcmodel.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var side struct {
		SpectrometerFrequency, Dwell, EchoTime, RepetitionTime float64
	}
	js := strings.TrimSuffix(path, filepath.Ext(path)) + ".json"
	if b, err := os.ReadFile(js); err == nil {
		dec := json.NewDecoder(bytes.NewReader(b))
		if err := dec.Decode(&side); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", js, err)
		}
	}
	var sources map[string]string
	pick := func(key string, a, b float64) float64 {
		src := opt.source(key)
		if a == 0 {
			a, src = b, SourceSidecar
		}
		if a != 0 {
			if sources == nil {
				sources = map[string]string{}
			}
			sources[key] = src
		}
		return a
	}
	p := mrs.Params{SpectrometerFrequency: pick("spectrometer_frequency_mhz", opt.SpectrometerFrequency, side.SpectrometerFrequency),
		Dwell: pick("dwell_s", opt.Dwell, side.Dwell), EchoTime: pick("te_ms", opt.EchoTime, side.EchoTime)}
	p.RepetitionTime = pick("tr_ms", 0, side.RepetitionTime)
	d := f.Data(p)
	if d.Dwell == 0 || d.SpectrometerFrequency == 0 {
		return nil, nil, fmt.Errorf("%s: an LCModel file has no dwell time or frequency: give them (--dwell S --spectrometer-frequency MHZ) or in %s (SpectrometerFrequency, Dwell, EchoTime)", path, filepath.Base(js))
	}
	return d, sources, nil
}

// splitWaterFrame separates a water reference stored as the last of two
// DICOM frames (Philips writes the water-suppressed spectrum and the
// reference in one object): the last frame is taken as the reference when
// its first point is more than ten times larger.
func splitWaterFrame(ds *Dataset) {
	d := ds.Data
	if len(d.FIDs) != 2 {
		return
	}
	if cmplx.Abs(d.FIDs[1][0]) > 10*cmplx.Abs(d.FIDs[0][0]) {
		w := *d
		w.FIDs, w.Dims = [][]complex128{d.FIDs[1]}, nil
		d.FIDs, d.Dims = [][]complex128{d.FIDs[0]}, nil
		ds.Water, ds.WaterFrom = &w, "same file (second frame)"
	}
}
