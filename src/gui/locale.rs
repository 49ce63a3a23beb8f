//! The interface language (English, Norwegian bokmål, Norwegian nynorsk) and numbers and dates formatted for it.
//!
//! The language is held in one place, an atomic set by the workbench from its preferences each frame, so every
//! [`crate::gui::strings`] text and formatting function reads the same choice without threading it through every
//! panel. Number and date helpers take the language explicitly in their `_in` form (for tests) and read the
//! current one otherwise.

use std::sync::atomic::{AtomicU8, Ordering};

/// A language of the workbench's interface.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    /// English (the default when the system's locale is neither bokmål nor nynorsk).
    #[default]
    English,
    /// Norwegian bokmål.
    Bokmal,
    /// Norwegian nynorsk.
    Nynorsk,
}

impl Lang {
    /// The three languages, in menu order.
    pub const ALL: [Lang; 3] = [Lang::English, Lang::Bokmal, Lang::Nynorsk];

    /// The language's own name, as the View ▸ Language menu shows it (the same in every interface language, so a
    /// user who cannot read the current one still finds their own).
    pub fn name(self) -> &'static str {
        match self {
            Lang::English => "English",
            Lang::Bokmal => "Norsk bokmål",
            Lang::Nynorsk => "Norsk nynorsk",
        }
    }

    /// The interface language a POSIX locale name asks for: `nb*`/`no*` → bokmål, `nn*` → nynorsk, anything else
    /// → English. Empty names and `C`/`POSIX` say nothing (`None`), so the next variable is asked.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let locale = locale.trim();
        if locale.is_empty() || locale == "C" || locale == "POSIX" || locale.starts_with("C.") {
            return None;
        }
        let lower = locale.to_ascii_lowercase();
        // "nb_NO.UTF-8", "nn-NO", "no_NO", "nb", "norwegian".
        let language = lower.split(['_', '-', '.', '@']).next().unwrap_or_default();
        Some(match language {
            "nb" | "no" | "norwegian" | "bokmal" | "bokmål" => Lang::Bokmal,
            "nn" | "nynorsk" => Lang::Nynorsk,
            _ => Lang::English,
        })
    }

    /// The system's interface language from `LC_ALL`, `LC_MESSAGES` and `LANG` (in POSIX precedence; the first
    /// that names a locale decides), English when none does.
    pub fn system() -> Lang {
        Self::from_env(|name| std::env::var(name).ok())
    }

    /// [`Lang::system`] with the environment looked up through `var` (tests pass a map).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name).and_then(|value| Lang::from_locale(&value)))
            .unwrap_or_default()
    }

    fn to_u8(self) -> u8 {
        match self {
            Lang::English => 0,
            Lang::Bokmal => 1,
            Lang::Nynorsk => 2,
        }
    }

    fn from_u8(value: u8) -> Lang {
        match value {
            1 => Lang::Bokmal,
            2 => Lang::Nynorsk,
            _ => Lang::English,
        }
    }

    /// Whether this is one of the two Norwegian written standards.
    pub fn is_norwegian(self) -> bool {
        self != Lang::English
    }
}

/// The current interface language.
static CURRENT: AtomicU8 = AtomicU8::new(0);

/// The interface language texts are shown in now.
pub fn current() -> Lang {
    Lang::from_u8(CURRENT.load(Ordering::Relaxed))
}

/// Shows every text in `lang` from the next frame on.
pub fn set_current(lang: Lang) {
    CURRENT.store(lang.to_u8(), Ordering::Relaxed);
}

/// Groups the digits of an unsigned number: "1278" in English (as before), "1 278" (no-break space) in Norwegian.
pub fn count_in(lang: Lang, n: impl std::fmt::Display) -> String {
    let digits = n.to_string();
    if !lang.is_norwegian() || digits.len() < 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits;
    }
    group(&digits, '\u{a0}')
}

/// [`count_in`] for the current language.
pub fn count(n: impl std::fmt::Display) -> String {
    count_in(current(), n)
}

fn group(digits: &str, separator: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A decimal number with `decimals` places: "0.82" in English, "0,82" in Norwegian (and "1 278,5" with grouped
/// thousands); no decimals rounds to a whole number.
pub fn decimal_in(lang: Lang, value: f64, decimals: usize) -> String {
    let text = if decimals == 0 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.decimals$}")
    };
    if !lang.is_norwegian() {
        return text;
    }
    let (sign, body) = match text.strip_prefix('-') {
        // "−0,000" is zero rounded from a tiny negative: shown without its sign.
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => ("", rest),
        Some(rest) => ("\u{2212}", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = match body.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (body, None),
    };
    let int = if int.len() >= 4 && int.bytes().all(|b| b.is_ascii_digit()) {
        group(int, '\u{a0}')
    } else {
        int.to_string()
    };
    match frac {
        Some(frac) => format!("{sign}{int},{frac}"),
        None => format!("{sign}{int}"),
    }
}

/// [`decimal_in`] for the current language.
pub fn decimal(value: f64, decimals: usize) -> String {
    decimal_in(current(), value, decimals)
}

/// A share as a percentage with `decimals` places: "82.5 %" → "82,5 %" in Norwegian ("82.5%" in English).
pub fn percent_in(lang: Lang, share: f64, decimals: usize) -> String {
    let number = decimal_in(lang, share * 100.0, decimals);
    if lang.is_norwegian() {
        format!("{number}\u{a0}%")
    } else {
        format!("{number}%")
    }
}

/// [`percent_in`] for the current language.
pub fn percent(share: f64, decimals: usize) -> String {
    percent_in(current(), share, decimals)
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
// The month names are the same in bokmål and nynorsk.
const MONTHS_NO: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

/// A date for reading: "7 December 2026" in English, "7. desember 2026" in bokmål and nynorsk.
pub fn date_in(lang: Lang, date: time::Date) -> String {
    let month = usize::from(u8::from(date.month())) - 1;
    let (day, year) = (date.day(), date.year());
    if lang.is_norwegian() {
        let name = MONTHS_NO.get(month).copied().unwrap_or_default();
        format!("{day}. {name} {year}")
    } else {
        let name = MONTHS_EN.get(month).copied().unwrap_or_default();
        format!("{day} {name} {year}")
    }
}

/// [`date_in`] for the current language.
pub fn date(date: time::Date) -> String {
    date_in(current(), date)
}

/// A date for tables that sort by it: ISO 8601 ("2026-12-07") in every language.
pub fn date_sortable(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names_choose_the_language() {
        assert_eq!(Lang::from_locale("nb_NO.UTF-8"), Some(Lang::Bokmal));
        assert_eq!(Lang::from_locale("no_NO"), Some(Lang::Bokmal));
        assert_eq!(Lang::from_locale("nn_NO.UTF-8"), Some(Lang::Nynorsk));
        assert_eq!(Lang::from_locale("nn-NO"), Some(Lang::Nynorsk));
        assert_eq!(Lang::from_locale("en_GB.UTF-8"), Some(Lang::English));
        assert_eq!(Lang::from_locale("sv_SE"), Some(Lang::English));
        assert_eq!(Lang::from_locale("C.UTF-8"), None);
        assert_eq!(Lang::from_locale(""), None);
    }

    #[test]
    fn the_first_variable_naming_a_locale_decides() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Lang::from_env(env(&[("LANG", "nn_NO.UTF-8")])),
            Lang::Nynorsk
        );
        assert_eq!(
            Lang::from_env(env(&[("LC_ALL", "nb_NO.UTF-8"), ("LANG", "nn_NO.UTF-8")])),
            Lang::Bokmal
        );
        assert_eq!(
            Lang::from_env(env(&[
                ("LC_ALL", "C"),
                ("LC_MESSAGES", "nn_NO"),
                ("LANG", "en_US")
            ])),
            Lang::Nynorsk
        );
        assert_eq!(Lang::from_env(env(&[])), Lang::English);
    }

    #[test]
    fn counts_group_thousands_with_a_space_in_norwegian() {
        assert_eq!(count_in(Lang::Bokmal, 1278), "1\u{a0}278");
        assert_eq!(count_in(Lang::Nynorsk, 1_204_000), "1\u{a0}204\u{a0}000");
        assert_eq!(count_in(Lang::Bokmal, 278), "278");
        assert_eq!(count_in(Lang::English, 1278), "1278");
        assert_eq!(count_in(Lang::Bokmal, 40_000_u64), "40\u{a0}000");
    }

    #[test]
    fn decimals_use_a_comma_in_norwegian() {
        assert_eq!(decimal_in(Lang::Bokmal, 0.8213, 2), "0,82");
        assert_eq!(decimal_in(Lang::Nynorsk, -0.125, 3), "\u{2212}0,125");
        assert_eq!(decimal_in(Lang::Bokmal, -0.0004, 3), "0,000");
        assert_eq!(decimal_in(Lang::Bokmal, 1278.46, 1), "1\u{a0}278,5");
        assert_eq!(decimal_in(Lang::English, 0.8213, 2), "0.82");
        assert_eq!(decimal_in(Lang::Bokmal, 12.6, 0), "13");
        assert_eq!(percent_in(Lang::Nynorsk, 0.825, 1), "82,5\u{a0}%");
        assert_eq!(percent_in(Lang::English, 0.825, 1), "82.5%");
    }

    #[test]
    fn dates_read_naturally_and_sort_in_tables() {
        let date = time::macros::date!(2026 - 12 - 07);
        assert_eq!(date_in(Lang::Bokmal, date), "7. desember 2026");
        assert_eq!(date_in(Lang::Nynorsk, date), "7. desember 2026");
        assert_eq!(date_in(Lang::English, date), "7 December 2026");
        assert_eq!(date_sortable(date), "2026-12-07");
    }
}
