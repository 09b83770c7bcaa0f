// Fuzz target: the SQL tokenizer, statement splitter and expression normaliser,
// which read SQL files, stored CREATE text and server-deparsed expressions.
#include "sql_tokenizer.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace strata::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (bool postgresql : {false, true}) {
        TokenizerOptions options;
        options.dollar_quotes = postgresql;
        options.nested_comments = postgresql;
        options.brackets = !postgresql;
        options.backticks = !postgresql;
        // Tokens lie inside the text, in order, without overlapping.
        std::size_t end = 0;
        for (const auto& t : tokenize(text, options, true)) {
            if (t.offset < end || t.offset + t.text.size() > size || t.text.data() != text.data() + t.offset)
                std::abort();
            end = t.offset + t.text.size();
        }
        auto split = split_statements(text, options);
        for (const auto& s : split.statements)
            if (s.offset > size || s.sql.empty())
                std::abort();
        if (!split.error.empty() && split.error_offset > size)
            std::abort();
    }
    (void)normalize_expression(text);
    (void)line_of(text, size / 2);
    return 0;
}
