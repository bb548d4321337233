// input.hpp: the one reader of input files (zone files, $INCLUDEs, DS and anchor files, key files, the key history).
//
// The contract, the same for every input:
//   * a file is opened without blocking (a FIFO nobody writes to cannot hang the open) and checked with fstat: a
//     directory is refused ("Is a directory"); inputs that must be regular files ($INCLUDE, key files, the key
//     history) refuse anything else; the others (zone files, DS and anchor files) also read pipes, FIFOs and
//     character devices as streams, waiting for their writer's data as long as it takes, but never for a writer
//     to appear: a FIFO no process has opened for writing is refused;
//   * the text is read once, in blocks, never more than its size limit plus one byte (a regular file larger than
//     the limit is refused by its size, unread);
//   * gzip data (magic 1f 8b) is decompressed as a stream whatever the file is called, so that a gzip bomb stops
//     at the limit too;
//   * the first block holding a NUL byte ends the read: binary data is refused, naming its line.
// Refusals are zw::Error naming the file; open and read failures carry the OS's reason ("Permission denied").
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/handles.hpp"

namespace zw::core {

/// The OS's words for an errno value, e.g. "Permission denied".
std::string errno_text(int err);

/// An input that cannot be opened or read; `reason` is the OS's words (or "not a regular file"). The caller
/// words the message (a zone file, an $INCLUDE on some line, …).
struct InputError {
  std::string reason;
};

/// Which kinds of file an input may be.
enum class InputKinds {
  regular,  ///< regular files only
  streams,  ///< regular files, pipes, FIFOs and character devices
};

/// An input file, opened for reading.
class InputFile {
 public:
  /// Opens `path` (see the contract above). Throws InputError.
  InputFile(const std::string& path, InputKinds kinds);
  /// Standard input (not closed by this object).
  static InputFile standard_input();

  int fd() const { return fd_; }
  bool regular() const { return regular_; }
  bool fifo() const { return fifo_; }
  /// The size of a regular file; 0 for a stream.
  std::uint64_t size() const { return size_; }

 private:
  InputFile() = default;
  /// Reads the file's kind and size; returns its mode. Throws InputError (EISDIR for a directory).
  mode_t inspect();
  UniqueFd owned_;
  int fd_ = -1;
  bool regular_ = false;
  bool fifo_ = false;
  std::uint64_t size_ = 0;
};

/// How much of an input may be read.
struct ReadLimits {
  std::uint64_t max_bytes = 0;  ///< text (after decompression) larger than this is refused
  std::string too_large;        ///< the refusal after "FILE: ", naming the limit (and its option)
  bool gunzip = true;           ///< decompress gzip data; false: it is binary data like any other
};

/// Text in memory of its own that grows in place (mremap): growing never holds two copies, so a large decompressed
/// or piped input takes its own size, not twice it.
class TextBuffer {
 public:
  TextBuffer() = default;
  TextBuffer(TextBuffer&& o) noexcept;
  TextBuffer& operator=(TextBuffer&& o) noexcept;
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;
  ~TextBuffer();

  /// Makes room for `n` bytes in all (untouched room costs address space, not memory).
  void reserve(std::size_t n);
  char* data() { return p_; }
  std::size_t size() const { return len_; }
  std::size_t capacity() const { return cap_; }
  void set_size(std::size_t n) { len_ = n; }
  std::string_view view() const { return p_ ? std::string_view(p_, len_) : std::string_view(""); }

 private:
  void free();
  char* p_ = nullptr;
  std::size_t cap_ = 0;
  std::size_t len_ = 0;
};

/// Reads all of `in` (named `path` in messages) within `limits`. Throws zw::Error when the text is too large, holds
/// a NUL byte, or is corrupt or truncated gzip data, and when no process has a FIFO open for writing; InputError
/// when the OS cannot read it.
TextBuffer read_input(const InputFile& in, const std::string& path, const ReadLimits& limits);

/// Opens and reads a small input whole. Every failure is a zw::Error naming the file ("FILE: cannot open: …").
std::string read_input_file(const std::string& path, InputKinds kinds, const ReadLimits& limits);

/// True when `data` starts with the gzip magic bytes 1f 8b.
bool has_gzip_magic(std::string_view data);

/// Throws the binary-data refusal ("FILE:LINE: NUL byte in the text (binary data?)") when text[from, to) holds a NUL.
void check_no_nul(const std::string& path, std::string_view text, std::size_t from, std::size_t to);

}  // namespace zw::core
