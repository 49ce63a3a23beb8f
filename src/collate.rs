//! Sorting names the way Norwegian readers expect: case-insensitive, æ ø å after z, numbers by value.

use std::cmp::Ordering;

/// The primary sort weight of a character (lower-cased, accents folded, æøå after z).
fn weight(c: char) -> u32 {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'æ' | 'ä' => 'z' as u32 + 1,
        'ø' | 'ö' => 'z' as u32 + 2,
        'å' => 'z' as u32 + 3,
        'à' | 'á' | 'â' | 'ã' => 'a' as u32,
        'è' | 'é' | 'ê' | 'ë' => 'e' as u32,
        'ì' | 'í' | 'î' | 'ï' => 'i' as u32,
        'ò' | 'ó' | 'ô' | 'õ' => 'o' as u32,
        'ù' | 'ú' | 'û' | 'ü' => 'u' as u32,
        'ç' => 'c' as u32,
        'ñ' => 'n' as u32,
        other => other as u32,
    }
}

/// Compares two names: Norwegian alphabet order, case-insensitive, digit runs by numeric value.
pub fn compare(a: &str, b: &str) -> Ordering {
    let mut left = a.chars().peekable();
    let mut right = b.chars().peekable();
    loop {
        match (left.peek().copied(), right.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars<'_>>| {
                    let mut digits = String::new();
                    while let Some(d) = it.peek().copied().filter(char::is_ascii_digit) {
                        digits.push(d);
                        it.next();
                    }
                    digits
                };
                let (dx, dy) = (take(&mut left), take(&mut right));
                let (tx, ty) = (dx.trim_start_matches('0'), dy.trim_start_matches('0'));
                let order = tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty));
                if order != Ordering::Equal {
                    return order;
                }
            }
            (Some(x), Some(y)) => {
                let order = weight(x).cmp(&weight(y));
                if order != Ordering::Equal {
                    return order;
                }
                left.next();
                right.next();
            }
        }
    }
}

/// A key that orders names as [`compare`] does once ties are broken by the names themselves (sort by
/// `(sort_key(name), name)`): each character is folded once per name instead of at every comparison, which
/// makes sorting 35,000 document names several times faster.
pub fn sort_key(name: &str) -> Vec<u64> {
    // A character is its weight in the high half. A run of digits is one header (below every letter's weight
    // and above every other character's, as its first digit is in `compare`; then its length without leading
    // zeros) followed by those digits: runs compare by numeric value.
    const DIGIT_RUN: u64 = ('0' as u64) << 32 | 1 << 31;
    let mut key = Vec::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut digits = vec![c];
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                digits.push(d);
            }
            let significant = digits
                .iter()
                .position(|d| *d != '0')
                .unwrap_or(digits.len());
            let value = &digits[significant..];
            key.push(DIGIT_RUN | value.len() as u64);
            key.extend(value.iter().map(|d| DIGIT_RUN | u64::from(*d)));
        } else {
            key.push(u64::from(weight(c)) << 32);
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_keys_order_names_as_compare_does() {
        let names = [
            "aker",
            "Aker",
            "Åker",
            "ærlig",
            "Bakkebø",
            "bakkebo",
            "Bakkebö",
            "Zeta",
            "Øvre skole",
            "Åsen skole",
            "Lærer 1",
            "Lærer 01",
            "Lærer 001",
            "Lærer 2",
            "Lærer 10",
            "Lærer 10b",
            "Lærer 10 b",
            "Lærer",
            "Lærer ",
            "Lærer-2",
            "Lærer0",
            "Lærer00",
            "Lærer 9",
            "Lærer 09",
            "innlegg_15976",
            "innlegg_1597",
            "innlegg_16383",
            "intervju 3a",
            "intervju 3",
            "intervju 30",
            "Élève",
            "eleve",
            "1",
            "01",
            "",
            " ",
            "#1",
            "~",
            "Ω",
            "123456789012345678901234567890",
            "12345678901234567890123456789",
            "a9z",
            "a10z",
        ];
        for a in names {
            for b in names {
                let by_key = (sort_key(a), a).cmp(&(sort_key(b), b));
                assert_eq!(by_key, compare(a, b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn norwegian_letters_sort_after_z() {
        let mut names = vec![
            "Øvre skole",
            "Åsen skole",
            "Zeta",
            "ærlig",
            "Bakkebø",
            "aker",
        ];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(
            names,
            [
                "aker",
                "Bakkebø",
                "Zeta",
                "ærlig",
                "Øvre skole",
                "Åsen skole"
            ]
        );
    }

    #[test]
    fn numbers_sort_by_value() {
        let mut names = vec!["Lærer 10", "Lærer 2", "Lærer 1"];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(names, ["Lærer 1", "Lærer 2", "Lærer 10"]);
    }
}
