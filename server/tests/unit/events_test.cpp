// events::Hub's local delivery, forwarder and observers, and the envelope that carries hub
// messages between instances (PostgreSQL NOTIFY payloads).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "events/envelope.hpp"
#include "events/hub.hpp"

using namespace glucoplay::events;

namespace {

struct Seen {
    std::string topic;
    std::string event;
    std::string data;
};

}  // namespace

TEST(Hub, ObserversSeeEveryDeliveredMessageOfTheirPrefixLocalOrRemote) {
    Hub hub;
    std::vector<Seen> boards, all;
    hub.add_observer("leaderboard:", [&](const std::string& t, const Message& m) {
        boards.push_back({t, m.event, m.data});
    });
    hub.add_observer("", [&](const std::string& t, const Message& m) {
        all.push_back({t, m.event, m.data});
    });
    // Delivered with no subscriber at all: observers still see it.
    EXPECT_EQ(hub.publish("leaderboard:racing", Message{"leaderboard", "[1]", std::nullopt}), 0u);
    auto sub = hub.subscribe("leaderboard:plate");
    EXPECT_EQ(hub.publish_remote("leaderboard:plate", Message{"leaderboard", "[2]", std::nullopt}),
              1u);
    hub.publish("user:7", Message{"notification", "{}", std::string("5")});
    // "leaderboardX" does not start with "leaderboard:".
    hub.publish("leaderboardX", Message{"x", "{}", std::nullopt});

    ASSERT_EQ(boards.size(), 2u);
    EXPECT_EQ(boards[0].topic, "leaderboard:racing");
    EXPECT_EQ(boards[0].data, "[1]");
    EXPECT_EQ(boards[1].topic, "leaderboard:plate");  // the remote one too
    EXPECT_EQ(boards[1].data, "[2]");
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all[2].topic, "user:7");
    // The subscriber got the remote message exactly once.
    auto m = sub->pop();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->data, "[2]");
    EXPECT_FALSE(sub->pop().has_value());
}

TEST(Hub, LocalPublishesAreForwardedAndRemoteOnesAreNot) {
    Hub hub;
    std::vector<std::string> forwarded;
    hub.set_forwarder(
        [&](const std::string& t, const Message& m) { forwarded.push_back(t + " " + m.data); });
    auto sub = hub.subscribe("user:1");
    hub.publish("user:1", Message{"notification", "local", std::string("1")});
    hub.publish_remote("user:1", Message{"notification", "remote", std::string("2")});
    hub.publish("internal:rank:racing", Message{"score", "{}", std::nullopt});
    EXPECT_EQ(forwarded, (std::vector<std::string>{"user:1 local", "internal:rank:racing {}"}));
    // Both reached the local subscriber, in order.
    EXPECT_EQ(sub->pop()->data, "local");
    EXPECT_EQ(sub->pop()->data, "remote");
    hub.set_forwarder(nullptr);
    hub.publish("user:1", Message{"notification", "after", std::nullopt});
    EXPECT_EQ(forwarded.size(), 2u);
}

TEST(Hub, CloseTopicsEndsOnlyThoseSubscriptions) {
    Hub hub;
    auto user = hub.subscribe("user:1");
    auto other_user = hub.subscribe("user:22");
    auto board = hub.subscribe("leaderboard:racing");
    hub.close_topics("user:");
    EXPECT_TRUE(user->closed());
    EXPECT_TRUE(other_user->closed());
    EXPECT_FALSE(board->closed());
    hub.close_all();
    EXPECT_TRUE(board->closed());
}

TEST(Envelope, RoundTripsEveryFieldIncludingAwkwardText) {
    Message m{"notification", "{\"message\":\"l\\u00e9ger \\\"quoted\\\"\\nline\"}",
              std::string("42")};
    std::string wire = encode_envelope("origin-a", "user:7", m);
    auto e = decode_envelope(wire);
    ASSERT_TRUE(e.has_value()) << wire;
    EXPECT_EQ(e->origin, "origin-a");
    EXPECT_EQ(e->topic, "user:7");
    EXPECT_EQ(e->message.event, "notification");
    EXPECT_EQ(e->message.data, m.data);
    EXPECT_EQ(e->message.id, std::optional<std::string>("42"));
    EXPECT_FALSE(e->spill.has_value());

    auto no_id = decode_envelope(
        encode_envelope("o", "leaderboard:racing", Message{"leaderboard", "[]", std::nullopt}));
    ASSERT_TRUE(no_id.has_value());
    EXPECT_FALSE(no_id->message.id.has_value());
}

TEST(Envelope, SpillReferenceCarriesOnlyOriginAndRowId) {
    std::string wire = encode_spill_reference("origin-b", 981);
    EXPECT_EQ(wire, R"({"origin":"origin-b","spill":981})");
    auto e = decode_envelope(wire);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->origin, "origin-b");
    EXPECT_EQ(e->spill, std::optional<std::int64_t>(981));
}

TEST(Envelope, RefusesWhatIsNotOneOfTheTwoForms) {
    for (const char* bad :
         {"", "not json", "[]", "{}", R"({"topic":"t","event":"e","data":"d"})",  // no origin
          R"({"origin":"","topic":"t","event":"e","data":"d"})",
          R"({"origin":"o","event":"e","data":"d"})",                     // no topic
          R"({"origin":"o","topic":"","event":"e","data":"d"})",          // empty topic
          R"({"origin":"o","topic":"t","data":"d"})",                     // no event
          R"({"origin":"o","topic":"t","event":"e"})",                    // no data
          R"({"origin":"o","topic":"t","event":"e","data":{"x":1}})",     // data not text
          R"({"origin":"o","topic":"t","event":"e","data":"d","id":7})",  // id not text
          R"({"origin":"o","spill":"7"})", R"({"origin":"o","spill":0})",
          R"({"origin":"o","spill":7,"topic":"t"})", R"({"origin":7,"spill":7})"})
        EXPECT_FALSE(decode_envelope(bad).has_value()) << bad;
}

TEST(Envelope, OnlyOtherOriginsAreDeliveredHere) {
    auto mine = decode_envelope(encode_envelope("me", "user:1", Message{"n", "{}", std::nullopt}));
    auto theirs =
        decode_envelope(encode_envelope("them", "user:1", Message{"n", "{}", std::nullopt}));
    ASSERT_TRUE(mine && theirs);
    EXPECT_FALSE(from_elsewhere(*mine, "me"));
    EXPECT_TRUE(from_elsewhere(*theirs, "me"));
    auto spilled_mine = decode_envelope(encode_spill_reference("me", 3));
    EXPECT_FALSE(from_elsewhere(*spilled_mine, "me"));
}
