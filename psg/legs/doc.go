// Package legs scores leg movements (LM) from tibialis anterior EMG: the
// movements of each leg, bilateral combinations, candidate leg movements
// (CLM), periodic leg movement (PLM) series, and the PLMS and PLMW indices,
// under either of two standards, selected by Params.Standard:
//
// WASM2016 — the World Association of Sleep Medicine / IRLSSG / EURLSSG
// standard (Ferri R et al., Sleep Med 2016;26:86–95):
//   - an LM starts where the EMG rises 8 µV above the resting EMG and ends at
//     the start of a period of at least 0.5 s in which it stays within 2 µV
//     of the resting EMG; LMs shorter than 0.5 s are not LMs;
//   - monolateral LMs of the two legs that overlap, or are less than 0.5 s
//     apart (offset of one to onset of the next), form one bilateral LM;
//   - a candidate LM (CLM) is a monolateral LM of 0.5–10 s or a bilateral LM
//     of 0.5–15 s; longer LMs are not CLMs;
//   - a PLM series is a run of at least 4 consecutive CLMs whose
//     intermovement intervals (IMI, onset to onset) are all 10–90 s; a run
//     ends at an IMI under 10 s or over 90 s and at an LM that is not a CLM;
//   - CLMs with any part in the window from 2 s before to 10.25 s after the
//     end of an apnea, hypopnea or RERA are respiratory-related: they are
//     not counted as PLM (and, by default, end the run: Params.RespiratoryBreaks);
//   - an LM and an arousal are associated when they overlap or less than
//     0.5 s separates the end of one from the onset of the other.
//
// AASM — the AASM scoring manual's rules (Berry RB et al., AASM Manual for
// the Scoring of Sleep and Associated Events, v2.5, 2018):
//   - LM onset, offset and the 0.5 s minimum as above; LMs last at most 10 s
//     (longer EMG activity is not an LM and does not end a series);
//   - LMs of the two legs whose onsets are less than 5 s apart count as one;
//   - a PLM series is at least 4 consecutive LMs with onset-to-onset
//     intervals of 5–90 s;
//   - an LM within 0.5 s before or after an apnea, hypopnea or RERA is not
//     scored as PLM.
//
// The EMG is conditioned before detection: band-pass (second-order
// Butterworth high-pass at 10 Hz; low-pass at 100 Hz when the rate allows),
// a notch at the mains frequency when hum is found, full-wave
// rectification, and a 0.1 s centred moving average kept at 64 Hz or more
// (the envelope, µV). The resting EMG is the 20th percentile of 0.5 s envelope
// means within ±30 s, so that a baseline drifting over the night is
// followed while movements (a minority of any minute) are not taken for
// rest. The standards ask for at least 200 Hz sampling; slower channels
// are scored with a warning.
//
// Measures (Measures): LM, CLM and PLM counts; PLMS (PLM in sleep, N1–R)
// per hour of total sleep time; PLMW (PLM in wake within lights off to
// lights on, or the scored epochs when the hypnogram has no lights events)
// per hour of that wake; counts per stage; the IMI histogram (2 s bins to
// 90 s) and Ferri's periodicity index (Ferri R et al., Sleep 2006;29:759–769:
// the share of IMIs that belong to runs of at least three consecutive IMIs
// of 10–90 s); mean PLM duration and the share of PLMs with an arousal.
package legs
