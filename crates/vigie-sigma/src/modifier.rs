//! Sigma value modifiers (`field|contains|all`), named as the specification names them.

/// A value modifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Modifier {
    Contains,
    StartsWith,
    EndsWith,
    All,
    Base64,
    Base64Offset,
    Utf16Le,
    Utf16Be,
    Utf16,
    Windash,
    Re,
    /// `re` sub-modifier `i`: case-insensitive.
    ReIgnoreCase,
    /// `re` sub-modifier `m`: `^`/`$` at line boundaries.
    ReMultiLine,
    /// `re` sub-modifier `s`: `.` matches newline.
    ReDotAll,
    Cidr,
    Exists,
    Cased,
    Neq,
    FieldRef,
    Lt,
    Lte,
    Gt,
    Gte,
    Expand,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl Modifier {
    /// Parses a modifier name; `previous` lets `i`/`m`/`s` be read as `re` sub-modifiers.
    pub fn parse(name: &str, after_re: bool) -> Option<Modifier> {
        use Modifier::*;
        Some(match name {
            "contains" => Contains,
            "startswith" => StartsWith,
            "endswith" => EndsWith,
            "all" => All,
            "base64" => Base64,
            "base64offset" => Base64Offset,
            "utf16le" | "wide" => Utf16Le,
            "utf16be" => Utf16Be,
            "utf16" => Utf16,
            "windash" => Windash,
            "re" => Re,
            "i" | "ignorecase" if after_re => ReIgnoreCase,
            "m" | "multiline" if after_re => ReMultiLine,
            "s" | "dotall" if after_re => ReDotAll,
            "cidr" => Cidr,
            "exists" => Exists,
            "cased" => Cased,
            "neq" => Neq,
            "fieldref" => FieldRef,
            "lt" => Lt,
            "lte" => Lte,
            "gt" => Gt,
            "gte" => Gte,
            "expand" => Expand,
            "minute" => Minute,
            "hour" => Hour,
            "day" => Day,
            "week" => Week,
            "month" => Month,
            "year" => Year,
            _ => return None,
        })
    }

    pub fn is_regex_flag(self) -> bool {
        matches!(
            self,
            Modifier::ReIgnoreCase | Modifier::ReMultiLine | Modifier::ReDotAll
        )
    }

    pub fn is_numeric_compare(self) -> bool {
        matches!(
            self,
            Modifier::Lt | Modifier::Lte | Modifier::Gt | Modifier::Gte
        )
    }

    pub fn is_time_part(self) -> bool {
        matches!(
            self,
            Modifier::Minute
                | Modifier::Hour
                | Modifier::Day
                | Modifier::Week
                | Modifier::Month
                | Modifier::Year
        )
    }
}
