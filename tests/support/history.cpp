// A ten-step history mixing every op kind, with the models it ends at.
#include "history.hpp"

#include <chrono>
#include <fstream>
#include <thread>

namespace strata::test {

namespace {

Column column(ColumnSpec spec)
{
    return spec;
}

void sleep_with_marker(int ms, const std::string& marker)
{
    if (!marker.empty())
        std::ofstream(marker) << "started\n";
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace

Schema history_models()
{
    Schema s("app");
    s.table("user")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::string>("email").varchar(255).unique()
        .column<std::optional<std::string>>("display_name").varchar(80)
        .column<bool>("active").default_value(Value{true})
        .column<Timestamp>("created_at").default_now()
        .index("ix_user_active_email", {"active", "email"}, IndexOptions{.where = "active"});
    s.table("account")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::string>("name").check("length(name) > 0", "ck_account_name")
        .column<std::optional<std::int64_t>>("owner_id").references("user", "id", FkAction::set_null);
    s.table<Setting>("setting")
        .column(&Setting::id, "id").primary_key().autoincrement()
        .column(&Setting::key, "key").varchar(50).unique()
        .column(&Setting::value, "value");
    s.table("membership")
        .column<std::int64_t>("user_id").references("user", "id", FkAction::cascade)
        .column<std::int64_t>("account_id").references("account", "id", FkAction::cascade)
        .column<std::string>("role").default_value("member").enum_values({"member", "admin"})
        .primary_key({"user_id", "account_id"});
    s.table("audit_log")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::string>("what");
    s.view("active_user", "SELECT id, email FROM \"user\" WHERE active");
    return s;
}

void declare_history(Upgrader& upgrader, const std::string& name, Database database, const HistoryOptions& o)
{
    auto b = upgrader.bind(name, std::move(database), history_models());
    const Column manager = column(col::bigint("manager_id").nullable());
    const ForeignKey manager_fk{"fk_user_manager_id_user", {"manager_id"}, "user", {"id"}};
    const Index active_ix{"ix_user_active", {IndexElement("active")}, false, {}, {}};
    const UniqueConstraint account_name{"uq_account_name", {"name"}};
    const Column legacy = column(col::integer("legacy_flag").default_value(0));
    const CheckConstraint setting_key{"ck_setting_key", "length(key) > 0"};
    auto steps = std::vector<std::function<void()>>{
        [&] {
            b.step(1, "users", [&](Ops& ops) {
                ops.create_table(table("user")
                                     .column(col::bigint("id").autoincrement())
                                     .column(col::varchar("email", 100))
                                     .column(col::varchar("name", 80).nullable())
                                     .column(col::boolean("active").default_value(Value{true}))
                                     .primary_key({"id"})
                                     .unique({"email"}));
            });
        },
        [&] {
            // Named as the table will be called after step 7: constraint names stay when a table is renamed.
            b.step(2, "teams and notes", [&](Ops& ops) {
                ops.create_table(table("team")
                                     .column(col::bigint("id").autoincrement())
                                     .column(col::text("name"))
                                     .column(legacy)
                                     .primary_key({"id"}, "pk_account"));
                ops.create_table(table("legacy_notes").column(col::bigint("id")).column(col::text("body")).primary_key({"id"}));
            });
        },
        [&] {
            b.step(3, "user created_at, manager and active index", [&](Ops& ops) {
                ops.add_column("user", col::timestamptz("created_at").default_now());
                ops.add_column("user", manager);
                ops.add_foreign_key("user", manager_fk);
                ops.create_index("user", active_ix);
            });
        },
        [&] {
            b.step(4, "settings", [&](Ops& ops) {
                ops.create_table(table("setting")
                                     .column(col::bigint("id").autoincrement())
                                     .column(col::varchar("key", 50))
                                     .column(col::text("value"))
                                     .primary_key({"id"})
                                     .unique({"key"}));
                ops.add_check("setting", setting_key);
            });
        },
        [&] {
            b.step(5, "default settings",
                   data("seed-1",
                        [o](Session& s) {
                            if (o.fresh_sleep_ms > 0)
                                sleep_with_marker(o.fresh_sleep_ms, o.marker_file);
                            s.insert(Setting{0, "theme", "light"});
                            s.insert(Setting{0, "lang", "en"});
                        },
                        [](Session& s) { s.execute("DELETE FROM \"setting\" WHERE \"key\" IN (?, ?)", {std::string("theme"), std::string("lang")}); }))
                .on_fresh();
        },
        [&] {
            b.step(6, "longer emails, display names", [&](Ops& ops) {
                ops.alter_column("user", col::varchar("email", 100), col::varchar("email", 255));
                ops.rename_column("user", "name", "display_name");
            });
        },
        [&] {
            b.step(7, "teams become accounts", [&](Ops& ops) {
                ops.rename_table("team", "account");
                ops.add_column("account", col::bigint("owner_id").nullable());
                ops.add_foreign_key("account", ForeignKey{"", {"owner_id"}, "user", {"id"}, FkAction::set_null});
                ops.add_check("account", CheckConstraint{"ck_account_name", "length(name) > 0"});
                ops.add_unique("account", account_name);
            });
        },
        [&] {
            b.step(8, "upper-case language codes", [&](Ops& ops) {
                ops.execute("UPDATE \"setting\" SET \"value\" = upper(\"value\") WHERE \"key\" = 'lang'",
                            "UPDATE \"setting\" SET \"value\" = lower(\"value\") WHERE \"key\" = 'lang'");
            }).on_fresh();
        },
        [&] {
            b.step(9, "memberships and audit log", [&](Ops& ops) {
                ops.create_table(table("membership")
                                     .column(col::bigint("user_id"))
                                     .column(col::bigint("account_id"))
                                     .column(col::text("role").default_value("member"))
                                     .primary_key({"user_id", "account_id"})
                                     .foreign_key({"user_id"}, "user", {"id"}, FkAction::cascade)
                                     .foreign_key({"account_id"}, "account", {"id"}, FkAction::cascade)
                                     .check("\"role\" IN ('member', 'admin')", "ck_membership_role"));
                ops.create_table(table("audit_log").column(col::bigint("id").autoincrement()).column(col::text("what")).primary_key({"id"}));
                ops.drop_table("legacy_notes", table("legacy_notes").column(col::bigint("id")).column(col::text("body")).primary_key({"id"}));
            });
        },
        [&] {
            b.step(10, "tidy up: indexes, constraints, a view", [&](Ops& ops) {
                ops.drop_foreign_key("user", manager_fk.name, manager_fk);
                ops.drop_column("user", "manager_id", manager);
                ops.drop_index("user", active_ix.name, active_ix);
                ops.create_index("user", Index{"ix_user_active_email", {IndexElement("active"), IndexElement("email")}, false, "active", {}});
                ops.drop_unique("account", account_name.name, account_name);
                ops.drop_column("account", "legacy_flag", legacy);
                ops.drop_check("setting", setting_key.name, setting_key);
                ops.create_view("active_user", "SELECT id, email FROM \"user\" WHERE active");
            });
        },
    };
    for (long long v = 0; v < o.steps && v < static_cast<long long>(steps.size()); ++v)
        steps[static_cast<std::size_t>(v)]();
    if (o.step_sleep_ms > 0) {
        b.step(11, "a long data step", data("sleep-1", [o](Session& s) {
               sleep_with_marker(o.step_sleep_ms, o.marker_file);
               s.execute("INSERT INTO \"audit_log\" (\"what\") VALUES ('long step done')");
           })).covered_by_model();
    } else if (o.break_step_11) {
        b.step(11, "a step that fails", [](Ops& ops) {
            ops.add_column("audit_log", col::text("detail").nullable());
            ops.execute("INSERT INTO \"no_such_table\" VALUES (1)");
        }).covered_by_model();
    }
}

long long count_rows(Database& db, const std::string& table)
{
    return std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM " + db.dialect().quote(table)));
}

}  // namespace strata::test
