// inspect() and the inspect command's SQL and Mermaid renderings.
#include "strata/inspect.hpp"

#include "strata/dialect.hpp"
#include "strata/session.hpp"

#include <future>
#include <set>

namespace strata {

Schema inspect(Session& session)
{
    return session.dialect().inspect(session);
}

std::vector<Schema> inspect_all(const std::vector<Session*>& sessions)
{
    // A server's introspection waits on the server, so several overlap well; an
    // embedded engine's is work in this process (and SQLite's allocator takes a
    // process-wide lock), so those run one after the other.
    std::vector<std::future<Schema>> pending(sessions.size());
    for (std::size_t i = 0; i < sessions.size(); ++i)
        if (!sessions[i]->dialect().capabilities().embedded)
            pending[i] = std::async(std::launch::async, [s = sessions[i]] { return inspect(*s); });
    std::vector<Schema> out;
    out.reserve(sessions.size());
    for (std::size_t i = 0; i < sessions.size(); ++i)
        out.push_back(pending[i].valid() ? pending[i].get() : inspect(*sessions[i]));
    return out;
}

std::string to_sql(const Schema& schema, const Dialect& dialect)
{
    std::string out;
    for (const auto& s : dialect.create_script(schema)) {
        if (!s.comment.empty())
            out += "-- " + s.comment + "\n";
        out += s.sql;
        out += ";\n\n";
    }
    return out;
}

namespace {

// Mermaid entity names are words; anything else gets an alias with the real name as label.
std::string entity(const std::string& name)
{
    std::string id;
    for (char c : name)
        id += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
    if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0])))
        id = "t_" + id;
    return id;
}

std::string entity_declaration(const std::string& name)
{
    auto id = entity(name);
    return id == name ? id : id + "[\"" + name + "\"]";
}

std::string attribute_type(const Type& t)
{
    std::string out;
    for (char c : to_string(t))
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : (c == ',' ? '_' : (c == '(' ? '_' : '\0'));
    std::erase(out, '\0');
    return out;
}

}  // namespace

std::string to_mermaid(const Schema& schema)
{
    std::string out = "erDiagram\n";
    for (const auto& t : schema.tables) {
        if (t.name == "strata_version")
            continue;
        std::set<std::string> fk_columns, unique_columns;
        for (const auto& fk : t.foreign_keys)
            fk_columns.insert(fk.columns.begin(), fk.columns.end());
        for (const auto& u : t.uniques)
            if (u.columns.size() == 1)
                unique_columns.insert(u.columns[0]);
        out += "    " + entity_declaration(t.name) + " {\n";
        for (const auto& c : t.columns) {
            std::vector<std::string> keys;
            if (t.in_primary_key(c.name))
                keys.emplace_back("PK");
            if (fk_columns.count(c.name))
                keys.emplace_back("FK");
            if (unique_columns.count(c.name))
                keys.emplace_back("UK");
            out += "        " + attribute_type(c.type) + " " + entity(c.name);
            for (std::size_t i = 0; i < keys.size(); ++i)
                out += (i ? ", " : " ") + keys[i];
            if (!c.nullable && !t.in_primary_key(c.name))
                out += " \"NOT NULL\"";
            out += "\n";
        }
        out += "    }\n";
    }
    for (const auto& t : schema.tables) {
        for (const auto& fk : t.foreign_keys) {
            bool optional = false;
            for (const auto& col : fk.columns)
                if (const auto* c = t.find_column(col); c && c->nullable)
                    optional = true;
            auto label = fk.name.empty() ? fk.columns.empty() ? fk.ref_table : fk.columns.front() : fk.name;
            out += "    " + entity(fk.ref_table) + (optional ? " |o--o{ " : " ||--o{ ") + entity(t.name) + " : \"" +
                   label + "\"\n";
        }
    }
    return out;
}

}  // namespace strata
