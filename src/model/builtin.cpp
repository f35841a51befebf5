#include <cstddef>
#include <string_view>

#include "hipcoach/model/dataset.hpp"

namespace hipcoach::model {

namespace detail {
extern const unsigned char kBuiltinModelData[];
extern const std::size_t kBuiltinModelSize;
}  // namespace detail

tl::expected<Dataset, std::string> LoadBuiltin() {
  static const tl::expected<Dataset, std::string> kBuiltin = [] {
    const std::string_view text(reinterpret_cast<const char*>(detail::kBuiltinModelData),
                                detail::kBuiltinModelSize);
    return ParseCompact(text, "built-in model (data/model/gait2392_walk.json)");
  }();
  return kBuiltin;
}

}  // namespace hipcoach::model
