// A consumer of strata: declares a model, creates it in SQLite, reads it back.
// Built against an installed strata (find_package) and through add_subdirectory.
#include <strata/strata.hpp>
#include <strata/soci.hpp>

#include <iostream>

struct Note {
    std::int64_t id;
    std::string text;
    std::optional<std::string> author;
};

int main()
{
    strata::Schema app("app");
    app.table<Note>("note")
        .column(&Note::id, "id").primary_key().autoincrement()
        .column(&Note::text, "text")
        .column(&Note::author, "author").varchar(80);
    auto db = strata::connect("sqlite::memory:");
    strata::validate(app, &db.dialect());
    for (const auto& s : db.dialect().create_all(app))
        db.session().execute(s.sql);
    auto differences = strata::compare(db.dialect().canonical(app), db.inspect());
    // The raw SOCI session shares the connection.
    int count = -1;
    strata::soci_session(db.session()) << "SELECT count(*) FROM note", soci::into(count);
    if (!differences.empty() || count != 0) {
        std::cerr << "consumer: unexpected result\n";
        return 1;
    }
    std::cout << "consumer: ok with " << strata::dialects().size() << " dialects\n";
    return strata::dialects().size() >= 1 ? 0 : 1;
}
