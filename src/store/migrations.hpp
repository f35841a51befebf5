// The SQLite schema as numbered migrations. Migration N takes a database from schema version N-1
// to N; each runs in its own transaction together with the schema_version update. Never edit a
// migration that has shipped: add a new one.
#pragma once

#include <array>
#include <string_view>

namespace hipcoach::sqlite {

inline constexpr std::array<std::string_view, 3> kMigrations = {
    // 1: profile, assessments, programme versions, exercise logs, check-ins (regions as JSON),
    //    events.
    R"sql(
CREATE TABLE profile(
  person_id INTEGER PRIMARY KEY,
  display_name TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL);
CREATE TABLE assessment(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES profile(person_id),
  at INTEGER NOT NULL,
  knowledge_version TEXT NOT NULL,
  answers_json TEXT NOT NULL CHECK(json_valid(answers_json)),
  result_json TEXT NOT NULL CHECK(json_valid(result_json)));
CREATE TABLE programme_version(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES profile(person_id),
  at INTEGER NOT NULL,
  assessment_id INTEGER REFERENCES assessment(id),
  programme_json TEXT NOT NULL CHECK(json_valid(programme_json)),
  reason TEXT NOT NULL);
CREATE TABLE exercise_log(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES profile(person_id),
  at INTEGER NOT NULL,
  exercise TEXT NOT NULL,
  side TEXT NOT NULL CHECK(side IN ('left', 'right', 'both')),
  sets INTEGER NOT NULL CHECK(sets BETWEEN 0 AND 20),
  reps INTEGER NOT NULL CHECK(reps BETWEEN 0 AND 100),
  hold_seconds INTEGER NOT NULL CHECK(hold_seconds BETWEEN 0 AND 600),
  pain INTEGER NOT NULL CHECK(pain BETWEEN 0 AND 10),
  effort INTEGER CHECK(effort BETWEEN 0 AND 10));
CREATE INDEX exercise_log_person_at ON exercise_log(person_id, at);
CREATE TABLE checkin(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES profile(person_id),
  at INTEGER NOT NULL,
  pain_now INTEGER NOT NULL CHECK(pain_now BETWEEN 0 AND 10),
  pain_worst INTEGER CHECK(pain_worst BETWEEN 0 AND 10),
  regions_json TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(regions_json)),
  slept_on_painful_side INTEGER CHECK(slept_on_painful_side IN (0, 1)),
  sitting_tolerance_minutes INTEGER CHECK(sitting_tolerance_minutes BETWEEN 0 AND 1440),
  running_km REAL CHECK(running_km BETWEEN 0 AND 300),
  cycling_minutes INTEGER CHECK(cycling_minutes BETWEEN 0 AND 1440),
  sitting_hours REAL CHECK(sitting_hours BETWEEN 0 AND 24),
  change TEXT NOT NULL DEFAULT ''
    CHECK(change IN ('', 'much_better', 'better', 'same', 'worse', 'much_worse')),
  danger_check INTEGER NOT NULL DEFAULT 0 CHECK(danger_check IN (0, 1)));
CREATE INDEX checkin_person_at ON checkin(person_id, at);
CREATE TABLE event(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES profile(person_id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL
    CHECK(kind IN ('danger_sign', 'escalation', 'pause', 'resume', 'programme_change')),
  code TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  details_json TEXT NOT NULL DEFAULT '{}' CHECK(json_valid(details_json)));
CREATE INDEX event_person_at ON event(person_id, at);
)sql",
    // 2: guided sessions (resumable); exercise logs point to their session.
    R"sql(
CREATE TABLE session(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES profile(person_id),
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  programme_version_id INTEGER REFERENCES programme_version(id),
  status TEXT NOT NULL CHECK(status IN ('in_progress', 'completed', 'stopped')),
  state_json TEXT NOT NULL DEFAULT '{}' CHECK(json_valid(state_json)));
ALTER TABLE exercise_log ADD COLUMN session_id INTEGER REFERENCES session(id);
)sql",
    // 3: pain by body region gets its own table (moved out of checkin.regions_json); outcome
    //    measures (NPRS and PSFS only: the licences of HOOS, ODI and VISA-G forbid them).
    R"sql(
CREATE TABLE checkin_region(
  checkin_id INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  region TEXT NOT NULL,
  side TEXT NOT NULL CHECK(side IN ('left', 'right', 'both', '')),
  pain INTEGER NOT NULL CHECK(pain BETWEEN 0 AND 10),
  PRIMARY KEY(checkin_id, position));
INSERT INTO checkin_region(checkin_id, position, region, side, pain)
  SELECT c.id, r.key, json_extract(r.value, '$.region'),
         coalesce(json_extract(r.value, '$.side'), ''), json_extract(r.value, '$.pain')
  FROM checkin c, json_each(c.regions_json) r;
ALTER TABLE checkin DROP COLUMN regions_json;
CREATE TABLE outcome(
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES profile(person_id),
  at INTEGER NOT NULL,
  measure TEXT NOT NULL CHECK(measure IN ('nprs', 'psfs')),
  score REAL NOT NULL CHECK(score BETWEEN 0 AND 10),
  items_json TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(items_json)));
CREATE INDEX outcome_person_at ON outcome(person_id, at);
)sql",
};

}  // namespace hipcoach::sqlite
