#pragma once

// A small RFC 4180 CSV reader: quoted fields (with "" escapes and embedded commas/newlines),
// CRLF or LF, an optional UTF-8 byte-order mark. Used for the food catalog and CGM imports.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glucoplay::util {

struct CsvRow {
    std::size_t line = 0;  // 1-based line number where the row starts
    std::vector<std::string> fields;
};

class CsvReader {
  public:
    explicit CsvReader(std::string_view text);
    // The next row, or nullopt at the end. A row with an unterminated quote sets error().
    std::optional<CsvRow> next();
    const std::string& error() const { return error_; }

  private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::string error_;
};

}  // namespace glucoplay::util
