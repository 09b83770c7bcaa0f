// minimal-demo: declare a model, create it in an empty SQLite file, and check a
// database against it (the loop strata's upgrader stands on).
#include <strata/strata.hpp>

#include <iostream>

struct User {
    std::int64_t id;
    std::string email;
    std::optional<std::string> name;
    bool active;
    strata::Timestamp created_at;
};

int main(int argc, char** argv)
{
    const std::string url = argc > 1 ? argv[1] : "sqlite:minimal.db";
    strata::Schema app("app");
    app.table<User>("user")
        .column(&User::id, "id").primary_key().autoincrement()
        .column(&User::email, "email").varchar(255).unique()
        .column(&User::name, "name")
        .column(&User::active, "active").default_value(strata::Value{true})
        .column(&User::created_at, "created_at").default_now()
        .index("ix_user_active_email", {"active", "email"});
    try {
        auto db = strata::connect(url);
        strata::validate(app, &db.dialect());
        auto live = db.inspect();
        if (live.tables.empty()) {
            strata::Transaction tx(db.session());
            for (const auto& statement : db.dialect().create_all(app))
                db.session().execute(statement.sql);
            tx.commit();
            std::cout << "created " << app.tables.size() << " table(s) in " << db.url().masked() << "\n";
            live = db.inspect();
        }
        auto differences = strata::compare(live, db.dialect().canonical(app));
        for (const auto& d : differences)
            std::cout << strata::to_text(d, "database", "model") << "\n";
        std::cout << (differences.empty() ? "database matches the model\n" : "database differs from the model\n");
        std::cout << strata::to_mermaid(live);
        return differences.empty() ? 0 : 3;
    } catch (const strata::Error& e) {
        std::cerr << "minimal-demo: " << e.what() << "\n";
        return e.code() == strata::ErrorCode::model_invalid ? 2 : 1;
    }
}
