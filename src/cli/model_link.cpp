#include "model_link.hpp"

#include <fmt/format.h>

#ifdef HIPCOACH_HAVE_MODEL
#include "hipcoach/model/interpret.hpp"
#include "hipcoach/model/summary.hpp"
#endif

namespace hipcoach::cli {

std::string ModelNote(const Cause& cause) {
#ifdef HIPCOACH_HAVE_MODEL
  if (cause.model_group.empty()) return {};
  constexpr double kFraction = 0.5;
  auto summary = model::SummariseWeakness(cause.model_group, kFraction);
  if (!summary) return {};
  const model::Interpretation in = model::Interpret(*summary);
  std::string limits;
  for (const std::string& item : in.cannot_show) limits += "  - " + item + "\n";
  return fmt::format(
      "What the hip model computes: {}\n{}{}\nWhat the model cannot show:\n{}See 'hipcoach model "
      "run "
      "--weaken {}=0.5'.\n{}",
      in.headline, in.muscles, in.reserve.empty() ? "" : " " + in.reserve, limits,
      cause.model_group, summary->credit);
#else
  (void)cause;
  return {};
#endif
}

}  // namespace hipcoach::cli
