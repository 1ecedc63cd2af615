// Package preproc turns raw single-voxel MRS data into the spectrum a fit
// needs, in the order FSL-MRS, Osprey and spant apply the same steps:
//
//   - EstimateCoils and Coils.Combine: noise-whitened, signal-weighted
//     (Roemer) combination of receive channels, with weights from the water
//     reference or from the first points of the FIDs themselves;
//   - Align: frequency and phase alignment of transients by spectral
//     registration (Near et al. 2015) in the frequency domain over a ppm
//     window, with outlier rejection by the residual to the aligned mean;
//   - averaging of the accepted transients;
//   - ECC: eddy-current correction with the water reference (Klose 1990);
//   - RemoveWater: residual water removal by HLSVD (a Hankel-matrix state
//     space fit of the FID, components inside a ppm window subtracted);
//   - Reference: zero-order phasing and chemical-shift referencing to NAA,
//     creatine and choline (or water for unsuppressed data);
//   - Truncate, ZeroFill and Apodize;
//   - MeasurePeak and MeasureSNR: spectral quality (SNR, FWHM; Run adds
//     water-suppression efficiency and frequency drift across transients).
//
// Run applies the whole chain to an mrs.Data with NIfTI-MRS dimensions
// (DIM_COIL, DIM_DYN, others kept) and returns the processed data with its
// quality measures. Everything works in the NIfTI-MRS convention of package
// mrs: frequencies in Hz relative to the transmitter, chemical shift in ppm,
// phases in radians, times in seconds.
package preproc
