//! Bokmål ⇄ nynorsk: maps a nynorsk word form onto its bokmål counterpart before stemming, so one search finds
//! both written standards (`skule` finds `skolen`, `leiar` finds `lederne`, `ikkje` finds `ikke`).
//!
//! How the mapping is built (see also README, "Languages"):
//! - **Systematic correspondences** the stemmer does not already bridge, applied to any word: the noun ending
//!   `-heit(a/er/ene)` → `-het(en/er/ene)` (`tryggheit` → `trygghet`). The others need no mapping because the
//!   fixed-point Snowball stemmer already strips both forms: inflections (`-ar/-er`, `-ane/-ene`, `-a/-en`)
//!   and the adjective ending `-leg/-lig` (`vanskeleg`, `vanskelig` → `vansk`).
//! - **A vetted list of frequent pairs** ([`PAIRS`] for words and their inflected forms, [`NOUNS`] for noun
//!   families whose stems differ, also inside compounds: `ungdomsskulen` → `ungdomsskole`). It was compiled by
//!   hand for Marginalia from the frequent words of interview transcripts and school and municipal documents,
//!   each pair checked against the official dictionaries (Bokmålsordboka and Nynorskordboka, Språkrådet and
//!   the University of Bergen) as the standard counterpart; it is original work under the project's licence
//!   (MIT or Apache-2.0). No packaged, licensed bokmål–nynorsk lexicon is available from the registries the
//!   project builds from. Pairs where the nynorsk form is also a different bokmål word were left out (`kor`
//!   "choir", `de` "they", `kvar` both "where" and "each").
//!
//! `=word` in a query bypasses all of this (it matches the exact form: the index holds words unstemmed).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Nynorsk word forms and their bokmål counterparts: function words, pronouns, adverbs, verbs and adjectives.
pub const PAIRS: &[(&str, &str)] = &[
    // Pronouns and determiners.
    ("eg", "jeg"),
    ("ho", "hun"),
    ("me", "vi"),
    ("dei", "de"),
    ("deira", "deres"),
    ("dykk", "dere"),
    ("dykkar", "deres"),
    ("hennar", "hennes"),
    ("ein", "en"),
    ("eit", "et"),
    ("nokon", "noen"),
    ("nokre", "noen"),
    ("noko", "noe"),
    ("inkje", "ingenting"),
    ("kvarandre", "hverandre"),
    ("kvart", "hvert"),
    ("annan", "annen"),
    ("anna", "annet"),
    ("eigen", "egen"),
    ("eige", "eget"),
    ("eigne", "egne"),
    ("same", "samme"),
    ("einaste", "eneste"),
    ("einskild", "enkelt"),
    ("einskilde", "enkelte"),
    ("vesle", "lille"),
    // Question words and conjunctions.
    ("kva", "hva"),
    ("kven", "hvem"),
    ("kvifor", "hvorfor"),
    ("korfor", "hvorfor"),
    ("korleis", "hvordan"),
    ("medan", "mens"),
    ("utan", "uten"),
    ("sidan", "siden"),
    ("difor", "derfor"),
    ("frå", "fra"),
    // Adverbs.
    ("ikkje", "ikke"),
    ("berre", "bare"),
    ("mykje", "mye"),
    ("meir", "mer"),
    ("fleire", "flere"),
    ("heile", "hele"),
    ("heilt", "helt"),
    ("heil", "hel"),
    ("sjølv", "selv"),
    ("saman", "sammen"),
    ("enno", "ennå"),
    ("no", "nå"),
    ("då", "da"),
    ("òg", "også"),
    ("óg", "også"),
    ("heim", "hjem"),
    ("heime", "hjemme"),
    ("fyrst", "først"),
    ("att", "igjen"),
    ("ikring", "rundt"),
    ("truleg", "trolig"),
    ("eigentleg", "egentlig"),
    ("mogleg", "mulig"),
    ("mogeleg", "mulig"),
    ("moglege", "mulige"),
    ("umogleg", "umulig"),
    ("sannsynlegvis", "sannsynligvis"),
    ("einig", "enig"),
    ("ueinig", "uenig"),
    ("gammal", "gammel"),
    ("vaksen", "voksen"),
    ("vaksne", "voksne"),
    ("nøydd", "nødt"),
    ("heilskapleg", "helhetlig"),
    // Nouns without compounds of their own (their forms also occur inside other words).
    ("høve", "anledning"),
    ("høvet", "anledningen"),
    ("eining", "enhet"),
    ("eininga", "enheten"),
    ("einingar", "enheter"),
    ("born", "barn"),
    ("borna", "barna"),
    ("tilsett", "ansatt"),
    ("tilsette", "ansatte"),
    ("gong", "gang"),
    ("gongen", "gangen"),
    ("gonger", "ganger"),
    ("føresett", "foresatt"),
    ("føresette", "foresatte"),
    // Verbs (infinitive, present, past, participle).
    ("vere", "være"),
    ("vore", "vært"),
    ("vart", "ble"),
    ("vorte", "blitt"),
    ("kome", "komme"),
    ("gjere", "gjøre"),
    ("gjer", "gjør"),
    ("seie", "si"),
    ("seier", "sier"),
    ("sjå", "se"),
    ("fekk", "fikk"),
    ("gjekk", "gikk"),
    ("gjeve", "gitt"),
    ("gjev", "gir"),
    ("tek", "tar"),
    ("teke", "tatt"),
    ("veit", "vet"),
    ("trur", "tror"),
    ("trudde", "trodde"),
    ("bu", "bo"),
    ("bur", "bor"),
    ("budde", "bodde"),
    ("fortel", "forteller"),
    ("fortelje", "fortelle"),
    ("spørje", "spørre"),
    ("høyre", "høre"),
    ("høyrer", "hører"),
    ("høyrde", "hørte"),
    ("byrje", "begynne"),
    ("byrjar", "begynner"),
    ("byrja", "begynte"),
    ("tenkje", "tenke"),
    ("tenkjer", "tenker"),
    ("hugse", "huske"),
    ("hugsar", "husker"),
    ("hugsa", "husket"),
    ("gløyme", "glemme"),
    ("gløymer", "glemmer"),
    ("treng", "trenger"),
    ("trengje", "trenge"),
    ("følgje", "følge"),
    ("følgjer", "følger"),
    ("rettleie", "veilede"),
    ("søkje", "søke"),
    ("søkjer", "søker"),
    ("synest", "synes"),
    ("syntest", "syntes"),
    ("verke", "virke"),
    ("verkar", "virker"),
    ("halde", "holde"),
    ("held", "holder"),
    ("heldt", "holdt"),
];

/// Noun families whose stems differ: (nynorsk forms, bokmål lemma). A form also maps inside a compound that
/// ends with it (`barneskulen` → `barneskole`) or starts with the family's stem (`skuleleiar` → `skoleleder`).
pub const NOUNS: &[(&[&str], &str)] = &[
    (&["skule", "skulen", "skular", "skulane"], "skole"),
    (&["leiar", "leiaren", "leiarar", "leiarane"], "leder"),
    (
        &["rettleiar", "rettleiaren", "rettleiarar", "rettleiarane"],
        "veileder",
    ),
    (
        &["rettleiing", "rettleiinga", "rettleiingar", "rettleiingane"],
        "veiledning",
    ),
    (&["leiing", "leiinga"], "ledelse"),
    (&["veke", "veka", "veker", "vekene", "vekane"], "uke"),
    (
        &[
            "månad",
            "månaden",
            "månader",
            "månadene",
            "månadar",
            "månadane",
        ],
        "måned",
    ),
    (&["tilbod", "tilbodet", "tilboda"], "tilbud"),
    (&["røynsle", "røynsla", "røynsler", "røynslene"], "erfaring"),
    (
        &["moglegheit", "moglegheita", "moglegheiter", "moglegheitene"],
        "mulighet",
    ),
    (
        &["kvardag", "kvardagen", "kvardagar", "kvardagane"],
        "hverdag",
    ),
    (&["pengar", "pengane"], "penger"),
    (&["helsesyster", "helsesystera"], "helsesøster"),
    (&["vidaregåande"], "videregående"),
    (&["heilskap", "heilskapen"], "helhet"),
    (
        &["arbeidsgjevar", "arbeidsgjevaren", "arbeidsgjevarar"],
        "arbeidsgiver",
    ),
    (
        &["avgjerd", "avgjerda", "avgjerder", "avgjerdene"],
        "avgjørelse",
    ),
];

/// Parts of a compound shorter than this are not taken as a word of their own (`skule` in `utskule…`).
const MIN_COMPOUND_PART: usize = 3;

/// Word forms of both lists, nynorsk → bokmål.
static FORMS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, &'static str> = HashMap::new();
    for (nn, nb) in PAIRS {
        map.insert(nn, nb);
    }
    for (forms, nb) in NOUNS {
        for form in *forms {
            map.insert(form, nb);
        }
    }
    map
});

/// Endings mapped everywhere: (nynorsk, bokmål), longest first.
const ENDINGS: &[(&str, &str)] = &[
    ("heitene", "hetene"),
    ("heita", "heten"),
    ("heiter", "heter"),
    ("heit", "het"),
];

/// Words shorter than this keep their `-heit` ending (`heit` "hot").
const MIN_ENDING_WORD: usize = 6;

/// The bokmål counterpart of a lower-cased word form, or the word itself.
pub fn to_bokmal(word: &str) -> Cow<'_, str> {
    if let Some(nb) = FORMS.get(word) {
        return Cow::Borrowed(nb);
    }
    if word.len() < MIN_ENDING_WORD {
        return Cow::Borrowed(word);
    }
    if let Some(compound) = compound(word) {
        return Cow::Owned(compound);
    }
    for (nn, nb) in ENDINGS {
        if let Some(stem) = word.strip_suffix(nn)
            && stem.chars().count() >= MIN_COMPOUND_PART
        {
            return Cow::Owned(format!("{stem}{nb}"));
        }
    }
    Cow::Borrowed(word)
}

/// A compound of a listed noun: the noun as its last part (`barneskulen`), or its stem as its first part
/// (`skuleleiar`: then the rest is mapped too).
fn compound(word: &str) -> Option<String> {
    for (forms, nb) in NOUNS {
        for form in *forms {
            if let Some(head) = word.strip_suffix(form)
                && head.chars().count() >= MIN_COMPOUND_PART
            {
                return Some(format!("{head}{nb}"));
            }
        }
        let lemma = forms[0];
        if let Some(rest) = word.strip_prefix(lemma)
            && rest.chars().count() >= MIN_COMPOUND_PART
        {
            let rest = to_bokmal(rest);
            return Some(format!("{nb}{rest}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_forms_map_to_bokmal() {
        assert_eq!(to_bokmal("ikkje"), "ikke");
        assert_eq!(to_bokmal("korleis"), "hvordan");
        assert_eq!(to_bokmal("skulane"), "skole");
        assert_eq!(to_bokmal("leiarane"), "leder");
        assert_eq!(to_bokmal("skole"), "skole");
    }

    #[test]
    fn endings_and_compounds_map() {
        assert_eq!(to_bokmal("tryggheita"), "tryggheten");
        assert_eq!(to_bokmal("ungdomsskulen"), "ungdomsskole");
        assert_eq!(to_bokmal("skuleleiarane"), "skoleleder");
        // Short words and bokmål words are left alone.
        assert_eq!(to_bokmal("leg"), "leg");
        assert_eq!(to_bokmal("heit"), "heit");
        assert_eq!(to_bokmal("fastlege"), "fastlege");
        assert_eq!(to_bokmal("tilhøve"), "tilhøve");
    }
}
