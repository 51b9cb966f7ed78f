#include "notifications/notifications.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <set>
#include <stdexcept>

#include "http/json.hpp"
#include "util/time.hpp"

namespace glucoplay::notifications {

namespace json = boost::json;

namespace {

constexpr const char* kColumns = "id, user_id, kind, message, data, created_at, read_at";

Notification to_notification(const storage::Row& r) {
    return Notification{r.int64(0), r.int64(1), r.text(2),     r.text(3),
                        r.text(4),  r.int64(5), r.opt_int64(6)};
}

std::vector<Notification> to_notifications(const storage::Result& r) {
    std::vector<Notification> out;
    out.reserve(r.rows.size());
    for (const auto& row : r.rows) out.push_back(to_notification(row));
    return out;
}

}  // namespace

bool is_kind(const std::string& kind) {
    return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

json::value to_json(const Notification& n) {
    json::value data;
    try {
        data = json::parse(n.data);
    } catch (const std::exception&) {
        data = json::object{};  // written by this server, so never expected
    }
    return json::object{
        {"id", n.id},
        {"kind", n.kind},
        {"message", n.message},
        {"data", std::move(data)},
        {"created_at", util::format_unix(n.created_at)},
        {"read_at", n.read_at ? json::value(util::format_unix(*n.read_at)) : json::value(nullptr)}};
}

std::optional<Notification> Notifier::create(storage::Connection& c, const Draft& d,
                                             std::int64_t now, Outbox& outbox) {
    if (!repo::enabled(c, d.user_id, d.kind)) return std::nullopt;
    const std::string data = http::to_json_text(d.data);
    storage::Value key = d.dedupe_key ? storage::Value(*d.dedupe_key) : storage::Value(nullptr);
    auto id = c.insert_id(
        "INSERT INTO notifications (user_id, kind, message, data, created_at, dedupe_key) VALUES "
        "(?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, dedupe_key) DO NOTHING",
        {d.user_id, d.kind, d.message, data, now, key});
    if (!id) return std::nullopt;  // already notified under this key
    Notification n{*id, d.user_id, d.kind, d.message, data, now, std::nullopt};
    outbox.add(n);
    return n;
}

std::vector<std::optional<Notification>> Notifier::create_many(storage::Connection& c,
                                                               const std::vector<Timed>& drafts) {
    std::vector<std::optional<Notification>> out(drafts.size());
    // Which of them the users want, one statement per kind (usually one).
    std::map<std::string, std::vector<std::int64_t>> users_by_kind;
    for (const auto& t : drafts) {
        if (t.draft.dedupe_key)
            throw std::invalid_argument("create_many takes no dedupe keys (" + t.draft.kind + ")");
        auto& users = users_by_kind[t.draft.kind];
        if (std::find(users.begin(), users.end(), t.draft.user_id) == users.end())
            users.push_back(t.draft.user_id);
    }
    std::set<std::pair<std::string, std::int64_t>> off;
    for (const auto& [kind, users] : users_by_kind)
        for (std::int64_t u : repo::switched_off(c, kind, users)) off.emplace(kind, u);
    std::vector<std::size_t> kept;
    std::vector<storage::Value> params;
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        const Draft& d = drafts[i].draft;
        if (off.count({d.kind, d.user_id})) continue;
        out[i] = Notification{
            0,           d.user_id, d.kind, d.message, http::to_json_text(d.data), drafts[i].at,
            std::nullopt};
        params.insert(params.end(), {d.user_id, d.kind, d.message, out[i]->data, drafts[i].at});
        kept.push_back(i);
    }
    if (kept.empty()) return out;
    const auto ids = storage::ids_in_values_order(
        c.query("INSERT INTO notifications (user_id, kind, message, data, created_at) VALUES " +
                    storage::repeated_placeholders("(?, ?, ?, ?, ?)", kept.size()) +
                    " RETURNING id",
                params),
        kept.size());
    for (std::size_t k = 0; k < kept.size(); ++k) out[kept[k]]->id = ids[k];
    return out;
}

events::Message Notifier::event(const Notification& n) {
    return events::Message{"notification", http::to_json_text(to_json(n)), std::to_string(n.id)};
}

void Notifier::deliver(const Outbox& outbox) {
    for (const auto& n : outbox.items()) hub_.publish(topic(n.user_id), event(n));
}

namespace repo {

std::vector<Notification> list(storage::Connection& c, std::int64_t user_id, bool unread_only,
                               std::int64_t before_id, std::int64_t limit) {
    std::string sql = std::string("SELECT ") + kColumns +
                      " FROM notifications WHERE user_id = ? AND id < ?" +
                      (unread_only ? " AND read_at IS NULL" : "") + " ORDER BY id DESC LIMIT ?";
    return to_notifications(c.query(
        sql,
        {user_id, before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max(), limit}));
}

std::vector<Notification> after(storage::Connection& c, std::int64_t user_id, std::int64_t after_id,
                                std::int64_t limit) {
    return to_notifications(c.query(std::string("SELECT ") + kColumns +
                                        " FROM notifications WHERE user_id = ? AND id > ? ORDER "
                                        "BY id LIMIT ?",
                                    {user_id, after_id, limit}));
}

std::int64_t unread_count(storage::Connection& c, std::int64_t user_id) {
    return c
        .query("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
               {user_id})
        .rows.at(0)
        .int64(0);
}

bool mark_read(storage::Connection& c, std::int64_t user_id, std::int64_t id, std::int64_t now) {
    // COALESCE keeps the first time it was read.
    return c.query(
                "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND "
                "user_id = ?",
                {now, id, user_id})
               .affected > 0;
}

std::int64_t mark_all_read(storage::Connection& c, std::int64_t user_id, std::int64_t now) {
    return c
        .query("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
               {now, user_id})
        .affected;
}

bool remove(storage::Connection& c, std::int64_t user_id, std::int64_t id) {
    return c.query("DELETE FROM notifications WHERE id = ? AND user_id = ?", {id, user_id})
               .affected > 0;
}

std::map<std::string, bool> preferences(storage::Connection& c, std::int64_t user_id) {
    std::map<std::string, bool> out;
    for (const auto& k : kKinds) out[k] = true;
    for (const auto& r :
         c.query("SELECT kind, enabled FROM notification_prefs WHERE user_id = ?", {user_id}).rows)
        if (out.count(r.text(0))) out[r.text(0)] = r.int64(1) != 0;
    return out;
}

void set_preference(storage::Connection& c, std::int64_t user_id, const std::string& kind,
                    bool enabled) {
    c.query(
        "INSERT INTO notification_prefs (user_id, kind, enabled) VALUES (?, ?, ?) ON CONFLICT "
        "(user_id, kind) DO UPDATE SET enabled = excluded.enabled",
        {user_id, kind, std::int64_t{enabled ? 1 : 0}});
}

bool enabled(storage::Connection& c, std::int64_t user_id, const std::string& kind) {
    auto r = c.query("SELECT enabled FROM notification_prefs WHERE user_id = ? AND kind = ?",
                     {user_id, kind});
    return r.rows.empty() || r.rows.front().int64(0) != 0;
}

std::vector<std::int64_t> switched_off(storage::Connection& c, const std::string& kind,
                                       const std::vector<std::int64_t>& user_ids) {
    std::vector<std::int64_t> out;
    if (user_ids.empty()) return out;
    std::vector<storage::Value> params{kind};
    params.insert(params.end(), user_ids.begin(), user_ids.end());
    for (const auto& r : c.query("SELECT user_id FROM notification_prefs WHERE kind = ? AND "
                                 "enabled = 0 AND user_id IN (" +
                                     storage::repeated_placeholders("?", user_ids.size()) + ")",
                                 params)
                             .rows)
        out.push_back(r.int64(0));
    return out;
}

std::vector<Notification> all_for_user(storage::Connection& c, std::int64_t user_id) {
    return to_notifications(c.query(
        std::string("SELECT ") + kColumns + " FROM notifications WHERE user_id = ? ORDER BY id",
        {user_id}));
}

}  // namespace repo

}  // namespace glucoplay::notifications
