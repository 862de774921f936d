// The analysis read side and authorization: ownership on every id-taking field (someone else's id answers
// NOT_FOUND exactly like an id that does not exist), cursor pagination, loaders batching child rows.
#include "api/ids.hpp"
#include "api_fixture.hpp"

namespace alatar::api::test {
namespace {

class AnalysisTest : public ApiFixture {
  protected:
    struct Seeded {
        std::string token;
        std::string user_uuid;
        std::string store_uuid;
        std::vector<std::string> requests;  // newest first
        std::string proposal_uuid;
    };

    // A user with one store and `n` analysis requests (each with two tasks, one span, a proposal on the first).
    Seeded seed(const std::string& email, int n) {
        Seeded s;
        s.token = register_user(email);
        s.user_uuid = sql("SELECT id::text FROM users WHERE email = $1", db::Params{email}).scalar<std::string>();
        s.store_uuid = sql("INSERT INTO shopify_stores (user_id, shop_domain, name, currency, scopes) "
                           "VALUES ($1, $2, 'Shop', 'EUR', '{read_orders}') RETURNING id::text",
                           db::Params{s.user_uuid, email.substr(0, email.find('@')) + ".myshopify.com"})
                           .scalar<std::string>();
        for (int i = 0; i < n; ++i) {
            const auto id =
                sql("INSERT INTO analysis_requests (user_id, store_id, prompt, status, progress, created_at) "
                    "VALUES ($1, $2, $3, 'COMPLETED', 1, now() - make_interval(mins => $4)) "
                    "RETURNING id::text",
                    db::Params{s.user_uuid, s.store_uuid, "question " + std::to_string(i), i})
                    .scalar<std::string>();
            sql("INSERT INTO agent_tasks (request_id, agent_class, name, status) VALUES "
                "($1, 'ORCHESTRATOR', 'plan', 'SUCCEEDED'), ($1, 'DEPARTMENT', 'sales', 'SUCCEEDED')",
                db::Params{id});
            sql("INSERT INTO trace_spans (request_id, span_id, name, kind, started_at, duration_ms) "
                "VALUES ($1, 'root', 'orchestrator', 'agent', now(), 12.5)",
                db::Params{id});
            sql("INSERT INTO analysis_results (request_id, summary, kpis) VALUES ($1, 'All good.', "
                "'[{\"key\":\"orders\",\"label\":\"Orders\",\"value\":3,\"unit\":\"orders\"}]')",
                db::Params{id});
            s.requests.push_back(id);  // i = 0 is the newest
        }
        if (n > 0) {
            s.proposal_uuid =
                sql("INSERT INTO action_proposals (request_id, store_id, user_id, kind, title, expires_at, "
                    "idempotency_key) VALUES ($1, $2, $3, 'CREATE_DISCOUNT_CODE', 'Discount', "
                    "now() + interval '1 day', $4) RETURNING id::text",
                    db::Params{s.requests.front(), s.store_uuid, s.user_uuid, "k-" + email})
                    .scalar<std::string>();
        }
        return s;
    }
};

TEST_F(AnalysisTest, ReadsARequestWithItsChildren) {
    const auto a = seed("ann@example.com", 1);
    const auto id = encode_id(id_type::kAnalysisRequest, a.requests.front());
    const auto r =
        gql("query($id: ID!) { analysisRequest(id: $id) { id prompt status progress "
            "store { shopDomain currency scopes } result { summary kpis { key value unit } } "
            "tasks { name agentClass status } trace { id name durationMs } "
            "proposals { id kind status title requiredScopes preview { field } } } }",
            {{"id", id}}, a.token);
    ASSERT_FALSE(r.as_object().contains("errors")) << json::serialize(r);
    const auto& req = r.at("data").at("analysisRequest");
    EXPECT_EQ(req.at("id").as_string(), id);
    EXPECT_EQ(req.at("status").as_string(), "COMPLETED");
    EXPECT_EQ(req.at("store").at("shopDomain").as_string(), "ann.myshopify.com");
    EXPECT_EQ(req.at("result").at("kpis").at(0).at("value").to_number<double>(), 3.0);
    EXPECT_EQ(req.at("tasks").as_array().size(), 2U);
    EXPECT_EQ(req.at("trace").at(0).at("durationMs").to_number<double>(), 12.5);
    EXPECT_EQ(req.at("proposals").at(0).at("kind").as_string(), "CREATE_DISCOUNT_CODE");
}

TEST_F(AnalysisTest, ListPaginatesNewestFirstWithCursorsAndTotalCount) {
    const auto a = seed("bea@example.com", 5);
    const char* kList =
        "query($after: String) { listAnalysisRequests(first: 2, after: $after) { totalCount "
        "edges { cursor node { id prompt tasks { name } result { summary } store { name } } } "
        "pageInfo { hasNextPage hasPreviousPage endCursor } } }";
    std::vector<std::string> seen;
    json::object vars;
    for (int page = 0; page < 3; ++page) {
        const auto r = gql(kList, vars, a.token);
        ASSERT_FALSE(r.as_object().contains("errors")) << json::serialize(r);
        const auto& conn = r.at("data").at("listAnalysisRequests");
        EXPECT_EQ(conn.at("totalCount").as_int64(), 5);
        for (const auto& e : conn.at("edges").as_array()) {
            seen.emplace_back(e.at("node").at("prompt").as_string());
            EXPECT_EQ(e.at("node").at("tasks").as_array().size(), 2U);
        }
        EXPECT_EQ(conn.at("pageInfo").at("hasNextPage").as_bool(), page < 2);
        EXPECT_EQ(conn.at("pageInfo").at("hasPreviousPage").as_bool(), page > 0);
        vars["after"] = conn.at("pageInfo").at("endCursor");
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"question 0", "question 1", "question 2", "question 3", "question 4"}));

    const auto bad = gql("{ listAnalysisRequests(after: \"bm9wZQ\") { totalCount } }", {}, a.token);
    EXPECT_EQ(code_of(bad), "BAD_USER_INPUT");
    const auto big = gql("{ listAnalysisRequests(first: 1000) { totalCount } }", {}, a.token);
    EXPECT_EQ(code_of(big), "BAD_USER_INPUT");
    const auto filtered = gql("{ listAnalysisRequests(status: FAILED) { totalCount } }", {}, a.token);
    EXPECT_EQ(filtered.at("data").at("listAnalysisRequests").at("totalCount").as_int64(), 0);
}

TEST_F(AnalysisTest, ListChildrenAreLoadedInOneQueryPerFieldNotPerItem) {
    const auto a = seed("cid@example.com", 20);
    auto fetches = [&](const std::string& loader) {
        const auto text = http_request(server_->port(), "GET", "/metrics", "", {}).body;
        const std::string key = "alatar_api_loader_fetches_total{loader=\"" + loader + "\"} ";
        const auto at = text.find(key);
        return at == std::string::npos ? 0.0 : std::stod(text.substr(at + key.size()));
    };
    const double tasks_before = fetches("tasks");
    const double stores_before = fetches("stores");
    const auto r =
        gql("{ listAnalysisRequests(first: 20) { edges { node { tasks { name } store { name } } } } }", {}, a.token);
    ASSERT_FALSE(r.as_object().contains("errors")) << json::serialize(r);
    const auto& edges = r.at("data").at("listAnalysisRequests").at("edges").as_array();
    ASSERT_EQ(edges.size(), 20U);
    for (const auto& e : edges) EXPECT_EQ(e.at("node").at("tasks").as_array().size(), 2U);
    EXPECT_EQ(fetches("tasks") - tasks_before, 1.0);
    EXPECT_EQ(fetches("stores") - stores_before, 1.0);
}

TEST_F(AnalysisTest, AnotherUsersObjectsAnswerNotFoundEverywhere) {
    const auto owner = seed("dan@example.com", 1);
    const auto intruder = seed("eve@example.com", 0);
    const auto request_id = encode_id(id_type::kAnalysisRequest, owner.requests.front());
    const auto store_id = encode_id(id_type::kStore, owner.store_uuid);
    const auto proposal_id = encode_id(id_type::kActionProposal, owner.proposal_uuid);
    const auto user_id = encode_id(id_type::kUser, owner.user_uuid);
    const auto missing = encode_id(id_type::kAnalysisRequest, "00000000-0000-4000-8000-000000000000");

    auto expect_not_found = [&](const std::string& query, const json::object& vars) {
        const auto r = gql(query, vars, intruder.token);
        ASSERT_TRUE(r.as_object().contains("errors")) << query << " " << json::serialize(r);
        EXPECT_EQ(code_of(r), "NOT_FOUND") << query;
        EXPECT_EQ(json::serialize(r).find("question"), std::string::npos) << "leaked data: " << json::serialize(r);
    };
    expect_not_found("query($id: ID!) { analysisRequest(id: $id) { prompt } }", {{"id", request_id}});
    expect_not_found("query($id: ID!) { analysisRequest(id: $id) { prompt } }", {{"id", missing}});
    expect_not_found("query($id: ID!) { analysisRequest(id: $id) { prompt } }", {{"id", "garbage"}});
    expect_not_found("query($id: ID!) { actionProposal(id: $id) { title } }", {{"id", proposal_id}});
    for (const auto& id : {request_id, store_id, proposal_id, user_id}) {
        expect_not_found("query($id: ID!) { node(id: $id) { id } }", {{"id", id}});
    }
    expect_not_found("query($id: ID!) { listAnalysisRequests(storeId: $id) { totalCount } }", {{"id", store_id}});
    expect_not_found("mutation($id: ID!) { cancelAnalysisRequest(id: $id) { status } }", {{"id", request_id}});
    expect_not_found("mutation($id: ID!) { submitAnalysisRequest(prompt: \"hi\", storeId: $id) { status } }",
                     {{"id", store_id}});
    // An id of the right shape but the wrong type is not accepted either.
    expect_not_found("query($id: ID!) { analysisRequest(id: $id) { prompt } }", {{"id", store_id}});
    // The intruder's own list does not contain the owner's rows.
    const auto list = gql("{ listAnalysisRequests { totalCount } }", {}, intruder.token);
    EXPECT_EQ(list.at("data").at("listAnalysisRequests").at("totalCount").as_int64(), 0);
    // And the owner still sees everything.
    const auto own = gql("query($id: ID!) { node(id: $id) { ... on AnalysisRequest { prompt } } }",
                         {{"id", request_id}}, owner.token);
    EXPECT_EQ(own.at("data").at("node").at("prompt").as_string(), "question 0");
}

TEST_F(AnalysisTest, EveryIdTakingFieldNeedsASession) {
    const auto owner = seed("fay@example.com", 1);
    const auto request_id = encode_id(id_type::kAnalysisRequest, owner.requests.front());
    for (const std::string q :
         {"query($id: ID!) { analysisRequest(id: $id) { prompt } }", "query($id: ID!) { node(id: $id) { id } }",
          "query($id: ID!) { actionProposal(id: $id) { id } }",
          "mutation($id: ID!) { cancelAnalysisRequest(id: $id) { id } }"}) {
        EXPECT_EQ(code_of(gql(q, {{"id", request_id}})), "UNAUTHENTICATED") << q;
    }
    EXPECT_EQ(code_of(gql("{ listAnalysisRequests { totalCount } }")), "UNAUTHENTICATED");
}

TEST_F(AnalysisTest, SubmitAndCancelGoThroughTheOutbox) {
    const auto a = seed("gus@example.com", 0);
    const auto submitted =
        gql("mutation($s: ID) { submitAnalysisRequest(prompt: \"How were sales last week?\", "
            "storeId: $s) { id status store { shopDomain } } }",
            {{"s", encode_id(id_type::kStore, a.store_uuid)}}, a.token);
    ASSERT_FALSE(submitted.as_object().contains("errors")) << json::serialize(submitted);
    const auto& req = submitted.at("data").at("submitAnalysisRequest");
    EXPECT_EQ(req.at("status").as_string(), "QUEUED");
    EXPECT_EQ(req.at("store").at("shopDomain").as_string(), "gus.myshopify.com");
    EXPECT_GE(sql("SELECT count(*) FROM outbox").scalar<std::int64_t>(), 1);
    const auto cancelled =
        gql("mutation($id: ID!) { cancelAnalysisRequest(id: $id) { status } }", {{"id", req.at("id")}}, a.token);
    EXPECT_EQ(cancelled.at("data").at("cancelAnalysisRequest").at("status").as_string(), "CANCELLED");
    const auto empty = gql("mutation { submitAnalysisRequest(prompt: \"\") { id } }", {}, a.token);
    EXPECT_EQ(code_of(empty), "BAD_USER_INPUT");
}

}  // namespace
}  // namespace alatar::api::test
