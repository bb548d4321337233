// keyfiles.cpp: (being written) key directories and the key history file.
#include "zone/keyfiles.hpp"

#include "core/error.hpp"

namespace zw::zone {

std::vector<InventoryKey> read_key_directory(const std::string& dir) {
  throw Error(dir + ": --keys is not built yet");
}

std::vector<HistoryKey> read_key_history(const std::string& /*path*/) {
  return {};
}

void append_key_history(const std::string& /*path*/, const std::vector<HistoryKey>& /*existing*/,
                        const std::vector<HistoryKey>& /*seen*/) {}

}  // namespace zw::zone
