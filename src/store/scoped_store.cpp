#include "scoped_store.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace hipcoach {
namespace {

constexpr TimeSeconds kAll = std::numeric_limits<TimeSeconds>::max();
constexpr TimeSeconds kNone = std::numeric_limits<TimeSeconds>::min();

tl::unexpected<Error> NotYours() {
  return tl::unexpected<Error>(Error{ErrorCode::kNotFound, "That record does not exist."});
}

template <typename List>
bool HasId(const List& list, RowId id) {
  for (const auto& r : list) {
    if (r.id == id) return true;
  }
  return false;
}

class ScopedStore final : public Store {
 public:
  ScopedStore(Store& inner, const Profile& profile, IdPolicy ids)
      : inner_(inner), profile_(profile), ids_(ids) {}

  Result<Profile> LocalProfile() override { return profile_; }

  Result<RowId> AddAssessment(const StoredAssessment& a) override {
    if (a.person_id != me()) return NotYours();
    return inner_.AddAssessment(a);
  }
  Result<RowId> AddProgrammeVersion(const ProgrammeVersion& p) override {
    if (p.person_id != me()) return NotYours();
    if (p.assessment_id) {
      auto mine = inner_.Assessments(me());
      if (!mine) return tl::unexpected(mine.error());
      if (!HasId(*mine, *p.assessment_id)) return NotYours();
    }
    return inner_.AddProgrammeVersion(p);
  }
  Result<RowId> AddSession(const SessionRecord& s) override {
    if (auto ok = CheckSession(s); !ok) return tl::unexpected(ok.error());
    return inner_.AddSession(s);
  }
  Result<void> UpdateSession(const SessionRecord& s) override {
    if (auto ok = CheckSession(s); !ok) return ok;
    auto mine = inner_.Sessions(me());
    if (!mine) return tl::unexpected(mine.error());
    if (!HasId(*mine, s.id)) return NotYours();
    return inner_.UpdateSession(s);
  }
  Result<RowId> AddExerciseLog(const ExerciseLog& l) override {
    if (l.person_id != me()) return NotYours();
    if (l.session_id) {
      auto mine = inner_.Sessions(me());
      if (!mine) return tl::unexpected(mine.error());
      if (!HasId(*mine, *l.session_id)) return NotYours();
    }
    return inner_.AddExerciseLog(l);
  }
  Result<RowId> AddCheckIn(const CheckIn& c) override {
    if (c.person_id != me()) return NotYours();
    return inner_.AddCheckIn(c);
  }
  Result<RowId> AddOutcome(const OutcomeRecord& o) override {
    if (o.person_id != me()) return NotYours();
    return inner_.AddOutcome(o);
  }
  Result<RowId> AddEvent(const Event& e) override {
    if (e.person_id != me()) return NotYours();
    return inner_.AddEvent(e);
  }

  Result<std::vector<StoredAssessment>> Assessments(RowId person) override {
    if (person != me()) return NotYours();
    return inner_.Assessments(person);
  }
  Result<std::vector<ProgrammeVersion>> ProgrammeVersions(RowId person) override {
    if (person != me()) return NotYours();
    return inner_.ProgrammeVersions(person);
  }
  Result<std::vector<SessionRecord>> Sessions(RowId person) override {
    if (person != me()) return NotYours();
    return inner_.Sessions(person);
  }
  Result<std::vector<ExerciseLog>> ExerciseLogs(RowId person, TimeSeconds from,
                                                TimeSeconds to) override {
    if (person != me()) return NotYours();
    return inner_.ExerciseLogs(person, from, to);
  }
  Result<std::vector<CheckIn>> CheckIns(RowId person, TimeSeconds from, TimeSeconds to) override {
    if (person != me()) return NotYours();
    return inner_.CheckIns(person, from, to);
  }
  Result<std::vector<OutcomeRecord>> Outcomes(RowId person) override {
    if (person != me()) return NotYours();
    return inner_.Outcomes(person);
  }
  Result<std::vector<Event>> Events(RowId person) override {
    if (person != me()) return NotYours();
    return inner_.Events(person);
  }

  Result<void> Transaction(RowId person, const std::function<Result<void>()>& body) override {
    if (person != me()) return NotYours();
    return inner_.Transaction(person, body);
  }

  Result<DataSet> Export(RowId person) override {
    if (person != me()) return NotYours();
    if (ids_ == IdPolicy::kKeep) return inner_.Export(person);
    DataSet d;
    d.profile = profile_;
    auto take = [](auto result, auto& into) -> Result<void> {
      if (!result) return tl::unexpected(result.error());
      into = std::move(*result);
      std::sort(into.begin(), into.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
      return {};
    };
    for (auto ok : {take(inner_.Assessments(me()), d.assessments),
                    take(inner_.ProgrammeVersions(me()), d.programmes),
                    take(inner_.Sessions(me()), d.sessions),
                    take(inner_.ExerciseLogs(me(), kNone, kAll), d.exercise_logs),
                    take(inner_.CheckIns(me(), kNone, kAll), d.checkins),
                    take(inner_.Outcomes(me()), d.outcomes), take(inner_.Events(me()), d.events)}) {
      if (!ok) return tl::unexpected(ok.error());
    }
    return d;
  }

  Result<void> Import(const DataSet& data, bool replace) override {
    if (auto ok = ValidateDataSet(data); !ok) {
      return MakeError(ErrorCode::kInvalidInput, "the import is not valid: " + ok.error().message +
                                                     ". Nothing was imported.");
    }
    DataSet d = data;
    Reassign(d);
    if (ids_ == IdPolicy::kKeep) return inner_.Import(d, replace);
    // Rows get new ids (another person may hold the file's ids); references follow them.
    return inner_.Transaction(me(), [&]() -> Result<void> {
      DataSet empty;
      empty.profile = profile_;
      if (auto ok = inner_.Import(empty, replace); !ok) return ok;
      std::map<RowId, RowId> assessment, programme, session;
      for (StoredAssessment a : d.assessments) {
        const RowId old = a.id;
        a.id = 0;
        auto id = inner_.AddAssessment(a);
        if (!id) return tl::unexpected(id.error());
        assessment[old] = *id;
      }
      for (ProgrammeVersion p : d.programmes) {
        const RowId old = p.id;
        p.id = 0;
        if (p.assessment_id) p.assessment_id = assessment.at(*p.assessment_id);
        auto id = inner_.AddProgrammeVersion(p);
        if (!id) return tl::unexpected(id.error());
        programme[old] = *id;
      }
      for (SessionRecord s : d.sessions) {
        const RowId old = s.id;
        s.id = 0;
        if (s.programme_version_id) s.programme_version_id = programme.at(*s.programme_version_id);
        auto id = inner_.AddSession(s);
        if (!id) return tl::unexpected(id.error());
        session[old] = *id;
      }
      for (ExerciseLog l : d.exercise_logs) {
        l.id = 0;
        if (l.session_id) l.session_id = session.at(*l.session_id);
        if (auto id = inner_.AddExerciseLog(l); !id) return tl::unexpected(id.error());
      }
      for (CheckIn c : d.checkins) {
        c.id = 0;
        if (auto id = inner_.AddCheckIn(c); !id) return tl::unexpected(id.error());
      }
      for (OutcomeRecord o : d.outcomes) {
        o.id = 0;
        if (auto id = inner_.AddOutcome(o); !id) return tl::unexpected(id.error());
      }
      for (Event e : d.events) {
        e.id = 0;
        if (auto id = inner_.AddEvent(e); !id) return tl::unexpected(id.error());
      }
      return {};
    });
  }

  Result<void> DeletePerson(RowId person) override {
    if (person != me()) return NotYours();
    return inner_.DeletePerson(person);
  }

 private:
  RowId me() const { return profile_.person_id; }

  Result<void> CheckSession(const SessionRecord& s) {
    if (s.person_id != me()) return NotYours();
    if (s.programme_version_id) {
      auto mine = inner_.ProgrammeVersions(me());
      if (!mine) return tl::unexpected(mine.error());
      if (!HasId(*mine, *s.programme_version_id)) return NotYours();
    }
    return {};
  }

  // An import always lands in this person's data, whoever exported it.
  void Reassign(DataSet& d) const {
    d.profile.person_id = me();
    d.profile.created_at = profile_.created_at;
    for (auto& r : d.assessments) r.person_id = me();
    for (auto& r : d.programmes) r.person_id = me();
    for (auto& r : d.sessions) r.person_id = me();
    for (auto& r : d.exercise_logs) r.person_id = me();
    for (auto& r : d.checkins) r.person_id = me();
    for (auto& r : d.outcomes) r.person_id = me();
    for (auto& r : d.events) r.person_id = me();
  }

  Store& inner_;
  Profile profile_;
  IdPolicy ids_;
};

}  // namespace

std::unique_ptr<Store> MakeScopedStore(Store& inner, const Profile& profile, IdPolicy ids) {
  return std::make_unique<ScopedStore>(inner, profile, ids);
}

}  // namespace hipcoach
