#include "common/config.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/crypto.hpp"

namespace alatar {
namespace {

using namespace std::chrono_literals;

// A TOML file in the temp directory, removed again at scope exit.
class TempToml {
  public:
    explicit TempToml(const std::string& text)
        : path_(std::filesystem::temp_directory_path() / ("alatar-config-" + crypto::random_token(9) + ".toml")) {
        std::ofstream{path_} << text;
    }
    ~TempToml() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    TempToml(const TempToml&) = delete;
    TempToml& operator=(const TempToml&) = delete;
    std::string path() const { return path_.string(); }

  private:
    std::filesystem::path path_;
};

// Runs Config::load expecting a ConfigError; returns its message.
std::string load_error(const ConfigSources& sources) {
    try {
        (void)Config::load(sources);
    } catch (const ConfigError& e) {
        return e.what();
    }
    ADD_FAILURE() << "Config::load succeeded";
    return {};
}

TEST(ConfigTest, Defaults) {
    const Config c = Config::defaults();
    EXPECT_EQ(c.listen, "127.0.0.1:8080");
    EXPECT_EQ(c.database_url, "postgresql://127.0.0.1:5432/alatar");
    EXPECT_EQ(c.amqp_url, "amqp://guest:guest@127.0.0.1:5672/");
    EXPECT_EQ(c.log_level, LogLevel::kInfo);
    EXPECT_EQ(c.io_threads, 0);
    EXPECT_EQ(c.db_pool_size, 8);
    EXPECT_EQ(c.db_call_timeout, 5s);
    EXPECT_EQ(c.mode, Mode::kDevelopment);
    EXPECT_EQ(c.shopify_shop_url, "https://{shop}");
    EXPECT_EQ(c.shopify_api_version, "2026-01");
    EXPECT_EQ(c.shopify_scopes.size(), 7U);
    EXPECT_EQ(c.shopify_scopes.front(), "read_orders");
    EXPECT_EQ(c.shopify_scopes.back(), "write_inventory");
    EXPECT_EQ(c.shopify_shop_suffix, ".myshopify.com");
    EXPECT_TRUE(c.master_key.empty());
    EXPECT_EQ(c.llm_base_url, "https://openrouter.ai/api/v1");
    EXPECT_TRUE(c.llm_models.empty());
    EXPECT_EQ(c.cache_ttl, 15min);
    EXPECT_EQ(c.public_url, "http://127.0.0.1:8080");
    EXPECT_EQ(c.max_body_bytes, 1048576);
    EXPECT_EQ(c.request_timeout, 30s);
    EXPECT_FALSE(c.trust_proxy);
    EXPECT_EQ(Config::load({}), c);
}

TEST(ConfigTest, PrecedenceDefaultFileEnv) {
    const TempToml file{R"(
listen = "0.0.0.0:9000"
db_pool_size = 16
cache_ttl = "30s"
llm_models = ["a/model", "b/model"]
log_level = "debug"
)"};
    ConfigSources sources{file.path(), {{"ALATAR_DB_POOL_SIZE", "32"}, {"ALATAR_LLM_MODELS", "x/one, y/two,z"}}};
    const Config c = Config::load(sources);
    EXPECT_EQ(c.listen, "0.0.0.0:9000");                                         // file over default
    EXPECT_EQ(c.db_pool_size, 32);                                               // env over file
    EXPECT_EQ(c.cache_ttl, 30s);                                                 // file
    EXPECT_EQ(c.llm_models, (std::vector<std::string>{"x/one", "y/two", "z"}));  // env list syntax
    EXPECT_EQ(c.log_level, LogLevel::kDebug);
    EXPECT_EQ(c.request_timeout, 30s);  // default untouched
}

TEST(ConfigTest, FileFromAlatarConfigVariable) {
    const TempToml file{"io_threads = 3\n"};
    const Config c = Config::load({std::nullopt, {{"ALATAR_CONFIG", file.path()}}});
    EXPECT_EQ(c.io_threads, 3);
    EXPECT_NE(load_error({std::nullopt, {{"ALATAR_CONFIG", file.path() + ".missing"}}}).find(".missing"),
              std::string::npos);
}

TEST(ConfigTest, ArgsGiveTheFile) {
    const std::string_view args1[] = {"--port", "1", "--config", "/etc/alatar.toml"};
    EXPECT_EQ(ConfigSources::from_args(args1).file, "/etc/alatar.toml");
    const std::string_view args2[] = {"--config=/x.toml"};
    EXPECT_EQ(ConfigSources::from_args(args2).file, "/x.toml");
    const std::string_view args3[] = {"--config"};
    EXPECT_THROW((void)ConfigSources::from_args(args3), ConfigError);
}

TEST(ConfigTest, UnknownKeyInFileNamesKeyAndLine) {
    const TempToml file{"listen = \"127.0.0.1:1\"\n\nlisten_port = 80\n"};
    const std::string err = load_error({file.path(), {}});
    EXPECT_NE(err.find("listen_port"), std::string::npos) << err;
    EXPECT_NE(err.find(file.path() + ":3"), std::string::npos) << err;
    const TempToml typo{"db_pool_sise = 4\n"};
    EXPECT_NE(load_error({typo.path(), {}}).find("did you mean 'db_pool_size'"), std::string::npos);
}

TEST(ConfigTest, NestedTablesAreRejected) {
    const TempToml file{"[server]\nio_threads = 2\n"};
    EXPECT_NE(load_error({file.path(), {}}).find("server"), std::string::npos);
}

TEST(ConfigTest, UnknownEnvVariableNamesIt) {
    const std::string err = load_error({std::nullopt, {{"ALATAR_LISTN", "127.0.0.1:1"}}});
    EXPECT_NE(err.find("ALATAR_LISTN"), std::string::npos) << err;
    EXPECT_NE(err.find("did you mean 'listen'"), std::string::npos) << err;
    EXPECT_EQ(load_error({std::nullopt, {{"ALATAR_COMPLETELY_DIFFERENT", "1"}}}).find("did you mean"),
              std::string::npos);
    // Allow-listed names are not configuration keys and are ignored.
    EXPECT_NO_THROW((void)Config::load({std::nullopt,
                                        {{"ALATAR_TEST_DATABASE_URL", "x"},
                                         {"ALATAR_TEST_AMQP_URL", "y"},
                                         {"ALATAR_SIM_LISTEN", "z"},
                                         {"OTHER", "w"}}}));
}

TEST(ConfigTest, MalformedValuesNameKeyAndSource) {
    struct Case {
        const char* env;
        const char* value;
    };
    for (const Case& c :
         {Case{"ALATAR_IO_THREADS", "four"}, Case{"ALATAR_IO_THREADS", "4x"}, Case{"ALATAR_IO_THREADS", "5000"},
          Case{"ALATAR_DB_POOL_SIZE", "0"}, Case{"ALATAR_DB_CALL_TIMEOUT", "5 parsecs"},
          Case{"ALATAR_CACHE_TTL", "-5s"}, Case{"ALATAR_REQUEST_TIMEOUT", "0"}, Case{"ALATAR_TRUST_PROXY", "maybe"},
          Case{"ALATAR_LOG_LEVEL", "loud"}, Case{"ALATAR_MODE", "staging"}, Case{"ALATAR_LISTEN", "localhost"},
          Case{"ALATAR_LISTEN", "h:99999"}, Case{"ALATAR_DATABASE_URL", "mysql://x"},
          Case{"ALATAR_SHOPIFY_SHOP_URL", "https://x"}, Case{"ALATAR_SHOPIFY_SCOPES", "read_orders,Read Products"},
          Case{"ALATAR_MASTER_KEY", "too-short"}}) {
        const std::string err = load_error({std::nullopt, {{c.env, c.value}}});
        EXPECT_NE(err.find(std::string{"env "} + c.env), std::string::npos) << err;
    }
    const TempToml file{"\nio_threads = \"two\"\n"};
    const std::string err = load_error({file.path(), {}});
    EXPECT_NE(err.find("io_threads"), std::string::npos) << err;
    EXPECT_NE(err.find(file.path() + ":2"), std::string::npos) << err;
    const TempToml bool_file{"trust_proxy = \"yes please\"\n"};
    EXPECT_NE(load_error({bool_file.path(), {}}).find("trust_proxy"), std::string::npos);
    const TempToml bad_toml{"listen = \n"};
    EXPECT_NE(load_error({bad_toml.path(), {}}).find(bad_toml.path()), std::string::npos);
}

TEST(ConfigTest, ValueTypesFromEnv) {
    const Config c = Config::load({std::nullopt,
                                   {{"ALATAR_TRUST_PROXY", "yes"},
                                    {"ALATAR_CACHE_TTL", "1h30m"},
                                    {"ALATAR_DB_CALL_TIMEOUT", "250"},
                                    {"ALATAR_MODE", "Production"},
                                    {"ALATAR_MASTER_KEY", crypto::Keyring::generate_key_base64()},
                                    {"ALATAR_SHOPIFY_SCOPES", ""}}});
    EXPECT_TRUE(c.trust_proxy);
    EXPECT_EQ(c.cache_ttl, 90min);
    EXPECT_EQ(c.db_call_timeout, 250ms);
    EXPECT_TRUE(c.production());
    EXPECT_TRUE(c.shopify_scopes.empty());
}

TEST(ConfigTest, ProductionRequiresMasterKey) {
    const std::string err = load_error({std::nullopt, {{"ALATAR_MODE", "production"}}});
    EXPECT_NE(err.find("master_key"), std::string::npos) << err;
}

TEST(ConfigTest, SecretsInFileAreRejected) {
    for (const char* key : {"master_key", "shopify_api_key", "shopify_api_secret", "llm_api_key"}) {
        const TempToml file{std::string{key} + " = \"value-that-must-not-leak\"\n"};
        const std::string err = load_error({file.path(), {}});
        EXPECT_NE(err.find(key), std::string::npos) << err;
        EXPECT_EQ(err.find("value-that-must-not-leak"), std::string::npos) << err;
    }
    const TempToml db{"database_url = \"postgresql://alatar:pw-not-leaked@db/alatar\"\n"};
    std::string err = load_error({db.path(), {}});
    EXPECT_NE(err.find("database_url"), std::string::npos) << err;
    EXPECT_EQ(err.find("pw-not-leaked"), std::string::npos) << err;
    const TempToml mq{"amqp_url = \"amqp://u:p@mq:5672/\"\n"};
    EXPECT_NE(load_error({mq.path(), {}}).find("amqp_url"), std::string::npos);
    // A URL with a user but no password is fine in the file; the same secrets are fine from the environment.
    const TempToml user_only{"database_url = \"postgresql://alatar@db/alatar\"\n"};
    const Config c = Config::load(
        {user_only.path(), {{"ALATAR_LLM_API_KEY", "sk-from-env"}, {"ALATAR_AMQP_URL", "amqp://u:p@mq:5672/"}}});
    EXPECT_EQ(c.database_url, "postgresql://alatar@db/alatar");
    EXPECT_EQ(c.llm_api_key, "sk-from-env");
    EXPECT_EQ(c.amqp_url, "amqp://u:p@mq:5672/");
}

TEST(ConfigTest, SecretsFromFilesNamedByEnv) {
    const std::string key = crypto::Keyring::generate_key_base64();
    const TempToml key_file{key + "\n"};  // any extension works; content is the secret
    const TempToml url_file{"postgresql://alatar:pw@db/alatar\n"};
    const Config c = Config::load(
        {std::nullopt, {{"ALATAR_MASTER_KEY_FILE", key_file.path()}, {"ALATAR_DATABASE_URL_FILE", url_file.path()}}});
    EXPECT_EQ(c.master_key, key);
    EXPECT_EQ(c.database_url, "postgresql://alatar:pw@db/alatar");
    // Both forms at once are ambiguous; a missing file is named by its variable; public keys have no _FILE form.
    EXPECT_NE(load_error({std::nullopt, {{"ALATAR_MASTER_KEY_FILE", key_file.path()}, {"ALATAR_MASTER_KEY", key}}})
                  .find("ALATAR_MASTER_KEY_FILE"),
              std::string::npos);
    EXPECT_NE(load_error({std::nullopt, {{"ALATAR_LLM_API_KEY_FILE", key_file.path() + ".missing"}}})
                  .find("ALATAR_LLM_API_KEY_FILE"),
              std::string::npos);
    EXPECT_NE(load_error({std::nullopt, {{"ALATAR_LISTEN_FILE", key_file.path()}}}).find("ALATAR_LISTEN_FILE"),
              std::string::npos);
    const TempToml bad_key{"not-a-key\n"};
    EXPECT_NE(load_error({std::nullopt, {{"ALATAR_MASTER_KEY_FILE", bad_key.path()}}}).find("master_key"),
              std::string::npos);
}

TEST(ConfigTest, RedactedJsonHidesSecrets) {
    const std::string key = crypto::Keyring::generate_key_base64();
    const Config c = Config::load({std::nullopt,
                                   {{"ALATAR_MASTER_KEY", key},
                                    {"ALATAR_LLM_API_KEY", "sk-or-v1-abcdefghijklmnop"},
                                    {"ALATAR_SHOPIFY_API_SECRET", "shpss_abcdefabcdef"},
                                    {"ALATAR_DATABASE_URL", "postgresql://alatar:dbpass123@db:5432/alatar"}}});
    const std::string json = c.redacted_json();
    for (const std::string& secret : {key, std::string{"abcdefghijklmnop"}, std::string{"abcdefabcdef"},
                                      std::string{"dbpass123"}, std::string{"guest:guest"}}) {
        EXPECT_EQ(json.find(secret), std::string::npos) << secret << " in " << json;
    }
    const auto obj = boost::json::parse(json).as_object();
    EXPECT_EQ(obj.at("master_key").as_string(), "***");
    EXPECT_EQ(obj.at("llm_api_key").as_string(), "***");
    EXPECT_EQ(obj.at("shopify_api_key").as_string(), "");  // unset
    EXPECT_EQ(obj.at("database_url").as_string(), "postgresql://alatar:***@db:5432/alatar");
    EXPECT_EQ(obj.at("cache_ttl").as_string(), "15m");
    EXPECT_EQ(obj.at("log_level").as_string(), "INFO");
    EXPECT_EQ(obj.at("shopify_scopes").as_array().size(), 7U);
    EXPECT_EQ(obj.size(), config_key_names().size());
}

TEST(ConfigTest, ExampleFileParsesAndEqualsDefaults) {
    const std::string path = ALATAR_EXAMPLE_CONFIG;
    EXPECT_EQ(Config::load({path, {}}), Config::defaults());
    std::ifstream in{path};
    ASSERT_TRUE(in.good()) << path;
    const std::string text{std::istreambuf_iterator<char>{in}, {}};
    for (auto key : config_key_names()) {
        if (is_secret_config_key(key)) {
            EXPECT_EQ(text.find("\n" + std::string{key} + " ="), std::string::npos) << key;
        } else {
            EXPECT_NE(text.find(std::string{key} + " = "), std::string::npos) << "undocumented key " << key;
        }
    }
}

TEST(DurationTest, ParseAndFormat) {
    EXPECT_EQ(parse_duration("15m"), 15min);
    EXPECT_EQ(parse_duration("30s"), 30s);
    EXPECT_EQ(parse_duration("250ms"), 250ms);
    EXPECT_EQ(parse_duration("2h"), 2h);
    EXPECT_EQ(parse_duration("1d"), 24h);
    EXPECT_EQ(parse_duration("1m30s"), 90s);
    EXPECT_EQ(parse_duration("1500"), 1500ms);
    EXPECT_EQ(parse_duration(" 0 "), 0ms);
    for (const char* bad : {"", "s", "5x", "-5s", "5 s", "1.5s", "99999999999999999999d", "5sm"}) {
        EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
    }
    for (auto d : {0ms, 250ms, 1500ms, 30000ms, 900000ms, 7200000ms, 86400000ms}) {
        EXPECT_EQ(parse_duration(format_duration(d)), d);
    }
    EXPECT_EQ(format_duration(900000ms), "15m");
}

TEST(BoolTest, Parse) {
    for (const char* t : {"true", "TRUE", "1", "yes", "on"}) EXPECT_EQ(parse_bool(t), true) << t;
    for (const char* f : {"false", "0", "no", "Off"}) EXPECT_EQ(parse_bool(f), false) << f;
    for (const char* bad : {"", "2", "truthy"}) EXPECT_FALSE(parse_bool(bad).has_value()) << bad;
}

}  // namespace
}  // namespace alatar
