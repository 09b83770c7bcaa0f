// SqlText: SQL by dialect, with a shared text as the fallback.
#include "strata/sql_text.hpp"

namespace strata {

SqlText::SqlText(std::string every_dialect)
{
    if (!every_dialect.empty())
        texts_.emplace("", std::move(every_dialect));
}

SqlText::SqlText(const char* every_dialect) : SqlText(std::string(every_dialect ? every_dialect : "")) {}

SqlText::SqlText(std::initializer_list<std::pair<const std::string, std::string>> by_dialect) : texts_(by_dialect) {}

SqlText& SqlText::on(std::string dialect, std::string sql)
{
    texts_[std::move(dialect)] = std::move(sql);
    return *this;
}

const std::string* SqlText::for_dialect(std::string_view dialect) const
{
    if (auto it = texts_.find(std::string(dialect)); it != texts_.end())
        return &it->second;
    if (auto it = texts_.find(""); it != texts_.end())
        return &it->second;
    return nullptr;
}

}  // namespace strata
