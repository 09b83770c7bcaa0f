// minimal-demo: one bind, its models and two steps; run() sets an empty database
// up from the models, upgrades an older one, and leaves one at head alone.
//   minimal-demo [URL]                 start (default sqlite:minimal.db)
//   minimal-demo [URL] db <command>    the strata commands: status, history, verify, ...
#include <strata/cli.hpp>
#include <strata/strata.hpp>


#include <iostream>

struct User {
    std::int64_t id;
    std::string email;
    std::optional<std::string> name;  // std::optional: NULL allowed
};

namespace {

strata::Upgrader make_upgrader(const std::string& url)
{
    strata::Schema app("app");  // the models: the schema at head
    app.table<User>("user")
        .column(&User::id, "id").primary_key().autoincrement()
        .column(&User::email, "email").varchar(255).unique()
        .column(&User::name, "name");

    strata::Upgrader up;
    auto b = up.bind("app", strata::defer_connect(url), app);
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
    int first = 1;  // argv[first]: "db" or nothing
    std::string url = "sqlite:minimal.db";
    if (argc > 1 && std::string(argv[1]) != "db") {
        url = argv[1];
        first = 2;
    }
    try {
        auto up = make_upgrader(url);
        if (argc > first && std::string(argv[first]) == "db")
            return strata::cli::main(argc - first, argv + first, up, "minimal-demo db");
        for (const auto& b : up.run().binds)
            std::cout << b.bind << ": " << b.action << " at version " << b.to << "\n";
        return 0;
    } catch (const strata::Error& e) {
        std::cerr << "minimal-demo: " << e.what() << "\n";
        return strata::cli::exit_code(e);
    }
}
