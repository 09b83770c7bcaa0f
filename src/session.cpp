// Session's typed helpers over struct mappings, and the RAII Transaction.
#include "strata/session.hpp"

#include "strata/dialect.hpp"
#include "strata/errors.hpp"
#include "strata/schema.hpp"

#include "log.hpp"

namespace strata {

const detail::RowMapping& Session::mapping_for(std::type_index type) const
{
    if (!schema_)
        throw Error(ErrorCode::usage, std::string("no models are attached to this session, so type '") + type.name() +
                                          "' has no table: declare the bind with Upgrader::bind(name, database, models), or call "
                                          "database.attach_schema(models)");
    const auto* m = schema_->mapping(type);
    if (!m)
        throw Error(ErrorCode::usage, std::string("type '") + type.name() + "' is not mapped by the models of bind '" +
                                          schema_->bind() + "': declare it with schema.table<T>(...)");
    return *m;
}

void Session::insert_row(const detail::RowMapping& m, const void* row)
{
    const auto& d = dialect();
    const Table* table = schema_->find_table(m.table);
    std::string columns, marks;
    std::vector<Value> params;
    for (const auto& member : m.members) {
        Value v = member.get(row);
        // An autoincrement key left at zero or NULL is assigned by the database.
        if (table) {
            const auto* c = table->find_column(member.column);
            if (c && c->autoincrement && (is_null(v) || v == Value{std::int64_t{0}}))
                continue;
        }
        if (!columns.empty()) {
            columns += ", ";
            marks += ", ";
        }
        columns += d.quote(member.column);
        marks += "?";
        params.push_back(std::move(v));
    }
    execute("INSERT INTO " + d.quote(m.table) + " (" + columns + ") VALUES (" + marks + ")", params);
}

std::int64_t Session::update_row(const detail::RowMapping& m, const void* row)
{
    const auto& d = dialect();
    const Table* table = schema_->find_table(m.table);
    if (!table || !table->primary_key)
        throw Error(ErrorCode::usage, "table '" + m.table + "' has no primary key, so update() cannot find the row");
    std::string sets, where;
    std::vector<Value> set_params, key_params;
    for (const auto& member : m.members) {
        if (table->in_primary_key(member.column)) {
            where += (where.empty() ? "" : " AND ") + d.quote(member.column) + " = ?";
            key_params.push_back(member.get(row));
        } else {
            sets += (sets.empty() ? "" : ", ") + d.quote(member.column) + " = ?";
            set_params.push_back(member.get(row));
        }
    }
    if (sets.empty())
        return 0;
    set_params.insert(set_params.end(), key_params.begin(), key_params.end());
    return execute("UPDATE " + d.quote(m.table) + " SET " + sets + " WHERE " + where, set_params);
}

Rows Session::select_rows(const detail::RowMapping& m, std::string_view where, const std::vector<Value>& params)
{
    const auto& d = dialect();
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < m.members.size(); ++i)
        sql += (i ? ", " : "") + d.quote(m.members[i].column);
    sql += " FROM " + d.quote(m.table);
    if (!where.empty())
        sql += " WHERE " + std::string(where);
    return query(sql, params);
}

void Session::read_row(const detail::RowMapping& m, const std::vector<Value>& values, void* row)
{
    for (std::size_t i = 0; i < m.members.size() && i < values.size(); ++i)
        m.members[i].set(row, values[i]);
}

Value Session::scalar(std::string_view sql, const std::vector<Value>& params)
{
    auto rows = query(sql, params);
    if (rows.empty() || rows.rows[0].empty())
        return {};
    return rows.rows[0][0];
}

Transaction::Transaction(Session& session, TransactionMode mode) : session_(session)
{
    session_.begin(mode);
}

Transaction::~Transaction()
{
    if (done_)
        return;
    try {
        session_.rollback();
    } catch (const std::exception& e) {
        // A destructor must not throw; the connection is likely gone, which ends the transaction anyway.
        detail::logger().warn("rollback failed: {}", e.what());
    }
}

void Transaction::commit()
{
    if (done_)
        throw Error(ErrorCode::usage, "the transaction was already committed or rolled back");
    done_ = true;
    session_.commit();
}

void Transaction::rollback()
{
    if (done_)
        throw Error(ErrorCode::usage, "the transaction was already committed or rolled back");
    done_ = true;
    session_.rollback();
}

}  // namespace strata
