package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"glusleep/mrs/analysis"
	"glusleep/mrs/preproc"
	"glusleep/study"
)

// phantomFlag is --phantom[=TEMP_C]: a switch that may carry the
// phantom's temperature in °C.
type phantomFlag struct {
	on    bool
	value string
}

func (p *phantomFlag) String() string   { return p.value }
func (p *phantomFlag) IsBoolFlag() bool { return true }
func (p *phantomFlag) Set(s string) error {
	if strings.EqualFold(s, "false") {
		p.on, p.value = false, ""
		return nil
	}
	p.on, p.value = true, s
	return nil
}

// phantomFlags are --phantom[=TEMP_C] and --phantom-singlet PPM[:NAME].
type phantomFlags struct {
	temp     phantomFlag
	singlets multiFlag
}

func addPhantomFlags(fs *flag.FlagSet) *phantomFlags {
	p := &phantomFlags{}
	fs.Var(&p.temp, "phantom", fmt.Sprintf("the data are a phantom: --phantom (room temperature, %g °C) or --phantom=TEMP_C (°C); water's shift follows the temperature, referencing uses the peaks present and the fit leaves out macromolecules and lipids (default: detected when NAA is absent and water sits at a room-temperature shift)", preproc.RoomTemperatureC))
	fs.Var(&p.singlets, "phantom-singlet", "a known singlet of the phantom, PPM[:NAME] in ppm (e.g. 1.904:acetate), tried as a reference peak; repeatable; implies --phantom")
	return p
}

// phantom returns the declared phantom, nil when neither flag was given.
func (p *phantomFlags) phantom() (*preproc.Phantom, error) {
	if !p.temp.on && len(p.singlets) == 0 {
		return nil, nil
	}
	t, err := analysis.ParsePhantomTemperature(p.temp.value)
	if err != nil {
		return nil, fmt.Errorf("%w: --phantom=%v", errUsage, err)
	}
	ph := &preproc.Phantom{TemperatureC: t}
	for _, s := range p.singlets {
		pk, err := analysis.ParseSinglet(s)
		if err != nil {
			return nil, fmt.Errorf("%w: --phantom-singlet %v", errUsage, err)
		}
		ph.Singlets = append(ph.Singlets, pk)
	}
	return ph, nil
}

// studyMRSFlags are run's MRS additions: --phantom, --phantom-singlet,
// --common-lineshape and --mrs-results.
type studyMRSFlags struct {
	ph      *phantomFlags
	common  *bool
	results *string
}

func addStudyMRSFlags(fs *flag.FlagSet) *studyMRSFlags {
	return &studyMRSFlags{ph: addPhantomFlags(fs),
		common:  fs.Bool("common-lineshape", false, "MRS fit: all metabolites share one shift and width (by default NAA+NAAG, Cr+PCr and GPC+PCho get their own, as in LCModel; see mrs fit --help)"),
		results: fs.String("mrs-results", "", "take existing MRS fits from this folder instead of fitting: LCModel .table, FSL-MRS summary.csv, Osprey QuantifyResults *_tCr_Voxel_*.tsv; a result belongs to participant L when its ID (LCModel title, Osprey subject) or its path in DIR contains sub-L as a whole token")}
}

// apply puts the flags into the study settings.
func (f *studyMRSFlags) apply(set *study.Settings) error {
	ph, err := f.ph.phantom()
	if err != nil {
		return err
	}
	if ph != nil {
		set.Phantom = &study.PhantomSettings{TemperatureC: ph.TemperatureC, Singlets: f.ph.singlets}
	}
	set.CommonLineshape = *f.common
	if *f.results != "" {
		if fi, err := os.Stat(*f.results); err != nil || !fi.IsDir() {
			return fmt.Errorf("%w: --mrs-results %s: want a folder of result files", errUsage, *f.results)
		}
		set.MRSResults = *f.results
		if set.MRSResultsSHA256, err = study.MRSResultsDigest(*f.results); err != nil {
			return err
		}
	}
	return nil
}
