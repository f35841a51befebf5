// Per-person isolation in the store layer: a Store that serves exactly one person of another
// Store. Every read for another person fails with kNotFound; every write must carry this person's
// id, and references in it (session, assessment, programme version) must be this person's.
// LocalProfile() is this person's profile, so tracking::Tracker works per person unchanged.
#pragma once

#include <memory>

#include "hipcoach/store.hpp"

namespace hipcoach {

enum class IdPolicy {
  kKeep,      // Import keeps the file's row ids (one person per database: the personal mode)
  kRenumber,  // Import gives every row a new id (several people share the tables)
};

std::unique_ptr<Store> MakeScopedStore(Store& inner, const Profile& profile, IdPolicy ids);

}  // namespace hipcoach
