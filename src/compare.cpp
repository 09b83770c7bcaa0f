// compare(a, b): differences between two schemas, matched by name or by content.
#include "strata/compare.hpp"

#include "json_output.hpp"
#include "equivalence.hpp"
#include "text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace strata {

const char* to_string(DiffObject object) noexcept
{
    switch (object) {
    case DiffObject::table: return "table";
    case DiffObject::column: return "column";
    case DiffObject::primary_key: return "primary_key";
    case DiffObject::unique: return "unique";
    case DiffObject::foreign_key: return "foreign_key";
    case DiffObject::check: return "check";
    case DiffObject::index: return "index";
    case DiffObject::object: return "object";
    case DiffObject::exclusion: return "exclusion";
    }
    return "?";
}

const char* to_string(Difference::Kind kind) noexcept
{
    switch (kind) {
    case Difference::Kind::added: return "added";
    case Difference::Kind::removed: return "removed";
    case Difference::Kind::changed: return "changed";
    }
    return "?";
}

namespace {

using namespace detail;

class Comparer {
public:
    explicit Comparer(const CompareOptions& o) : options_(o), rules_{o.comments, o.object_definitions} {}

    std::vector<Difference> run(const Schema& a, const Schema& b)
    {
        auto tables_a = index_tables(a);
        auto tables_b = index_tables(b);
        for (const auto& [name, ta] : tables_a) {
            auto it = tables_b.find(name);
            if (it == tables_b.end())
                add(Difference::Kind::removed, DiffObject::table, name, name);
            else
                compare_tables(*ta, *it->second);
        }
        for (const auto& [name, tb] : tables_b)
            if (!tables_a.count(name))
                add(Difference::Kind::added, DiffObject::table, name, name);
        match(a.objects, b.objects, DiffObject::object, "", object_key, object_key,
              [&](const SqlObject& x, const SqlObject& y) {
                  report(DiffObject::object, "", object_key(x), object_changes(x, y, rules_));
              });
        std::stable_sort(out_.begin(), out_.end(), [](const Difference& x, const Difference& y) {
            return std::tie(x.table, x.object, x.name, x.field) < std::tie(y.table, y.object, y.name, y.field);
        });
        return std::move(out_);
    }

private:
    std::map<std::string, const Table*> index_tables(const Schema& s) const
    {
        std::map<std::string, const Table*> out;
        for (const auto& t : s.tables) {
            if (t.name == "strata_version" ||
                std::find(options_.exclude_tables.begin(), options_.exclude_tables.end(), t.name) !=
                    options_.exclude_tables.end())
                continue;
            out.emplace(t.name, &t);
        }
        return out;
    }

    void add(Difference::Kind kind, DiffObject object, std::string table, std::string name, std::string field = {},
             std::string old_value = {}, std::string new_value = {})
    {
        out_.push_back(Difference{kind, object, std::move(table), std::move(name), std::move(field),
                                  std::move(old_value), std::move(new_value)});
    }

    void report(DiffObject object, const std::string& table, const std::string& name, FieldChanges changes)
    {
        for (auto& c : changes)
            add(Difference::Kind::changed, object, table, name, std::move(c.field), std::move(c.old_value),
                std::move(c.new_value));
    }

    void changed(const std::string& table, std::string field, std::string a, std::string b)
    {
        add(Difference::Kind::changed, DiffObject::table, table, table, std::move(field), std::move(a), std::move(b));
    }

    void compare_tables(const Table& a, const Table& b)
    {
        if (a == b)
            return;  // the common case, and every check below is a relaxation of equality
        const auto& t = a.name;
        for (const auto& ca : a.columns) {
            if (const auto* cb = b.find_column(ca.name))
                report(DiffObject::column, t, ca.name, column_changes(ca, *cb, rules_));
            else
                add(Difference::Kind::removed, DiffObject::column, t, ca.name);
        }
        for (const auto& cb : b.columns)
            if (!a.find_column(cb.name))
                add(Difference::Kind::added, DiffObject::column, t, cb.name);

        compare_primary_keys(a, b);
        match(a.uniques, b.uniques, DiffObject::unique, t, unique_key,
              [](const UniqueConstraint& u) { return u.name.empty() ? unique_key(u) : u.name; },
              [&](const UniqueConstraint& x, const UniqueConstraint& y) {
                  report(DiffObject::unique, t, y.name, unique_changes(x, y, rules_));
              });
        match(a.foreign_keys, b.foreign_keys, DiffObject::foreign_key, t, foreign_key_key,
              [](const ForeignKey& fk) { return fk.name.empty() ? foreign_key_key(fk) : fk.name; },
              [&](const ForeignKey& x, const ForeignKey& y) {
                  report(DiffObject::foreign_key, t, y.name.empty() ? foreign_key_key(y) : y.name,
                         foreign_key_changes(x, y, rules_));
              });
        compare_checks(a, b);
        match(a.indexes, b.indexes, DiffObject::index, t, [](const Index& ix) { return ix.name; },
              [](const Index& ix) { return ix.name; },
              [&](const Index& x, const Index& y) { report(DiffObject::index, t, x.name, index_changes(x, y, rules_)); });
        if (options_.comments && a.comment != b.comment)
            changed(t, "comment", a.comment, b.comment);
        if (a.without_rowid != b.without_rowid)
            changed(t, "without_rowid", a.without_rowid ? "yes" : "no", b.without_rowid ? "yes" : "no");
        if (a.strict != b.strict)
            changed(t, "strict", a.strict ? "yes" : "no", b.strict ? "yes" : "no");
        auto exclusion_name = [](const ExclusionConstraint& x) { return x.name; };
        match(a.exclusions, b.exclusions, DiffObject::exclusion, t, exclusion_name, exclusion_name,
              [&](const ExclusionConstraint& x, const ExclusionConstraint& y) {
                  report(DiffObject::exclusion, t, x.name, exclusion_changes(x, y, rules_));
              });
        if (a.partition_by != b.partition_by)
            changed(t, "partition_by", or_none(a.partition_by), or_none(b.partition_by));
        if (a.partition_of != b.partition_of || a.partition_bound != b.partition_bound)
            changed(t, "partition_of", or_none(a.partition_of + " " + a.partition_bound),
                    or_none(b.partition_of + " " + b.partition_bound));
        auto rls = [](const Table& x) { return x.force_row_security ? "forced" : x.row_security ? "enabled" : "off"; };
        if (std::string(rls(a)) != rls(b))
            changed(t, "row_security", rls(a), rls(b));
    }

    static std::string or_none(const std::string& s)
    {
        return trim(s).empty() ? "none" : std::string(trim(s));
    }

    void compare_primary_keys(const Table& a, const Table& b)
    {
        const auto& t = a.name;
        bool has_a = a.primary_key && !a.primary_key->columns.empty();
        bool has_b = b.primary_key && !b.primary_key->columns.empty();
        if (!has_a && !has_b)
            return;
        if (!has_b)
            add(Difference::Kind::removed, DiffObject::primary_key, t, a.primary_key->name);
        else if (!has_a)
            add(Difference::Kind::added, DiffObject::primary_key, t, b.primary_key->name);
        else
            report(DiffObject::primary_key, t, b.primary_key->name, primary_key_changes(*a.primary_key, *b.primary_key, rules_));
    }

    // Matches two lists by a key; reports removed/added, and calls `both` on pairs.
    template <class T, class Key, class Name, class Both>
    void match(const std::vector<T>& a, const std::vector<T>& b, DiffObject object, const std::string& table, Key key,
               Name name, Both both)
    {
        std::multimap<std::string, const T*> in_b;
        for (const auto& x : b)
            in_b.emplace(key(x), &x);
        std::set<const T*> used;
        for (const auto& x : a) {
            auto it = in_b.find(key(x));
            if (it == in_b.end()) {
                add(Difference::Kind::removed, object, table, name(x));
                continue;
            }
            used.insert(it->second);
            both(x, *it->second);
            in_b.erase(it);
        }
        for (const auto& x : b)
            if (!used.count(&x))
                add(Difference::Kind::added, object, table, name(x));
    }

    void compare_checks(const Table& a, const Table& b)
    {
        const auto& t = a.name;
        // By name where both sides have names, then by expression.
        std::vector<CheckConstraint> rest_a, rest_b;
        std::map<std::string, const CheckConstraint*> named_b;
        for (const auto& c : b.checks)
            if (!c.name.empty())
                named_b.emplace(c.name, &c);
        std::set<std::string> matched;
        for (const auto& c : a.checks) {
            auto it = c.name.empty() ? named_b.end() : named_b.find(c.name);
            if (it == named_b.end()) {
                rest_a.push_back(c);
                continue;
            }
            matched.insert(c.name);
            report(DiffObject::check, t, c.name, check_changes(c, *it->second, rules_));
        }
        for (const auto& c : b.checks)
            if (c.name.empty() || !matched.count(c.name))
                rest_b.push_back(c);
        match(rest_a, rest_b, DiffObject::check, t, check_key,
              [](const CheckConstraint& c) { return c.name.empty() ? c.expression : c.name; },
              [](const CheckConstraint&, const CheckConstraint&) {});
    }

    const CompareOptions& options_;
    const Equivalence rules_;
    std::vector<Difference> out_;
};

}  // namespace

std::vector<Difference> compare(const Schema& a, const Schema& b, const CompareOptions& options)
{
    return Comparer(options).run(a, b);
}

std::string to_text(const Difference& d, std::string_view a_label, std::string_view b_label)
{
    std::string where;
    if (d.object == DiffObject::table)
        where = "table " + d.table;
    else if (d.object == DiffObject::object)
        where = d.name;
    else {
        std::string what = d.object == DiffObject::primary_key ? "primary key"
                           : d.object == DiffObject::foreign_key ? "foreign key"
                                                                 : to_string(d.object);
        where = "table " + d.table + ": " + what + " " + d.name;
    }
    switch (d.kind) {
    case Difference::Kind::added: return where + ": only in " + std::string(b_label);
    case Difference::Kind::removed: return where + ": only in " + std::string(a_label);
    case Difference::Kind::changed:
        return where + ": " + d.field + " " + d.old_value + " in " + std::string(a_label) + ", " + d.new_value + " in " +
               std::string(b_label);
    }
    return where;
}

std::string to_json(const std::vector<Difference>& differences)
{
    return detail::dump_json(detail::differences_json(differences));
}

}  // namespace strata
