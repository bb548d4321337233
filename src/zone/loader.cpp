// loader.cpp: master-file loading (stub; replaced by the real scanner).
#include "zone/loader.hpp"

#include "core/error.hpp"

namespace zw::zone {

Zone load_zone_file(const std::string& path, const LoadOptions& /*options*/) { throw Error(path + ": loader not built yet"); }

Zone load_zone_text(const std::string& /*text*/, const std::string& name, const LoadOptions& /*options*/) {
  throw Error(name + ": loader not built yet");
}

}  // namespace zw::zone
