-- wrk script: one interview step (POST /api/v1/interview with the danger-sign and core answers so far). Uncomment delay() for a paced run.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"answers":{"rf_onset":["gradual"],"rf_weight_bearing":"normal","rf_bladder_bowel":false,"rf_nerve_signs":["none"],"rf_fever":false,"rf_leg_clot":false,"rf_other_signs":["none"],"rf_serious_signs":["none"],"age":35,"sex":"female","pain_site":["buttock"],"painful_side":"right","pain_days":30}}'
-- function delay() return 18 end  -- paced: about 5,000 steps a second over 100 connections
