#pragma once

#include <string>

namespace glucoplay::app {

// glucoplay migrate-data --from sqlite:PATH --to postgres://... [--force]: copies every row of
// an embedded deployment into PostgreSQL (storage::copy_database) and prints, per table, the rows
// in the source and in the target as JSON. Exit 0 when every table matches, 1 otherwise.
int run_migrate_data(const std::string& from, const std::string& to, bool force);

}  // namespace glucoplay::app
