// JSON forms of schemas, values and differences (strata.inspect/1 and friends).
#include "json_output.hpp"

#include "strata/errors.hpp"
#include "strata/inspect.hpp"
#include "text.hpp"

namespace strata::detail {

using nlohmann::json;

namespace {

FkAction action_from(const std::string& s)
{
    if (s == "restrict") return FkAction::restrict;
    if (s == "cascade") return FkAction::cascade;
    if (s == "set_null") return FkAction::set_null;
    if (s == "set_default") return FkAction::set_default;
    if (s == "no_action" || s.empty()) return FkAction::no_action;
    throw ConfigError("unknown foreign key action '" + s + "' (use no_action, restrict, cascade, set_null, set_default)");
}

ObjectKind kind_from(const std::string& s)
{
    if (auto k = object_kind_from(s))
        return *k;
    throw ConfigError("unknown object kind '" + s +
                      "' (use extension, enum, function, view, trigger, domain, composite_type, sequence, "
                      "materialized_view, index or policy)");
}

const char* nulls_name(NullsOrder n)
{
    return n == NullsOrder::first ? "first" : n == NullsOrder::last ? "last" : "natural";
}

NullsOrder nulls_from(const std::string& s)
{
    return s == "first" ? NullsOrder::first : s == "last" ? NullsOrder::last : NullsOrder::natural;
}

json default_json(const std::optional<Default>& d)
{
    if (!d)
        return nullptr;
    switch (d->kind) {
    case Default::Kind::literal: return {{"kind", "literal"}, {"value", value_json(d->value)}};
    case Default::Kind::now: return {{"kind", "now"}};
    case Default::Kind::current_date: return {{"kind", "current_date"}};
    case Default::Kind::expression: return {{"kind", "expression"}, {"sql", d->sql}};
    }
    return nullptr;
}

std::optional<Default> default_from(const json& j)
{
    if (j.is_null())
        return std::nullopt;
    auto kind = j.at("kind").get<std::string>();
    if (kind == "literal") return Default::literal(value_from_json(j.at("value")));
    if (kind == "now") return Default::now();
    if (kind == "current_date") return Default::current_date();
    if (kind == "expression") return Default::expression(j.at("sql").get<std::string>());
    throw ConfigError("unknown default kind '" + kind + "' (use literal, now, current_date, expression)");
}

template <class T>
T get_or(const json& j, const char* key, T fallback)
{
    auto it = j.find(key);
    return it == j.end() || it->is_null() ? fallback : it->get<T>();
}

}  // namespace

json value_json(const Value& v)
{
    struct Visitor {
        json operator()(std::monostate) const { return nullptr; }
        json operator()(bool b) const { return b; }
        json operator()(std::int64_t i) const { return i; }
        json operator()(double d) const { return d; }
        json operator()(const std::string& s) const { return s; }
        json operator()(const Blob& b) const { return json{{"hex", hex(b)}}; }
    };
    return std::visit(Visitor{}, v);
}

Value value_from_json(const json& j)
{
    if (j.is_null()) return {};
    if (j.is_boolean()) return j.get<bool>();
    if (j.is_number_integer()) return j.get<std::int64_t>();
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) return j.get<std::string>();
    if (j.is_object() && j.contains("hex")) {
        auto h = j.at("hex").get<std::string>();
        Blob b;
        for (std::size_t i = 0; i + 1 < h.size(); i += 2)
            b.push_back(static_cast<std::byte>(std::stoi(h.substr(i, 2), nullptr, 16)));
        return b;
    }
    throw ConfigError("cannot read value " + dump_json(j));
}

std::string dump_json(const json& j, int indent)
{
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

json column_json(const Column& c)
{
    json col{{"name", c.name}, {"type", to_string(c.type)}, {"nullable", c.nullable},
             {"default", default_json(c.default_value)}, {"autoincrement", c.autoincrement}};
    if (c.autoincrement && c.autoincrement_style != AutoincrementStyle::identity)
        col["autoincrement_style"] = to_string(c.autoincrement_style);
    if (!c.collation.empty())
        col["collation"] = c.collation;
    if (c.generated)
        col["generated"] = {{"expression", c.generated->expression}, {"stored", c.generated->stored}};
    if (!c.comment.empty())
        col["comment"] = c.comment;
    if (!c.type.declared.empty())
        col["declared_type"] = c.type.declared;
    if (!c.identity_options.empty())
        col["identity_options"] = c.identity_options;
    return col;
}

// The members every key, constraint and index may have beyond its own: a comment.
void add_comment(json& j, const std::string& comment)
{
    if (!comment.empty())
        j["comment"] = comment;
}

json foreign_key_json(const ForeignKey& fk)
{
    json j{{"name", fk.name}, {"columns", fk.columns}, {"ref_table", fk.ref_table},
           {"ref_columns", fk.ref_columns}, {"on_delete", action_name(fk.on_delete)},
           {"on_update", action_name(fk.on_update)}, {"deferrable", fk.deferrable},
           {"initially_deferred", fk.initially_deferred}};
    if (!fk.ref_schema.empty())
        j["ref_schema"] = fk.ref_schema;
    if (fk.match_full)
        j["match_full"] = true;
    add_comment(j, fk.comment);
    return j;
}

json index_json(const Index& ix)
{
    json elements = json::array();
    for (const auto& e : ix.elements) {
        json el = e.expression.empty() ? json{{"column", e.column}} : json{{"expression", e.expression}};
        el["descending"] = e.descending;
        if (e.nulls != NullsOrder::natural)
            el["nulls"] = nulls_name(e.nulls);
        if (!e.opclass.empty())
            el["opclass"] = e.opclass;
        if (!e.collation.empty())
            el["collation"] = e.collation;
        elements.push_back(std::move(el));
    }
    json index{{"name", ix.name}, {"elements", std::move(elements)}, {"unique", ix.unique}};
    if (!ix.where.empty())
        index["where"] = ix.where;
    if (!ix.method.empty())
        index["method"] = ix.method;
    if (!ix.include.empty())
        index["include"] = ix.include;
    if (!ix.options.empty())
        index["options"] = ix.options;
    add_comment(index, ix.comment);
    return index;
}

json table_json(const Table& t)
{
    json columns = json::array();
    for (const auto& c : t.columns)
        columns.push_back(column_json(c));
    json table{{"name", t.name}, {"columns", std::move(columns)}};
    table["primary_key"] = t.primary_key ? json{{"name", t.primary_key->name}, {"columns", t.primary_key->columns}}
                                         : json(nullptr);
    if (t.primary_key)
        add_comment(table["primary_key"], t.primary_key->comment);
    json uniques = json::array();
    for (const auto& u : t.uniques) {
        json j{{"name", u.name}, {"columns", u.columns}};
        if (u.deferrable) {
            j["deferrable"] = true;
            j["initially_deferred"] = u.initially_deferred;
        }
        add_comment(j, u.comment);
        uniques.push_back(std::move(j));
    }
    table["uniques"] = std::move(uniques);
    json fks = json::array();
    for (const auto& fk : t.foreign_keys)
        fks.push_back(foreign_key_json(fk));
    table["foreign_keys"] = std::move(fks);
    json checks = json::array();
    for (const auto& ck : t.checks) {
        json j{{"name", ck.name}, {"expression", ck.expression}};
        add_comment(j, ck.comment);
        checks.push_back(std::move(j));
    }
    table["checks"] = std::move(checks);
    json indexes = json::array();
    for (const auto& ix : t.indexes)
        indexes.push_back(index_json(ix));
    table["indexes"] = std::move(indexes);
    if (!t.comment.empty())
        table["comment"] = t.comment;
    if (t.without_rowid)
        table["without_rowid"] = true;
    if (t.strict)
        table["strict"] = true;
    if (!t.exclusions.empty()) {
        json exclusions = json::array();
        for (const auto& x : t.exclusions) {
            json j{{"name", x.name}, {"definition", x.definition}};
            add_comment(j, x.comment);
            exclusions.push_back(std::move(j));
        }
        table["exclusions"] = std::move(exclusions);
    }
    if (!t.partition_by.empty())
        table["partition_by"] = t.partition_by;
    if (!t.partition_of.empty())
        table["partition_of"] = {{"table", t.partition_of}, {"bound", t.partition_bound}};
    if (t.row_security)
        table["row_security"] = t.force_row_security ? "forced" : "enabled";
    return table;
}

json object_json(const SqlObject& o)
{
    json obj{{"kind", to_string(o.kind)}, {"name", o.name}};
    if (!o.table.empty())
        obj["table"] = o.table;
    if (!o.definition.empty())
        obj["definition"] = o.definition.by_dialect();
    if (!o.values.empty())
        obj["values"] = o.values;
    if (!o.comment.empty())
        obj["comment"] = o.comment;
    if (!o.depends_on.empty())
        obj["depends_on"] = o.depends_on;
    return obj;
}

json schema_json(const Schema& s)
{
    json tables = json::array();
    for (const auto& t : s.tables)
        tables.push_back(table_json(t));
    json objects = json::array();
    for (const auto& o : s.objects)
        objects.push_back(object_json(o));
    return {{"tables", std::move(tables)}, {"objects", std::move(objects)}};
}

Schema schema_from_json(const json& j)
{
    Schema s;
    for (const auto& jt : j.at("tables")) {
        Table t;
        t.name = jt.at("name").get<std::string>();
        for (const auto& jc : jt.at("columns")) {
            Column c;
            c.name = jc.at("name").get<std::string>();
            auto type_text = jc.at("type").get<std::string>();
            auto type = parse_type(type_text);
            if (!type)
                throw ConfigError("table '" + t.name + "': column '" + c.name + "': unknown type '" + type_text + "'");
            c.type = *type;
            c.nullable = get_or(jc, "nullable", true);
            c.default_value = default_from(jc.value("default", json(nullptr)));
            c.autoincrement = get_or(jc, "autoincrement", false);
            const auto style = get_or<std::string>(jc, "autoincrement_style", "identity");
            c.autoincrement_style = style == "serial"   ? AutoincrementStyle::serial
                                    : style == "always" ? AutoincrementStyle::identity_always
                                                        : AutoincrementStyle::identity;
            c.collation = get_or<std::string>(jc, "collation", "");
            if (auto g = jc.find("generated"); g != jc.end() && !g->is_null())
                c.generated = Generated{g->at("expression").get<std::string>(), get_or(*g, "stored", true)};
            c.comment = get_or<std::string>(jc, "comment", "");
            c.type.declared = get_or<std::string>(jc, "declared_type", "");
            c.identity_options = get_or<std::string>(jc, "identity_options", "");
            t.columns.push_back(std::move(c));
        }
        if (auto pk = jt.find("primary_key"); pk != jt.end() && !pk->is_null())
            t.primary_key = PrimaryKey{pk->at("name").get<std::string>(), pk->at("columns").get<std::vector<std::string>>(),
                                       get_or<std::string>(*pk, "comment", "")};
        for (const auto& ju : jt.value("uniques", json::array()))
            t.uniques.push_back({ju.at("name").get<std::string>(), ju.at("columns").get<std::vector<std::string>>(),
                                 get_or(ju, "deferrable", false), get_or(ju, "initially_deferred", false),
                                 get_or<std::string>(ju, "comment", "")});
        for (const auto& jf : jt.value("foreign_keys", json::array())) {
            ForeignKey fk;
            fk.name = jf.at("name").get<std::string>();
            fk.columns = jf.at("columns").get<std::vector<std::string>>();
            fk.ref_table = jf.at("ref_table").get<std::string>();
            fk.ref_columns = jf.at("ref_columns").get<std::vector<std::string>>();
            fk.on_delete = action_from(get_or<std::string>(jf, "on_delete", ""));
            fk.on_update = action_from(get_or<std::string>(jf, "on_update", ""));
            fk.deferrable = get_or(jf, "deferrable", false);
            fk.initially_deferred = get_or(jf, "initially_deferred", false);
            fk.ref_schema = get_or<std::string>(jf, "ref_schema", "");
            fk.match_full = get_or(jf, "match_full", false);
            fk.comment = get_or<std::string>(jf, "comment", "");
            t.foreign_keys.push_back(std::move(fk));
        }
        for (const auto& jk : jt.value("checks", json::array()))
            t.checks.push_back({jk.at("name").get<std::string>(), jk.at("expression").get<std::string>(),
                                get_or<std::string>(jk, "comment", "")});
        for (const auto& ji : jt.value("indexes", json::array())) {
            Index ix;
            ix.name = ji.at("name").get<std::string>();
            for (const auto& je : ji.at("elements")) {
                IndexElement e;
                e.column = get_or<std::string>(je, "column", "");
                e.expression = get_or<std::string>(je, "expression", "");
                e.descending = get_or(je, "descending", false);
                e.nulls = nulls_from(get_or<std::string>(je, "nulls", ""));
                e.opclass = get_or<std::string>(je, "opclass", "");
                e.collation = get_or<std::string>(je, "collation", "");
                ix.elements.push_back(std::move(e));
            }
            ix.unique = get_or(ji, "unique", false);
            ix.where = get_or<std::string>(ji, "where", "");
            ix.method = get_or<std::string>(ji, "method", "");
            ix.include = get_or(ji, "include", std::vector<std::string>{});
            ix.options = get_or<std::string>(ji, "options", "");
            ix.comment = get_or<std::string>(ji, "comment", "");
            t.indexes.push_back(std::move(ix));
        }
        t.comment = get_or<std::string>(jt, "comment", "");
        t.without_rowid = get_or(jt, "without_rowid", false);
        t.strict = get_or(jt, "strict", false);
        for (const auto& jx : jt.value("exclusions", json::array()))
            t.exclusions.push_back({jx.at("name").get<std::string>(), jx.at("definition").get<std::string>(),
                                    get_or<std::string>(jx, "comment", "")});
        t.partition_by = get_or<std::string>(jt, "partition_by", "");
        if (auto p = jt.find("partition_of"); p != jt.end() && !p->is_null()) {
            t.partition_of = p->at("table").get<std::string>();
            t.partition_bound = get_or<std::string>(*p, "bound", "");
        }
        const auto rls = get_or<std::string>(jt, "row_security", "");
        t.row_security = rls == "enabled" || rls == "forced";
        t.force_row_security = rls == "forced";
        s.tables.push_back(std::move(t));
    }
    for (const auto& jo : j.value("objects", json::array())) {
        SqlObject o;
        o.kind = kind_from(jo.at("kind").get<std::string>());
        o.name = jo.at("name").get<std::string>();
        o.table = get_or<std::string>(jo, "table", "");
        if (auto d = jo.find("definition"); d != jo.end())
            o.definition = SqlText(d->get<std::map<std::string, std::string>>());
        if (auto v = jo.find("values"); v != jo.end())
            o.values = v->get<std::vector<std::string>>();
        o.comment = get_or<std::string>(jo, "comment", "");
        o.depends_on = get_or(jo, "depends_on", std::vector<std::string>{});
        s.objects.push_back(std::move(o));
    }
    return s;
}

json differences_json(const std::vector<Difference>& differences)
{
    json out = json::array();
    for (const auto& d : differences) {
        json j{{"object", to_string(d.object)}, {"kind", to_string(d.kind)}, {"table", d.table}, {"name", d.name}};
        if (d.kind == Difference::Kind::changed) {
            j["field"] = d.field;
            j["old"] = d.old_value;
            j["new"] = d.new_value;
        }
        out.push_back(std::move(j));
    }
    return out;
}

const char* action_name(FkAction a)
{
    switch (a) {
    case FkAction::no_action: return "no_action";
    case FkAction::restrict: return "restrict";
    case FkAction::cascade: return "cascade";
    case FkAction::set_null: return "set_null";
    case FkAction::set_default: return "set_default";
    }
    return "no_action";
}

}  // namespace strata::detail

namespace strata {

std::string to_json(const Schema& schema)
{
    auto j = detail::schema_json(schema);
    nlohmann::json out{{"format", "strata.inspect/1"}};
    out.update(j);
    return detail::dump_json(out, 2);
}

Schema schema_from_json(std::string_view text)
{
    try {
        return detail::schema_from_json(nlohmann::json::parse(text));
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError(std::string("cannot read the schema JSON: ") + e.what());
    }
}

}  // namespace strata
