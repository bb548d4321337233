// scanner.hpp: splits RFC 1035 §5 master-file text into logical records of tokens (comments, quotes, parentheses).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zw::zone {

/// One token of a master-file record, as written: escapes are kept, a quoted token keeps its quotes.
struct Token {
  std::string_view text;  ///< a view into the scanned text
  bool quoted = false;    ///< true for a "quoted string"
};

/// One logical record: a line, or several lines joined by parentheses, without comments.
struct ScannedRecord {
  std::vector<Token> tokens;
  std::uint32_t line = 0;    ///< 1-based line of the record's first token
  bool blank_owner = false;  ///< the first line starts with white space: the owner is the previous one
};

/// Largest logical record the scanner accepts, in bytes of source text (comments included).
inline constexpr std::size_t kMaxRecordBytes = std::size_t{1} << 20;

/// Tokenises master-file text record by record. Rejects NUL and other control characters, unbalanced
/// parentheses, unterminated quoted strings and records longer than kMaxRecordBytes with zw::Error
/// "name:line: reason". The text must outlive the scanner and the tokens it returns.
class Scanner {
 public:
  /// `name` is used in error messages. Throws zw::Error when the text contains a NUL byte.
  Scanner(std::string_view text, std::string name);

  /// Scans only the records that start in [begin, end) of `text`; `line` is the line number at `begin`, which must
  /// be the start of a line or where another scan stopped (stop()). A record that starts before `end` is read to its
  /// end even past `end`. The caller checks the whole text for NUL bytes.
  Scanner(std::string_view text, std::string name, std::size_t begin, std::size_t end, std::uint32_t line);

  /// Fills `rec` with the next non-empty logical record; false at the end of the text (or of the range).
  bool next(ScannedRecord& rec);

  /// Where the first record began (its first token or parenthesis), or stop() when there was none.
  std::size_t first_start() const { return first_start_ == kNone ? stop() : first_start_; }
  /// After next() returned false: where the next record would start (≥ end), or the text's size.
  std::size_t stop() const { return stop_ == kNone ? text_.size() : stop_; }
  /// The current line number.
  std::uint32_t line() const { return line_; }
  /// The line of first_start().
  std::uint32_t first_line() const { return first_start_ == kNone ? line_ : first_line_; }

  /// The name given at construction.
  const std::string& name() const { return name_; }

 private:
  [[noreturn]] void fail(std::uint32_t line, const std::string& why) const;
  /// Marks the start of a record; false when it lies at or beyond end_ (the scan stops there).
  bool begin_record(ScannedRecord& rec);
  void scan_quoted(ScannedRecord& rec);
  void scan_word(ScannedRecord& rec);
  void check_size(const ScannedRecord& rec) const;

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::string_view text_;
  std::string name_;
  std::size_t end_ = kNone;
  std::size_t first_start_ = kNone;
  std::size_t stop_ = kNone;
  std::uint32_t first_line_ = 0;
  std::size_t pos_ = 0;
  std::size_t record_start_ = 0;
  std::uint32_t line_ = 1;
  bool line_indented_ = false;  ///< the current physical line starts with a blank
};

/// The contents of a token with quotes removed and \X / \DDD escapes decoded (for file names).
/// Returns false when an escape is malformed.
bool unescape_token(const Token& token, std::string& out);

}  // namespace zw::zone
