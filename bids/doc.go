// Package bids writes the metadata a raw BIDS dataset needs beside its
// data files (BIDS 1.10.0, with BIDS-EEG and BIDS-MRS): the
// dataset_description.json, README and .bidsignore of the dataset, JSON
// data dictionaries of TSV files, and for every recording the sidecars
// built from the data themselves — _eeg.json and _channels.tsv from an
// EDF/BDF header, _events.json from an _events.tsv, and the JSON sidecar of
// a NIfTI-MRS spectrum or water reference.
//
// Values follow BIDS: times in seconds (EchoTime, RepetitionTime,
// MixingTime, onset, duration), frequencies in Hz except
// SpectrometerFrequency (MHz), voxel sizes in mm. CompleteRaw walks a
// dataset and writes every sidecar that is missing, so that a dataset
// converter needs only to place the data files and call it.
package bids

// Version is the BIDS version the files written here follow.
const Version = "1.10.0"
