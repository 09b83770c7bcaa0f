// Models used by several tests: every type and constraint, one feature per case.
#include <gtest/gtest.h>

#include "models.hpp"

#include "strata/types.hpp"

namespace strata::test {

namespace {

struct Person {
    std::int64_t id;
    std::string email;
    std::optional<std::string> name;
    bool active;
    Timestamp created_at;
};

Schema types()
{
    Schema s("app");
    s.native_enum("mood", {"sad", "ok", "happy"});
    s.table("every_type")
        .column<std::int64_t>("id").primary_key()
        .column<std::int16_t>("small")
        .column<std::int32_t>("medium")
        .column<std::optional<std::int64_t>>("large")
        .column<bool>("flag")
        .column<float>("single")
        .column<std::optional<double>>("double_value")
        .column("money", Type::numeric(10, 2)).nullable()
        .column("any_number", Type::numeric()).nullable()
        .column<std::string>("body")
        .column<std::optional<std::string>>("short_text").varchar(80)
        .column("unbounded", Type::varchar()).nullable()
        .column<std::optional<Blob>>("payload")
        .column("local_time", Type::timestamp()).nullable()
        .column<std::optional<Timestamp>>("instant")
        .column<std::optional<Date>>("day")
        .column<std::optional<Json>>("document")
        .column<std::optional<Uuid>>("key")
        .column("state", Type::text()).enum_values({"new", "done"})
        .column("feeling", Type::enumeration("mood")).nullable()
        .column("address", Type::custom("inet")).nullable();
    return s;
}

Schema defaults()
{
    Schema s("app");
    s.native_enum("level", {"low", "high"});
    s.table("with_defaults")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::int32_t>("zero").default_value(0)
        .column<std::int32_t>("negative").default_value(-1)
        .column<double>("ratio").default_value(Value{-1.5})
        .column("price", Type::numeric(8, 2)).default_value(Value{0.0})
        .column<std::string>("quoted").default_value("it's")
        .column<bool>("enabled").default_value(Value{true})
        .column<bool>("disabled").default_value(Value{false})
        .column<Timestamp>("created").default_now()
        .column("stamp", Type::timestamp()).nullable().default_value("2020-01-01 00:00:00")
        .column<Date>("day").default_current_date()
        .column<std::string>("lowered").default_sql("lower('ABC')")
        .column<std::optional<Json>>("document").default_value("{}")
        .column<Uuid>("key").default_value("00000000-0000-0000-0000-000000000000")
        .column<Blob>("bytes").default_value(Value{Blob{std::byte{0}, std::byte{0xff}}})
        .column("lvl", Type::enumeration("level")).default_value("low");
    return s;
}

Schema keys()
{
    Schema s("app");
    s.table<Person>("person")
        .column(&Person::id, "id").primary_key().autoincrement()
        .column(&Person::email, "email").varchar(255).unique()
        .column(&Person::name, "name")
        .column(&Person::active, "active").default_value(Value{true})
        .column(&Person::created_at, "created_at").default_now()
        .unique({"name", "active"});
    s.table("membership")
        .column<std::int64_t>("person_id")
        .column<std::int32_t>("group_id")
        .column<std::optional<std::string>>("role")
        .primary_key({"person_id", "group_id"});
    s.table("plain_key")
        .column<std::int32_t>("code").primary_key()
        .column<std::string>("label");
    return s;
}

Schema foreign_keys()
{
    Schema s("app");
    s.table("parent")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::int32_t>("region")
        .column<std::int32_t>("number")
        .unique({"region", "number"});
    s.table("child")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::int64_t>("parent_id").references("parent", "id", FkAction::cascade)
        .column<std::optional<std::int64_t>>("other_id").references("parent", "id", FkAction::set_null, FkAction::cascade)
        .column<std::optional<std::int32_t>>("region")
        .column<std::optional<std::int32_t>>("number")
        .column<std::optional<std::int64_t>>("previous_id")
        .foreign_key({"region", "number"}, "parent", {"region", "number"}, FkAction::restrict)
        .foreign_key({"previous_id"}, "child", {"id"});
    ForeignKey late;
    late.columns = {"child_id"};
    late.ref_table = "child";
    late.ref_columns = {"id"};
    late.deferrable = true;
    late.initially_deferred = true;
    s.table("grandchild")
        .column<std::int64_t>("id").primary_key()
        .column<std::int64_t>("child_id")
        .foreign_key(late);
    return s;
}

Schema checks()
{
    Schema s("app");
    s.table("checked")
        .column<std::int64_t>("id").primary_key()
        .column("price", Type::numeric(10, 2)).check("price >= 0")
        .column<std::int32_t>("low")
        .column<std::int32_t>("high")
        .column<std::string>("status").check("status IN ('open', 'closed')")
        .check("low <= high")
        .check("length(status) < 10 AND high < 1000", "ck_checked_named");
    return s;
}

Schema indexes()
{
    Schema s("app");
    s.table("indexed")
        .column<std::int64_t>("id").primary_key()
        .column<std::string>("email").varchar(120)
        .column<std::int32_t>("score").index()
        .column<std::optional<Timestamp>>("deleted_at")
        .column<std::string>("category")
        .index("ix_indexed_category_score", {"category", desc("score")})
        .unique_index("ux_indexed_email_live", {"email"}, "deleted_at IS NULL")
        .index("ix_indexed_lower_email", {expr("lower(email)")})
        .index("ix_indexed_recent", {desc("deleted_at"), "id"}, IndexOptions{.where = "score > 10"});
    return s;
}

Schema objects()
{
    Schema s("app");
    s.table("account")
        .column<std::int64_t>("id").primary_key()
        .column<std::string>("name")
        .column<std::int32_t>("changes").default_value(0)
        .column<bool>("active").default_value(Value{true});
    s.view("active_account", "SELECT id, name FROM account WHERE active");
    s.function("count_change", {{"postgresql", R"(CREATE FUNCTION count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changes := OLD.changes + 1;
    RETURN NEW;
END
$$)"}});
    s.trigger("account_changed", "account",
              {{"sqlite", R"(CREATE TRIGGER "account_changed" AFTER UPDATE OF name ON "account"
BEGIN
    UPDATE "account" SET changes = changes + 1 WHERE id = NEW.id;
END)"},
               {"postgresql", R"(CREATE TRIGGER "account_changed" BEFORE UPDATE OF name ON "account" FOR EACH ROW EXECUTE FUNCTION count_change())"}});
    return s;
}

Schema extensions()
{
    Schema s("app");
    s.extension("citext");
    s.table("tagged").column<std::int64_t>("id").primary_key().column<std::string>("tag");
    return s;
}

Schema reserved_names()
{
    Schema s("app");
    s.table("user")
        .column<std::int64_t>("id").primary_key()
        .column<std::string>("order")
        .column<std::optional<std::string>>("group")
        .column<std::optional<std::string>>("my column")
        .column<std::optional<std::string>>("Mixed\"Quote")
        .index("ix_user_order", {"order"});
    s.table("my table")
        .column<std::int64_t>("select").primary_key()
        .column<std::int64_t>("user").references("user", "id")
        .check("\"select\" > 0");
    return s;
}

Schema comments()
{
    Schema s("app");
    s.table("documented")
        .comment("a table with comments")
        .column<std::int64_t>("id").primary_key().comment("the key")
        .column<std::string>("body").comment("it's text");
    return s;
}

Schema generated()
{
    Schema s("app");
    s.table("line")
        .column<std::int64_t>("id").primary_key()
        .column<std::int32_t>("quantity")
        .column<double>("unit_price")
        .column<std::optional<double>>("total").generated_always("quantity * unit_price", true);
    return s;
}

}  // namespace

std::vector<ModelCase> model_cases()
{
    return {
        {"types", types},
        {"defaults", defaults},
        {"keys", keys},
        {"foreign_keys", foreign_keys},
        {"checks", checks},
        {"indexes", indexes},
        {"objects", objects},
        {"extensions", extensions, true},
        {"reserved_names", reserved_names},
        {"comments", comments},
        {"generated", generated},
    };
}

Schema every_feature_model()
{
    Schema all("app");
    for (const auto& c : model_cases()) {
        if (c.needs_own_database)
            continue;
        auto s = c.build();
        for (auto& t : s.tables)
            all.tables.push_back(std::move(t));
        for (auto& o : s.objects)
            all.objects.push_back(std::move(o));
    }
    return all;
}

}  // namespace strata::test
