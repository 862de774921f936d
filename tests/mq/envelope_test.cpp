#include "mq/envelope.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <set>

#include "common/error.hpp"

namespace alatar::mq {
namespace {

TEST(Envelope, RoundTripsThroughJson) {
    auto e = Envelope::make("analysis.requested", boost::json::parse(R"({"prompt":"why?","n":3})"), "trace-1", "req-9");
    const auto back = parse_envelope(to_json(e));
    EXPECT_EQ(back.id, e.id);
    EXPECT_EQ(back.type, "analysis.requested");
    EXPECT_EQ(back.version, 1);
    EXPECT_EQ(back.trace_id, "trace-1");
    EXPECT_EQ(back.request_id, "req-9");
    EXPECT_EQ(back.created_at, e.created_at);
    EXPECT_EQ(back.payload, e.payload);
    EXPECT_TRUE(e.created_at.ends_with("Z")) << e.created_at;
}

TEST(Envelope, IdsAreVersion4UuidsAndUnique) {
    const std::regex uuid4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto id = new_uuid();
        ASSERT_TRUE(std::regex_match(id, uuid4)) << id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000U);
}

TEST(Envelope, MessageCarriesIdTypeTraceAndPersistence) {
    const auto e = Envelope::make("task.created", boost::json::object{{"k", 1}}, "trace-7");
    const auto m = to_message(e);
    EXPECT_EQ(m.message_id, e.id);
    EXPECT_EQ(m.type, "task.created");
    EXPECT_EQ(m.content_type, "application/json");
    EXPECT_TRUE(m.persistent);
    EXPECT_EQ(m.header_string(kHeaderTraceId), "trace-7");
    EXPECT_EQ(parse_envelope(m.body).id, e.id);
}

TEST(Envelope, RejectsMalformedBodies) {
    for (const char* bad : {"", "not json", "[]", R"({"type":"x"})", R"({"id":"","type":"x"})", R"({"id":"a"})",
                            R"({"id":"a","type":"x","version":"1"})", R"({"id":"a","type":"x","version":0})",
                            R"({"id":"a","type":"x","trace_id":5})"}) {
        try {
            parse_envelope(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::kBadUserInput) << bad;
        }
    }
}

TEST(Envelope, MinimalEnvelopeParsesWithDefaults) {
    const auto e = parse_envelope(R"({"id":"a","type":"x"})");
    EXPECT_EQ(e.version, 1);
    EXPECT_TRUE(e.trace_id.empty());
    EXPECT_TRUE(e.payload.is_null());
}

}  // namespace
}  // namespace alatar::mq
