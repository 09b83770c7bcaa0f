// Soseki's history as strata steps. Each step is frozen: it spells out what it
// creates and never reads the models above, which describe only the head.
// Soseki's SSKUpgrader kept one counter for both databases and a hand-kept skip
// list; here each bind has its own numbers and the skip list follows from the steps.
#include "models.hpp"

namespace soseki {

using namespace strata;

namespace {

Column created() { return col::timestamptz("created").nullable().default_now(); }
Column updated() { return col::timestamptz("updated").nullable(); }

void seed_users(Session& s)
{
    // Frozen SQL, not the head struct mapping: this step must work on the table
    // as step 1 made it, whatever later steps add.
    const char* user = "INSERT INTO \"user\" (\"username\", \"email\", \"password\", \"is_active\") VALUES (?, ?, ?, ?)";
    s.execute(user, {std::string("admin"), std::string("admin@soseki.invalid"), std::string("!locked"), true});
    s.execute(user, {std::string("free"), std::string("free@soseki.invalid"), std::string("!locked"), true});
    for (const char* role : {"admin", "free", "pro"})
        s.execute("INSERT INTO \"role\" (\"name\") VALUES (?)", {std::string(role)});
    s.execute("INSERT INTO \"user_roles\" (\"user_id\", \"role_id\") SELECT u.\"id\", r.\"id\" FROM \"user\" u, \"role\" r "
              "WHERE u.\"username\" = r.\"name\"");
    s.execute("INSERT INTO \"apikey\" (\"user_id\", \"key\") SELECT \"id\", ? FROM \"user\" WHERE \"username\" = 'admin'",
              {std::string("admin-api-key-change-me")});
    const char* setting = "INSERT INTO \"setting\" (\"user_id\", \"key\", \"type\", \"value\", \"is_global\", \"desc\") "
                          "SELECT \"id\", ?, ?, ?, ?, ? FROM \"user\" WHERE \"username\" = 'admin'";
    s.execute(setting, {std::string("SITE_NAME"), std::string("str"), std::string("Soseki"), true, std::string("site title")});
    s.execute(setting, {std::string("SIGNUP_ON"), std::string("bool"), std::string("true"), true, std::string("new users may sign up")});
    s.execute(setting, {std::string("API_ON"), std::string("bool"), std::string("true"), true, std::string("the API answers")});
    s.execute(setting, {std::string("MAINT_ON"), std::string("bool"), std::string("false"), true, std::string("maintenance mode")});
}

void unseed_users(Session& s)
{
    s.execute("DELETE FROM \"setting\" WHERE \"key\" IN ('SITE_NAME', 'SIGNUP_ON', 'API_ON', 'MAINT_ON')");
    s.execute("DELETE FROM \"apikey\" WHERE \"key\" = 'admin-api-key-change-me'");
    s.execute("DELETE FROM \"user_roles\"");
    s.execute("DELETE FROM \"role\" WHERE \"name\" IN ('admin', 'free', 'pro')");
    s.execute("DELETE FROM \"user\" WHERE \"username\" IN ('admin', 'free')");
}

void seed_subscriptions(Session& s)
{
    s.execute("INSERT INTO \"user\" (\"username\", \"email\", \"password\", \"is_active\") VALUES (?, ?, ?, ?)",
              {std::string("pro"), std::string("pro@soseki.invalid"), std::string("!locked"), true});
    s.execute("INSERT INTO \"subs\" (\"name\", \"price\") VALUES (?, ?), (?, ?)",
              {std::string("FREE_SUB"), 0.0, std::string("PRO_SUB"), 9.99});
    s.execute("INSERT INTO \"user_subs\" (\"user_id\", \"subs_id\") SELECT u.\"id\", s.\"id\" FROM \"user\" u, \"subs\" s "
              "WHERE (u.\"username\" = 'free' AND s.\"name\" = 'FREE_SUB') OR (u.\"username\" = 'pro' AND s.\"name\" = 'PRO_SUB')");
}

void unseed_subscriptions(Session& s)
{
    s.execute("DELETE FROM \"user_subs\"");
    s.execute("DELETE FROM \"subs\" WHERE \"name\" IN ('FREE_SUB', 'PRO_SUB')");
    s.execute("DELETE FROM \"user\" WHERE \"username\" = 'pro'");
}

}  // namespace

void app_steps(BindBuilder& b)
{
    b.step(1, "users, roles, jobs, settings, API keys, audit, contacts", [](Ops& o) {
        o.create_table(table("user")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("username", 80).nullable())
                           .column(col::boolean("is_active").default_value(true))
                           .column(col::varchar("email", 255).nullable())
                           .column(col::timestamp("confirmed_at").nullable())
                           .column(col::boolean("loggedin").default_value(false))
                           .column(col::varchar("password", 255))
                           .column(created())
                           .column(updated())
                           .column(col::timestamptz("last_login").nullable())
                           .column(col::timestamptz("last_access").nullable())
                           .column(col::integer("num_of_logins").default_value(0))
                           .column(col::varchar("first_name", 50).nullable())
                           .column(col::varchar("last_name", 50).nullable())
                           .primary_key({"id"})
                           .unique({"username"})
                           .unique({"email"}));
        o.create_table(table("role")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("name", 50).nullable())
                           .column(col::boolean("is_active").nullable().default_value(true))
                           .column(created())
                           .column(updated())
                           .primary_key({"id"})
                           .unique({"name"}));
        o.create_table(table("user_roles")
                           .column(col::integer("user_id"))
                           .column(col::integer("role_id"))
                           .column(created())
                           .column(updated())
                           .primary_key({"user_id", "role_id"})
                           .foreign_key({"user_id"}, "user", {"id"})
                           .foreign_key({"role_id"}, "role", {"id"}));
        o.create_table(table("user_invitations")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("email", 255))
                           .column(col::integer("invited_by_user_id").nullable())
                           .primary_key({"id"})
                           .foreign_key({"invited_by_user_id"}, "user", {"id"}));
        o.create_table(table("job")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("task_id", 50))
                           .column(col::varchar("name", 25))
                           .column(col::varchar("action", 50))
                           .column(col::varchar("status", 50))
                           .column(col::varchar("logfile", 50).nullable())
                           .column(col::integer("progress").nullable())
                           .column(col::integer("user_id").nullable())
                           .column(created())
                           .column(col::timestamptz("started").nullable())
                           .column(col::timestamptz("done").nullable())
                           .primary_key({"id"})
                           .foreign_key({"user_id"}, "user", {"id"}, FkAction::cascade));
        o.create_table(table("setting")
                           .column(col::integer("id").autoincrement())
                           .column(col::integer("user_id").nullable())
                           .column(col::varchar("key", 50))
                           .column(col::varchar("type", 10))
                           .column(col::varchar("value", 100))
                           .column(col::boolean("is_global").default_value(false))
                           .column(col::varchar("desc", 250).nullable())
                           .column(updated())
                           .column(created())
                           .primary_key({"id"})
                           .foreign_key({"user_id"}, "user", {"id"}));
        o.create_table(table("apikey")
                           .column(col::integer("id").autoincrement())
                           .column(col::integer("user_id").nullable())
                           .column(col::boolean("is_active").default_value(true))
                           .column(col::varchar("key", 50))
                           .column(updated())
                           .column(created())
                           .primary_key({"id"})
                           .unique({"key"})
                           .foreign_key({"user_id"}, "user", {"id"}));
        o.create_table(table("audit")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("by_user", 255).nullable())
                           .column(col::varchar("category", 10).nullable())
                           .column(col::varchar("description", 250))
                           .column(col::varchar("status", 10).nullable())
                           .column(created())
                           .primary_key({"id"}));
        o.create_table(table("contact")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("req_id", 50))
                           .column(col::varchar("source", 50))
                           .column(col::varchar("name", 100))
                           .column(col::varchar("email", 100))
                           .column(col::varchar("details", 200))
                           .column(col::boolean("sent").nullable())
                           .column(created())
                           .primary_key({"id"}));
    });
    // Soseki's db_init: the first users, roles, an API key, the system settings.
    b.step(2, "initial users, roles and settings", data("init-1", seed_users, unseed_users)).on_fresh();
    // Soseki's ver7. It was not on Soseki's skip list, so a fresh install got
    // SCHED_ON twice; here it runs on fresh setups too, and adds it only once.
    b.step(3, "scheduler switch", [](Ops& o) {
         o.execute("INSERT INTO \"setting\" (\"user_id\", \"key\", \"type\", \"value\", \"is_global\") "
                   "SELECT \"id\", 'SCHED_ON', 'bool', 'true', TRUE FROM \"user\" WHERE \"username\" = 'admin' "
                   "AND NOT EXISTS (SELECT 1 FROM \"setting\" WHERE \"key\" = 'SCHED_ON')",
                   "DELETE FROM \"setting\" WHERE \"key\" = 'SCHED_ON'");
     }).on_fresh();
    // Soseki's ver8, schema part: skipped on fresh setups (the models have these tables).
    b.step(4, "subscriptions", [](Ops& o) {
        o.create_table(table("subs")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("name", 50).nullable())
                           .column(col::boolean("is_active").nullable().default_value(true))
                           .column(col::double_precision("price").nullable())
                           .column(created())
                           .column(updated())
                           .primary_key({"id"})
                           .unique({"name"}));
        o.create_table(table("user_subs")
                           .column(col::integer("user_id"))
                           .column(col::integer("subs_id"))
                           .column(col::timestamptz("expiration").nullable().default_now())
                           .column(created())
                           .column(updated())
                           .primary_key({"user_id", "subs_id"})
                           .foreign_key({"user_id"}, "user", {"id"})
                           .foreign_key({"subs_id"}, "subs", {"id"}));
        o.create_table(table("user_transaction")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("description", 255))
                           .column(col::integer("invited_by_user_id").nullable())
                           .primary_key({"id"})
                           .foreign_key({"invited_by_user_id"}, "user", {"id"}));
    });
    // Soseki's ver8, data part: Soseki skipped it with the schema on fresh installs;
    // here it is seed data, run on fresh setups too.
    b.step(5, "pro user and subscriptions", data("subs-1", seed_subscriptions, unseed_subscriptions)).on_fresh();
}

void log_steps(BindBuilder& b)
{
    b.step(1, "access log and status", [](Ops& o) {
        o.create_table(table("access")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("remote_addr", 100).nullable())
                           .column(col::varchar("method", 100).nullable())
                           .column(col::varchar("protocol", 100).nullable())
                           .column(col::varchar("path", 250).nullable())
                           .column(col::varchar("response", 100).nullable())
                           .column(col::varchar("user", 100).nullable())
                           .column(created())
                           .primary_key({"id"}));
        auto status = table("status")
                          .column(col::integer("id").autoincrement())
                          .column(col::varchar("api_status", 100).nullable())
                          .column(col::varchar("api_now_threshold", 100).nullable());
        for (const char* counter : {"api_active_now", "api_max_active", "api_total", "users", "users_active",
                                    "conf_keys", "audit_cnt", "response_time"})
            status.column(col::integer(counter).nullable());
        status.column(col::double_precision("mem").nullable()).column(created()).primary_key({"id"});
        o.create_table(status);
    });
    // Soseki's ver2.
    b.step(2, "access.response_time", [](Ops& o) { o.add_column("access", col::integer("response_time").nullable()); });
    // Soseki's ver5 and ver6.
    b.step(3, "request statistics", [](Ops& o) {
        o.create_table(table("stats")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("day", 16).nullable())
                           .column(col::varchar("path", 10).nullable())
                           .column(col::integer("hits").nullable())
                           .column(col::double_precision("mean_response_time").nullable())
                           .column(col::integer("max_response_time").nullable())
                           .column(col::integer("last_processed").nullable())
                           .column(created())
                           .primary_key({"id"}));
    });
    b.step(4, "database statistics", [](Ops& o) {
        o.create_table(table("db_stats")
                           .column(col::integer("id").autoincrement())
                           .column(col::varchar("type", 10).nullable())
                           .column(col::varchar("table", 50).nullable())
                           .column(col::varchar("period", 16).nullable())
                           .column(col::double_precision("counter").nullable())
                           .column(created())
                           .primary_key({"id"}));
    });
}

}  // namespace soseki
