// The step checksum: a hash of a canonical, dialect-independent serialisation
// of the step's ops. The serialisation is compact JSON with sorted keys
// (serialisation "1"), written straight into one string: a fresh setup hashes
// its whole schema, and building a JSON tree first cost ten times as much.
#include "json_output.hpp"
#include "sha256.hpp"
#include "strata/upgrader.hpp"
#include "text.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <stdexcept>

namespace strata {

namespace {

// Compact JSON as nlohmann::json::dump() writes it. Keys must come in sorted
// order (as nlohmann's std::map holds them); the writer checks that they do.
class CanonicalWriter {
public:
    explicit CanonicalWriter(std::string& out) : out_(out) {}

    void begin_object()
    {
        comma();
        out_ += '{';
        stack_.push_back({true, {}});
    }
    void end_object()
    {
        out_ += '}';
        stack_.pop_back();
    }
    void begin_array()
    {
        comma();
        out_ += '[';
        stack_.push_back({true, {}});
    }
    void end_array()
    {
        out_ += ']';
        stack_.pop_back();
    }
    void key(std::string_view name)
    {
        auto& level = stack_.back();
        if (!level.first && name <= level.last_key)
            throw std::logic_error("checksum serialisation: key '" + std::string(name) + "' out of order");
        comma();
        quoted(name);
        out_ += ':';
        level.first = false;
        level.last_key = name;
        after_key_ = true;
    }
    void string(std::string_view text)
    {
        comma();
        quoted(text);
    }
    void boolean(bool b)
    {
        comma();
        out_ += b ? "true" : "false";
    }
    void null()
    {
        comma();
        out_ += "null";
    }
    void integer(std::int64_t i)
    {
        comma();
        out_ += std::to_string(i);
    }
    void real(double d)
    {
        comma();
        out_ += nlohmann::json(d).dump();  // nlohmann's shortest round-trip form
    }
    void strings(const std::vector<std::string>& list)
    {
        begin_array();
        for (const auto& s : list)
            string(s);
        end_array();
    }
    void string_map(const std::map<std::string, std::string>& map, std::string (*transform)(const std::string&) = nullptr)
    {
        begin_object();
        for (const auto& [k, v] : map) {
            key(k);
            string(transform ? transform(v) : v);
        }
        end_object();
    }

    // Writes `key: value` pairs: string values.
    void field(std::string_view k, std::string_view v)
    {
        key(k);
        string(v);
    }
    void field(std::string_view k, const char* v)
    {
        key(k);
        string(v);
    }
    void field(std::string_view k, bool v)
    {
        key(k);
        boolean(v);
    }

private:
    void quoted(std::string_view text)
    {
        out_ += '"';
        for (char c : text) {
            switch (c) {
            case '"': out_ += "\\\""; break;
            case '\\': out_ += "\\\\"; break;
            case '\b': out_ += "\\b"; break;
            case '\f': out_ += "\\f"; break;
            case '\n': out_ += "\\n"; break;
            case '\r': out_ += "\\r"; break;
            case '\t': out_ += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
                    out_ += buffer;
                } else {
                    out_ += c;
                }
            }
        }
        out_ += '"';
    }

    struct Level {
        bool first = true;
        std::string_view last_key;
    };

    // A separator before a value, unless it follows its key or opens a container.
    void comma()
    {
        if (after_key_) {
            after_key_ = false;
            return;
        }
        if (stack_.empty())
            return;
        auto& level = stack_.back();
        if (level.first)
            level.first = false;
        else
            out_ += ',';
    }

    std::string& out_;
    std::vector<Level> stack_;
    bool after_key_ = false;
};

// Raw SQL compares by its words, not its layout: reindenting a step keeps its checksum.
std::string normalized_sql(const std::string& sql)
{
    std::string out;
    bool space = false;
    for (char c : sql) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    while (!out.empty() && out.back() == ';')
        out.pop_back();
    return out;
}

void write(CanonicalWriter& w, const Value& v)
{
    struct Visitor {
        CanonicalWriter& w;
        void operator()(std::monostate) const { w.null(); }
        void operator()(bool b) const { w.boolean(b); }
        void operator()(std::int64_t i) const { w.integer(i); }
        void operator()(double d) const { w.real(d); }
        void operator()(const std::string& s) const { w.string(s); }
        void operator()(const Blob& b) const
        {
            w.begin_object();
            w.field("hex", detail::hex(b));
            w.end_object();
        }
    };
    std::visit(Visitor{w}, v);
}

void write(CanonicalWriter& w, const std::optional<Default>& d)
{
    if (!d) {
        w.null();
        return;
    }
    w.begin_object();
    switch (d->kind) {
    case Default::Kind::literal:
        w.field("kind", "literal");
        w.key("value");
        write(w, d->value);
        break;
    case Default::Kind::now: w.field("kind", "now"); break;
    case Default::Kind::current_date: w.field("kind", "current_date"); break;
    case Default::Kind::expression:
        w.field("kind", "expression");
        w.field("sql", d->sql);
        break;
    }
    w.end_object();
}

void write(CanonicalWriter& w, const Column& c)
{
    w.begin_object();
    w.field("autoincrement", c.autoincrement);
    if (c.autoincrement && c.autoincrement_style != AutoincrementStyle::identity)
        w.field("autoincrement_style", to_string(c.autoincrement_style));  // absent before it existed
    if (!c.collation.empty())
        w.field("collation", c.collation);
    if (!c.comment.empty())
        w.field("comment", c.comment);
    if (!c.type.declared.empty())
        w.field("declared_type", c.type.declared);
    w.key("default");
    write(w, c.default_value);
    if (c.generated) {
        w.key("generated");
        w.begin_object();
        w.field("expression", c.generated->expression);
        w.field("stored", c.generated->stored);
        w.end_object();
    }
    if (!c.identity_options.empty())
        w.field("identity_options", c.identity_options);
    w.field("name", c.name);
    w.field("nullable", c.nullable);
    w.field("type", to_string(c.type));
    w.end_object();
}

// A key's columns and name; what was added later (comment, deferral) only when set.
void write_named_columns(CanonicalWriter& w, const std::string& name, const std::vector<std::string>& columns,
                         const std::string& comment = {}, bool deferrable = false, bool initially_deferred = false)
{
    w.begin_object();
    w.key("columns");
    w.strings(columns);
    if (!comment.empty())
        w.field("comment", comment);
    if (deferrable) {
        w.field("deferrable", true);
        w.field("initially_deferred", initially_deferred);
    }
    w.field("name", name);
    w.end_object();
}

void write(CanonicalWriter& w, const ForeignKey& fk)
{
    w.begin_object();
    w.key("columns");
    w.strings(fk.columns);
    if (!fk.comment.empty())
        w.field("comment", fk.comment);
    w.field("deferrable", fk.deferrable);
    w.field("initially_deferred", fk.initially_deferred);
    if (fk.match_full)
        w.field("match_full", true);
    w.field("name", fk.name);
    w.field("on_delete", detail::action_name(fk.on_delete));
    w.field("on_update", detail::action_name(fk.on_update));
    w.key("ref_columns");
    w.strings(fk.ref_columns);
    if (!fk.ref_schema.empty())
        w.field("ref_schema", fk.ref_schema);
    w.field("ref_table", fk.ref_table);
    w.end_object();
}

void write(CanonicalWriter& w, const CheckConstraint& ck)
{
    w.begin_object();
    if (!ck.comment.empty())
        w.field("comment", ck.comment);
    w.field("expression", ck.expression);
    w.field("name", ck.name);
    w.end_object();
}

void write(CanonicalWriter& w, const ExclusionConstraint& x)
{
    w.begin_object();
    if (!x.comment.empty())
        w.field("comment", x.comment);
    w.field("definition", x.definition);
    w.field("name", x.name);
    w.end_object();
}

void write(CanonicalWriter& w, const Index& ix)
{
    w.begin_object();
    if (!ix.comment.empty())
        w.field("comment", ix.comment);
    w.key("elements");
    w.begin_array();
    // Fields added later are written only when set, so older steps keep their checksums.
    for (const auto& e : ix.elements) {
        w.begin_object();
        if (!e.collation.empty())
            w.field("collation", e.collation);
        if (e.expression.empty()) {
            w.field("column", e.column);
            w.field("descending", e.descending);
        } else {
            w.field("descending", e.descending);
            w.field("expression", e.expression);
        }
        if (e.nulls != NullsOrder::natural)
            w.field("nulls", e.nulls == NullsOrder::first ? "first" : "last");
        if (!e.opclass.empty())
            w.field("opclass", e.opclass);
        w.end_object();
    }
    w.end_array();
    if (!ix.include.empty()) {
        w.key("include");
        w.strings(ix.include);
    }
    if (!ix.method.empty())
        w.field("method", ix.method);
    w.field("name", ix.name);
    if (!ix.options.empty())
        w.field("options", ix.options);
    w.field("unique", ix.unique);
    if (!ix.where.empty())
        w.field("where", ix.where);
    w.end_object();
}

void write(CanonicalWriter& w, const Table& t)
{
    w.begin_object();
    w.key("checks");
    w.begin_array();
    for (const auto& ck : t.checks)
        write(w, ck);
    w.end_array();
    w.key("columns");
    w.begin_array();
    for (const auto& c : t.columns)
        write(w, c);
    w.end_array();
    if (!t.comment.empty())
        w.field("comment", t.comment);
    if (!t.exclusions.empty()) {
        w.key("exclusions");
        w.begin_array();
        for (const auto& x : t.exclusions)
            write(w, x);
        w.end_array();
    }
    w.key("foreign_keys");
    w.begin_array();
    for (const auto& fk : t.foreign_keys)
        write(w, fk);
    w.end_array();
    w.key("indexes");
    w.begin_array();
    for (const auto& ix : t.indexes)
        write(w, ix);
    w.end_array();
    w.field("name", t.name);
    if (!t.partition_bound.empty())
        w.field("partition_bound", t.partition_bound);
    if (!t.partition_by.empty())
        w.field("partition_by", t.partition_by);
    if (!t.partition_of.empty())
        w.field("partition_of", t.partition_of);
    w.key("primary_key");
    if (t.primary_key)
        write_named_columns(w, t.primary_key->name, t.primary_key->columns, t.primary_key->comment);
    else
        w.null();
    if (t.row_security)
        w.field("row_security", t.force_row_security ? "forced" : "enabled");
    if (t.strict)
        w.field("strict", true);
    w.key("uniques");
    w.begin_array();
    for (const auto& u : t.uniques)
        write_named_columns(w, u.name, u.columns, u.comment, u.deferrable, u.initially_deferred);
    w.end_array();
    if (t.without_rowid)
        w.field("without_rowid", true);
    w.end_object();
}

void write(CanonicalWriter& w, const SqlObject& o)
{
    w.begin_object();
    if (!o.comment.empty())
        w.field("comment", o.comment);
    if (!o.definition.empty()) {
        w.key("definition");
        w.string_map(o.definition.by_dialect());
    }
    w.field("kind", to_string(o.kind));
    w.field("name", o.name);
    if (!o.table.empty())
        w.field("table", o.table);
    if (!o.values.empty()) {
        w.key("values");
        w.strings(o.values);
    }
    w.end_object();
}

void write(CanonicalWriter& w, const UniqueConstraint& u)
{
    write_named_columns(w, u.name, u.columns);
}

// "definition": the recorded definition of a dropped object, or null.
template <class T>
void write_definition(CanonicalWriter& w, const std::optional<T>& definition)
{
    w.key("definition");
    if (definition)
        write(w, *definition);
    else
        w.null();
}

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

void write(CanonicalWriter& w, const Op& op)
{
    w.begin_object();
    std::visit(
        Overloaded{
            [&](const CreateTable& o) {
                w.field("op", "create_table");
                w.key("table");
                write(w, o.table);
            },
            [&](const DropTable& o) {
                write_definition(w, o.definition);
                w.field("op", "drop_table");
                w.field("table", o.table);
            },
            [&](const RenameTable& o) {
                w.field("from", o.from);
                w.field("op", "rename_table");
                w.field("to", o.to);
            },
            [&](const AddColumn& o) {
                w.key("column");
                write(w, o.column);
                w.field("op", "add_column");
                w.field("table", o.table);
            },
            [&](const DropColumn& o) {
                w.field("column", o.column);
                write_definition(w, o.definition);
                w.field("op", "drop_column");
                w.field("table", o.table);
            },
            [&](const RenameColumn& o) {
                w.field("from", o.from);
                w.field("op", "rename_column");
                w.field("table", o.table);
                w.field("to", o.to);
            },
            [&](const AlterColumn& o) {
                w.key("from");
                write(w, o.from);
                w.field("op", "alter_column");
                w.field("table", o.table);
                w.key("to");
                write(w, o.to);
            },
            [&](const CreateIndex& o) {
                w.field("concurrently", o.concurrently);
                w.key("index");
                write(w, o.index);
                w.field("op", "create_index");
                w.field("table", o.table);
            },
            [&](const DropIndex& o) {
                w.field("concurrently", o.concurrently);
                write_definition(w, o.definition);
                w.field("name", o.name);
                w.field("op", "drop_index");
                w.field("table", o.table);
            },
            [&](const AddForeignKey& o) {
                w.key("foreign_key");
                write(w, o.foreign_key);
                if (o.not_valid)  // only when set: the checksums of steps written before it stay
                    w.field("not_valid", true);
                w.field("op", "add_foreign_key");
                w.field("table", o.table);
            },
            [&](const DropForeignKey& o) {
                write_definition(w, o.definition);
                w.field("name", o.name);
                w.field("op", "drop_foreign_key");
                w.field("table", o.table);
            },
            [&](const AddUnique& o) {
                w.key("columns");
                w.strings(o.unique.columns);
                w.field("name", o.unique.name);
                w.field("op", "add_unique");
                w.field("table", o.table);
                if (!o.using_index.empty())
                    w.field("using_index", o.using_index);
            },
            [&](const NextPhase&) { w.field("op", "next_phase"); },
            [&](const DropUnique& o) {
                write_definition(w, o.definition);
                w.field("name", o.name);
                w.field("op", "drop_unique");
                w.field("table", o.table);
            },
            [&](const AddCheck& o) {
                w.field("expression", o.check.expression);
                w.field("name", o.check.name);
                if (o.not_valid)
                    w.field("not_valid", true);
                w.field("op", "add_check");
                w.field("table", o.table);
            },
            // Batch size and pause tune how, not what: left out.
            [&](const Backfill& o) {
                w.field("key", o.key);
                w.field("op", "backfill");
                w.field("set", o.set);
                w.field("table", o.table);
                w.field("where", o.where);
            },
            [&](const ValidateConstraint& o) {
                w.field("name", o.name);
                w.field("op", "validate_constraint");
                w.field("table", o.table);
            },
            [&](const DropCheck& o) {
                write_definition(w, o.definition);
                w.field("name", o.name);
                w.field("op", "drop_check");
                w.field("table", o.table);
            },
            [&](const AddExclusion& o) {
                w.key("exclusion");
                write(w, o.exclusion);
                w.field("op", "add_exclusion");
                w.field("table", o.table);
            },
            [&](const DropExclusion& o) {
                write_definition(w, o.definition);
                w.field("name", o.name);
                w.field("op", "drop_exclusion");
                w.field("table", o.table);
            },
            [&](const SetRowSecurity& o) {
                w.key("from");
                if (o.from)
                    w.string(to_string(*o.from));
                else
                    w.null();
                w.field("op", "set_row_security");
                w.field("table", o.table);
                w.field("to", to_string(o.to));
            },
            [&](const AttachPartition& o) {
                w.field("bound", o.bound);
                w.field("op", "attach_partition");
                w.field("parent", o.parent);
                w.field("table", o.table);
            },
            [&](const DetachPartition& o) {
                w.key("bound");
                if (o.bound)
                    w.string(*o.bound);
                else
                    w.null();
                w.field("op", "detach_partition");
                w.field("parent", o.parent);
                w.field("table", o.table);
            },
            [&](const CreateObject& o) {
                w.key("object");
                write(w, o.object);
                w.field("op", "create_object");
            },
            [&](const DropObject& o) {
                write_definition(w, o.definition);
                w.field("kind", to_string(o.kind));
                w.field("name", o.name);
                w.field("op", "drop_object");
            },
            [&](const ExecuteSql& o) {
                w.key("down");
                w.string_map(o.down.by_dialect(), normalized_sql);
                w.field("op", "execute");
                w.key("sql");
                w.string_map(o.sql.by_dialect(), normalized_sql);
            },
            [&](const DataCode& o) {
                w.field("down", static_cast<bool>(o.down));
                w.field("op", "run");
                w.field("revision", o.revision);
            },
        },
        op);
    w.end_object();
}

void write_ops(std::string& text, const std::vector<Op>& ops)
{
    for (const auto& op : ops) {
        CanonicalWriter w(text);
        write(w, op);
        text += '\n';
    }
}

}  // namespace

std::string checksum(const Step& step)
{
    // The prefix names the serialisation: a later release that changes it adds "2:"
    // and keeps computing "1:" for records written with it.
    std::string text = "strata-step-1\n";
    write_ops(text, step.ops);
    if (step.down) {
        text += "down\n";
        write_ops(text, *step.down);
    }
    if (step.no_transaction)
        text += "no_transaction\n";
    return "1:" + detail::sha256_hex(text).substr(0, 32);
}

}  // namespace strata
