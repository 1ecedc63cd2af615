// Package synth makes synthetic data with known truth: PSG nights (EEG-like
// signals, hypnograms, tibialis EMG with leg movements at known times), MRS
// spectra from a basis with known concentrations, and cohorts in the shape
// of the study. Every generator takes an explicit seed, so data are
// reproducible, and returns the truth beside the data.
package synth
