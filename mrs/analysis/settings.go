package analysis

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"

	"glusleep/internal/errkind"
	"glusleep/mrs/preproc"
	"glusleep/mrs/tissue"
)

// ErrSettings is wrapped by the errors of ParseFractions, ParsePhantom and
// SegmentationSource that lie in the settings as a user wrote them (a
// malformed number, options that exclude each other), as opposed to the
// files they name: a command reports them as usage errors. The error's
// text is the message alone.
var ErrSettings = errors.New("analysis: invalid settings")

// settingsErrorf returns the formatted error marked as ErrSettings.
func settingsErrorf(format string, a ...any) error {
	return errkind.Errorf(ErrSettings, format, a...)
}

// ParseFractions reads fixed voxel tissue fractions written "GM,WM,CSF"
// (volume fractions, e.g. "0.6,0.4,0") and checks them (CheckFractions).
// Errors wrap ErrSettings and start with the text read.
func ParseFractions(s string) ([3]float64, error) {
	var f [3]float64
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return f, settingsErrorf("%q: want three numbers GM,WM,CSF (e.g. 0.6,0.4,0)", s)
	}
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return f, settingsErrorf("%q: %q is not a number", s, p)
		}
		f[i] = v
	}
	if err := CheckFractions(f); err != nil {
		return f, errkind.Wrap(ErrSettings, err)
	}
	return f, nil
}

// ParsePhantom returns the phantom a user declares (Settings.Phantom):
// declared says the data are a phantom, at temperature (°C, "" for room
// temperature; ParsePhantomTemperature), with the known singlets
// (PPM[:NAME] each; ParseSinglet), which also declare it. Neither gives
// nil: a phantom is then detected, not declared. Errors wrap ErrSettings
// and name the setting ("phantom=…", "phantom-singlet …").
func ParsePhantom(declared bool, temperature string, singlets []string) (*preproc.Phantom, error) {
	if !declared && len(singlets) == 0 {
		return nil, nil
	}
	t, err := ParsePhantomTemperature(temperature)
	if err != nil {
		return nil, settingsErrorf("phantom=%w", err)
	}
	ph := &preproc.Phantom{TemperatureC: t}
	for _, s := range singlets {
		pk, err := ParseSinglet(s)
		if err != nil {
			return nil, settingsErrorf("phantom-singlet %w", err)
		}
		ph.Singlets = append(ph.Singlets, pk)
	}
	return ph, nil
}

// SegmentationSource returns the TissueSource of the T1-space
// segmentation at path (a map, a labelled volume or a folder holding one;
// tissue.Detect) of type typ ("" detects it from the file names; see
// tissue.ParseType), with lookup the label table of a labelled volume
// ("": a _dseg.tsv beside it, else FreeSurfer's aseg labels). A type or a
// lookup that cannot apply is an error wrapping ErrSettings; a missing or
// unreadable file is not. The source's Name is path as outputs write it
// (DisplayPath).
func SegmentationSource(path, typ, lookup string) (TissueSource, error) {
	var ts TissueSource
	t, err := tissue.ParseType(typ)
	if err != nil {
		return ts, errkind.Wrap(ErrSettings, err)
	}
	if t != "" && t != tissue.TypeLabels && lookup != "" {
		return ts, settingsErrorf("a label lookup applies to a labelled volume, not segmentation type %s", t)
	}
	files, err := tissue.Detect(path, t)
	if err != nil {
		return ts, err
	}
	if lookup != "" {
		if files.Type != tissue.TypeLabels {
			return ts, settingsErrorf("a label lookup applies to a labelled volume; %s is %s maps", path, files.Source())
		}
		files.Lookup = lookup
	}
	ts.Segmentation, ts.Name = files, DisplayPath(path)
	return ts, nil
}

// DisplayPath returns p as shareable outputs (_qc.json, summaries) name a
// path the user gave: its base name alone, always. Any folder may carry a
// name (a home folder, a participant's), and a path written relative to
// the working folder would make the outputs depend on where the command
// was run; the base name keeps reruns byte-identical from any folder.
func DisplayPath(p string) string {
	return filepath.Base(filepath.Clean(p))
}
