// Package clinical scores the clinical instruments of a restless legs
// syndrome (RLS) study and screens participants for eligibility.
//
// Instruments: the IRLSSG 2014 diagnostic criteria (with ICSD-3 and DSM-5
// variants), the IRLS rating scale, the Johns Hopkins RLS Severity Scale,
// RLS-6, the Pittsburgh Sleep Quality Index, the Epworth Sleepiness Scale and
// augmentation screening by the Max Planck Institute criteria for
// participants on dopaminergic treatment.
//
// Only responses (codes and numbers) are read, stored and written: the item
// wording of these instruments is licensed and never appears in this package.
// Columns follow a fixed naming scheme (irls_01 … irls_10, ess_01 …,
// psqi_01 …; see each instrument's Items) so that a BIDS phenotype folder
// (ReadBIDSPhenotype) and a REDCap export mapped through its data dictionary
// (ReadREDCap) give the same Dataset and the same scores.
//
// Bad input is never coerced: every out-of-range value, unknown code or
// missing answer becomes an Issue naming the participant, the column and the
// value, and scores follow the instrument's published missing-data rule or
// come out as not available (NaN, written "n/a") with the reason.
//
// Criteria sets differ (CriteriaSet): IRLSSG 2014 needs the five essential
// criteria only, with clinical course (chronic-persistent: untreated symptoms
// at least twice a week over the past year; intermittent: less often, at
// least 5 lifetime events) and clinical significance as specifiers; ICSD-3
// adds clinical significance as a requirement; DSM-5 requires in addition
// symptoms at least 3 times a week for at least 3 months. All three are
// reported so that a protocol can name the one it relies on.
//
// Eligibility rules are written in a small expression language (ParseExpr)
// inside a JSON protocol file (LoadProtocol); Screen evaluates them per
// participant over participant fields, scores and PSG derivatives.
package clinical
