// address_facts.hpp: what the address data said during one run — its sources and the facts of every address looked
// up — kept by a live run for its capture, and served again when the capture is replayed (same findings anywhere).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "infra/address_data.hpp"

namespace zw::infra {

/// One source of a run's address data, as the reports name it.
struct SourceFacts {
  std::string name;                         ///< AddressSource::name
  std::string kind;                         ///< AddressSource::kind
  std::optional<core::EpochSeconds> built;  ///< AddressSource::built
};

/// The address data of a run: its sources in order, and what AddressData::lookup answered for each address asked
/// (asn 0: no source covered it).
struct AddressFacts {
  std::vector<SourceFacts> sources;
  std::map<Address, AddressInfo> facts;
};

/// Address data that answers as another does and keeps every answer (a live run that saves a capture).
class FactRecorder {
 public:
  /// `data` may be null: no address data (then nothing is looked up and the facts are empty).
  explicit FactRecorder(std::shared_ptr<const AddressData> data);

  /// The address data to look up through: the same sources by name, kind and age, the same answers.
  std::shared_ptr<const AddressData> data() const { return recording_; }
  /// The sources and every answer so far.
  AddressFacts facts() const;

  struct Log;  ///< the answers kept, shared with the recording source

 private:
  std::shared_ptr<const AddressData> inner_;
  std::shared_ptr<Log> log_;
  std::shared_ptr<const AddressData> recording_;
};

/// Address data that answers from `facts` alone (a replay): the recorded sources by name, kind and age, each address
/// as recorded, any other address uncovered. No file is read and nothing is asked.
std::shared_ptr<const AddressData> recorded_address_data(const AddressFacts& facts);

}  // namespace zw::infra
