// The crash tests' chain.
#include "crash_chain.hpp"

namespace strata::test {

Schema crash_chain_models()
{
    Schema s("app");
    s.table("item")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::string>("name")
        .column<std::int64_t>("qty").default_value(0)
        .column<std::optional<std::string>>("note")
        .index("ix_item_name", {"name"});
    s.table("event")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::string>("what");
    s.table("tag")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::string>("label").unique();
    return s;
}

void declare_crash_chain(Upgrader& upgrader, const std::string& name, Database database, long long steps)
{
    auto b = upgrader.bind(name, std::move(database), crash_chain_models());
    if (steps >= 1)
        b.step(1, "items and events", [](Ops& o) {
            o.create_table(table("item")
                               .column(col::bigint("id").autoincrement())
                               .column(col::text("name"))
                               .column(col::integer("qty").default_value(0))
                               .primary_key({"id"}));
            o.create_table(table("event").column(col::bigint("id").autoincrement()).column(col::text("what")).primary_key({"id"}));
        });
    if (steps >= 2)
        b.step(2, "item notes", [](Ops& o) { o.add_column("item", col::text("note").nullable()); });
    if (steps >= 3)
        b.step(3, "bigger quantities", [](Ops& o) {
            o.alter_column("item", col::integer("qty").default_value(0), col::bigint("qty").default_value(0));
        });
    if (steps >= 4)
        b.step(4, "the first event", data("event-1", [](Session& s) {
             s.execute("INSERT INTO event (what) VALUES (?)", "step 4");
         })).on_fresh();
    if (steps >= 5)
        b.step(5, "items by name", [](Ops& o) {
             o.create_index("item", Index{"ix_item_name", {IndexElement("name")}}, true);
         }).no_transaction();
    if (steps >= 6)
        b.step(6, "tags", [](Ops& o) {
            o.create_table(table("tag").column(col::bigint("id").autoincrement()).column(col::text("label")).primary_key({"id"}).unique({"label"}));
        });
}

}  // namespace strata::test
