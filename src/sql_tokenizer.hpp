// A small SQL tokenizer shared by the SQLite schema reader, expression
// normalisation (compare) and the SQL-file statement splitter.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::detail {

enum class TokenKind {
    word,               // bare identifier or keyword
    quoted_identifier,  // "x", `x` or [x]
    string,             // 'x', E'x', X'00' (blob), $tag$x$tag$
    number,
    parameter,          // ?, ?1, :name, @name, $1
    punct,              // ( ) , ; . [ ]
    op,                 // operator characters: = <> :: || ~~ ...
    comment,            // -- ... or /* ... */
    space,
    error,              // unterminated quote, dollar quote or comment
    end,
};

struct Token {
    TokenKind kind = TokenKind::end;
    std::string_view text;
    std::size_t offset = 0;

    [[nodiscard]] bool is(TokenKind k) const noexcept { return kind == k; }
    [[nodiscard]] bool is_punct(char c) const noexcept { return kind == TokenKind::punct && text.size() == 1 && text[0] == c; }
    // Case-insensitive keyword test on a bare word; `keyword` is lower case.
    [[nodiscard]] bool is_word(std::string_view keyword) const noexcept
    {
        if (kind != TokenKind::word || text.size() != keyword.size())
            return false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            char c = text[i];
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c + ('a' - 'A'));
            if (c != keyword[i])
                return false;
        }
        return true;
    }
    [[nodiscard]] bool is_trivia() const noexcept { return kind == TokenKind::space || kind == TokenKind::comment; }
};

struct TokenizerOptions {
    bool dollar_quotes = true;     // PostgreSQL $tag$...$tag$
    bool brackets = true;          // SQLite [identifier]
    bool backticks = true;         // SQLite `identifier`
    bool nested_comments = false;  // PostgreSQL nests /* /* */ */
};

class Tokenizer {
public:
    explicit Tokenizer(std::string_view sql, TokenizerOptions options = {}) : sql_(sql), options_(options) {}
    Token next();
    [[nodiscard]] std::size_t position() const noexcept { return pos_; }

private:
    Token make(TokenKind kind, std::size_t start) const noexcept
    {
        return Token{kind, std::string_view(sql_.data() + start, pos_ - start), start};
    }
    Token quoted(char close, TokenKind kind, std::size_t start);
    Token dollar_quoted(std::size_t start);
    Token block_comment(std::size_t start);

    std::string_view sql_;
    TokenizerOptions options_;
    std::size_t pos_ = 0;
};

// All tokens, trivia (spaces and comments) left out unless asked for.
[[nodiscard]] std::vector<Token> tokenize(std::string_view sql, TokenizerOptions options = {}, bool keep_trivia = false);
// The same into a vector the caller reuses (no allocation per statement).
void tokenize_into(std::vector<Token>& out, std::string_view sql, TokenizerOptions options = {}, bool keep_trivia = false);

// "a""b" -> a"b, [x] -> x, `x` -> x; a bare word is returned as written.
[[nodiscard]] std::string unquote_identifier(std::string_view token);
// 'it''s' -> it's (also E'..', $$..$$).
[[nodiscard]] std::string unquote_string(std::string_view token);
// 1-based line of an offset, for messages that point into a file.
[[nodiscard]] std::size_t line_of(std::string_view text, std::size_t offset) noexcept;

// Canonical text of an SQL expression for comparing a model's spelling with an
// engine's re-rendering: case, spacing and quoting of identifiers, type casts
// (x::text), grouping parentheses, "= ANY (ARRAY[...])" as IN (...), ~~ as LIKE.
[[nodiscard]] std::string normalize_expression(std::string_view expression);

// The argument list of a CREATE FUNCTION or CREATE PROCEDURE statement as DROP
// and COMMENT ON name it: "(a integer, OUT n bigint)", defaults left out and
// spaces collapsed; nothing when the text is not such a statement.
[[nodiscard]] std::optional<std::string> function_arguments(std::string_view create_sql);

// Splits SQL text into statements on top-level semicolons, keeping CREATE
// TRIGGER ... BEGIN ... END together. Empty statements are dropped.
struct SplitStatement {
    std::string sql;
    std::size_t offset = 0;
};
struct SplitResult {
    std::vector<SplitStatement> statements;
    std::string error;         // empty when the text was well-formed
    std::size_t error_offset = 0;
};
[[nodiscard]] SplitResult split_statements(std::string_view sql, TokenizerOptions options = {});

}  // namespace strata::detail
