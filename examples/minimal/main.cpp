// minimal-demo: one bind, its models and two steps; run() sets an empty database
// up from the models, upgrades an older one, and leaves one at head alone.
//   minimal-demo [--bind app=URL]                 start (default sqlite:minimal.db)
//   minimal-demo [--bind app=URL] db <command>    the strata commands: status, history, verify, ...
#include <strata/cli.hpp>
#include <strata/strata.hpp>

struct User {
    std::int64_t id;
    std::string email;
    std::optional<std::string> name;  // std::optional: NULL allowed
};

namespace {

strata::Upgrader make_upgrader(const strata::cli::Environment& env)
{
    strata::Schema app("app");  // the models: the schema at head
    app.table<User>("user")
        .column(&User::id, "id").primary_key().autoincrement()
        .column(&User::email, "email").varchar(255).unique()
        .column(&User::name, "name");

    strata::Upgrader up;
    auto b = up.bind("app", strata::defer_connect(env.url("app")), app);
    // Steps are frozen: each spells out what it creates and never reads the models.
    b.step(1, "users", [](strata::Ops& o) {
        o.create_table(strata::table("user")
                           .column(strata::col::bigint("id").autoincrement())
                           .column(strata::col::varchar("email", 255))
                           .primary_key({"id"})
                           .unique({"email"}));
    });
    b.step(2, "user names", [](strata::Ops& o) { o.add_column("user", strata::col::text("name").nullable()); });
    return up;
}

}  // namespace

int main(int argc, char** argv)
{
    strata::cli::Config defaults;
    defaults.default_env = "local";
    defaults.environments["local"] = {{"app", "sqlite:minimal.db"}};
    return strata::cli::app_main(argc, argv, make_upgrader, defaults);
}
