#include "util/csv.hpp"

namespace glucoplay::util {

CsvReader::CsvReader(std::string_view text) : text_(text) {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);
}

std::optional<CsvRow> CsvReader::next() {
    if (pos_ >= text_.size()) return std::nullopt;
    CsvRow row;
    row.line = line_;
    std::string field;
    bool in_quotes = false;
    bool was_quoted = false;
    while (pos_ < text_.size()) {
        char c = text_[pos_++];
        if (in_quotes) {
            if (c == '"') {
                if (pos_ < text_.size() && text_[pos_] == '"') {
                    field += '"';
                    ++pos_;
                } else {
                    in_quotes = false;
                }
            } else {
                if (c == '\n') ++line_;
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty() && !was_quoted) {
            in_quotes = was_quoted = true;
        } else if (c == ',') {
            row.fields.push_back(std::move(field));
            field.clear();
            was_quoted = false;
        } else if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') {
            // CRLF: the LF ends the row on the next iteration
        } else if (c == '\n') {
            ++line_;
            row.fields.push_back(std::move(field));
            return row;
        } else {
            field += c;
        }
    }
    if (in_quotes) error_ = "line " + std::to_string(row.line) + ": unterminated quoted field";
    row.fields.push_back(std::move(field));
    return row;
}

}  // namespace glucoplay::util
