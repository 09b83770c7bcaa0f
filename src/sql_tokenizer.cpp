// A small SQL tokenizer shared by the SQLite schema reader, expression
// normalisation and the statement splitter. It only has to be right about
// where tokens start and end (quotes, comments, dollar quotes); it never
// judges whether the SQL is valid.
#include "sql_tokenizer.hpp"

#include "text.hpp"

#include <algorithm>
#include <array>

namespace strata::detail {

namespace {

// Character classes in one table: the tokenizer runs over every CREATE statement
// of a schema, so each byte should cost a load, not a chain of comparisons.
enum : unsigned char { c_space = 1, c_word_start = 2, c_word = 4, c_digit = 8, c_op = 16 };
constexpr std::array<unsigned char, 256> char_classes = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 256; ++c) {
        unsigned char f = 0;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            f |= c_space;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80)
            f |= c_word_start | c_word;
        if (c >= '0' && c <= '9')
            f |= c_digit | c_word;
        if (c == '$')
            f |= c_word;
        switch (c) {
        case '+': case '-': case '*': case '/': case '<': case '>': case '=': case '~': case '!':
        case '@': case '#': case '%': case '^': case '&': case '|': case ':': case '?':
            f |= c_op;
            break;
        default:
            break;
        }
        t[static_cast<std::size_t>(c)] = f;
    }
    return t;
}();

bool has(char c, unsigned char flag) noexcept
{
    return (char_classes[static_cast<unsigned char>(c)] & flag) != 0;
}
bool is_space(char c) noexcept { return has(c, c_space); }
bool is_word_start(char c) noexcept { return has(c, c_word_start); }
bool is_word_char(char c) noexcept { return has(c, c_word); }
bool is_digit(char c) noexcept { return has(c, c_digit); }
bool is_op_char(char c) noexcept { return has(c, c_op); }

}  // namespace

Token Tokenizer::quoted(char close, TokenKind kind, std::size_t start)
{
    ++pos_;
    while (pos_ < sql_.size()) {
        if (sql_[pos_] == close) {
            // A doubled closing quote is an escaped one (not for ']').
            if (close != ']' && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == close) {
                pos_ += 2;
                continue;
            }
            ++pos_;
            return make(kind, start);
        }
        ++pos_;
    }
    return make(TokenKind::error, start);
}

Token Tokenizer::dollar_quoted(std::size_t start)
{
    // $tag$ ... $tag$ where tag is empty or a word without '$'.
    std::size_t tag_end = sql_.find('$', pos_ + 1);
    std::string_view tag = sql_.substr(pos_, tag_end - pos_ + 1);
    std::size_t close = sql_.find(tag, tag_end + 1);
    if (close == std::string_view::npos) {
        pos_ = sql_.size();
        return make(TokenKind::error, start);
    }
    pos_ = close + tag.size();
    return make(TokenKind::string, start);
}

Token Tokenizer::block_comment(std::size_t start)
{
    int depth = 0;
    while (pos_ < sql_.size()) {
        if (sql_[pos_] == '/' && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '*') {
            if (depth == 0 || options_.nested_comments)
                ++depth;
            pos_ += 2;
        } else if (sql_[pos_] == '*' && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '/') {
            pos_ += 2;
            if (--depth == 0)
                return make(TokenKind::comment, start);
        } else {
            ++pos_;
        }
    }
    return make(TokenKind::error, start);
}

Token Tokenizer::next()
{
    const std::size_t start = pos_;
    const std::size_t size = sql_.size();
    if (pos_ >= size)
        return Token{TokenKind::end, {}, pos_};
    const char* s = sql_.data();
    const char c = s[pos_];
    const char n = pos_ + 1 < size ? s[pos_ + 1] : '\0';

    // The common cases first: spaces and words make up most of any schema text.
    if (is_space(c)) {
        do
            ++pos_;
        while (pos_ < size && is_space(s[pos_]));
        return make(TokenKind::space, start);
    }
    if (is_word_start(c) && n != '\'') {
        do
            ++pos_;
        while (pos_ < size && is_word_char(s[pos_]));
        return make(TokenKind::word, start);
    }
    switch (c) {
    case '"': return quoted('"', TokenKind::quoted_identifier, start);
    case '\'': return quoted('\'', TokenKind::string, start);
    case '(': case ')': case ',': case ';': case '.': case '{': case '}':
        ++pos_;
        return make(TokenKind::punct, start);
    case '[':
    case ']':
        if (c == '[' && options_.brackets)
            return quoted(']', TokenKind::quoted_identifier, start);
        ++pos_;
        return make(TokenKind::punct, start);
    case '`':
        if (options_.backticks)
            return quoted('`', TokenKind::quoted_identifier, start);
        break;
    case '-':
        if (n == '-') {
            auto eol = sql_.find('\n', pos_);
            pos_ = eol == std::string_view::npos ? size : eol;
            return make(TokenKind::comment, start);
        }
        break;
    case '/':
        if (n == '*')
            return block_comment(start);
        break;
    case '$':
        if (is_digit(n)) {
            ++pos_;
            while (pos_ < size && is_digit(s[pos_]))
                ++pos_;
            return make(TokenKind::parameter, start);
        }
        if (options_.dollar_quotes && (n == '$' || is_word_start(n))) {
            std::size_t p = pos_ + 1;
            while (p < size && s[p] != '$' && is_word_char(s[p]))
                ++p;
            if (p < size && s[p] == '$')
                return dollar_quoted(start);
        }
        break;
    case '?':
        ++pos_;
        while (pos_ < size && is_digit(s[pos_]))
            ++pos_;
        return make(TokenKind::parameter, start);
    case ':':
        if (is_word_start(n)) {
            ++pos_;
            while (pos_ < size && is_word_char(s[pos_]))
                ++pos_;
            return make(TokenKind::parameter, start);
        }
        break;
    default:
        break;
    }
    if (is_word_start(c)) {
        // A string prefix: E'..' (backslash escapes), X'..' (blob), N'..', B'..'.
        if (c == 'E' || c == 'e') {
            pos_ += 2;
            while (pos_ < size) {
                if (s[pos_] == '\\') {
                    pos_ += 2;
                    continue;
                }
                if (s[pos_] == '\'') {
                    if (pos_ + 1 < size && s[pos_ + 1] == '\'') {
                        pos_ += 2;
                        continue;
                    }
                    ++pos_;
                    return make(TokenKind::string, start);
                }
                ++pos_;
            }
            pos_ = std::min(pos_, size);
            return make(TokenKind::error, start);
        }
        if (c == 'X' || c == 'x' || c == 'N' || c == 'n' || c == 'B' || c == 'b') {
            ++pos_;
            auto t = quoted('\'', TokenKind::string, pos_);
            t.text = std::string_view(s + start, pos_ - start);
            t.offset = start;
            return t;
        }
        do
            ++pos_;
        while (pos_ < size && is_word_char(s[pos_]));
        return make(TokenKind::word, start);
    }
    if (is_digit(c) || (c == '.' && is_digit(n))) {
        if (c == '0' && (n == 'x' || n == 'X')) {
            pos_ += 2;
            while (pos_ < size && std::isxdigit(static_cast<unsigned char>(s[pos_])))
                ++pos_;
            return make(TokenKind::number, start);
        }
        while (pos_ < size && (is_digit(s[pos_]) || s[pos_] == '.'))
            ++pos_;
        if (pos_ < size && (s[pos_] == 'e' || s[pos_] == 'E')) {
            std::size_t p = pos_ + 1;
            if (p < size && (s[p] == '+' || s[p] == '-'))
                ++p;
            if (p < size && is_digit(s[p])) {
                pos_ = p;
                while (pos_ < size && is_digit(s[pos_]))
                    ++pos_;
            }
        }
        return make(TokenKind::number, start);
    }
    if (is_op_char(c)) {
        ++pos_;
        while (pos_ < size && is_op_char(s[pos_])) {
            // A comment starts here, not an operator.
            if ((s[pos_] == '-' && pos_ + 1 < size && s[pos_ + 1] == '-') ||
                (s[pos_] == '/' && pos_ + 1 < size && s[pos_ + 1] == '*'))
                break;
            ++pos_;
        }
        return make(TokenKind::op, start);
    }
    ++pos_;
    return make(TokenKind::op, start);
}

std::vector<Token> tokenize(std::string_view sql, TokenizerOptions options, bool keep_trivia)
{
    std::vector<Token> out;
    tokenize_into(out, sql, options, keep_trivia);
    return out;
}

void tokenize_into(std::vector<Token>& out, std::string_view sql, TokenizerOptions options, bool keep_trivia)
{
    out.clear();
    Tokenizer tz(sql, options);
    for (auto t = tz.next(); !t.is(TokenKind::end); t = tz.next())
        if (keep_trivia || !t.is_trivia())
            out.push_back(t);
}

std::string unquote_identifier(std::string_view token)
{
    if (token.size() < 2 || (token.front() != '"' && token.front() != '`' && token.front() != '['))
        return std::string(token);
    char open = token.front();
    char close = open == '[' ? ']' : open;
    if (token.back() != close)
        return std::string(token);
    auto inner = token.substr(1, token.size() - 2);
    if (close == ']' || inner.find(close) == std::string_view::npos)
        return std::string(inner);
    std::string out;
    out.reserve(token.size() - 2);
    for (std::size_t i = 1; i + 1 < token.size(); ++i) {
        out += token[i];
        if (close != ']' && token[i] == close && i + 2 < token.size() && token[i + 1] == close)
            ++i;
    }
    return out;
}

std::string unquote_string(std::string_view token)
{
    if (token.empty())
        return {};
    if (token.front() == '$') {
        auto tag_end = token.find('$', 1);
        auto tag_len = tag_end + 1;
        if (token.size() >= 2 * tag_len)
            return std::string(token.substr(tag_len, token.size() - 2 * tag_len));
        return std::string(token);
    }
    bool escapes = false;
    if (token.front() == 'E' || token.front() == 'e') {
        escapes = true;
        token.remove_prefix(1);
    } else if (token.front() == 'N' || token.front() == 'n') {
        token.remove_prefix(1);
    }
    if (token.size() < 2 || token.front() != '\'' || token.back() != '\'')
        return std::string(token);
    std::string out;
    out.reserve(token.size() - 2);
    for (std::size_t i = 1; i + 1 < token.size(); ++i) {
        char c = token[i];
        if (c == '\'' && i + 2 < token.size() && token[i + 1] == '\'') {
            out += '\'';
            ++i;
        } else if (escapes && c == '\\' && i + 2 < token.size()) {
            char e = token[++i];
            switch (e) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            default: out += e; break;
            }
        } else {
            out += c;
        }
    }
    return out;
}

std::size_t line_of(std::string_view text, std::size_t offset) noexcept
{
    offset = std::min(offset, text.size());
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

namespace {

// Words that continue a multi-word type name after a cast: x::character varying(10).
bool is_type_word_continuation(const Token& t)
{
    static const std::string_view words[] = {"varying", "precision", "without", "with", "time", "zone"};
    return std::any_of(std::begin(words), std::end(words), [&](auto w) { return t.is_word(w); });
}

std::vector<Token> drop_casts(const std::vector<Token>& in)
{
    std::vector<Token> out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i].kind == TokenKind::op && in[i].text == "::" && i + 1 < in.size()) {
            std::size_t j = i + 1;
            if (in[j].kind == TokenKind::word || in[j].kind == TokenKind::quoted_identifier) {
                ++j;
                // schema-qualified: pg_catalog.text
                while (j + 1 < in.size() && in[j].is_punct('.') && in[j + 1].kind != TokenKind::punct)
                    j += 2;
                while (j < in.size() && is_type_word_continuation(in[j]))
                    ++j;
                if (j < in.size() && in[j].is_punct('(')) {
                    while (j < in.size() && !in[j].is_punct(')'))
                        ++j;
                    ++j;
                }
                while (j + 1 < in.size() && in[j].is_punct('[') && in[j + 1].is_punct(']'))
                    j += 2;
                i = j - 1;
                continue;
            }
        }
        out.push_back(in[i]);
    }
    return out;
}

}  // namespace

std::string normalize_expression(std::string_view expression)
{
    TokenizerOptions options;
    options.brackets = false;
    auto tokens = drop_casts(tokenize(expression, options));

    // Parentheses that only group are dropped; a function call's are kept.
    std::vector<bool> keep_paren(tokens.size(), true);
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i].is_punct('(')) {
            bool call = i > 0 && (tokens[i - 1].kind == TokenKind::word || tokens[i - 1].kind == TokenKind::quoted_identifier);
            // After these keywords a parenthesis only groups ("AND (", "NOT ("); after
            // IN and EXISTS it is part of the syntax and stays, like a call's.
            static const std::string_view grouping_keywords[] = {"and", "or", "not", "when", "then", "else", "is", "case", "where", "between"};
            if (call)
                for (auto k : grouping_keywords)
                    if (tokens[i - 1].is_word(k))
                        call = false;
            keep_paren[i] = call;
            open.push_back(i);
        } else if (tokens[i].is_punct(')') && !open.empty()) {
            keep_paren[i] = keep_paren[open.back()];
            open.pop_back();
        }
    }

    std::vector<std::string> words;
    words.reserve(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& t = tokens[i];
        if ((t.is_punct('(') || t.is_punct(')')) && !keep_paren[i])
            continue;
        switch (t.kind) {
        case TokenKind::word: words.push_back(lower(t.text)); break;
        case TokenKind::quoted_identifier: words.push_back(unquote_identifier(t.text)); break;
        case TokenKind::string: words.push_back(single_quoted(unquote_string(t.text))); break;
        case TokenKind::op:
            if (t.text == "~~")
                words.emplace_back("like");
            else if (t.text == "!~~")
                words.emplace_back("not like");
            else if (t.text == "~~*")
                words.emplace_back("ilike");
            else if (t.text == "!=")
                words.emplace_back("<>");
            else if (t.text == "==")
                words.emplace_back("=");
            else
                words.emplace_back(t.text);
            break;
        default: words.emplace_back(t.text); break;
        }
    }

    // x = ANY (ARRAY[a, b]) -> x IN (a, b); x <> ALL (ARRAY[..]) -> x NOT IN (..).
    std::vector<std::string> out;
    out.reserve(words.size());
    for (std::size_t i = 0; i < words.size(); ++i) {
        bool any = words[i] == "=" && i + 4 < words.size() && words[i + 1] == "any" && words[i + 2] == "(" &&
                   words[i + 3] == "array" && words[i + 4] == "[";
        bool all = words[i] == "<>" && i + 4 < words.size() && words[i + 1] == "all" && words[i + 2] == "(" &&
                   words[i + 3] == "array" && words[i + 4] == "[";
        if (any || all) {
            out.emplace_back(any ? "in" : "not in");
            out.emplace_back("(");
            std::size_t j = i + 5;
            while (j < words.size() && words[j] != "]")
                out.push_back(words[j++]);
            out.emplace_back(")");
            i = j + 1;  // skip "]" and ")"
            continue;
        }
        out.push_back(words[i]);
    }
    return join(out, " ");
}

SplitResult split_statements(std::string_view sql, TokenizerOptions options)
{
    SplitResult result;
    Tokenizer tz(sql, options);
    std::size_t start = 0;
    bool has_content = false;
    int depth = 0;
    // Inside CREATE TRIGGER ... BEGIN ... END (and BEGIN ATOMIC bodies), semicolons
    // end the body's statements, not ours; CASE ... END nests inside.
    std::vector<Token> head;  // first words of the statement
    bool in_body = false;
    int case_depth = 0;
    Token previous;

    auto finish = [&](std::size_t end) {
        auto text = trim(sql.substr(start, end - start));
        if (has_content && !text.empty())
            result.statements.push_back({std::string(text), start + static_cast<std::size_t>(text.data() - sql.substr(start).data())});
        has_content = false;
        head.clear();
        in_body = false;
        case_depth = 0;
        depth = 0;
    };
    auto body_statement = [&]() {
        bool create = !head.empty() && head[0].is_word("create");
        for (const auto& t : head)
            if (t.is_word("trigger"))
                return create;
        return false;
    };

    for (auto t = tz.next();; t = tz.next()) {
        if (t.is(TokenKind::end)) {
            finish(sql.size());
            break;
        }
        if (t.is(TokenKind::error)) {
            result.error = t.text.starts_with("/*")   ? "unterminated comment"
                           : t.text.starts_with("$") ? "unterminated dollar quote"
                           : t.text.starts_with("\"") ? "unterminated quoted identifier"
                                                      : "unterminated quote";
            result.error_offset = t.offset;
            return result;
        }
        if (t.is_trivia())
            continue;
        if (!has_content) {
            start = t.offset;
            has_content = true;
        }
        if (head.size() < 8 && t.kind == TokenKind::word)
            head.push_back(t);
        if (t.is_punct('('))
            ++depth;
        else if (t.is_punct(')'))
            --depth;
        else if (t.is_word("begin") && body_statement())
            in_body = true;
        else if (t.is_word("atomic") && previous.is_word("begin"))
            in_body = true;
        else if (in_body && t.is_word("case"))
            ++case_depth;
        else if (in_body && t.is_word("end")) {
            if (case_depth > 0)
                --case_depth;
            else
                in_body = false;
        } else if (t.is_punct(';') && depth <= 0 && !in_body) {
            finish(t.offset);
            start = t.offset + 1;
        }
        previous = t;
    }
    return result;
}

std::optional<std::string> function_arguments(std::string_view create_sql)
{
    TokenizerOptions options;
    options.brackets = false;
    options.backticks = false;
    const auto tokens = tokenize(create_sql, options);
    std::size_t i = 0;
    while (i < tokens.size() && !tokens[i].is_word("function") && !tokens[i].is_word("procedure"))
        ++i;
    while (i < tokens.size() && !tokens[i].is_punct('('))
        ++i;
    if (i >= tokens.size())
        return std::nullopt;
    std::vector<std::string> arguments;
    std::string current;
    bool in_default = false;
    int depth = 0;
    auto finish = [&] {
        if (!current.empty())
            arguments.push_back(current);
        current.clear();
        in_default = false;
    };
    for (++i; i < tokens.size(); ++i) {
        const auto& t = tokens[i];
        if (depth == 0 && (t.is_punct(')') || t.is_punct(','))) {
            finish();
            if (t.is_punct(')'))
                return "(" + join(arguments, ", ") + ")";
            continue;
        }
        if (t.is_punct('('))
            ++depth;
        else if (t.is_punct(')'))
            --depth;
        if (depth == 0 && (t.is_word("default") || (t.kind == TokenKind::op && t.text == "=")))
            in_default = true;
        if (in_default)
            continue;
        // Words keep one space between them; punctuation sticks to its neighbours.
        const bool glue = current.empty() || t.is_punct('(') || t.is_punct(')') || t.is_punct('.') || t.is_punct(',') ||
                          t.is_punct('[') || t.is_punct(']') || current.back() == '(' || current.back() == '.';
        current += (glue ? "" : " ") + std::string(t.text);
    }
    return std::nullopt;
}

}  // namespace strata::detail
