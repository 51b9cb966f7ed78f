#pragma once

#include <string_view>
#include <vector>

namespace glucoplay::storage {

// A text file compiled into the binary (see server/cmake/embed_files.cmake).
struct EmbeddedFile {
    std::string_view name;
    std::string_view contents;
};

// server/migrations/*.sql, sorted by file name.
const std::vector<EmbeddedFile>& embedded_migration_files();
// server/data/*.csv and *.json (reference data with sources), sorted by file name.
const std::vector<EmbeddedFile>& embedded_data_files();

}  // namespace glucoplay::storage
