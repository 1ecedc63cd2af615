package bids_test

import (
	"encoding/json"
	"fmt"

	"glusleep/bids"
	"glusleep/mrs"
	"glusleep/psg/edf"
)

// The BIDS-MRS sidecar of a 3 T PRESS spectrum (TE 30 ms, 64 transients),
// with times in seconds as BIDS stores them.
func ExampleMRSFromData() {
	d := &mrs.Data{Params: mrs.Params{SpectrometerFrequency: 123.2, Dwell: 0.0005, Nucleus: "1H", EchoTime: 0.030, RepetitionTime: 2, Sequence: "PRESS"},
		Dims: []mrs.Dim{{Tag: mrs.DimDyn, Size: 64}}}
	for i := 0; i < 64; i++ {
		d.FIDs = append(d.FIDs, make([]complex128, 2048))
	}
	s, err := bids.MRSFromData(d, bids.MRSOptions{Suffix: "svs", ReferenceSignal: "bids::sub-01/mrs/sub-01_mrsref.nii.gz"})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.MarshalIndent(s, "", " ")
	fmt.Println(string(b))
	// Output:
	// {
	//  "ResonantNucleus": [
	//   "1H"
	//  ],
	//  "SpectrometerFrequency": [
	//   123.2
	//  ],
	//  "SpectralWidth": 2000,
	//  "EchoTime": 0.03,
	//  "RepetitionTime": 2,
	//  "NumberOfSpectralPoints": 2048,
	//  "NumberOfTransients": 64,
	//  "PulseSequenceType": "PRESS",
	//  "WaterSuppression": true,
	//  "ReferenceSignal": "bids::sub-01/mrs/sub-01_mrsref.nii.gz"
	// }
}

// The _eeg.json fields and _channels.tsv rows of a recording, from its
// EDF header.
func ExampleEEGFromEDF() {
	h := &edf.Header{Format: edf.EDFPlusC, Records: 28800, RecordDuration: 1, Signals: []edf.Signal{
		{Label: "EEG C3-M2", Dimension: "uV", Prefilter: "HP:0.3Hz LP:35Hz", Samples: 256},
		{Label: "EOG E1-M2", Dimension: "uV", Samples: 256},
		{Label: "EMG Chin", Dimension: "uV", Samples: 512},
		{Label: "EDF Annotations", Samples: 60},
	}}
	s, chans, err := bids.EEGFromEDF(h, bids.EEGOptions{TaskName: "sleep", PowerLineFrequency: 50})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.SamplingFrequency, s.EEGReference, s.EEGChannelCount, s.EOGChannelCount, s.EMGChannelCount, s.RecordingDuration)
	for _, c := range chans {
		fmt.Println(c.Name, c.Type, c.Units, c.SamplingFrequency, c.LowCutoff, c.HighCutoff)
	}
	// Output:
	// 256 M2 1 1 1 28800
	// EEG C3-M2 EEG µV 256 0.3 35
	// EOG E1-M2 EOG µV 256 NaN NaN
	// EMG Chin EMG µV 512 NaN NaN
}
