//! Undo labels in the interface's language: the core names every edit in English (the history file and the CLI
//! keep that form); the workbench translates the known forms when it shows them in Edit ▸ Undo and the status
//! line, and leaves an unknown form as it is.

use super::locale::{self, Lang};

/// One form of label: the English template with `{}` for each part taken over (names, counts), and its
/// bokmål and nynorsk forms with the same parts in the same order. More specific forms come first.
const FORMS: &[(&str, &str, &str)] = &[
    // Codes and codings
    (
        "add code '{}'",
        "legg til koden «{}»",
        "legg til koden «{}»",
    ),
    ("change code '{}'", "endre koden «{}»", "endre koden «{}»"),
    ("delete code '{}'", "slett koden «{}»", "slett koden «{}»"),
    (
        "move code '{}' to top level",
        "flytt koden «{}» til øverste nivå",
        "flytt koden «{}» til øvste nivå",
    ),
    (
        "move code '{}' to {}",
        "flytt koden «{}» til {}",
        "flytt koden «{}» til {}",
    ),
    (
        "merge code '{}' into '{}'",
        "slå sammen koden «{}» med «{}»",
        "slå saman koden «{}» med «{}»",
    ),
    (
        "code {} passages as '{}'",
        "kod {} avsnitt som «{}»",
        "kod {} avsnitt som «{}»",
    ),
    ("code '{}'", "kod «{}»", "kod «{}»"),
    ("in-vivo code '{}'", "in vivo-kod «{}»", "in vivo-kod «{}»"),
    (
        "rename code '{}' to '{}'",
        "endre navn på koden «{}» til «{}»",
        "endre namn på koden «{}» til «{}»",
    ),
    (
        "describe code '{}'",
        "beskriv koden «{}»",
        "beskriv koden «{}»",
    ),
    (
        "colour code '{}'",
        "gi koden «{}» en ny farge",
        "gi koden «{}» ein ny farge",
    ),
    (
        "change coding to '{}'",
        "endre kodingen til «{}»",
        "endre kodinga til «{}»",
    ),
    (
        "adjust coding bounds",
        "juster grensene for kodingen",
        "juster grensene for kodinga",
    ),
    ("remove coding", "fjern kodingen", "fjern kodinga"),
    (
        "reject a suggested passage for code '{}'",
        "avvis et foreslått avsnitt for koden «{}»",
        "avvis eit føreslått avsnitt for koden «{}»",
    ),
    (
        "resolve disagreement on '{}' ({})",
        "løs uenighet om «{}» ({})",
        "løys usemje om «{}» ({})",
    ),
    (
        "save query result as code '{}' ({} passages)",
        "lagre spørreresultatet som koden «{}» ({} avsnitt)",
        "lagre spørjeresultatet som koden «{}» ({} avsnitt)",
    ),
    (
        "import codebook '{}'",
        "importer kodeboka «{}»",
        "importer kodeboka «{}»",
    ),
    ("import codebook", "importer kodebok", "importer kodebok"),
    // Coders
    (
        "add coder '{}'",
        "legg til koderen «{}»",
        "legg til kodaren «{}»",
    ),
    ("remove coder", "fjern koderen", "fjern kodaren"),
    (
        "give coder '{}' the palette colour",
        "gi koderen «{}» fargen fra paletten",
        "gi kodaren «{}» fargen frå paletten",
    ),
    (
        "colour coder '{}' {}",
        "gi koderen «{}» fargen {}",
        "gi kodaren «{}» fargen {}",
    ),
    // Documents
    (
        "import survey '{}' ({} documents)",
        "importer spørreskjemaet «{}» ({} dokumenter)",
        "importer spørjeskjemaet «{}» ({} dokument)",
    ),
    (
        "import {} documents",
        "importer {} dokumenter",
        "importer {} dokument",
    ),
    ("import {} cases", "importer {} case", "importer {} case"),
    (
        "import the sample corpus",
        "importer eksempelkorpuset",
        "importer eksempelkorpuset",
    ),
    ("import '{}'", "importer «{}»", "importer «{}»"),
    (
        "rename document '{}' to '{}'",
        "endre navn på dokumentet «{}» til «{}»",
        "endre namn på dokumentet «{}» til «{}»",
    ),
    (
        "remove document '{}'",
        "fjern dokumentet «{}»",
        "fjern dokumentet «{}»",
    ),
    (
        "mark '{}' as {} ({})",
        "merk «{}» som {} ({})",
        "merk «{}» som {} ({})",
    ),
    ("mark '{}' as {}", "merk «{}» som {}", "merk «{}» som {}"),
    (
        "let '{}' follow the project language",
        "la «{}» følge prosjektspråket",
        "la «{}» følgje prosjektspråket",
    ),
    (
        "merge a copy ('{}')",
        "slå sammen en kopi («{}»)",
        "slå saman ein kopi («{}»)",
    ),
    // Cases, attributes and sets
    (
        "add case '{}'",
        "legg til caset «{}»",
        "legg til caset «{}»",
    ),
    ("change case '{}'", "endre caset «{}»", "endre caset «{}»"),
    ("delete case '{}'", "slett caset «{}»", "slett caset «{}»"),
    (
        "rename case '{}'",
        "endre navn på caset «{}»",
        "endre namn på caset «{}»",
    ),
    (
        "link '{}' to case '{}'",
        "legg «{}» i caset «{}»",
        "legg «{}» i caset «{}»",
    ),
    (
        "link documents to '{}'",
        "legg dokumenter i «{}»",
        "legg dokument i «{}»",
    ),
    (
        "unlink documents from '{}'",
        "ta dokumenter ut av «{}»",
        "ta dokument ut av «{}»",
    ),
    (
        "clear attributes of '{}'",
        "fjern attributtene til «{}»",
        "fjern attributtane til «{}»",
    ),
    (
        "assign {} documents to case '{}'",
        "legg {} dokumenter i caset «{}»",
        "legg {} dokument i caset «{}»",
    ),
    (
        "set attributes of '{}'",
        "sett attributter for «{}»",
        "set attributtar for «{}»",
    ),
    ("set {} of '{}'", "sett {} for «{}»", "set {} for «{}»"),
    (
        "define attribute '{}'",
        "definer attributtet «{}»",
        "definer attributtet «{}»",
    ),
    (
        "remove attribute '{}'",
        "fjern attributtet «{}»",
        "fjern attributtet «{}»",
    ),
    ("change set '{}'", "endre settet «{}»", "endre settet «{}»"),
    ("delete set '{}'", "slett settet «{}»", "slett settet «{}»"),
    ("delete set", "slett settet", "slett settet"),
    ("sets by group", "sett etter gruppe", "sett etter gruppe"),
    (
        "link survey answers to their schools",
        "knytt svarene i spørreskjemaet til skolene",
        "knyt svara i spørjeskjemaet til skulane",
    ),
    // Memos and the project
    (
        "write memo '{}'",
        "skriv notatet «{}»",
        "skriv notatet «{}»",
    ),
    (
        "edit memo '{}'",
        "rediger notatet «{}»",
        "rediger notatet «{}»",
    ),
    (
        "delete memo '{}'",
        "slett notatet «{}»",
        "slett notatet «{}»",
    ),
    ("delete memo", "slett notatet", "slett notatet"),
    ("memo '{}'", "notat «{}»", "notat «{}»"),
    ("sample memos", "eksempelnotater", "eksempelnotat"),
    (
        "code the sample corpus",
        "kod eksempelkorpuset",
        "kod eksempelkorpuset",
    ),
    (
        "change project settings",
        "endre prosjektinnstillingene",
        "endre prosjektinnstillingane",
    ),
];

/// Disagreement decisions, as `resolve disagreement on '…' (…)` names them.
const RESOLUTIONS: &[(&str, &str, &str)] = &[
    (
        "keep first coder",
        "behold første koder",
        "behald første kodar",
    ),
    (
        "keep second coder",
        "behold andre koder",
        "behald andre kodar",
    ),
    ("union", "union", "union"),
    ("intersection", "snitt", "snitt"),
    ("new bounds", "nye grenser", "nye grenser"),
    ("skip", "hopp over", "hopp over"),
];

/// `label` in the interface's language.
pub fn translate(label: &str) -> String {
    translate_to(locale::current(), label)
}

/// `label` in `lang`: the first known form it fits, with its parts taken over; an unknown form as it is.
pub fn translate_to(lang: Lang, label: &str) -> String {
    if lang == Lang::English {
        return label.to_string();
    }
    for (english, bokmal, nynorsk) in FORMS {
        let Some(mut parts) = fit(english, label) else {
            continue;
        };
        if english.starts_with("resolve disagreement")
            && let Some(decision) = parts.last_mut()
        {
            *decision = pick(lang, RESOLUTIONS, decision);
        }
        let target = if lang == Lang::Bokmal {
            bokmal
        } else {
            nynorsk
        };
        return fill(target, &parts);
    }
    label.to_string()
}

/// A fixed phrase in `lang`, or the phrase itself.
fn pick(lang: Lang, table: &[(&str, &str, &str)], phrase: &str) -> String {
    table
        .iter()
        .find(|(english, _, _)| *english == phrase)
        .map_or(phrase, |(_, bokmal, nynorsk)| {
            if lang == Lang::Bokmal {
                bokmal
            } else {
                nynorsk
            }
        })
        .to_string()
}

/// The parts of `label` that fill the `{}` of `template`, when the label has the template's form.
fn fit(template: &str, label: &str) -> Option<Vec<String>> {
    let pieces: Vec<&str> = template.split("{}").collect();
    let (first, rest) = pieces.split_first()?;
    let mut remaining = label.strip_prefix(first)?;
    let mut parts = Vec::new();
    for (i, piece) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let at = if last {
            if !remaining.ends_with(piece) {
                return None;
            }
            remaining.len() - piece.len()
        } else {
            remaining.find(piece)?
        };
        let part = &remaining[..at];
        if part.is_empty() {
            return None;
        }
        parts.push(part.to_string());
        remaining = &remaining[at + piece.len()..];
    }
    // A template without parts fits only the whole label.
    (pieces.len() > 1 || remaining.is_empty()).then_some(parts)
}

/// `template` with its `{}` replaced by `parts` in order.
fn fill(template: &str, parts: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut pieces = template.split("{}");
    if let Some(first) = pieces.next() {
        out.push_str(first);
    }
    for (piece, part) in pieces.zip(parts.iter()) {
        out.push_str(part);
        out.push_str(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_every_kind_read_in_bokmal_and_nynorsk() {
        let cases = [
            (
                "code 'Ressursmangel'",
                "kod «Ressursmangel»",
                "kod «Ressursmangel»",
            ),
            (
                "code 12 passages as 'Ressursmangel'",
                "kod 12 avsnitt som «Ressursmangel»",
                "kod 12 avsnitt som «Ressursmangel»",
            ),
            (
                "move code 'Forankring' to top level",
                "flytt koden «Forankring» til øverste nivå",
                "flytt koden «Forankring» til øvste nivå",
            ),
            (
                "move code 'Forankring' to Leiing/Skuleleiar",
                "flytt koden «Forankring» til Leiing/Skuleleiar",
                "flytt koden «Forankring» til Leiing/Skuleleiar",
            ),
            (
                "import 46 documents",
                "importer 46 dokumenter",
                "importer 46 dokument",
            ),
            (
                "import 'bjorkeli_intervju_rektor'",
                "importer «bjorkeli_intervju_rektor»",
                "importer «bjorkeli_intervju_rektor»",
            ),
            (
                "set attributes of 'Bjørkeli skole'",
                "sett attributter for «Bjørkeli skole»",
                "set attributtar for «Bjørkeli skole»",
            ),
            (
                "set kommune of 'Bjørkeli skole'",
                "sett kommune for «Bjørkeli skole»",
                "set kommune for «Bjørkeli skole»",
            ),
            (
                "mark 'notat' as nn (Norwegian Nynorsk)",
                "merk «notat» som nn (Norwegian Nynorsk)",
                "merk «notat» som nn (Norwegian Nynorsk)",
            ),
            (
                "mark 'notat' as observation",
                "merk «notat» som observation",
                "merk «notat» som observation",
            ),
            (
                "resolve disagreement on 'Ressursmangel' (keep first coder)",
                "løs uenighet om «Ressursmangel» (behold første koder)",
                "løys usemje om «Ressursmangel» (behald første kodar)",
            ),
            ("remove coding", "fjern kodingen", "fjern kodinga"),
            (
                "rename code 'Ressurs' to 'Ressursmangel'",
                "endre navn på koden «Ressurs» til «Ressursmangel»",
                "endre namn på koden «Ressurs» til «Ressursmangel»",
            ),
            (
                "link 'intervju_rektor' to case 'Bjørkeli skole'",
                "legg «intervju_rektor» i caset «Bjørkeli skole»",
                "legg «intervju_rektor» i caset «Bjørkeli skole»",
            ),
            (
                "assign 3 documents to case 'Bjørkeli skole'",
                "legg 3 dokumenter i caset «Bjørkeli skole»",
                "legg 3 dokument i caset «Bjørkeli skole»",
            ),
        ];
        for (english, bokmal, nynorsk) in cases {
            assert_eq!(translate_to(Lang::Bokmal, english), bokmal);
            assert_eq!(translate_to(Lang::Nynorsk, english), nynorsk);
            assert_eq!(translate_to(Lang::English, english), english);
        }
    }

    #[test]
    fn every_form_fits_its_own_english_and_an_unknown_label_stays() {
        for (english, _, _) in FORMS {
            let label = english.replace("{}", "X");
            let (found, _, _) = FORMS
                .iter()
                .find(|(e, _, _)| fit(e, &label).is_some())
                .expect("some form fits");
            assert_eq!(found, english, "{label} is taken by an earlier form");
            assert_ne!(translate_to(Lang::Nynorsk, &label), label, "{label}");
        }
        assert_eq!(translate_to(Lang::Bokmal, "something new"), "something new");
        // A name with quotes in it is carried over whole.
        assert_eq!(
            translate_to(Lang::Bokmal, "delete code 'lærer's tid'"),
            "slett koden «lærer's tid»"
        );
    }

    /// Every label the core writes (found in its sources by the ways labels are made) has a Norwegian form, so
    /// a new kind of edit without one fails here rather than showing English in a Norwegian menu.
    #[test]
    fn every_label_the_core_writes_has_a_norwegian_form() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("edit_labels.rs")
                {
                    files.push(path);
                }
            }
        }
        let direct = regex::Regex::new(
            r#"(?:finish_labelled\(|\.finish\(|Edit::batch\(|label: |let label = |\|c\| )\s*(?:format!\(\s*)?"([^"]*)""#,
        )
        .expect("regex");
        let matches = regex::Regex::new(r#"(?s)let label = match .*?\n\s*\};"#).expect("regex");
        let edit_label = regex::Regex::new(
            r#"(?s)pub fn label\(&self, project: &Project\) -> String \{.*?\n    \}"#,
        )
        .expect("regex");
        let literal = regex::Regex::new(r#"(?:format!\(\s*|=> )"([^"]*)""#).expect("regex");
        let placeholder = regex::Regex::new(r"\{[^}]*\}").expect("regex");
        let mut labels = std::collections::BTreeSet::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            let text = text.split("#[cfg(test)]").next().unwrap_or_default();
            for found in direct.captures_iter(text) {
                labels.insert(found[1].to_string());
            }
            for block in matches.find_iter(text).chain(edit_label.find_iter(text)) {
                for found in literal.captures_iter(block.as_str()) {
                    labels.insert(found[1].to_string());
                }
            }
        }
        // Not undo labels, though made the same ways: table headings, a hit's accessible name, a merge conflict.
        let not_labels = [
            "Coded by {n}",
            "Coded by {}",
            "Overall",
            "{citation}: {}",
            "at {} in document {}",
        ];
        labels.retain(|l| {
            !not_labels.contains(&l.as_str())
                && !l.starts_with('?')
                && l.chars().any(char::is_alphabetic)
        });
        assert!(labels.len() >= 45, "the scan finds the labels: {labels:?}");
        let untranslated: Vec<String> = labels
            .iter()
            .map(|l| placeholder.replace_all(l, "X").into_owned())
            .filter(|l| translate_to(Lang::Nynorsk, l) == *l)
            .collect();
        assert!(
            untranslated.is_empty(),
            "no Norwegian form: {untranslated:?}"
        );
    }
}
