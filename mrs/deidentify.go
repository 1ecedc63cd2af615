package mrs

import (
	"sort"
	"strings"
)

// The allow-list of MRS metadata, glusleep's one list of the header
// fields that may leave a file (printed by mrs info, written by mrs
// convert and mrs preproc, reported in _qc.json): acquisition and
// data-layout facts of the NIfTI-MRS standard, DICOM and the vendor
// headers glusleep reads. Following the basic confidentiality profile of
// DICOM PS3.15 (Annex E), everything else — names, IDs, dates and times,
// institution, device serial numbers, study and protocol descriptions and
// other free text, and any field not known to be harmless — is dropped
// (Deidentify). Keys are matched normalised (metaKey), so one entry covers
// every spelling of a field. checklistFields are the entries that a
// methods section reports under the MRSinMRS checklist (Lin et al. 2021):
// scanner, coil, sequence, timing and water suppression; the _qc.json of
// mrs/analysis records them (ChecklistFields).
var (
	checklistFields = []string{"Manufacturer", "ManufacturersModelName", "SoftwareVersions",
		"NumberReceiveCoilActiveElements", "ReceiveCoilName", "PulseSequenceType", "SequenceName",
		"OuterVolumeSuppression", "RepetitionTime", "NumberOfTransients",
		"WaterSuppressionTechnique", "WaterSuppression"}
	otherFields = []string{
		// NIfTI-MRS standard-defined metadata (acquisition).
		"SpectrometerFrequency", "ResonantNucleus", "EchoTime", "InversionTime", "MixingTime",
		"ExcitationFlipAngle", "TxOffset", "VOI", "WaterSuppressed", "WaterSuppressionType", "SequenceTriggered",
		"TxCoil", "RxCoil", "MagneticFieldStrength", "ConversionMethod", "OriginalFile", "EditPulse", "SpectralWidth",
		// DICOM acquisition keywords.
		"SOPClassUID", "MRFrequency", "TransmitterFrequency", "ImagingFrequency", "Dwell", "DwellTime",
		"SpectralWidthHz", "DataPointColumns", "DataPointRows", "NumberOfFrames", "NumberOfAverages",
		"FlipAngle", "PulseSequenceName", "ScanningSequence", "SequenceVariant",
		"TransmitCoilName", "SliceThickness", "PixelSpacing", "Columns", "Rows", "VolumeLocalizationTechnique",
		// Vendor headers (Siemens RDA, Philips SPAR, GE, jMRUI).
		"VectorSize", "DwellTimeUs", "MRFrequencyMHz", "Nucleus", "FieldStrength",
		"SamplesPerPoint", "Samples", "Averages", "SpectralBandwidth", "GERevision", "FoVHeight", "FoVWidth",
		"FoV3D", "VOIThickness", "VOIPhaseFOV", "VOIReadoutFOV", "PositionVector", "RowVector", "ColumnVector",
		"VOIPositionSag", "VOIPositionCor", "VOIPositionTra", "VOINormalSag", "VOINormalCor", "VOINormalTra",
		"SampleFrequency", "SynthesizerFrequency", "EchoNr", "SpecNumRows",
		"PointsInDataset", "DatasetsInFile", "SamplingInterval", "MagneticField", "TypeOfNucleus",
		"ZeroOrderPhase", "BeginTime",
		"ApSize", "LrSize", "CcSize", "ApOffCenter", "LrOffCenter", "CcOffCenter",
		"ApAngulation", "LrAngulation", "CcAngulation", "SpectrumEchoTime", "SpectrumInversionTime",
	}
	// acquisitionFields holds both lists' keys, normalised by metaKey.
	acquisitionFields = map[string]bool{}
)

func init() {
	for _, list := range [][]string{checklistFields, otherFields} {
		for _, k := range list {
			acquisitionFields[metaKey(k)] = true
		}
	}
}

// ChecklistFields returns the allow-listed header fields that the
// MRSinMRS checklist reports (scanner, coil, sequence, timing, water
// suppression), as NIfTI-MRS and BIDS name them; a copy.
func ChecklistFields() []string { return append([]string(nil), checklistFields...) }

// metaKey normalises a metadata key for the allow-list: lower case without
// underscores, spaces or hyphens (Philips SPAR writes synthesizer_frequency,
// NIfTI-MRS SynthesizerFrequency).
func metaKey(k string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', ' ', '-':
			return -1
		}
		return r
	}, strings.ToLower(k))
}

// IsAcquisitionField reports whether Deidentify keeps the metadata key:
// an acquisition field of the allow-list or a NIfTI-MRS dimension tag
// (dim_5, dim_5_info, dim_5_header, …).
func IsAcquisitionField(key string) bool {
	if strings.HasPrefix(key, "dim_") {
		return true
	}
	return acquisitionFields[metaKey(key)]
}

// Deidentify returns a copy of the metadata m holding only acquisition
// fields (IsAcquisitionField), and the sorted keys it dropped. It is how
// glusleep removes identifiers from MRS metadata before writing or printing
// them, as psg/edf does for EDF headers.
func Deidentify(m map[string]any) (map[string]any, []string) {
	out := make(map[string]any, len(m))
	var dropped []string
	for k, v := range m {
		if IsAcquisitionField(k) {
			out[k] = v
			continue
		}
		dropped = append(dropped, k)
	}
	sort.Strings(dropped)
	return out, dropped
}
