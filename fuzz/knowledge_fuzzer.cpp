// Fuzzes the knowledge-base loader: any bytes must give either a knowledge base or diagnostics,
// never a crash, a hang or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hipcoach/knowledge.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const hipcoach::KnowledgeFile file{"fuzz.toml",
                                     std::string(reinterpret_cast<const char*>(data), size)};
  const hipcoach::LoadOutcome outcome =
      hipcoach::LoadKnowledge(std::span<const hipcoach::KnowledgeFile>(&file, 1));
  for (const auto& diagnostic : outcome.diagnostics) (void)diagnostic.Format();
  return 0;
}
