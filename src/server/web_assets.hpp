// The web UI (web/), gzipped and compiled into the binary at build time (EmbedWeb.cmake).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace hipcoach::server {

struct WebAsset {
  std::string_view path;  // "/index.html"
  std::string_view gzip;  // gzip -9n of the file
  std::string_view etag;  // quoted, from the file's SHA-256
  std::size_t size = 0;   // uncompressed size
};

const std::vector<WebAsset>& WebAssets();

}  // namespace hipcoach::server
