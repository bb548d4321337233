// scanner.cpp: the master-file tokenizer (RFC 1035 §5.1): one pass over the text, tokens are views into it.
#include "zone/scanner.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/codec.hpp"
#include "core/error.hpp"

namespace zw::zone {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

// Control characters other than TAB, LF and CR have no place in a master file outside \DDD escapes.
bool is_control(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f;
}

std::string hex_byte(char c) {
  return "0x" + core::hex_encode(std::string_view(&c, 1));
}

std::uint32_t count_lines(std::string_view text, std::size_t end) {
  return 1 +
         static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
}

}  // namespace

Scanner::Scanner(std::string_view text, std::string name) : text_(text), name_(std::move(name)) {
  if (const void* nul = std::memchr(text_.data(), '\0', text_.size())) {
    auto at = static_cast<std::size_t>(static_cast<const char*>(nul) - text_.data());
    fail(count_lines(text_, at), "NUL byte in the text (binary data?)");
  }
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte-order mark
  line_indented_ = pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t');
}

void Scanner::fail(std::uint32_t line, const std::string& why) const {
  throw Error(name_ + ":" + std::to_string(line) + ": " + why);
}

Scanner::Scanner(std::string_view text, std::string name, std::size_t begin, std::size_t end, std::uint32_t line)
    : text_(text), name_(std::move(name)), end_(end), pos_(begin), line_(line) {
  if (pos_ == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  // `begin` may be where an earlier scan stopped: the first token of a record, after the blanks that start its
  // line (a record whose owner is the previous one). Whether the line is indented is decided at its start.
  std::size_t line_start = pos_;
  while (line_start > 0 && text_[line_start - 1] != '\n') --line_start;
  if (line_start == 0 && pos_ >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") line_start = 3;
  line_indented_ = line_start < text_.size() && (text_[line_start] == ' ' || text_[line_start] == '\t');
}

bool Scanner::begin_record(ScannedRecord& rec) {
  if (rec.line != 0) return true;
  if (pos_ >= end_) {
    stop_ = pos_;
    return false;
  }
  if (first_start_ == kNone) {
    first_start_ = pos_;
    first_line_ = line_;
  }
  rec.line = line_;
  rec.blank_owner = line_indented_;
  record_start_ = pos_;
  return true;
}

void Scanner::check_size(const ScannedRecord& rec) const {
  if (rec.line != 0 && pos_ - record_start_ > kMaxRecordBytes) {
    fail(rec.line, "record longer than 1 MiB (unbalanced parentheses?)");
  }
}

void Scanner::scan_quoted(ScannedRecord& rec) {
  const std::size_t start = pos_;
  const std::uint32_t open_line = line_;
  auto unterminated = [&]() {
    std::string why = "unterminated quoted string";
    if (open_line != rec.line) why += " (opened on line " + std::to_string(open_line) + ")";
    fail(rec.line, why);
  };
  ++pos_;
  while (true) {
    if (pos_ >= text_.size()) unterminated();
    char c = text_[pos_];
    if (c == '"') break;
    if (c == '\n') unterminated();
    if (c == '\\') {
      if (pos_ + 1 >= text_.size() || text_[pos_ + 1] == '\n') unterminated();
      c = text_[++pos_];
    }
    if (is_control(c)) fail(line_, "control character " + hex_byte(c) + " in a quoted string");
    ++pos_;
  }
  ++pos_;
  rec.tokens.push_back(Token{text_.substr(start, pos_ - start), true});
}

// Characters that end a word or need a closer look: blanks, newline, ';', '(', ')', '"', '\\', controls, DEL.
constexpr std::array<bool, 256> kWordSpecial = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  for (unsigned char c : {' ', ';', '(', ')', '"', '\\', '\x7f'}) t[c] = true;
  return t;
}();

namespace {

/// The first special character (kWordSpecial) at or after `pos`, or `size`.
std::size_t skip_plain(const char* text, std::size_t pos, std::size_t size) {
#if defined(__SSE2__)
  // Sixteen characters at a time: those up to 0x20 (blanks, newline, controls) and ; ( ) " \ DEL end a run.
  const __m128i space = _mm_set1_epi8(0x20);
  while (pos + 16 <= size) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + pos));
    __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(v, space), v);
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(';')));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('(')));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(')')));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (mask != 0) return pos + static_cast<std::size_t>(__builtin_ctz(mask));
    pos += 16;
  }
#endif
  while (pos < size && !kWordSpecial[static_cast<unsigned char>(text[pos])]) ++pos;
  return pos;
}

}  // namespace

void Scanner::scan_word(ScannedRecord& rec) {
  const std::size_t start = pos_;
  while (pos_ < text_.size()) {
    // Plain characters first, without the checks below.
    pos_ = skip_plain(text_.data(), pos_, text_.size());
    if (pos_ >= text_.size()) break;
    char c = text_[pos_];
    if (c == '\\') {
      if (pos_ + 1 >= text_.size() || text_[pos_ + 1] == '\n' || text_[pos_ + 1] == '\r') {
        fail(line_, "backslash at the end of a line");
      }
      if (is_control(text_[pos_ + 1])) fail(line_, "control character " + hex_byte(text_[pos_ + 1]));
      pos_ += 2;
      continue;
    }
    if (is_blank(c) || c == '\n' || c == ';' || c == '(' || c == ')' || c == '"') break;
    if (is_control(c)) fail(line_, "control character " + hex_byte(c));
    ++pos_;
  }
  rec.tokens.push_back(Token{text_.substr(start, pos_ - start), false});
}

bool Scanner::next(ScannedRecord& rec) {
  rec.tokens.clear();
  rec.line = 0;
  rec.blank_owner = false;
  bool paren = false;
  std::uint32_t paren_line = 0;
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    switch (c) {
      case '\n':
        ++pos_;
        ++line_;
        line_indented_ = pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t');
        if (paren) {
          check_size(rec);
        } else if (!rec.tokens.empty()) {
          return true;
        } else {
          rec.line = 0;  // "( )" or an empty record
        }
        break;
      case ' ':
      case '\t':
      case '\r':
        // Columns are often aligned with runs of blanks.
        do {
          ++pos_;
        } while (pos_ < text_.size() && is_blank(text_[pos_]));
        break;
      case ';': {
        const void* nl = std::memchr(text_.data() + pos_, '\n', text_.size() - pos_);
        pos_ = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data()) : text_.size();
        break;
      }
      case '(':
        if (paren) fail(line_, "nested '(' (the one on line " + std::to_string(paren_line) + " is still open)");
        if (!begin_record(rec)) return false;
        paren = true;
        paren_line = line_;
        ++pos_;
        break;
      case ')':
        if (!paren) fail(line_, "')' without a matching '('");
        paren = false;
        ++pos_;
        break;
      case '"':
        if (!begin_record(rec)) return false;
        scan_quoted(rec);
        check_size(rec);
        break;
      default:
        if (is_control(c)) fail(line_, "control character " + hex_byte(c));
        if (!begin_record(rec)) return false;
        scan_word(rec);
        check_size(rec);
        break;
    }
  }
  if (paren) {
    std::string why = "unbalanced parentheses: '(' ";
    if (paren_line != rec.line) why += "on line " + std::to_string(paren_line) + " ";
    fail(rec.line, why + "is never closed");
  }
  return !rec.tokens.empty();
}

bool unescape_token(const Token& token, std::string& out) {
  std::string_view t = token.text;
  if (token.quoted && t.size() >= 2) t = t.substr(1, t.size() - 2);
  out.clear();
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '\\') {
      out.push_back(t[i]);
      continue;
    }
    if (i + 1 >= t.size()) return false;
    auto digit = [&](std::size_t k) { return k < t.size() && t[k] >= '0' && t[k] <= '9'; };
    if (digit(i + 1)) {
      if (!digit(i + 2) || !digit(i + 3)) return false;
      int v = (t[i + 1] - '0') * 100 + (t[i + 2] - '0') * 10 + (t[i + 3] - '0');
      if (v > 255) return false;
      out.push_back(static_cast<char>(v));
      i += 3;
    } else {
      out.push_back(t[++i]);
    }
  }
  return true;
}

}  // namespace zw::zone
