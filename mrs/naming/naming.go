// Package naming maps metabolite names between glusleep and other MRS
// tools.
package naming

// Metabolite names differ between tools. glusleep's spin-system names
// (Metabolites) follow Govindaraju et al. 2000 (PCho, sIns); LCModel's
// default basis sets, FSL-MRS and Osprey use PCh and Scyllo (LCModel's
// manual, table 8.1; its default sums GPC+PCh and its soft constraint
// Scyllo/Big3 apply only under those names), Osprey's tables mI and sI,
// and tools write sums as "Cr+PCr" (LCModel, FSL-MRS) or "Cr_PCr"
// (Osprey).

// NameConvention selects how metabolite names are written.
type NameConvention string

// Naming conventions.
const (
	// NamesGlusleep are the names of sim.Metabolites (PCho, sIns).
	NamesGlusleep NameConvention = "glusleep"
	// NamesLCModel are LCModel's (PCh, Scyllo), which FSL-MRS and
	// Osprey share.
	NamesLCModel NameConvention = "lcmodel"
	// NamesFSL are FSL-MRS's, the same as LCModel's.
	NamesFSL NameConvention = "fsl"
)

// toLCModel maps glusleep names to LCModel's where they differ.
var toLCModel = map[string]string{"PCho": "PCh", "sIns": "Scyllo"}

// aliases maps other tools' names (and sums) to glusleep's.
var aliases = map[string]string{
	"PCh": "PCho", "Scyllo": "sIns", "sI": "sIns", "Scyllo-ins": "sIns",
	"mI": "Ins", "Myo": "Ins", "mIns": "Ins", "Cre": "Cr",
	"Cr+PCr": "tCr", "Cr_PCr": "tCr", "PCr+Cr": "tCr",
	"NAA+NAAG": "tNAA", "NAA_NAAG": "tNAA",
	"GPC+PCh": "tCho", "PCh+GPC": "tCho", "GPC_PCh": "tCho", "PCh_GPC": "tCho", "GPC+PCho": "tCho",
	"Glu+Gln": "Glx", "Glu_Gln": "Glx",
}

// Name returns name written in convention c (unknown conventions and names
// without a counterpart are returned unchanged).
func Name(name string, c NameConvention) string {
	switch c {
	case NamesLCModel, NamesFSL:
		if v, ok := toLCModel[name]; ok {
			return v
		}
	case NamesGlusleep:
		return CanonicalName(name)
	}
	return name
}

// CanonicalName returns glusleep's name for a metabolite or sum named by
// any of the tools above (PCh → PCho, Scyllo and sI → sIns, mI → Ins,
// Cr+PCr and Cr_PCr → tCr, GPC+PCh → tCho, NAA+NAAG → tNAA, Glu+Gln →
// Glx); names it does not know are returned unchanged.
func CanonicalName(name string) string {
	if v, ok := aliases[name]; ok {
		return v
	}
	return name
}

// ParseNameConvention parses "glusleep", "lcmodel" or "fsl".
func ParseNameConvention(s string) (NameConvention, bool) {
	switch c := NameConvention(s); c {
	case NamesGlusleep, NamesLCModel, NamesFSL:
		return c, true
	}
	return "", false
}
