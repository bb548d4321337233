// handles.hpp: RAII owners for the C library handles used in zonewarden (OpenSSL, ldns) and file descriptors.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <unistd.h>

#include <memory>
#include <utility>

#include "core/ldns.hpp"

namespace zw::core {

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct EvpMdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct EvpPkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct BignumDeleter {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct BnCtxDeleter {
  void operator()(BN_CTX* p) const { BN_CTX_free(p); }
};
struct EvpMdDeleter {
  void operator()(EVP_MD* p) const { EVP_MD_free(p); }
};
struct OsslParamBldDeleter {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct OsslParamDeleter {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct OpensslStringDeleter {
  void operator()(char* p) const { OPENSSL_free(p); }
};
struct EcGroupDeleter {
  void operator()(EC_GROUP* p) const { EC_GROUP_free(p); }
};
struct EcPointDeleter {
  void operator()(EC_POINT* p) const { EC_POINT_free(p); }
};
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct LdnsRrDeleter {
  void operator()(ldns_rr* p) const { ldns_rr_free(p); }
};
struct LdnsRdfDeleter {
  void operator()(ldns_rdf* p) const { ldns_rdf_deep_free(p); }
};
struct LdnsPktDeleter {
  void operator()(ldns_pkt* p) const { ldns_pkt_free(p); }
};
struct LdnsBufferDeleter {
  void operator()(ldns_buffer* p) const { ldns_buffer_free(p); }
};

using EcGroupPtr = std::unique_ptr<EC_GROUP, EcGroupDeleter>;
using EcPointPtr = std::unique_ptr<EC_POINT, EcPointDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpMdCtxDeleter>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxDeleter>;
using BignumPtr = std::unique_ptr<BIGNUM, BignumDeleter>;
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxDeleter>;
using EvpMdPtr = std::unique_ptr<EVP_MD, EvpMdDeleter>;
using OsslParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslParamBldDeleter>;
using OsslParamPtr = std::unique_ptr<OSSL_PARAM, OsslParamDeleter>;
using OpensslStringPtr = std::unique_ptr<char, OpensslStringDeleter>;
using LdnsRrPtr = std::unique_ptr<ldns_rr, LdnsRrDeleter>;
using LdnsRdfPtr = std::unique_ptr<ldns_rdf, LdnsRdfDeleter>;
using LdnsBufferPtr = std::unique_ptr<ldns_buffer, LdnsBufferDeleter>;
using LdnsPktPtr = std::unique_ptr<ldns_pkt, LdnsPktDeleter>;

/// Owns a file descriptor, closed on destruction; -1 owns none.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) reset(std::exchange(o.fd_, -1));
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  /// Gives the descriptor up without closing it (e.g. to close it and check the result).
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace zw::core
