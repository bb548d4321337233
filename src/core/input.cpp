// input.cpp: the one bounded reader of input files (see input.hpp for the contract).
#include "core/input.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <new>
#include <optional>
#include <system_error>
#include <utility>

#include "core/error.hpp"

namespace zw::core {
namespace {

constexpr std::size_t kReadChunk = std::size_t{1} << 20;

struct InflateEnder {
  z_stream* zs;
  explicit InflateEnder(z_stream* z) : zs(z) {}
  InflateEnder(const InflateEnder&) = delete;
  InflateEnder& operator=(const InflateEnder&) = delete;
  ~InflateEnder() { inflateEnd(zs); }
};

InputError os_error(int err) {
  return InputError{errno_text(err)};
}

Error too_large(const std::string& path, const ReadLimits& limits) {
  return Error(path + ": " + limits.too_large);
}

// Reads up to `n` bytes, fewer only at the end of the input. A stream opened without blocking is waited for.
std::size_t read_full(int fd, char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, buf + got, n - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, -1) < 0 && errno != EINTR) throw os_error(errno);
        continue;
      }
      throw os_error(errno);
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
}

// A FIFO read as empty before any writer opened it: Linux reports no hang-up on it until a writer has come and gone.
bool never_written(const InputFile& in) {
  if (!in.fifo()) return false;
  pollfd p{in.fd(), POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

TextBuffer read_plain(int fd, TextBuffer out, std::size_t len, const std::string& path, const ReadLimits& limits,
                      std::uint64_t cap) {
  const std::uint64_t limit = limits.max_bytes;
  std::size_t checked = 0;
  while (true) {
    check_no_nul(path, std::string_view(out.data(), len), checked, len);
    checked = len;
    if (len > limit) throw too_large(path, limits);
    if (len >= out.capacity()) {
      if (len >= cap) throw too_large(path, limits);
      out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(cap, std::max<std::size_t>(2 * len, kReadChunk))));
    }
    const std::size_t want = std::min(out.capacity() - len, kReadChunk);
    const std::size_t got = read_full(fd, out.data() + len, want);
    len += got;
    if (got < want) break;
  }
  check_no_nul(path, std::string_view(out.data(), len), checked, len);
  if (len > limit) throw too_large(path, limits);
  out.set_size(len);
  return out;
}

TextBuffer read_gzip(int fd, TextBuffer out, std::size_t len, const std::string& path, const ReadLimits& limits,
                     std::uint64_t cap) {
  const std::uint64_t limit = limits.max_bytes;
  std::string raw(out.data(), len);
  raw.resize(kReadChunk);
  std::size_t raw_len = len;
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) throw Error(path + ": cannot initialise zlib");
  InflateEnder ender{&zs};
  bool eof = false;
  zs.next_in = reinterpret_cast<Bytef*>(raw.data());
  zs.avail_in = static_cast<uInt>(raw_len);
  auto refill = [&]() {
    if (zs.avail_in != 0 || eof) return;
    raw_len = read_full(fd, raw.data(), raw.size());
    eof = raw_len < raw.size();
    zs.next_in = reinterpret_cast<Bytef*>(raw.data());
    zs.avail_in = static_cast<uInt>(raw_len);
  };
  len = 0;
  while (true) {
    refill();
    if (len >= out.capacity()) {
      if (len >= cap) throw too_large(path, limits);
      out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(cap, std::max<std::size_t>(2 * len, kReadChunk))));
    }
    const std::size_t room = std::min<std::size_t>(out.capacity() - len, std::size_t{1} << 30);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + len);
    zs.avail_out = static_cast<uInt>(room);
    const int r = inflate(&zs, Z_NO_FLUSH);
    const std::size_t produced = room - zs.avail_out;
    check_no_nul(path, std::string_view(out.data(), len + produced), len, len + produced);
    len += produced;
    if (len > limit) throw too_large(path, limits);
    if (r == Z_STREAM_END) {
      refill();
      if (zs.avail_in >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b) {
        inflateReset(&zs);
        continue;
      }
      break;  // like gzip(1), ignore trailing garbage after the last member
    }
    if (r == Z_BUF_ERROR && zs.avail_in == 0 && eof) throw Error(path + ": truncated gzip data");
    if (r != Z_OK && r != Z_BUF_ERROR) {
      throw Error(path + ": corrupt gzip data: " + (zs.msg ? zs.msg : "error " + std::to_string(r)));
    }
  }
  out.set_size(len);
  return out;
}

}  // namespace

std::string errno_text(int err) {
  return std::error_code(err, std::generic_category()).message();
}

InputFile::InputFile(const std::string& path, InputKinds kinds) {
  // O_NONBLOCK: opening a FIFO never waits for a writer (regular files ignore the flag).
  owned_ = UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!owned_) throw os_error(errno);
  fd_ = owned_.get();
  const bool device = S_ISCHR(inspect());
  if (kinds == InputKinds::regular && !regular_) throw InputError{"not a regular file"};
  if (!regular_ && !fifo_ && !device) throw InputError{"not a regular file, pipe or character device"};
}

InputFile InputFile::standard_input() {
  InputFile in;
  in.fd_ = STDIN_FILENO;
  in.inspect();
  return in;
}

mode_t InputFile::inspect() {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw os_error(errno);
  if (S_ISDIR(st.st_mode)) throw os_error(EISDIR);
  regular_ = S_ISREG(st.st_mode);
  fifo_ = S_ISFIFO(st.st_mode);
  size_ = regular_ ? static_cast<std::uint64_t>(st.st_size) : 0;
  return st.st_mode;
}

TextBuffer::TextBuffer(TextBuffer&& o) noexcept
    : p_(std::exchange(o.p_, nullptr)), cap_(std::exchange(o.cap_, 0)), len_(std::exchange(o.len_, 0)) {}

TextBuffer& TextBuffer::operator=(TextBuffer&& o) noexcept {
  if (this != &o) {
    free();
    p_ = std::exchange(o.p_, nullptr);
    cap_ = std::exchange(o.cap_, 0);
    len_ = std::exchange(o.len_, 0);
  }
  return *this;
}

TextBuffer::~TextBuffer() {
  free();
}

void TextBuffer::reserve(std::size_t n) {
  if (n <= cap_) return;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  n = (n + page - 1) / page * page;
  void* q = p_ ? ::mremap(p_, cap_, n, MREMAP_MAYMOVE)
               : ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (q == MAP_FAILED) throw std::bad_alloc();
  p_ = static_cast<char*>(q);
  cap_ = n;
}

void TextBuffer::free() {
  if (p_) ::munmap(p_, cap_);
  p_ = nullptr;
}

bool has_gzip_magic(std::string_view data) {
  return data.size() >= 2 && data[0] == '\x1f' && data[1] == '\x8b';
}

// The scanner's words (zone/scanner.cpp), said as soon as the reader sees the NUL: nothing after it is read.
void check_no_nul(const std::string& path, std::string_view text, std::size_t from, std::size_t to) {
  const void* nul = std::memchr(text.data() + from, '\0', to - from);
  if (!nul) return;
  const auto at = static_cast<std::ptrdiff_t>(static_cast<const char*>(nul) - text.data());
  const auto line = 1 + std::count(text.begin(), text.begin() + at, '\n');
  throw Error(path + ":" + std::to_string(line) + ": NUL byte in the text (binary data?)");
}

TextBuffer read_input(const InputFile& in, const std::string& path, const ReadLimits& limits) {
  const std::uint64_t limit = limits.max_bytes;
  // Never more than the limit plus one byte (which proves the input too large).
  const std::uint64_t cap = limit == std::numeric_limits<std::uint64_t>::max() ? limit : limit + 1;
  // A file of known size is read straight into its buffer; one byte more shows that it did not grow.
  // (Compressed data larger than the limit has a larger text still.)
  if (in.size() > limit) throw too_large(path, limits);
  TextBuffer out;
  out.reserve(static_cast<std::size_t>(in.size()) + 1);
  // The first block decides: gzip or text.
  const std::size_t len = read_full(in.fd(), out.data(), std::min(out.capacity(), kReadChunk));
  if (len == 0 && never_written(in)) throw Error(path + ": cannot open: no process has the FIFO open for writing");
  if (limits.gunzip && has_gzip_magic(std::string_view(out.data(), len))) {
    return read_gzip(in.fd(), std::move(out), len, path, limits, cap);
  }
  return read_plain(in.fd(), std::move(out), len, path, limits, cap);
}

std::string read_input_file(const std::string& path, InputKinds kinds, const ReadLimits& limits) {
  std::optional<InputFile> in;
  try {
    in.emplace(path, kinds);
  } catch (const InputError& e) {
    throw Error(path + ": cannot open: " + e.reason);
  }
  try {
    const TextBuffer text = read_input(*in, path, limits);
    return std::string(text.view());
  } catch (const InputError& e) {
    throw Error(path + ": cannot read: " + e.reason);
  }
}

}  // namespace zw::core
