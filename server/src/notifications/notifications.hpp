#pragma once

// Notifications (issue 7): the record, its SQL, and the Notifier that features call inside their
// own transactions. A notification is written in the same transaction as the change that causes
// it and published to the user's live streams only after that transaction commits (Outbox), so a
// rolled-back change never notifies anyone.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "events/hub.hpp"
#include "storage/database.hpp"

namespace glucoplay::notifications {

inline const std::vector<std::string> kKinds = {"personal_best", "top10_entered",
                                                "top10_lost",    "sensor_change_due",
                                                "high_daily_gl", "low_glucose"};
bool is_kind(const std::string& kind);

struct Notification {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string kind;
    std::string message;
    std::string data;  // JSON object text
    std::int64_t created_at = 0;
    std::optional<std::int64_t> read_at;
};

// {id, kind, message, data, created_at, read_at} (API.md "Notifications").
boost::json::value to_json(const Notification& n);

// What a feature wants to tell a user.
struct Draft {
    std::int64_t user_id = 0;
    std::string kind;
    std::string message;
    boost::json::object data;
    // Makes the notification idempotent per user: a second draft with the same key is dropped.
    std::optional<std::string> dedupe_key;
};

// Notifications created inside one transaction, to deliver once it has committed.
class Outbox {
  public:
    void add(Notification n) { items_.push_back(std::move(n)); }
    const std::vector<Notification>& items() const { return items_; }
    bool empty() const { return items_.empty(); }

  private:
    std::vector<Notification> items_;
};

class Notifier {
  public:
    explicit Notifier(events::Hub& hub) : hub_(hub) {}

    // Stores the draft unless the user switched its kind off or its dedupe key was used before.
    // Call inside the transaction that makes the change; the stored notification is added to
    // `outbox` and returned.
    std::optional<Notification> create(storage::Connection& c, const Draft& d, std::int64_t now,
                                       Outbox& outbox);
    // A draft and when it is created, for create_many.
    struct Timed {
        Draft draft;
        std::int64_t at = 0;
    };
    // create() for several drafts without a dedupe key (std::invalid_argument otherwise), in two
    // statements however many there are (the users' switches, the rows): what each stored, in
    // the order given (nullopt where its kind is off for its user). The caller puts them in the
    // outboxes they belong to.
    std::vector<std::optional<Notification>> create_many(storage::Connection& c,
                                                         const std::vector<Timed>& drafts);
    // Publishes each notification to its owner's open streams. Call after the commit.
    void deliver(const Outbox& outbox);

    static std::string topic(std::int64_t user_id) { return "user:" + std::to_string(user_id); }
    static events::Message event(const Notification& n);

  private:
    events::Hub& hub_;
};

namespace repo {

// Newest first; ids below `before_id` (0: from the newest).
std::vector<Notification> list(storage::Connection& c, std::int64_t user_id, bool unread_only,
                               std::int64_t before_id, std::int64_t limit);
// Oldest first; ids above `after_id` (stream resumption).
std::vector<Notification> after(storage::Connection& c, std::int64_t user_id, std::int64_t after_id,
                                std::int64_t limit);
std::int64_t unread_count(storage::Connection& c, std::int64_t user_id);
// False when the notification is not this user's (or does not exist).
bool mark_read(storage::Connection& c, std::int64_t user_id, std::int64_t id, std::int64_t now);
std::int64_t mark_all_read(storage::Connection& c, std::int64_t user_id, std::int64_t now);
bool remove(storage::Connection& c, std::int64_t user_id, std::int64_t id);
// Every kind with its on/off state (on unless switched off).
std::map<std::string, bool> preferences(storage::Connection& c, std::int64_t user_id);
void set_preference(storage::Connection& c, std::int64_t user_id, const std::string& kind,
                    bool enabled);
bool enabled(storage::Connection& c, std::int64_t user_id, const std::string& kind);
// The users among these (distinct ids) who switched `kind` off.
std::vector<std::int64_t> switched_off(storage::Connection& c, const std::string& kind,
                                       const std::vector<std::int64_t>& user_ids);
std::vector<Notification> all_for_user(storage::Connection& c, std::int64_t user_id);

}  // namespace repo

}  // namespace glucoplay::notifications
