// address_facts.cpp: address data that records its answers (live runs saving a capture) and address data that
// serves recorded answers (replays).
#include "infra/address_facts.hpp"

#include <mutex>
#include <utility>

namespace zw::infra {

struct FactRecorder::Log {
  mutable std::mutex mutex;
  std::map<Address, AddressInfo> facts;
};

namespace {

/// What a merged answer gives back through AddressData::lookup: nothing when it says nothing.
std::optional<AddressInfo> as_answer(const AddressInfo& info) {
  if (info.asn == 0 && info.country.empty() && !info.anycast) return std::nullopt;
  return info;
}

/// Stands for one source of the run by name, kind and age. The first of them answers for all: with the whole merged
/// answer, AddressData::lookup over these sources gives that answer again (the others answer nothing).
class StandIn : public AddressSource {
 public:
  explicit StandIn(const SourceFacts& s) {
    name = s.name;
    kind = s.kind;
    built = s.built;
  }
  std::optional<AddressInfo> lookup(const Address&) const override { return std::nullopt; }
};

/// The first source of a recording run: asks the real address data and keeps its answer.
class Recording final : public StandIn {
 public:
  Recording(const SourceFacts& s, std::shared_ptr<const AddressData> inner, std::shared_ptr<FactRecorder::Log> log)
      : StandIn(s), inner_(std::move(inner)), log_(std::move(log)) {}
  std::optional<AddressInfo> lookup(const Address& a) const override {
    AddressInfo info = inner_->lookup(a);
    const std::lock_guard<std::mutex> lock(log_->mutex);
    log_->facts.emplace(a, info);
    return as_answer(info);
  }

 private:
  std::shared_ptr<const AddressData> inner_;
  std::shared_ptr<FactRecorder::Log> log_;
};

/// The first source of a replay: answers from the recorded facts.
class Recorded final : public StandIn {
 public:
  Recorded(const SourceFacts& s, std::shared_ptr<const std::map<Address, AddressInfo>> facts)
      : StandIn(s), facts_(std::move(facts)) {}
  std::optional<AddressInfo> lookup(const Address& a) const override {
    auto it = facts_->find(a);
    if (it == facts_->end()) return std::nullopt;
    return as_answer(it->second);
  }

 private:
  std::shared_ptr<const std::map<Address, AddressInfo>> facts_;
};

std::vector<SourceFacts> sources_of(const AddressData* data) {
  std::vector<SourceFacts> out;
  if (data == nullptr) return out;
  for (const auto& s : data->sources()) out.push_back({s->name, s->kind, s->built});
  return out;
}

}  // namespace

FactRecorder::FactRecorder(std::shared_ptr<const AddressData> data)
    : inner_(std::move(data)), log_(std::make_shared<Log>()) {
  auto recording = std::make_shared<AddressData>();
  const std::vector<SourceFacts> sources = sources_of(inner_.get());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (i == 0)
      recording->add(std::make_unique<Recording>(sources[i], inner_, log_));
    else
      recording->add(std::make_unique<StandIn>(sources[i]));
  }
  recording_ = std::move(recording);
}

AddressFacts FactRecorder::facts() const {
  AddressFacts out;
  out.sources = sources_of(inner_.get());
  const std::lock_guard<std::mutex> lock(log_->mutex);
  out.facts = log_->facts;
  return out;
}

std::shared_ptr<const AddressData> recorded_address_data(const AddressFacts& facts) {
  auto data = std::make_shared<AddressData>();
  auto table = std::make_shared<const std::map<Address, AddressInfo>>(facts.facts);
  for (std::size_t i = 0; i < facts.sources.size(); ++i) {
    if (i == 0)
      data->add(std::make_unique<Recorded>(facts.sources[i], table));
    else
      data->add(std::make_unique<StandIn>(facts.sources[i]));
  }
  return data;
}

}  // namespace zw::infra
