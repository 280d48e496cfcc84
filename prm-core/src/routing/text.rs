//! The text form of conditions: a parser with line/column errors and the printer that is its
//! inverse (for normalised trees: `parse(format(c)) == c.normalized()`).
//!
//! ```text
//! condition := or
//! or        := and ("or" and)*
//! and       := unary ("and" unary)*
//! unary     := "not" unary | "(" condition ")" | "true" | "false" | leaf
//! leaf      := path ("==" | "!=" | "<" | "<=" | ">" | ">=") operand
//!            | path ("in" | "not in" | "not_in" | "contains_any" | "contains_all" | "between") (list | path)
//!            | path ("contains" | "starts_with") operand
//!            | path "exists" ("true" | "false")?
//! operand   := number | string | "true" | "false" | list | path
//! ```
//! Strings are JSON strings: double quotes, with the escapes `\"`, `\\`, `\/`, `\b`, `\f`, `\n`,
//! `\r`, `\t` and `\uXXXX` (surrogate pairs joined).

use super::error::{RoutingErrorKind as K, err};
use super::expr::{Condition, Leaf, Literal, Op};
use crate::Error;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The longest condition text accepted, in bytes.
pub const MAX_CONDITION_TEXT: usize = 65_536;
/// The deepest nesting of `all`/`any`/`not` accepted (text or JSON).
pub const MAX_CONDITION_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Num(Decimal),
    Sym(&'static str),
    End,
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("`{w}`"),
        Tok::Str(s) => format!("string {s:?}"),
        Tok::Num(n) => format!("number {n}"),
        Tok::Sym(s) => format!("`{s}`"),
        Tok::End => "the end of the text".into(),
    }
}

impl Lexer<'_> {
    fn line_col(&self, pos: usize) -> (usize, usize) {
        let before = &self.src[..pos.min(self.src.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    fn error(&self, pos: usize, message: &str) -> Error {
        let (l, c) = self.line_col(pos);
        err(K::ParseError, "", format!("line {l}, column {c}: {message}"))
    }

    /// The next token and its start offset.
    fn next(&mut self) -> Result<(Tok, usize), Error> {
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(&b) = bytes.get(self.pos) else {
            return Ok((Tok::End, start));
        };
        for sym in ["==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", ","] {
            if self.src[self.pos..].starts_with(sym) {
                self.pos += sym.len();
                return Ok((Tok::Sym(sym), start));
            }
        }
        if b == b'"' {
            return self.string(start).map(|s| (Tok::Str(s), start));
        }
        if b.is_ascii_digit() || (b == b'-' && bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit)) {
            let mut end = self.pos + 1;
            while end < bytes.len()
                && (bytes[end].is_ascii_digit() || matches!(bytes[end], b'.' | b'e' | b'E' | b'+' | b'-'))
            {
                if matches!(bytes[end], b'+' | b'-') && !matches!(bytes[end - 1], b'e' | b'E') {
                    break;
                }
                end += 1;
            }
            let text = &self.src[self.pos..end];
            let n = Decimal::from_str(text)
                .or_else(|_| Decimal::from_scientific(text))
                .map_err(|_| self.error(start, &format!("`{text}` is not a number")))?;
            self.pos = end;
            return Ok((Tok::Num(n), start));
        }
        if b.is_ascii_alphabetic() || b == b'_' {
            let mut end = self.pos;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'_' | b'.'))
            {
                end += 1;
            }
            let w = self.src[self.pos..end].to_owned();
            self.pos = end;
            return Ok((Tok::Word(w), start));
        }
        let c = self.src[self.pos..].chars().next().unwrap_or('?');
        Err(self.error(start, &format!("unexpected character `{c}`")))
    }

    fn string(&mut self, start: usize) -> Result<String, Error> {
        let mut out = String::new();
        let mut chars = self.src[self.pos + 1..].char_indices();
        loop {
            let Some((i, c)) = chars.next() else {
                return Err(self.error(start, "unterminated string"));
            };
            match c {
                '"' => {
                    self.pos += 1 + i + 1;
                    return Ok(out);
                }
                '\\' => {
                    let Some((j, e)) = chars.next() else {
                        return Err(self.error(start, "unterminated string"));
                    };
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let at = self.pos + 1 + j;
                            let hex = |k: usize| -> Option<u32> {
                                self.src
                                    .get(at + 1 + k * 6..at + 5 + k * 6)
                                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                            };
                            let bad = || self.error(at, "bad \\u escape");
                            let hi = hex(0).ok_or_else(bad)?;
                            let (code, used) = if (0xD800..0xDC00).contains(&hi) {
                                let lo = (self.src.get(at + 5..at + 7) == Some("\\u"))
                                    .then(|| hex(1))
                                    .flatten();
                                match lo {
                                    Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                                        (0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), 10)
                                    }
                                    _ => return Err(bad()),
                                }
                            } else {
                                (hi, 4)
                            };
                            out.push(char::from_u32(code).ok_or_else(bad)?);
                            for _ in 0..used {
                                chars.next();
                            }
                        }
                        _ => return Err(self.error(self.pos + 1 + j, &format!("unknown escape `\\{e}`"))),
                    }
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.error(self.pos + 1 + i, "control character in a string"));
                }
                c => out.push(c),
            }
        }
    }
}

struct Parser<'a> {
    lex: Lexer<'a>,
    tok: Tok,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn advance(&mut self) -> Result<(), Error> {
        (self.tok, self.at) = self.lex.next()?;
        Ok(())
    }

    fn expected(&self, what: &str) -> Error {
        self.lex.error(
            self.at,
            &format!("expected {what}, found {}", describe(&self.tok)),
        )
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(&self.tok, Tok::Word(x) if x == w)
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        // a leaf inside k operators is k + 1 deep here and k deep in the tree (compile.rs): the
        // text form accepts exactly the trees the JSON form does
        if self.depth > MAX_CONDITION_DEPTH + 1 {
            return Err(Error::LimitExceeded {
                path: String::new(),
                message: format!("conditions nest at most {MAX_CONDITION_DEPTH} deep"),
            });
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Condition, Error> {
        let mut items = vec![self.and()?];
        while self.is_word("or") {
            self.advance()?;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Condition::Any(items)
        })
    }

    fn and(&mut self) -> Result<Condition, Error> {
        let mut items = vec![self.unary()?];
        while self.is_word("and") {
            self.advance()?;
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Condition::All(items)
        })
    }

    fn unary(&mut self) -> Result<Condition, Error> {
        self.enter()?;
        let out = if self.is_word("not") {
            self.advance()?;
            Condition::Not(Box::new(self.unary()?))
        } else if self.tok == Tok::Sym("(") {
            self.advance()?;
            let c = self.or()?;
            if self.tok != Tok::Sym(")") {
                return Err(self.expected("`)`"));
            }
            self.advance()?;
            c
        } else if self.is_word("true") {
            self.advance()?;
            Condition::All(Vec::new())
        } else if self.is_word("false") {
            self.advance()?;
            Condition::Any(Vec::new())
        } else {
            self.leaf()?
        };
        self.depth -= 1;
        Ok(out)
    }

    fn path(&mut self) -> Result<String, Error> {
        match &self.tok {
            Tok::Word(w) if w.starts_with("lead.") || w.starts_with("partner.") => {
                let w = w.clone();
                self.advance()?;
                Ok(w)
            }
            _ => Err(self.expected("a field path (`lead.…` or `partner.…`)")),
        }
    }

    fn leaf(&mut self) -> Result<Condition, Error> {
        let field = self.path()?;
        let op = match &self.tok {
            Tok::Sym("==") => Op::Eq,
            Tok::Sym("!=") => Op::Ne,
            Tok::Sym("<") => Op::Lt,
            Tok::Sym("<=") => Op::Lte,
            Tok::Sym(">") => Op::Gt,
            Tok::Sym(">=") => Op::Gte,
            Tok::Word(w) => match w.as_str() {
                "in" => Op::In,
                "not_in" => Op::NotIn,
                "not" => {
                    self.advance()?;
                    if !self.is_word("in") {
                        return Err(self.expected("`in` after `not`"));
                    }
                    Op::NotIn
                }
                "contains" => Op::Contains,
                "contains_any" => Op::ContainsAny,
                "contains_all" => Op::ContainsAll,
                "starts_with" => Op::StartsWith,
                "exists" => Op::Exists,
                "between" => Op::Between,
                _ => return Err(self.expected("a comparison (`==`, `in`, `contains`, ...)")),
            },
            _ => return Err(self.expected("a comparison (`==`, `in`, `contains`, ...)")),
        };
        self.advance()?;
        if op == Op::Exists {
            let value = if self.is_word("true") || self.is_word("false") {
                let v = self.is_word("true");
                self.advance()?;
                v
            } else {
                true
            };
            return Ok(Condition::Leaf(Leaf {
                field,
                op,
                value: Some(Literal::Bool(value)),
                field_ref: None,
            }));
        }
        if let Tok::Word(w) = &self.tok
            && (w.starts_with("lead.") || w.starts_with("partner."))
        {
            let field_ref = Some(self.path()?);
            return Ok(Condition::Leaf(Leaf {
                field,
                op,
                value: None,
                field_ref,
            }));
        }
        let value = Some(self.literal()?);
        Ok(Condition::Leaf(Leaf {
            field,
            op,
            value,
            field_ref: None,
        }))
    }

    fn literal(&mut self) -> Result<Literal, Error> {
        let lit = match &self.tok {
            Tok::Num(n) => Literal::Num(*n),
            Tok::Str(s) => Literal::Str(s.clone()),
            Tok::Word(w) if w == "true" => Literal::Bool(true),
            Tok::Word(w) if w == "false" => Literal::Bool(false),
            Tok::Sym("[") => {
                self.enter()?;
                self.advance()?;
                let mut items = Vec::new();
                if self.tok != Tok::Sym("]") {
                    loop {
                        items.push(self.literal()?);
                        if self.tok == Tok::Sym(",") {
                            self.advance()?;
                        } else {
                            break;
                        }
                    }
                }
                if self.tok != Tok::Sym("]") {
                    return Err(self.expected("`,` or `]`"));
                }
                self.depth -= 1;
                Literal::List(items)
            }
            _ => return Err(self.expected("a value (number, string, true, false or a list)")),
        };
        self.advance()?;
        Ok(lit)
    }
}

/// Parses the text form of a condition (see `parse_condition`).
pub(crate) fn parse(text: &str) -> Result<Condition, Error> {
    if text.len() > MAX_CONDITION_TEXT {
        return Err(Error::LimitExceeded {
            path: String::new(),
            message: format!("condition text longer than {MAX_CONDITION_TEXT} bytes"),
        });
    }
    let mut p = Parser {
        lex: Lexer { src: text, pos: 0 },
        tok: Tok::End,
        at: 0,
        depth: 0,
    };
    p.advance()?;
    let c = p.or()?;
    if p.tok != Tok::End {
        return Err(p.expected("`and`, `or` or the end"));
    }
    Ok(c)
}

fn literal(l: &Literal, out: &mut String) {
    match l {
        Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Literal::Num(n) => out.push_str(&n.to_string()),
        Literal::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        Literal::List(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                literal(x, out);
            }
            out.push(']');
        }
    }
}

fn symbol(op: Op) -> &'static str {
    match op {
        Op::Eq => "==",
        Op::Ne => "!=",
        Op::Lt => "<",
        Op::Lte => "<=",
        Op::Gt => ">",
        Op::Gte => ">=",
        Op::NotIn => "not in",
        other => other.name(),
    }
}

fn write(c: &Condition, out: &mut String) {
    let group = |children: &[Condition], sep: &str, empty: &str, out: &mut String| {
        if children.is_empty() {
            out.push_str(empty);
            return;
        }
        for (i, child) in children.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            // a nested group keeps its own node: parenthesise it (an `and` inside an `or`
            // needs none, but parentheses keep the tree's shape when read back)
            let paren = matches!(child, Condition::All(x) | Condition::Any(x) if x.len() > 1);
            if paren {
                out.push('(');
            }
            write(child, out);
            if paren {
                out.push(')');
            }
        }
    };
    match c {
        Condition::All(children) => group(children, " and ", "true", out),
        Condition::Any(children) => group(children, " or ", "false", out),
        Condition::Not(child) => {
            out.push_str("not ");
            let paren = matches!(**child, Condition::All(ref x) | Condition::Any(ref x) if x.len() > 1);
            if paren {
                out.push('(');
            }
            write(child, out);
            if paren {
                out.push(')');
            }
        }
        Condition::Leaf(l) => {
            out.push_str(&l.field);
            out.push(' ');
            out.push_str(symbol(l.op));
            if l.op == Op::Exists {
                if l.value == Some(Literal::Bool(false)) {
                    out.push_str(" false");
                }
                return;
            }
            out.push(' ');
            match (&l.field_ref, &l.value) {
                (Some(r), _) => out.push_str(r),
                (None, Some(v)) => literal(v, out),
                (None, None) => out.push_str("null"),
            }
        }
    }
}

/// Prints a condition in its text form.
pub(crate) fn format(c: &Condition) -> String {
    let mut out = String::new();
    write(c, &mut out);
    out
}
