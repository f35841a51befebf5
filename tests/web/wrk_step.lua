-- wrk script: one interview step (POST /api/v1/interview with the danger-sign and core answers so far; the next question is an adaptive one). Uncomment delay() for a paced run.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"answers":{"pain_site":["buttock"],"rf_onset":["gradual"],"rf_weight_bearing":"normal","rf_nerve_signs":["none"],"rf_body_signs":["none"],"rf_background":["none"],"rf_serious_signs":["none"],"age":35,"sex":"female","painful_side":"right","activities":["desk_work"],"pain_days":30,"pain_trend":"same"}}'
-- function delay() return 18 end  -- paced: about 5,000 steps a second over 100 connections
