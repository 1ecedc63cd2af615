package mrs

import (
	"fmt"
	"reflect"
	"testing"
)

// Deidentify keeps acquisition fields (any spelling: NIfTI-MRS, DICOM,
// Philips SPAR, Siemens RDA) and drops what DICOM PS3.15's basic profile
// removes — names, IDs, dates and times, institution, device serials,
// descriptions — and every field it does not know.
func TestDeidentify(t *testing.T) {
	keep := map[string]any{
		"SpectrometerFrequency": []any{123.2}, "EchoTime": 0.03, "RepetitionTime": 2.0, "dim_5": "DIM_COIL",
		"dim_5_header": map[string]any{"x": 1}, "Manufacturer": "Siemens", "SequenceName": "svs_se", "synthesizer_frequency": 63.9,
		"MRFrequency": 123.2, "VectorSize": 2048, "ConversionMethod": "spec2nii", "VOI": []any{1.0},
		// The MRSinMRS checklist's fields that _qc.json reports.
		"WaterSuppressionTechnique": "CHESS", "NumberOfTransients": 64, "OuterVolumeSuppression": true,
		"NumberReceiveCoilActiveElements": 32, "PulseSequenceType": "PRESS", "WaterSuppression": true,
	}
	drop := map[string]any{
		"PatientName": "DOE^JANE", "PatientID": "12345", "PatientBirthDate": "19810730", "PatientSex": "F", "PatientAge": "042Y",
		"PatientWeight": 70.0, "InstitutionName": "Hospital", "InstitutionAddress": "Street 1", "DeviceSerialNumber": "4711",
		"StudyDate": "20200101", "AcquisitionDateTime": "20200101T101010", "ReferringPhysician": "Dr X",
		"OperatorsName": "Y", "StudyDescription": "free text", "patient_name": "Z", "examination_date": "2020.01.01",
		"NameOfPatient": "jmrui", "StudyInstanceUID": "1.2.3", "SomethingNew": "unknown",
	}
	in := map[string]any{}
	for k, v := range keep {
		in[k] = v
	}
	for k, v := range drop {
		in[k] = v
	}
	out, dropped := Deidentify(in)
	if !reflect.DeepEqual(out, keep) {
		t.Errorf("kept %v, want %v", out, keep)
	}
	if len(dropped) != len(drop) {
		t.Errorf("dropped %v, want the %d identifying or unknown fields", dropped, len(drop))
	}
	if len(in) != len(keep)+len(drop) {
		t.Error("Deidentify modified its input")
	}
}

// The checklist fields are on the allow-list (one list): everything
// _qc.json reports of a header, Deidentify keeps.
func TestChecklistFieldsAllowed(t *testing.T) {
	fields := ChecklistFields()
	if len(fields) == 0 {
		t.Fatal("no checklist fields")
	}
	for _, k := range fields {
		if !IsAcquisitionField(k) {
			t.Errorf("%s: reported in _qc.json but dropped by Deidentify", k)
		}
	}
	fields[0] = "PatientName"
	if ChecklistFields()[0] == "PatientName" {
		t.Error("ChecklistFields returned its own list")
	}
}

func ExampleDeidentify() {
	meta := map[string]any{"EchoTime": 0.03, "PatientName": "DOE^JANE", "InstitutionName": "Hospital", "dim_5": "DIM_DYN"}
	kept, dropped := Deidentify(meta)
	fmt.Println(len(kept), "kept; dropped", dropped)
	// Output: 2 kept; dropped [InstitutionName PatientName]
}
