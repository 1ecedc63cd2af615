package mrs

import (
	"sort"
	"strings"
)

// acquisitionFields are the metadata keys Deidentify keeps, normalised by
// metaKey: acquisition and data-layout facts of the NIfTI-MRS standard,
// DICOM and the vendor headers glusleep reads. Following the basic
// confidentiality profile of DICOM PS3.15 (Annex E), everything else —
// names, IDs, dates and times, institution, device serial numbers, study
// and protocol descriptions and other free text, and any field not known
// to be harmless — is dropped.
var acquisitionFields = map[string]bool{}

func init() {
	for _, k := range []string{
		// NIfTI-MRS standard-defined metadata (acquisition).
		"SpectrometerFrequency", "ResonantNucleus", "EchoTime", "RepetitionTime", "InversionTime", "MixingTime",
		"ExcitationFlipAngle", "TxOffset", "VOI", "WaterSuppressed", "WaterSuppressionType", "SequenceTriggered",
		"Manufacturer", "ManufacturersModelName", "SoftwareVersions", "TxCoil", "RxCoil", "SequenceName",
		"MagneticFieldStrength", "ConversionMethod", "OriginalFile", "EditPulse", "SpectralWidth",
		// DICOM acquisition keywords.
		"SOPClassUID", "MRFrequency", "TransmitterFrequency", "ImagingFrequency", "Dwell", "DwellTime",
		"SpectralWidthHz", "DataPointColumns", "DataPointRows", "NumberOfFrames", "NumberOfAverages",
		"FlipAngle", "PulseSequenceName", "ScanningSequence", "SequenceVariant", "ReceiveCoilName",
		"TransmitCoilName", "SliceThickness", "PixelSpacing", "Columns", "Rows", "VolumeLocalizationTechnique",
		// Vendor headers (Siemens RDA, Philips SPAR, GE, jMRUI).
		"VectorSize", "NumberOfAverages", "DwellTimeUs", "MRFrequencyMHz", "Nucleus", "FieldStrength",
		"SamplesPerPoint", "Samples", "Averages", "SpectralBandwidth", "GERevision", "FoVHeight", "FoVWidth",
		"FoV3D", "VOIThickness", "VOIPhaseFOV", "VOIReadoutFOV", "PositionVector", "RowVector", "ColumnVector",
		"VOIPositionSag", "VOIPositionCor", "VOIPositionTra", "VOINormalSag", "VOINormalCor", "VOINormalTra",
		"SampleFrequency", "SynthesizerFrequency", "EchoNr", "Averages", "Rows", "SpecNumRows",
		"PointsInDataset", "DatasetsInFile", "SamplingInterval", "MagneticField", "TypeOfNucleus",
		"ZeroOrderPhase", "BeginTime",
		"ApSize", "LrSize", "CcSize", "ApOffCenter", "LrOffCenter", "CcOffCenter",
		"ApAngulation", "LrAngulation", "CcAngulation", "SpectrumEchoTime", "SpectrumInversionTime",
	} {
		acquisitionFields[metaKey(k)] = true
	}
}

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
