package main

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"glusleep/mrs"
	"glusleep/mrs/basis"
	"glusleep/mrs/format/mrsio"
	"glusleep/mrs/naming"
	"glusleep/mrs/sim"
)

func init() {
	register(&command{
		path:    "mrs basis",
		usage:   "mrs basis --sequence press|steam|slaser [--te1 MS --te2 MS | --te MS [--tm MS]] (--field T | --spectrometer-frequency MHZ) --dwell S --points N [--metabolites LIST] [--macromolecules] [--lipids] [--reference-singlet PPM] [--like DATAFILE] [--format lcmodel|fsl|nifti] [--names lcmodel|fsl|glusleep] --out FILE.BASIS|DIR",
		summary: "simulate a basis set (density matrix, ideal pulses) as an LCModel .BASIS file, an FSL-MRS JSON folder or a NIfTI-MRS folder",
		run:     runMRSBasis,
	})
}

// likeData fills r's sequence, frequency, dwell and points from a data
// file's header.
func likeData(path string, r *basis.Request) error {
	ds, err := mrsio.Read(path, mrsio.Options{})
	if err != nil {
		return err
	}
	p := ds.Data.Params
	if r.Sequence, err = sim.SequenceFor(p); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r.MHz, r.Dwell, r.Points = p.SpectrometerFrequency, p.Dwell, ds.Data.Points()
	return nil
}

func runMRSBasis(env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "mrs basis")
	seq := fs.String("sequence", "press", "press, steam or slaser")
	te1 := fs.Float64("te1", 0, "PRESS first echo time in ms")
	te2 := fs.Float64("te2", 0, "PRESS second echo time in ms")
	te := fs.Float64("te", 0, "echo time in ms (STEAM, sLASER; PRESS with TE1 = TE2 = TE/2 when --te1/--te2 are not given)")
	tm := fs.Float64("tm", 0, "STEAM mixing time in ms")
	field := fs.Float64("field", 0, fmt.Sprintf("field strength in T (1H frequency %.6f MHz/T)", mrs.ProtonMHzPerTesla))
	mhz := fs.Float64("spectrometer-frequency", 0, "spectrometer frequency in MHz")
	dwell := fs.Float64("dwell", 0, "dwell time in s")
	points := fs.Int("points", 0, "number of points")
	mets := fs.String("metabolites", "", "comma-separated metabolites (default all)")
	like := fs.String("like", "", "take the sequence (PRESS TE1 = TE2 = TE/2, STEAM TE/TM, semi-LASER), frequency, dwell and points from this data file")
	var r basis.Request
	fs.BoolVar(&r.Macromolecules, "macromolecules", false, "add LCModel's macromolecule components (MM09 MM12 MM14 MM17 MM20, Gaussian lines)")
	fs.BoolVar(&r.Lipids, "lipids", false, "add LCModel's lipid components (Lip09 Lip13a Lip13b Lip20, Gaussian lines)")
	ref := fs.String("reference-singlet", "", "add a one-proton singlet at this shift in ppm (e.g. 0 for DSS) to every entry, as a scaling reference")
	format := fs.String("format", "", "lcmodel, fsl or nifti (default: lcmodel for a .BASIS file, fsl for a folder)")
	out := fs.String("out", "", "output: FILE.BASIS (LCModel) or a folder (FSL-MRS JSON or NIfTI-MRS)")
	names := fs.String("names", "", "metabolite names: lcmodel or fsl (PCh, Scyllo: LCModel's default sums GPC+PCh and its Scyllo prior, and FSL-MRS's groups, find them) or glusleep (PCho, sIns; folders only); default: lcmodel for a .BASIS file, fsl for an FSL-MRS folder, glusleep for NIfTI-MRS")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if err := checkMRSRanges(fs); err != nil {
		return err
	}
	if te := *te1 + *te2; te > 0 && (te < mrsRanges["te"].lo || te > mrsRanges["te"].hi) {
		return fmt.Errorf("%w: --te1 %g ms + --te2 %g ms = TE %g ms is outside the plausible range %g–%g ms", errUsage, *te1, *te2, te, mrsRanges["te"].lo, mrsRanges["te"].hi)
	}
	if *out == "" {
		return fmt.Errorf("%w: need --out FILE.BASIS|DIR", errUsage)
	}
	if *like != "" {
		if err := likeData(*like, &r); err != nil {
			return err
		}
	} else {
		r.Sequence.Kind = *seq
	}
	setTiming(&r.Sequence, *te1, *te2, *te, *tm)
	if *mhz > 0 {
		r.MHz = *mhz
	} else if *field > 0 {
		r.MHz = *field * mrs.ProtonMHzPerTesla
	}
	if *dwell > 0 {
		r.Dwell = *dwell
	}
	if *points > 0 {
		r.Points = *points
	}
	if r.MHz == 0 || r.Dwell == 0 || r.Points == 0 {
		return fmt.Errorf("%w: need the frequency (--field or --spectrometer-frequency), --dwell and --points (or --like DATAFILE)", errUsage)
	}
	if *mets != "" {
		for _, m := range strings.Split(*mets, ",") {
			r.Names = append(r.Names, strings.TrimSpace(m))
		}
	}
	kind := strings.ToLower(*format)
	if kind == "" {
		kind = "fsl"
		if strings.EqualFold(filepath.Ext(*out), ".basis") {
			kind = "lcmodel"
		}
	}
	if kind != "lcmodel" && kind != "fsl" && kind != "nifti" {
		return fmt.Errorf("%w: --format %q: want lcmodel, fsl or nifti", errUsage, *format)
	}
	conv, err := basisNames(*names, kind)
	if err != nil {
		return err
	}
	if *ref != "" {
		v, err := strconv.ParseFloat(*ref, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: --reference-singlet %q: want a chemical shift in ppm", errUsage, *ref)
		}
		r.ReferencePPM = &v
	}
	set, err := basis.Build(r)
	if err != nil {
		return err
	}
	if kind == "nifti" {
		for i, n := range set.Names {
			set.Names[i] = naming.Name(n, conv)
		}
	}
	return writeBasisSet(env, set, kind, conv, *out)
}

// basisNames parses --names for an output of kind (lcmodel, fsl, nifti);
// "" gives the format's own convention.
func basisNames(s, kind string) (naming.NameConvention, error) {
	if s == "" {
		switch kind {
		case "lcmodel":
			return naming.NamesLCModel, nil
		case "fsl":
			return naming.NamesFSL, nil
		}
		return naming.NamesGlusleep, nil
	}
	c, ok := naming.ParseNameConvention(s)
	if !ok {
		return "", fmt.Errorf("%w: --names %q: want lcmodel, fsl or glusleep", errUsage, s)
	}
	if kind == "lcmodel" && c == naming.NamesGlusleep {
		return "", fmt.Errorf("%w: --names glusleep: an LCModel .BASIS is written with LCModel's names (PCh, Scyllo), which its default sums and priors need; use --format fsl or nifti for glusleep's names", errUsage)
	}
	return c, nil
}

// setTiming puts the timing flags (ms) into q (s): PRESS TE1 and TE2, or
// TE split in halves; TE and TM of the other sequences. Zero flags leave
// q's value (from --like) alone.
func setTiming(q *sim.Sequence, te1, te2, te, tm float64) {
	if strings.EqualFold(q.Kind, "press") {
		if te1 > 0 || te2 > 0 {
			q.TE1, q.TE2 = te1/1000, te2/1000
		} else if te > 0 {
			q.TE1, q.TE2 = te/2000, te/2000
		}
		return
	}
	if te > 0 {
		q.TE = te / 1000
	}
	if tm > 0 {
		q.TM = tm / 1000
	}
}

// writeBasisSet writes set as an LCModel .BASIS file (kind "lcmodel"),
// or a folder of FSL-MRS JSON ("fsl", names in convention conv) or
// NIfTI-MRS ("nifti", names as given) files.
func writeBasisSet(env *cmdEnv, set *basis.Set, kind string, conv naming.NameConvention, out string) error {
	if kind == "lcmodel" {
		if err := set.WriteLCModel(out); err != nil {
			return err
		}
		written := make([]string, len(set.Names))
		for i, n := range set.Names {
			written[i] = naming.Name(n, naming.NamesLCModel)
		}
		fmt.Fprintf(env.stdout, "%s: %d metabolites (%s), %s, %d points at %g s\n",
			out, len(set.Names), strings.Join(written, " "), set.Source, set.Points(), set.Params.Dwell)
		return nil
	}
	write := func(dir string) error { return set.WriteFSLNames(dir, conv) }
	what := "FSL-MRS JSON"
	if kind == "nifti" {
		write, what = set.WriteNIfTI, "NIfTI-MRS"
	}
	if err := write(out); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s/: %d entries as %s (%s)\n", out, len(set.Names), what, set.Source)
	return nil
}
