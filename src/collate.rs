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

#[cfg(test)]
mod tests {
    use super::*;

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
