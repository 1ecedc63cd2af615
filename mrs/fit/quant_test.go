package fit

import (
	"math"
	"testing"
)

// The fitting challenge README states the relaxation-corrected water
// concentration 29697 mM and the metabolite correction 1.206 for TE 30 ms,
// GM/WM 0.6/0.4, water T2 110/80 ms, metabolite T2 160 ms, TR ≫ T1.
func TestWaterScaleChallengeValues(t *testing.T) {
	ws, err := WaterScale(1, 1, 0.030, 0, Tissue{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ws.WaterConcMM-29697)/29697 > 5e-5 {
		t.Errorf("water concentration %.1f mM, want 29697 (published)", ws.WaterConcMM)
	}
	if math.Abs(ws.MetaboliteRelaxation-1.206) > 5e-4 {
		t.Errorf("metabolite relaxation factor %.4f, want 1.206 (published)", ws.MetaboliteRelaxation)
	}
	if _, err := WaterScale(0, 1, 0.03, 0, Tissue{}); err == nil {
		t.Error("zero water area accepted")
	}
	if _, err := WaterScale(1, 1, 0.03, 0, Tissue{CSF: 1}); err == nil {
		t.Error("all-CSF voxel accepted")
	}
}
