// Files compiled into the binary (see cmake/Embed.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace hipcoach {

struct EmbeddedFile {
  std::string_view name;  // path relative to its directory, e.g. "questions.toml"
  std::string_view data;
};

// The knowledge base the binary was built with (knowledge/*.toml).
const std::vector<EmbeddedFile>& EmbeddedKnowledge();

}  // namespace hipcoach
