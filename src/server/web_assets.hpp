// The web UI (web/), compiled into the binary at build time as it is and gzipped
// (EmbedWeb.cmake).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace hipcoach::server {

struct WebAsset {
  std::string_view path;       // "/index.html"
  std::string_view gzip;       // gzip -9n of the file
  std::string_view gzip_etag;  // quoted, from the file's SHA-256, with "-gz"
  std::string_view plain;      // the file as it is
  std::string_view etag;       // quoted, from the file's SHA-256
};

const std::vector<WebAsset>& WebAssets();

}  // namespace hipcoach::server
