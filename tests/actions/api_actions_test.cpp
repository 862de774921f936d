// approveActionProposal / rejectActionProposal / undoActionProposal / auditLog through the real API server:
// error codes and messages as a client sees them, ownership (another user's proposal answers NOT_FOUND), double
// and concurrent approvals, edited parameters refused by rule, a missing scope refused without queueing, and the
// owner's audit trail.
#include <atomic>
#include <chrono>
#include <ctime>
#include <thread>
#include <vector>

#include "api/ids.hpp"
#include "api_fixture.hpp"

namespace alatar::api::test {
namespace {

std::string iso_in(std::chrono::hours h) {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + h);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf.data();
}

json::object discount(const std::string& code, int percentage = 20) {
    return json::object{{"title", "Spring " + code},
                        {"code", code},
                        {"percentage", percentage},
                        {"scope", json::object{{"type", "ALL"}}},
                        {"startsAt", iso_in(std::chrono::hours(24))},
                        {"endsAt", iso_in(std::chrono::hours(24 * 10))}};
}

constexpr const char* kApprove =
    "mutation($id: ID!, $p: JSON) { approveActionProposal(id: $id, parameters: $p) { id status decidedAt } }";
constexpr const char* kReject =
    "mutation($id: ID!, $r: String) { rejectActionProposal(id: $id, reason: $r) { id status } }";
constexpr const char* kUndo = "mutation($id: ID!) { undoActionProposal(id: $id) { id status } }";
constexpr const char* kAudit =
    "query($n: Int, $a: String) { auditLog(first: $n, after: $a) { edges { cursor node { action actor targetType "
    "targetId requestId parametersHash details } } pageInfo { hasNextPage endCursor } } }";

class ActionsApiTest : public ApiFixture {
  protected:
    struct Owner {
        std::string token;
        std::string user;
        std::string store;
        std::string request;
    };

    Owner owner(const std::string& email, const std::string& scopes = "{read_discounts,write_discounts}") {
        Owner o;
        o.token = register_user(email);
        o.user = sql("SELECT id::text FROM users WHERE email = $1", db::Params{email}).scalar<std::string>();
        o.store = sql("INSERT INTO shopify_stores (user_id, shop_domain, scopes) VALUES ($1, $2, $3::text[]) "
                      "RETURNING id::text",
                      db::Params{o.user, email.substr(0, email.find('@')) + ".myshopify.com", scopes})
                      .scalar<std::string>();
        o.request = sql("INSERT INTO analysis_requests (user_id, store_id, prompt, status, progress) "
                        "VALUES ($1, $2, 'q', 'COMPLETED', 1) RETURNING id::text",
                        db::Params{o.user, o.store})
                        .scalar<std::string>();
        return o;
    }

    std::string proposal(const Owner& o, const json::object& params, const std::string& kind = "CREATE_DISCOUNT_CODE",
                         const std::string& status = "PENDING") {
        const auto uuid = sql("INSERT INTO action_proposals (request_id, store_id, user_id, kind, status, title, "
                              "parameters, required_scopes, expires_at, idempotency_key) VALUES ($1, $2, $3, $4, $5, "
                              "'Discount', $6::jsonb, '{write_discounts}', now() + interval '7 days', "
                              "gen_random_uuid()::text) RETURNING id::text",
                              db::Params{o.request, o.store, o.user, kind, status, db::Json{json::serialize(params)}})
                              .scalar<std::string>();
        return encode_id(id_type::kActionProposal, uuid);
    }

    std::int64_t queued(const std::string& id) {
        const auto uuid = *decode_id(id_type::kActionProposal, id);
        return sql("SELECT count(*) FROM outbox WHERE payload::text LIKE '%' || $1 || '%' AND topic = 'actions'",
                   db::Params{uuid})
            .scalar<std::int64_t>();
    }

    static std::string message_of(const json::value& r) {
        return std::string(r.at("errors").as_array().at(0).at("message").as_string());
    }
};

TEST_F(ActionsApiTest, ApproveQueuesOnceAndASecondApprovalIsAConflict) {
    const auto o = owner("ann@example.com");
    const auto id = proposal(o, discount("ANN2026"));
    const auto r = gql(kApprove, {{"id", id}}, o.token);
    ASSERT_FALSE(r.as_object().contains("errors")) << json::serialize(r);
    EXPECT_EQ(r.at("data").at("approveActionProposal").at("status"), "APPROVED");
    EXPECT_FALSE(r.at("data").at("approveActionProposal").at("decidedAt").is_null());
    EXPECT_EQ(queued(id), 1);
    const auto again = gql(kApprove, {{"id", id}}, o.token);
    EXPECT_EQ(code_of(again), "CONFLICT") << json::serialize(again);
    EXPECT_NE(message_of(again).find("APPROVED"), std::string::npos);
    EXPECT_EQ(queued(id), 1);
}

TEST_F(ActionsApiTest, ConcurrentApprovalsQueueOneExecution) {
    const auto o = owner("bob@example.com");
    const auto id = proposal(o, discount("BOB2026"));
    std::atomic<int> approved{0};
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            const auto r = gql(kApprove, {{"id", id}}, o.token);
            if (!r.as_object().contains("errors")) {
                ++approved;
            } else if (code_of(r) == "CONFLICT") {
                ++conflicts;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(approved.load(), 1);
    EXPECT_EQ(conflicts.load(), 3);
    EXPECT_EQ(queued(id), 1);
}

TEST_F(ActionsApiTest, AnotherUsersProposalIsNotFound) {
    const auto o = owner("cat@example.com");
    const auto intruder = owner("eve@example.com");
    const auto id = proposal(o, discount("CAT2026"));
    for (const auto* doc : {kApprove, kReject, kUndo}) {
        const auto r = gql(doc, {{"id", id}}, intruder.token);
        EXPECT_EQ(code_of(r), "NOT_FOUND") << doc << " " << json::serialize(r);
        EXPECT_EQ(json::serialize(r).find("CAT2026"), std::string::npos);
    }
    EXPECT_EQ(sql("SELECT status FROM action_proposals WHERE id::text = $1",
                  db::Params{*decode_id(id_type::kActionProposal, id)})
                  .scalar<std::string>(),
              "PENDING");
    // The intruder's audit trail shows none of the owner's entries.
    const auto trail = gql(kAudit, {{"n", 50}}, intruder.token);
    EXPECT_TRUE(trail.at("data").at("auditLog").at("edges").as_array().empty()) << json::serialize(trail);
}

TEST_F(ActionsApiTest, EditedParametersBreakingARuleAreRefusedNamingIt) {
    const auto o = owner("dan@example.com");
    const auto id = proposal(o, discount("DAN2026"));
    const auto r = gql(kApprove, {{"id", id}, {"p", discount("DAN2026", 120)}}, o.token);
    EXPECT_EQ(code_of(r), "BAD_USER_INPUT") << json::serialize(r);
    EXPECT_NE(message_of(r).find("discount.percentage_range"), std::string::npos) << message_of(r);
    auto past = discount("DAN2026");
    past["startsAt"] = iso_in(std::chrono::hours(-48));
    const auto r2 = gql(kApprove, {{"id", id}, {"p", past}}, o.token);
    EXPECT_NE(message_of(r2).find("discount.starts_in_future"), std::string::npos) << message_of(r2);
    EXPECT_EQ(queued(id), 0);
    // A valid edit is accepted and becomes the parameters that will execute.
    const auto ok = gql(kApprove, {{"id", id}, {"p", discount("DAN2026", 30)}}, o.token);
    ASSERT_FALSE(ok.as_object().contains("errors")) << json::serialize(ok);
    EXPECT_EQ(sql("SELECT parameters->>'percentage' FROM action_proposals WHERE id::text = $1",
                  db::Params{*decode_id(id_type::kActionProposal, id)})
                  .scalar<std::string>(),
              "30");
}

TEST_F(ActionsApiTest, MissingWriteScopeIsAClearErrorAndNothingIsQueued) {
    const auto o = owner("fay@example.com", "{read_discounts}");
    const auto id = proposal(o, discount("FAY2026"));
    const auto r = gql(kApprove, {{"id", id}}, o.token);
    EXPECT_EQ(code_of(r), "FORBIDDEN") << json::serialize(r);
    EXPECT_NE(message_of(r).find("write_discounts"), std::string::npos) << message_of(r);
    EXPECT_EQ(queued(id), 0);
}

TEST_F(ActionsApiTest, RejectWithReasonUndoOnlyAfterSuccessAndTheAuditTrail) {
    const auto o = owner("gus@example.com");
    const auto rejected = proposal(o, discount("GUS2026"));
    const auto r = gql(kReject, {{"id", rejected}, {"r", "Not during the sale"}}, o.token);
    ASSERT_FALSE(r.as_object().contains("errors")) << json::serialize(r);
    EXPECT_EQ(r.at("data").at("rejectActionProposal").at("status"), "REJECTED");
    EXPECT_EQ(code_of(gql(kUndo, {{"id", rejected}}, o.token)), "CONFLICT");
    // The proposal shows the reason, its expiry (7 days after it was made) and the analysis it came from.
    const auto shown =
        gql("query($id: ID!) { actionProposal(id: $id) { decisionReason expiresAt createdAt analysisRequestId } }",
            {{"id", rejected}}, o.token);
    ASSERT_FALSE(shown.as_object().contains("errors")) << json::serialize(shown);
    const auto& p = shown.at("data").at("actionProposal");
    EXPECT_EQ(p.at("decisionReason"), "Not during the sale");
    EXPECT_EQ(p.at("analysisRequestId"), json::value(encode_id(id_type::kAnalysisRequest, o.request)));
    const auto days_to_expiry =
        sql("SELECT extract(epoch FROM $1::timestamptz - $2::timestamptz) / 86400",
            db::Params{std::string(p.at("expiresAt").as_string()), std::string(p.at("createdAt").as_string())})
            .scalar<double>();
    EXPECT_NEAR(days_to_expiry, 7.0, 0.01);

    const auto done = proposal(o, discount("GUS2027"), "CREATE_DISCOUNT_CODE", "SUCCEEDED");
    const auto u = gql(kUndo, {{"id", done}}, o.token);
    ASSERT_FALSE(u.as_object().contains("errors")) << json::serialize(u);
    EXPECT_EQ(u.at("data").at("undoActionProposal").at("status"), "UNDOING");
    EXPECT_EQ(queued(done), 1);

    const auto trail = gql(kAudit, {{"n", 1}}, o.token);
    const auto& first_page = trail.at("data").at("auditLog");
    ASSERT_EQ(first_page.at("edges").as_array().size(), 1U) << json::serialize(trail);
    EXPECT_TRUE(first_page.at("pageInfo").at("hasNextPage").as_bool());
    const auto& newest = first_page.at("edges").as_array().at(0).at("node");
    EXPECT_EQ(newest.at("action"), "proposal.undo_requested");
    EXPECT_EQ(newest.at("actor"), json::value("user:" + o.user));
    EXPECT_EQ(newest.at("targetId"), json::value(done));
    EXPECT_EQ(newest.at("parametersHash").as_string().size(), 64U);
    const auto rest = gql(kAudit, {{"n", 10}, {"a", first_page.at("pageInfo").at("endCursor")}}, o.token);
    std::vector<std::string> actions;
    for (const auto& e : rest.at("data").at("auditLog").at("edges").as_array()) {
        actions.emplace_back(e.at("node").at("action").as_string());
    }
    EXPECT_EQ(actions, (std::vector<std::string>{"proposal.rejected"}));
}

constexpr const char* kRejectRevise =
    "mutation($id: ID!, $r: String) { rejectActionProposal(id: $id, reason: $r, revise: true) { id status "
    "decisionReason revisedBy { id } } }";

TEST_F(ActionsApiTest, RejectWithReviseQueuesOneRevisionJobInTheSameTransactionAndAudits) {
    const auto o = owner("hal@example.com");
    const auto id = proposal(o, discount("HAL2026"));
    const auto uuid = *decode_id(id_type::kActionProposal, id);
    // No feedback, no revision: BAD_USER_INPUT and nothing changes.
    for (const auto& reason : {json::value(nullptr), json::value("  ")}) {
        const auto r = gql(kRejectRevise, {{"id", id}, {"r", reason}}, o.token);
        EXPECT_EQ(code_of(r), "BAD_USER_INPUT") << json::serialize(r);
    }
    EXPECT_EQ(sql("SELECT status FROM action_proposals WHERE id::text = $1", db::Params{uuid}).scalar<std::string>(),
              "PENDING");
    EXPECT_EQ(queued(id), 0);
    // Another user's proposal stays unreachable.
    const auto intruder = owner("ivy@example.com");
    EXPECT_EQ(code_of(gql(kRejectRevise, {{"id", id}, {"r", "lower"}}, intruder.token)), "NOT_FOUND");
    EXPECT_EQ(queued(id), 0);

    const auto r = gql(kRejectRevise, {{"id", id}, {"r", "too generous, go lower"}}, o.token);
    ASSERT_FALSE(r.as_object().contains("errors")) << json::serialize(r);
    const auto& rejected = r.at("data").at("rejectActionProposal");
    EXPECT_EQ(rejected.at("status"), "REJECTED");
    EXPECT_EQ(rejected.at("decisionReason"), "too generous, go lower");
    EXPECT_TRUE(rejected.at("revisedBy").is_null());  // the worker has not answered yet
    EXPECT_EQ(sql("SELECT count(*) FROM outbox WHERE topic = 'actions' AND payload::text LIKE '%' || $1 || '%' "
                  "AND payload::text LIKE '%proposal.revise%'",
                  db::Params{uuid})
                  .scalar<std::int64_t>(),
              1);
    const auto trail = gql(kAudit, {{"n", 2}}, o.token);
    std::vector<std::string> actions;
    for (const auto& e : trail.at("data").at("auditLog").at("edges").as_array()) {
        actions.emplace_back(e.at("node").at("action").as_string());
    }
    EXPECT_EQ(actions, (std::vector<std::string>{"proposal.revision_requested", "proposal.rejected"}));
}

TEST_F(ActionsApiTest, ARevisionIsLinkedBothWaysAndListedWithTheRequestsProposals) {
    const auto o = owner("jo@example.com");
    const auto original = proposal(o, discount("JO2026"), "CREATE_DISCOUNT_CODE", "REJECTED");
    const auto original_uuid = *decode_id(id_type::kActionProposal, original);
    const auto revision_uuid =
        sql("INSERT INTO action_proposals (request_id, store_id, user_id, kind, title, parameters, required_scopes, "
            "expires_at, idempotency_key, revision_of) VALUES ($1, $2, $3, 'CREATE_DISCOUNT_CODE', 'Revised: JO', "
            "$4::jsonb, '{write_discounts}', now() + interval '7 days', 'revision:' || $5, $5::uuid) "
            "RETURNING id::text",
            db::Params{o.request, o.store, o.user, db::Json{json::serialize(discount("JO2026-R1", 15))}, original_uuid})
            .scalar<std::string>();
    const auto revision = encode_id(id_type::kActionProposal, revision_uuid);
    const auto shown =
        gql("query($id: ID!, $r: ID!) { actionProposal(id: $id) { revisionOf revisedBy { id status revisionOf } } "
            "analysisRequest(id: $r) { proposals { id revisionOf } } }",
            {{"id", original}, {"r", encode_id(id_type::kAnalysisRequest, o.request)}}, o.token);
    ASSERT_FALSE(shown.as_object().contains("errors")) << json::serialize(shown);
    const auto& p = shown.at("data").at("actionProposal");
    EXPECT_TRUE(p.at("revisionOf").is_null());
    EXPECT_EQ(p.at("revisedBy").at("id"), json::value(revision));
    EXPECT_EQ(p.at("revisedBy").at("status"), "PENDING");
    EXPECT_EQ(p.at("revisedBy").at("revisionOf"), json::value(original));
    const auto& listed = shown.at("data").at("analysisRequest").at("proposals").as_array();
    ASSERT_EQ(listed.size(), 2U) << json::serialize(shown);
    EXPECT_EQ(listed.at(1).at("id"), json::value(revision));
    EXPECT_EQ(listed.at(1).at("revisionOf"), json::value(original));
}

}  // namespace
}  // namespace alatar::api::test
