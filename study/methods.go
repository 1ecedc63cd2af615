package study

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"glusleep/bids"
	"glusleep/mrs/fit"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"glusleep/internal/atomicfile"
	"glusleep/internal/tsv"
	"glusleep/mrs"
	"glusleep/mrs/analysis"
	"glusleep/mrs/sim"
	"glusleep/psg/legs"
	"glusleep/report"
)

// notRecorded marks a checklist item glusleep does not know.
const notRecorded = "not recorded"

// spectrumFacts is what the participant level read and did for one
// spectrum, from the outputs it wrote: the acquisition facts and QC of
// <stem>_qc.json, the preprocessing of <stem>_preproc_qc.json and Glx's
// CRLB from <stem>_fit.tsv.
type spectrumFacts struct {
	Participant, File string
	// Acq is the input's acquisition as its header gave it; Meta the
	// header fields Acq keeps with the input's BIDS sidecar's.
	Acq            analysis.Acquisition
	Meta           map[string]any
	Rejected       int
	Steps          []string
	WaterReference string
	WSPercent      float64
	SNR, FWHMPPM   float64
	FWHMHz         float64
	GlxCRLB        float64
	// Basis describes the basis set (simulated sequence and frequency, or
	// the file); FitRangePPM the fit range; Quantification the water
	// scaling, nil without one (from <stem>_qc.json).
	Basis          string
	FitRangePPM    [2]float64
	Quantification *analysis.Quantification
}

// voxel is the spectrum's voxel geometry.
func (sf spectrumFacts) voxel() mrs.Voxel {
	return mrs.Voxel{Size: sf.Acq.VoxelSizeMM, Centre: sf.Acq.VoxelCentreMM, Frame: sf.Acq.VoxelFrame}
}

// gatherSpectra reads, for every participant's spectrum that the
// participant level fitted (its _qc.json), what it wrote of it (see
// spectrumFacts); the raw spectra are not read again. A QC file that
// cannot be read or decoded is an error naming it (skipping it would
// undercount the spectra the methods report); a missing _preproc_qc.json
// means the spectrum was not preprocessed; a fit table whose Glx CRLB is
// not a number is an error.
func gatherSpectra(d *Dataset, out string) ([]spectrumFacts, error) {
	var all []spectrumFacts
	for _, p := range d.Participants {
		byName := map[string]string{}
		for _, in := range mrsInputs(p) {
			byName[filepath.Base(in)] = in
		}
		for _, q := range participantOutputs(out, p.Label, "qc.json") {
			if strings.HasSuffix(q, "_preproc_qc.json") {
				continue
			}
			var fq analysis.QC
			if err := readJSON(q, &fq); err != nil {
				return nil, err
			}
			val := func(v *float64) float64 {
				if v == nil {
					return math.NaN()
				}
				return *v
			}
			sf := spectrumFacts{Participant: "sub-" + p.Label, File: fq.Input, Acq: fq.Acquisition, Meta: fq.Acquisition.Header,
				SNR: val(fq.SNR), FWHMPPM: val(fq.FWHMPPM), FWHMHz: val(fq.FWHMHz),
				WaterReference: fq.WaterReference, WSPercent: math.NaN(), GlxCRLB: math.NaN(),
				Basis: fq.Basis, FitRangePPM: fq.FitRangePPM, Quantification: fq.Quantification}
			if in, ok := byName[fq.Input]; ok {
				sf.Meta = withSidecar(sf.Meta, filepath.Join(filepath.Dir(in), analysis.Stem(in)+".json"))
			}
			var pq analysis.PreprocQC
			switch err := readJSON(siblingOutput(q, "qc.json", "preproc_qc.json"), &pq); {
			case errors.Is(err, fs.ErrNotExist):
			case err != nil:
				return nil, err
			default:
				sf.Steps, sf.Rejected = pq.QC.Steps, len(pq.QC.Rejected)
				if pq.QC.WaterSuppressionPercent != nil {
					sf.WSPercent = *pq.QC.WaterSuppressionPercent
				}
			}
			var err error
			if sf.GlxCRLB, err = glxCRLB(siblingOutput(q, "qc.json", "fit.tsv")); err != nil {
				return nil, err
			}
			all = append(all, sf)
		}
	}
	return all, nil
}

// readJSON decodes the JSON file at path into v; errors name the file
// and wrap the cause (fs.ErrNotExist for a missing file).
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err // *fs.PathError names the file
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// glxCRLB reads Glx's CRLB (percent) from a fit table (NaN when the
// table or the row is absent or the CRLB n/a).
func glxCRLB(path string) (float64, error) {
	t, err := tsv.ReadFile(path, tsv.Limits{})
	if errors.Is(err, fs.ErrNotExist) {
		return math.NaN(), nil
	}
	if err != nil {
		return math.NaN(), err
	}
	name, crlb := t.Index("metabolite"), t.Index("crlb_percent")
	if name < 0 || crlb < 0 {
		return math.NaN(), t.Errorf(-1, -1, "want metabolite and crlb_percent columns")
	}
	for i, row := range t.Rows {
		if row[name] == "Glx" {
			v, err := tsv.Float(row[crlb])
			if err != nil {
				return math.NaN(), t.Errorf(i, crlb, "column crlb_percent: %w", err)
			}
			return v, nil
		}
	}
	return math.NaN(), nil
}

// checklistItem is one MRSinMRS item (Lin et al. 2021) and how to read it
// from a spectrum's facts.
type checklistItem struct {
	section, item string
	value         func(sf spectrumFacts, run runFacts) string
	// cohort, when set, summarises the item over spectra whose values
	// differ (e.g. the mean and range of a number).
	cohort func(spectra []spectrumFacts) string
}

// numSummary summarises a per-spectrum number: mean and range, with the
// count of spectra where it is known.
func numSummary(f func(spectrumFacts) float64, format string) func([]spectrumFacts) string {
	return func(spectra []spectrumFacts) string {
		var v []float64
		for _, sf := range spectra {
			if x := f(sf); !math.IsNaN(x) && !math.IsInf(x, 0) {
				v = append(v, x)
			}
		}
		if len(v) == 0 {
			return notRecorded
		}
		sort.Float64s(v)
		m := 0.0
		for _, x := range v {
			m += x
		}
		m /= float64(len(v))
		return fmt.Sprintf("mean "+format+" (range "+format+"–"+format+"), %d of %d spectra", m, v[0], v[len(v)-1], len(v), len(spectra))
	}
}

// runFacts are the run-wide settings: version, participant settings, plan.
type runFacts struct {
	Version  string
	Settings Settings
	Plan     Plan
	// Mixed is set when participants were run with different settings or
	// versions (then the first participant's are reported).
	Mixed bool
}

// withSidecar returns meta with the keys of the JSON sidecar at path (a
// BIDS-MRS sidecar) that meta lacks; meta as is when there is none.
func withSidecar(meta map[string]any, path string) map[string]any {
	b, err := os.ReadFile(path)
	if err != nil {
		return meta
	}
	var side map[string]any
	if json.Unmarshal(b, &side) != nil {
		return meta
	}
	out := make(map[string]any, len(meta)+len(side))
	for k, v := range side {
		out[k] = v
	}
	for k, v := range meta {
		out[k] = v
	}
	return out
}

// metaNumber returns a number header or sidecar field (the first of an
// array), NaN when absent.
func metaNumber(m map[string]any, key string) float64 {
	switch v := m[key].(type) {
	case float64:
		return v
	case []any:
		if len(v) > 0 {
			if f, ok := v[0].(float64); ok {
				return f
			}
		}
	}
	return math.NaN()
}

func metaString(m map[string]any, keys ...string) string {
	var parts []string
	for _, k := range keys {
		if v, ok := m[k]; ok && fmt.Sprint(v) != "" {
			parts = append(parts, fmt.Sprint(v))
		}
	}
	if len(parts) == 0 {
		return notRecorded
	}
	return strings.Join(parts, ", ")
}

func known(v float64, format string) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return notRecorded
	}
	return fmt.Sprintf(format, v)
}

// mrsinmrsItems are the checklist's items, in its order (Lin A, Andronesi
// O, Bogner W, et al. Minimum Reporting Standards for in vivo Magnetic
// Resonance Spectroscopy (MRSinMRS): experts' consensus recommendations.
// NMR Biomed 2021;34:e4484).
var mrsinmrsItems = []checklistItem{
	{"1 Hardware", "a. Field strength (T)", func(sf spectrumFacts, _ runFacts) string {
		if sf.Acq.FieldStrengthT > 0 {
			return fmt.Sprintf("%.2f", sf.Acq.FieldStrengthT)
		}
		return known(sf.Acq.SpectrometerFrequencyMHz/42.577478, "%.2f (from the spectrometer frequency)")
	}, nil},
	{"1 Hardware", "b. Manufacturer", func(sf spectrumFacts, _ runFacts) string {
		if sf.Acq.Vendor != "" {
			return sf.Acq.Vendor
		}
		return metaString(sf.Meta, "Manufacturer")
	}, nil},
	{"1 Hardware", "c. Model (hardware and software version)", func(sf spectrumFacts, _ runFacts) string {
		return metaString(sf.Meta, "ManufacturersModelName", "SoftwareVersions")
	}, nil},
	{"1 Hardware", "d. RF coils: nuclei, number of channels, type, body part", func(sf spectrumFacts, _ runFacts) string {
		nuc := sf.Acq.Nucleus
		if nuc == "" {
			nuc = "1H"
		}
		ch := "channels combined before export"
		if sf.Acq.Coils > 1 {
			ch = fmt.Sprintf("%d receive channels", sf.Acq.Coils)
		} else if n := metaNumber(sf.Meta, "NumberReceiveCoilActiveElements"); n > 0 {
			ch = fmt.Sprintf("%.0f receive elements, combined before export", n)
		}
		coil := "coil type"
		if name := metaString(sf.Meta, "ReceiveCoilName"); name != notRecorded {
			ch += "; receive coil " + name
			coil = ""
		}
		return nuc + "; " + ch + "; " + strings.TrimPrefix(coil+" and body part "+notRecorded, " and ")
	}, nil},
	{"1 Hardware", "e. Additional hardware", func(spectrumFacts, runFacts) string { return notRecorded }, nil},
	{"2 Acquisition", "a. Pulse sequence", func(sf spectrumFacts, _ runFacts) string {
		seq := sf.Acq.Sequence
		if seq == "" {
			seq = metaString(sf.Meta, "PulseSequenceType", "SequenceName")
		}
		if ovs, ok := sf.Meta["OuterVolumeSuppression"].(bool); ok {
			seq += map[bool]string{true: "; outer volume suppression", false: "; no outer volume suppression"}[ovs]
		}
		return seq
	}, nil},
	{"2 Acquisition", "b. Volume of interest (VOI) location", func(sf spectrumFacts, _ runFacts) string {
		v := sf.voxel()
		if v.Centre == [3]float64{} {
			return notRecorded
		}
		return fmt.Sprintf("centre (%.1f, %.1f, %.1f) mm %s", v.Centre[0], v.Centre[1], v.Centre[2], v.Frame)
	}, nil},
	{"2 Acquisition", "c. Nominal VOI size", func(sf spectrumFacts, _ runFacts) string {
		v := sf.voxel()
		if v.Volume() <= 0 {
			return notRecorded
		}
		return fmt.Sprintf("%.0f × %.0f × %.0f mm (%.2f mL)", v.Size[0], v.Size[1], v.Size[2], v.Volume())
	}, nil},
	{"2 Acquisition", "d. Repetition time TR (ms)", func(sf spectrumFacts, _ runFacts) string {
		tr := sf.Acq.TRms
		if tr == 0 {
			tr = metaNumber(sf.Meta, "RepetitionTime") * 1000
		}
		return known(tr, "%.0f")
	}, nil},
	{"2 Acquisition", "d. Echo time TE (ms)", func(sf spectrumFacts, _ runFacts) string { return known(sf.Acq.TEms, "%.1f") }, nil},
	{"2 Acquisition", "e. Total number of excitations (averages)", func(sf spectrumFacts, _ runFacts) string {
		if sf.Acq.Transients > 1 {
			return fmt.Sprintf("%d transients stored; %d rejected as outliers, %d averaged", sf.Acq.Transients, sf.Rejected, sf.Acq.Transients-sf.Rejected)
		}
		if n := metaNumber(sf.Meta, "NumberOfTransients"); n > 0 {
			return fmt.Sprintf("%.0f, averaged by the scanner", n)
		}
		return "averaged by the scanner (number " + notRecorded + ")"
	}, func(spectra []spectrumFacts) string {
		return "transients stored: " + numSummary(func(sf spectrumFacts) float64 { return float64(sf.Acq.Transients) }, "%.0f")(spectra) +
			"; rejected as outliers: " + numSummary(func(sf spectrumFacts) float64 { return float64(sf.Rejected) }, "%.1f")(spectra)
	}},
	{"2 Acquisition", "f. Spectral width (Hz) and points", func(sf spectrumFacts, _ runFacts) string {
		if sf.Acq.DwellS <= 0 {
			return notRecorded
		}
		return fmt.Sprintf("%.0f Hz, %s points", 1/sf.Acq.DwellS, pointsOf(sf))
	}, nil},
	{"2 Acquisition", "g. Water suppression method and water reference", func(sf spectrumFacts, _ runFacts) string {
		ref := "; no water reference"
		if sf.WaterReference != "" {
			ref = "; water reference " + sf.WaterReference
		}
		if !math.IsNaN(sf.WSPercent) {
			return fmt.Sprintf("%s; residual water suppression %.1f%% (against the water reference)", wsMethod(sf), sf.WSPercent) + ref
		}
		return wsMethod(sf) + ref
	}, func(spectra []spectrumFacts) string {
		n := 0
		for _, sf := range spectra {
			if sf.WaterReference != "" {
				n++
			}
		}
		return fmt.Sprintf("%s; water suppression %s (%%); %d of %d spectra with a water reference",
			distinct(spectra, wsMethod), numSummary(func(sf spectrumFacts) float64 { return sf.WSPercent }, "%.1f")(spectra), n, len(spectra))
	}},
	{"2 Acquisition", "h. Shimming method and linewidth acceptance", func(spectrumFacts, runFacts) string { return notRecorded }, nil},
	{"2 Acquisition", "i. Triggering or motion correction", func(sf spectrumFacts, _ runFacts) string {
		if sf.Acq.Transients > 1 && len(sf.Steps) > 0 {
			return "prospective " + notRecorded + "; retrospective frequency and phase alignment with outlier rejection"
		}
		return notRecorded
	}, nil},
	{"3 Data analysis", "a. Analysis software", func(_ spectrumFacts, r runFacts) string { return "glusleep " + r.Version }, nil},
	{"3 Data analysis", "b. Processing steps", func(sf spectrumFacts, _ runFacts) string {
		if len(sf.Steps) == 0 {
			return "FIDs averaged as stored; no preprocessing"
		}
		return strings.Join(sf.Steps, "; ")
	}, nil},
	{"3 Data analysis", "c. Output measure", func(sf spectrumFacts, _ runFacts) string {
		out := "ratios to total creatine (Cr + PCr): Glx/tCr (Glx = Glu + Gln), tNAA/tCr"
		if q := sf.Quantification; q != nil {
			out += fmt.Sprintf("; water-scaled concentrations in mM (%s)", q.Method)
		}
		return out
	}, nil},
	{"3 Data analysis", "d. Quantification references, assumptions and fitting model", func(sf spectrumFacts, r runFacts) string {
		out := "basis " + orDefault(sf.Basis, notRecorded) + "; " + fitSummary(r.Settings, sf.FitRangePPM)
		if q := sf.Quantification; q != nil {
			out += fmt.Sprintf("; water scaling with TE %g ms, TR %g ms, tissue fractions GM %.2f, WM %.2f, CSF %.2f, water T2 %g/%g/%g ms and metabolite T2 %g ms",
				q.TEms, q.TRms, q.GM, q.WM, q.CSF, q.WaterT2ms[0], q.WaterT2ms[1], q.WaterT2ms[2], q.MetaboliteT2ms)
		}
		return out
	}, nil},
	{"4 Data quality", "a. SNR (NAA)", func(sf spectrumFacts, _ runFacts) string { return known(sf.SNR, "%.1f (NAA height / noise SD)") },
		numSummary(func(sf spectrumFacts) float64 { return sf.SNR }, "%.1f")},
	{"4 Data quality", "a. Linewidth (NAA FWHM)", func(sf spectrumFacts, _ runFacts) string {
		if sf.FWHMHz == 0 || math.IsNaN(sf.FWHMHz) {
			return notRecorded
		}
		return fmt.Sprintf("%.1f Hz (%.3f ppm)", sf.FWHMHz, sf.FWHMPPM)
	}, numSummary(func(sf spectrumFacts) float64 { return sf.FWHMHz }, "%.1f Hz")},
	{"4 Data quality", "b. Data exclusion criteria", func(_ spectrumFacts, r runFacts) string { return qcCriteria(r.Plan) }, nil},
	{"4 Data quality", "c. Fit quality (Glx CRLB)", func(sf spectrumFacts, _ runFacts) string { return known(sf.GlxCRLB, "%.1f%%") },
		numSummary(func(sf spectrumFacts) float64 { return sf.GlxCRLB }, "%.1f%%")},
	{"4 Data quality", "d. Sample spectrum", func(sf spectrumFacts, _ runFacts) string {
		return "fit figure per spectrum (" + strings.TrimSuffix(strings.TrimSuffix(sf.File, ".gz"), ".nii") + " _fit.svg) in the report"
	}, func([]spectrumFacts) string {
		return "one fit figure per spectrum (_fit.svg), in the report's per-participant section"
	}},
}

// wsMethod names the water suppression from the header or sidecar.
func wsMethod(sf spectrumFacts) string {
	if t := metaString(sf.Meta, "WaterSuppressionTechnique"); t != notRecorded {
		return "water suppression by " + t
	}
	if ws, ok := sf.Meta["WaterSuppression"].(bool); ok && !ws {
		return "no water suppression"
	} else if ok {
		return "water suppressed (technique " + notRecorded + ")"
	}
	return "water suppression method " + notRecorded
}

func pointsOf(sf spectrumFacts) string {
	if sf.Acq.Points > 0 {
		return fmt.Sprint(sf.Acq.Points)
	}
	return notRecorded
}

func qcCriteria(p Plan) string {
	return fmt.Sprintf("flagged when SNR < %g, NAA FWHM > %g ppm or %s CRLB > %g%%; primary analysis: %s", p.QCMinSNR, p.QCMaxFWHMPPM, p.Outcome, p.QCMaxCRLBPercent,
		map[bool]string{true: "QC-passed spectra only (all spectra as sensitivity analysis)", false: "all spectra (QC-passed only as sensitivity analysis)"}[p.ExcludeFailedQC])
}

// fitSummary states the fit model and settings; rng is the fit range a
// spectrum's QC records (the settings' when zero).
func fitSummary(s Settings, rng [2]float64) string {
	if rng == [2]float64{} {
		rng = s.FitRangePPM
	}
	lip := "without"
	if s.Lipids {
		lip = "with"
	}
	shift := fmt.Sprintf("±%g ppm", s.MaxShiftPPM)
	if s.MaxShiftPPM == 0 {
		shift = fmt.Sprintf("±0.1 ppm (±%g ppm for phantoms)", fit.PhantomMaxShiftPPM)
	}
	mm := ""
	if s.Lipids {
		mm = fmt.Sprintf(" (these take the metabolites' lineshape plus their own shift within ±%g ppm and extra Lorentzian broadening up to %g ppm)",
			fit.DefaultBroadMaxShiftPPM, fit.DefaultBroadMaxLinewidthPPM)
	}
	shape := "NAA+NAAG, Cr+PCr and GPC+PCho with their own shift and width, held to the other metabolites' by LCModel's priors"
	if s.CommonLineshape {
		shape = "one shift and width for all metabolites"
	}
	switch s.Phase1 {
	case Phase1Held:
		shape += ", the zero-order phase fitted and the first-order phase held at 0°/ppm"
	case Phase1Fitted:
		shape += ", the zero-order and first-order phase fitted (the latter within ±20°/ppm about 4.65 ppm)"
	default: // provenance of a version before 2026-12, which held it at 0 and did not record it
		shape += ", the zero-order phase fitted and the first-order phase held at 0°/ppm (glusleep's model before 2026-12; not recorded in provenance)"
	}
	return fmt.Sprintf("linear combination of basis spectra with a spline baseline (stiffness by modified AIC on the real part, the stiffest within ΔAIC 2 of the lowest), fitted %g–%g ppm, frequency shifts within %s, %s, %s LCModel-style lipid and macromolecule components%s; CRLBs from the Fisher information",
		rng[0], rng[1], shift, shape, lip, mm)
}

// basisText says where the cohort's bases came from.
func basisText(s Settings, spectra []spectrumFacts) string {
	if s.Basis != "" {
		return "the basis set " + filepath.Base(s.Basis)
	}
	return "bases simulated by density-matrix simulation (glusleep mrs/sim) for each acquisition's header: " +
		orDefault(distinct(spectra, func(sf spectrumFacts) string { return sf.Basis }), notRecorded)
}

// mrsinmrsTable returns the checklist per spectrum and for the cohort as
// TSV (scope, section, item, value; scope "cohort" or the participant and
// file) and as report blocks.
func mrsinmrsTable(spectra []spectrumFacts, run runFacts) ([]byte, []report.Block) {
	var tb bytes.Buffer
	tb.WriteString("scope\tsection\titem\tvalue\n")
	var cohortRows [][]string
	for _, it := range mrsinmrsItems {
		vals := map[string]int{}
		var order []string
		for _, sf := range spectra {
			v := it.value(sf, run)
			if vals[v] == 0 {
				order = append(order, v)
			}
			vals[v]++
		}
		cv := notRecorded
		switch {
		case len(order) == 1:
			cv = order[0]
		case len(order) > 1 && it.cohort != nil:
			cv = it.cohort(spectra)
		case len(order) > 1:
			cv = fmt.Sprintf("varies over %d spectra (%d distinct values; see per spectrum)", len(spectra), len(order))
		}
		cohortRows = append(cohortRows, []string{it.section, it.item, cv})
		fmt.Fprintf(&tb, "cohort\t%s\t%s\t%s\n", it.section, it.item, tsv.Clean(cv))
	}
	var perRows [][]string
	for _, sf := range spectra {
		row := []string{sf.Participant + " " + sf.File}
		for _, it := range mrsinmrsItems {
			v := it.value(sf, run)
			fmt.Fprintf(&tb, "%s/%s\t%s\t%s\t%s\n", sf.Participant, sf.File, it.section, it.item, tsv.Clean(v))
		}
		for _, k := range []int{0, 9, 8, 7, 10, 19, 20, 22} {
			row = append(row, mrsinmrsItems[k].value(sf, run))
		}
		perRows = append(perRows, row)
	}
	blocks := []report.Block{
		{Text: fmt.Sprintf("Minimum reporting standards for in vivo MRS (MRSinMRS; Lin et al., NMR Biomed 2021): the checklist's items that glusleep knows, for the cohort of %d spectra and per spectrum; the rest are marked \"%s\". Also written as group/mrsinmrs.tsv.", len(spectra), notRecorded)},
		{Table: &report.Table{Caption: "MRSinMRS checklist: cohort", Header: []string{"section", "item", "value"}, Rows: cohortRows}},
	}
	if len(perRows) > 0 {
		h := []string{"spectrum"}
		for _, k := range []int{0, 9, 8, 7, 10, 19, 20, 22} {
			h = append(h, mrsinmrsItems[k].item)
		}
		blocks = append(blocks, report.Block{Table: &report.Table{Caption: "MRSinMRS checklist: per spectrum (main items; every item in mrsinmrs.tsv)", Header: h, Rows: perRows}})
	}
	return tb.Bytes(), blocks
}

// runFactsFor takes the version and settings the participant level
// recorded in each participant's provenance.json (provs, by label).
func runFactsFor(d *Dataset, provs map[string]*Provenance, version string, plan Plan) runFacts {
	r := runFacts{Version: version, Settings: DefaultSettings(), Plan: plan}
	first := true
	var firstSettings string
	for _, p := range d.Participants {
		pv, ok := provs[p.Label]
		if !ok || len(pv.Settings) == 0 {
			continue
		}
		if first {
			first, firstSettings = false, string(pv.Settings)
			r.Version = pv.Version
			var s Settings
			if json.Unmarshal(pv.Settings, &s) == nil {
				r.Settings = s
			}
			continue
		}
		if string(pv.Settings) != firstSettings || pv.Version != r.Version {
			r.Mixed = true
		}
	}
	return r
}

// methodsText returns the methods as markdown paragraphs under headings,
// generated from what was run: the spectra's headers and processing, the
// participant settings from provenance, and the plan.
func methodsText(spectra []spectrumFacts, run runFacts, nights int) []methodsPara {
	s, p := run.Settings, run.Plan
	var paras []methodsPara
	add := func(h, t string) { paras = append(paras, methodsPara{h, t}) }
	software := fmt.Sprintf("Data were analysed with glusleep %s (a single static Go program; every participant's inputs, settings and version are recorded with SHA-256 hashes in provenance.json).", run.Version)
	if run.Mixed {
		software += " Participants were processed with differing settings or versions; those of the first participant are reported."
	}
	add("Software", software)
	fields := distinct(spectra, func(sf spectrumFacts) string {
		if b := sf.Acq.FieldStrengthT; b > 0 {
			return fmt.Sprintf("%.2f T", b)
		}
		return known(sf.Acq.SpectrometerFrequencyMHz/42.577478, "%.2f T (from the spectrometer frequency)")
	})
	withUnit := func(v, unit string) string {
		if v == notRecorded {
			return v
		}
		return v + " " + unit
	}
	tes := distinct(spectra, func(sf spectrumFacts) string { return withUnit(mrsinmrsItems[9].value(sf, run), "ms") })
	trs := distinct(spectra, func(sf spectrumFacts) string { return withUnit(mrsinmrsItems[8].value(sf, run), "ms") })
	seqs := distinct(spectra, func(sf spectrumFacts) string { return mrsinmrsItems[5].value(sf, run) })
	add("MRS acquisition", fmt.Sprintf("%d single-voxel spectra were analysed (field strength %s; sequence %s; TE %s; TR %s). Acquisition details per spectrum follow the MRSinMRS checklist (Lin et al. 2021; group/mrsinmrs.tsv).",
		len(spectra), fields, seqs, tes, trs))
	pre := "Spectra with more than one FID (coil channels or transients) were"
	switch s.Preprocess {
	case "always":
		pre = "Every spectrum was"
	case "never":
		pre = "No spectrum was"
	}
	add("MRS preprocessing", fmt.Sprintf("%s preprocessed (--preprocess %s) in the consensus order (Near et al. 2021): %s.",
		pre, orDefault(s.Preprocess, "auto"), stepsText(spectra)))
	add("Basis and fitting", fmt.Sprintf("Spectra were fitted with %s: %s. Spin-system parameters: %s.", basisText(s, spectra), fitSummary(s, [2]float64{}), strings.Join(spinSources(), "; ")))
	if q := distinct(spectra, func(sf spectrumFacts) string {
		if sf.Quantification == nil {
			return "none"
		}
		return sf.Quantification.Method
	}); q != "none" {
		paras[len(paras)-1].Text += " Water scaling: " + q + " (per spectrum in group/mrsinmrs.tsv)."
	}
	add("Quantification and quality control", fmt.Sprintf("Metabolites are reported as ratios to total creatine (Cr + PCr); the outcome is %s. Spectra were %s.", p.Outcome, qcCriteria(p)))
	std := s.LegStandard
	if std == "" {
		std = string(legs.WASM2016)
	}
	legRule := map[string]string{string(legs.WASM2016): "the World Association of Sleep Medicine 2016 rules (Ferri et al. 2016)", string(legs.AASM): "the AASM scoring manual's rules (Berry et al.)"}[std]
	lp, _ := json.Marshal(legs.DefaultParams(legs.Standard(std)))
	add("Sleep and leg movements", fmt.Sprintf("%d nights were analysed from their scored hypnograms (30 s epochs; the scoring rules' AASM manual version is %s). Sleep measures follow the AASM definitions: TST = N1 + N2 + N3 + R between lights off and on; WASO = wake within the sleep period (sleep onset to final awakening), with wake to lights on reported beside it; sleep efficiency = TST / time in bed. Leg movements were scored from the tibialis EMG where recorded, else from the scored leg-movement events, by %s (parameters %s).",
		nights, notRecorded, legRule, lp))
	add("Statistics", statsText(p))
	add("References", strings.Join(references, " "))
	return paras
}

type methodsPara struct{ Heading, Text string }

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// stepDescriptions describe preprocessing steps (by their generic names)
// with the methods they use and the papers to cite.
var stepDescriptions = map[string]string{
	"coil combination":                   "coil combination (signal-weighted, noise-whitened: Roemer et al. 1990)",
	"spectral registration":              "frequency and phase alignment of the transients by spectral registration (Near et al. 2015) with outlier rejection by the residual to the aligned mean",
	"averaging":                          "averaging of the accepted transients",
	"eddy-current correction":            "eddy-current correction with the water reference (Klose 1990)",
	"HLSVD water removal":                "residual water removal by HLSVD (Barkhuijsen et al. 1987)",
	"referencing and zero-order phasing": "zero-order phasing and chemical-shift referencing",
}

// stepsText lists the preprocessing steps the spectra had, in order, each
// described, with how many spectra had it when not all did.
func stepsText(spectra []spectrumFacts) string {
	count := map[string]int{}
	var order []string
	for _, sf := range spectra {
		for _, st := range genericSteps(sf.Steps) {
			if count[st] == 0 {
				order = append(order, st)
			}
			count[st]++
		}
	}
	if len(order) == 0 {
		return "no preprocessing step was applied (FIDs averaged as stored)"
	}
	parts := make([]string, len(order))
	for i, st := range order {
		d := orDefault(stepDescriptions[st], st)
		if count[st] < len(spectra) {
			d += fmt.Sprintf(" (%d of %d spectra)", count[st], len(spectra))
		}
		parts[i] = d
	}
	return strings.Join(parts, "; ")
}

// genericSteps drops the counts from preprocessing steps ("spectral
// registration of 16 transients" → "spectral registration"), so that a
// cohort's steps can be listed once.
func genericSteps(steps []string) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		if k := strings.Index(s, " of "); k > 0 {
			s = s[:k]
		}
		if k := strings.Index(s, " ("); k > 0 {
			s = s[:k]
		}
		out[i] = s
	}
	return out
}

func distinct(spectra []spectrumFacts, f func(spectrumFacts) string) string {
	seen := map[string]bool{}
	var vals []string
	for _, sf := range spectra {
		v := f(sf)
		if !seen[v] {
			seen[v] = true
			vals = append(vals, v)
		}
	}
	sort.Strings(vals)
	return strings.Join(vals, " / ")
}

// spinSources lists the distinct literature sources of the simulated
// metabolites' chemical shifts and couplings.
func spinSources() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range sim.Metabolites {
		src := m.Source
		if k := strings.Index(src, " ("); k > 0 && strings.HasPrefix(src, "Govindaraju") {
			src = src[:k]
		}
		if src != "" && !seen[src] {
			seen[src] = true
			out = append(out, src)
		}
	}
	return out
}

// statsText states the plan's analyses with their R equivalents.
func statsText(p Plan) string {
	y, g := p.Outcome, p.GroupColumn
	t := fmt.Sprintf("%s (%s) was compared between %s and %s by Student's t-test, one-tailed as published (R: t.test(%s ~ %s, var.equal = TRUE, alternative = \"greater\") with %s as the first level), with Welch's t-test (t.test(%s ~ %s)), the Mann–Whitney U test (wilcox.test(%s ~ %s), exact p without ties) and Hedges' g with its 95%% CI (effsize::cohen.d(..., hedges.correction = TRUE)). ",
		p.Label(y), y, p.Patients, p.Controls, y, g, p.Patients, y, g, y, g)
	if len(p.SleepMeasures) > 0 {
		var ms []string
		for _, m := range p.SleepMeasures {
			ms = append(ms, p.Label(m)+" ("+m+")")
		}
		t += fmt.Sprintf("Within each group, %s was correlated with %s by Pearson's r with Fisher-z 95%% CIs (cor.test(x, y)), p-values adjusted across the measures by %s (p.adjust(p, \"%s\")), and the groups' correlations compared by Fisher's z test (psych::r.test(n1, r1, r2, n2)). ",
			p.Label(y), strings.Join(ms, ", "), p.Adjust, p.Adjust)
	}
	if p.Model != "" {
		t += fmt.Sprintf("The linear model %s was fitted by least squares (lm(%s), %s as reference level). ", p.Model, p.Model, p.Controls)
	}
	if p.OnlyEligible {
		t += "Analyses were restricted to participants the eligibility protocol found eligible. "
	}
	return t + "The QC sensitivity analysis repeats the group comparison and correlations on the other set of spectra (see Spectral quality)."
}

var references = []string{
	"Lin A, et al. Minimum Reporting Standards for in vivo Magnetic Resonance Spectroscopy (MRSinMRS): experts' consensus recommendations. NMR Biomed 2021;34:e4484.",
	"Near J, et al. Preprocessing, analysis and quantification in single-voxel magnetic resonance spectroscopy: experts' consensus recommendations. NMR Biomed 2021;34:e4257.",
	"Near J, Edden R, Evans CJ, et al. Frequency and phase drift correction of magnetic resonance spectroscopy data by spectral registration in the time domain. Magn Reson Med 2015;73:44–50.",
	"Roemer PB, Edelstein WA, Hayes CE, Souza SP, Mueller OM. The NMR phased array. Magn Reson Med 1990;16:192–225.",
	"Klose U. In vivo proton spectroscopy in presence of eddy currents. Magn Reson Med 1990;14:26–30.",
	"Barkhuijsen H, de Beer R, van Ormondt D. Improved algorithm for noniterative time-domain model fitting to exponentially damped magnetic resonance signals. J Magn Reson 1987;73:553–557.",
	"Provencher SW. Estimation of metabolite concentrations from localized in vivo proton NMR spectra. Magn Reson Med 1993;30:672–679.",
	"Govindaraju V, Young K, Maudsley AA. Proton NMR chemical shifts and coupling constants for brain metabolites. NMR Biomed 2000;13:129–153.",
	"Berry RB, et al. The AASM Manual for the Scoring of Sleep and Associated Events. American Academy of Sleep Medicine.",
	"Ferri R, et al. World Association of Sleep Medicine (WASM) 2016 standards for recording and scoring leg movements in polysomnograms. Sleep Med 2016;26:86–95.",
	"Allen RP, Barker PB, Horská A, Earley CJ. Thalamic glutamate/glutamine in restless legs syndrome: increased and related to disturbed sleep. Neurology 2013;80:2028–2034.",
}

// methodsMarkdown renders the paragraphs as markdown.
func methodsMarkdown(paras []methodsPara) []byte {
	var b bytes.Buffer
	b.WriteString("# Methods (generated by glusleep from the run)\n")
	for _, p := range paras {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", p.Heading, p.Text)
	}
	return b.Bytes()
}

// mrsinmrsColumns describes the columns of group/mrsinmrs.tsv.
var mrsinmrsColumns = map[string]bids.Column{
	"scope":   {Description: "What the row describes: \"cohort\" (every spectrum of the study) or one spectrum, as sub-<label>/<input file>."},
	"section": {Description: "Section of the MRSinMRS checklist (Lin et al., NMR Biomed 2021), e.g. \"1 Hardware\"."},
	"item":    {Description: "Item of the MRSinMRS checklist within its section, with its letter as the checklist gives it."},
	"value":   {Description: "The item's value as glusleep knows it from the headers, sidecars, QC and settings of the run, or \"not recorded\"."},
}

// methodsSections writes group/mrsinmrs.tsv and group/methods.md and
// returns the report's Methods and MRSinMRS sections, made from what was
// run: each participant's provenance (version, settings), the spectra's
// headers and QC, and the plan.
func methodsSections(d *Dataset, out, gdir string, plan Plan, version string, provs map[string]*Provenance) ([]report.Section, error) {
	run := runFactsFor(d, provs, version, plan)
	spectra, err := gatherSpectra(d, out)
	if err != nil {
		return nil, err
	}
	mtsv, mblocks := mrsinmrsTable(spectra, run)
	paras := methodsText(spectra, run, countNights(d))
	var blocks []report.Block
	for _, p := range paras {
		blocks = append(blocks, report.Block{Text: p.Heading + ". " + p.Text})
	}
	blocks = append(blocks, report.Block{Text: "Also written as group/methods.md."})
	if err := atomicfile.WriteFile(filepath.Join(gdir, "mrsinmrs.tsv"), mtsv, 0o644); err != nil {
		return nil, err
	}
	if err := writeColumnSidecar(filepath.Join(gdir, "mrsinmrs.tsv"), mrsinmrsColumns); err != nil {
		return nil, err
	}
	if err := atomicfile.WriteFile(filepath.Join(gdir, "methods.md"), methodsMarkdown(paras), 0o644); err != nil {
		return nil, err
	}
	return []report.Section{{ID: "methods", Title: "Methods", Blocks: blocks}, {ID: "mrsinmrs", Title: "MRSinMRS checklist", Blocks: mblocks}}, nil
}
