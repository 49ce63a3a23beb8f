//! The edit contract: applying an edit and then its inverse restores the project exactly, for every variant;
//! failed edits change nothing; undo/redo walk the history.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use marginalia::edit::{Edit, EditError, Entity, EntityKey};
use marginalia::ids::{CaseId, CodingId, MemoId, SetId};
use marginalia::import::document_from_text;
use marginalia::model::{
    AttributeDef, AttributeType, AttributeValue, Case, Code, Coder, Coding, DocumentKind,
    DocumentSet, Language, Memo, MemoTarget, Project,
};
use marginalia::offsets::CharRange;
use marginalia::ops;

const INTERVIEW: &str = "Intervjuer: Hvordan har ressurssituasjonen vært?\n\nRektor: Vi har fått budsjettkutt, og sykefraværet har økt.\n\nIntervjuer: Og ressursteamet?\n\nRektor: Det møtes annenhver uke, med PPT og helsesykepleier til stede.";

/// Builds one step with a draft and applies it.
fn step<R>(p: &mut Project, build: impl FnOnce(&mut ops::Draft) -> R) -> R {
    let mut draft = ops::Draft::new(p);
    let result = build(&mut draft);
    let edit = draft.finish("step");
    p.apply(edit).expect("step applies");
    result
}

/// A project with one of everything.
fn fixture() -> Project {
    let mut p = Project::new("Test", Language::Nb);
    let entry = document_from_text("Rektor Furulund", "rektor.txt", INTERVIEW, None);
    let doc = entry.document.id;
    p.apply(Edit::Put(Entity::Document(Box::new(entry))))
        .expect("document");
    let barriers = step(&mut p, |d| {
        ops::add_code(d, "Barriers", None, None, "Hindringer")
    });
    let shortage = step(&mut p, |d| {
        ops::add_code(d, "Resource shortage", Some(barriers), None, "")
    });
    let arenas = step(&mut p, |d| {
        ops::add_code(d, "Meeting arenas", None, None, "")
    });
    let coder = step(&mut p, |d| ops::ensure_coder(d, "Ingrid Solberg"));
    let range = CharRange::new(58, 100);
    let coding = step(&mut p, |d| {
        ops::code_passage(d, doc, shortage, range, coder, Some("tydelig".into())).expect("coding")
    });
    step(&mut p, |d| {
        ops::code_passage(d, doc, arenas, CharRange::new(140, 170), coder, None).expect("coding")
    });
    p.apply(Edit::Put(Entity::Attribute(AttributeDef {
        name: "group".into(),
        kind: AttributeType::Text,
    })))
    .expect("attr");
    let case = Case {
        id: CaseId::new(),
        name: "Furulund skole".into(),
        description: String::new(),
        attributes: BTreeMap::from([("group".into(), AttributeValue::Text("LOG".into()))]),
        documents: BTreeSet::from([doc]),
    };
    p.apply(Edit::Put(Entity::Case(case))).expect("case");
    p.apply(Edit::Put(Entity::Set(DocumentSet {
        id: SetId::new(),
        name: "Rektorer".into(),
        description: String::new(),
        documents: BTreeSet::from([doc]),
    })))
    .expect("set");
    for target in [
        MemoTarget::Project,
        MemoTarget::Code(shortage),
        MemoTarget::Coding(coding),
        MemoTarget::Document(doc),
    ] {
        p.apply(Edit::Put(Entity::Memo(Memo {
            id: MemoId::new(),
            title: "Notat".into(),
            text: "Første tanke om ressurser.".into(),
            target,
            author: Some(coder),
            created: marginalia::now(),
        })))
        .expect("memo");
    }
    p
}

/// Applies an edit, checks it changed something, applies the inverse, checks the project is back exactly.
fn round_trip(p: &Project, edit: Edit) {
    let mut changed = p.clone();
    let inverse = changed
        .apply(edit.clone())
        .unwrap_or_else(|e| panic!("{edit:?} failed: {e}"));
    assert_ne!(&changed, p, "{edit:?} changed nothing");
    let redo = changed.apply(inverse).expect("inverse applies");
    assert_eq!(
        &changed, p,
        "inverse of {edit:?} did not restore the project"
    );
    let mut again = p.clone();
    again.apply(edit).expect("edit applies again");
    let mut via_redo = changed.clone();
    via_redo.apply(redo).expect("redo applies");
    assert_eq!(again, via_redo, "redo differs from the original edit");
}

fn first<T: Clone>(map: &BTreeMap<impl Ord, T>) -> T {
    map.values().next().cloned().expect("fixture has one")
}

#[test]
fn every_put_variant_round_trips() {
    let p = fixture();
    let mut meta = p.meta().clone();
    meta.name = "Oppfølgingsstudien".into();
    round_trip(&p, Edit::Put(Entity::Meta(meta)));
    let entry = document_from_text(
        "Observasjon",
        "obs.txt",
        "Møtet startet 08.15.\n\nPPT kom sent.",
        Some(DocumentKind::Observation),
    );
    round_trip(&p, Edit::Put(Entity::Document(Box::new(entry))));
    let code = first(p.codes());
    round_trip(
        &p,
        Edit::Put(Entity::Code(Code {
            name: "Omdøpt".into(),
            ..code.clone()
        })),
    );
    round_trip(
        &p,
        Edit::Put(Entity::Code(Code {
            id: marginalia::ids::CodeId::new(),
            name: "Ny".into(),
            ..code
        })),
    );
    let coding = first(p.codings());
    round_trip(
        &p,
        Edit::Put(Entity::Coding(Coding {
            range: CharRange::new(0, 10),
            ..coding.clone()
        })),
    );
    round_trip(
        &p,
        Edit::Put(Entity::Coding(Coding {
            id: CodingId::new(),
            ..coding
        })),
    );
    round_trip(
        &p,
        Edit::Put(Entity::Coder(Coder {
            id: marginalia::ids::CoderId::new(),
            name: "Tobias Lunde".into(),
            colour: None,
        })),
    );
    let memo = first(p.memos());
    round_trip(
        &p,
        Edit::Put(Entity::Memo(Memo {
            text: "Endret".into(),
            ..memo
        })),
    );
    round_trip(
        &p,
        Edit::Put(Entity::Attribute(AttributeDef {
            name: "pupils".into(),
            kind: AttributeType::Integer,
        })),
    );
    let case = first(p.cases());
    round_trip(
        &p,
        Edit::Put(Entity::Case(Case {
            name: "Furulund barneskole".into(),
            ..case
        })),
    );
    let set = first(p.sets());
    round_trip(
        &p,
        Edit::Put(Entity::Set(DocumentSet {
            documents: BTreeSet::new(),
            ..set
        })),
    );
}

#[test]
fn every_delete_variant_round_trips() {
    let p = fixture();
    // Plain deletes of entities nothing refers to.
    let free_coding = p
        .codings()
        .values()
        .find(|c| p.memos_on(MemoTarget::Coding(c.id)).is_empty())
        .expect("coding");
    round_trip(&p, Edit::Delete(EntityKey::Coding(free_coding.id)));
    round_trip(&p, Edit::Delete(EntityKey::Memo(first(p.memos()).id)));
    round_trip(&p, Edit::Delete(EntityKey::Set(first(p.sets()).id)));
    round_trip(&p, Edit::Delete(EntityKey::Case(first(p.cases()).id)));
    // Cascading deletes built by ops.
    let doc = first(p.documents()).id;
    round_trip(&p, ops::remove_document(&p, doc).expect("remove doc"));
    let barriers = p.find_code("Barriers").expect("code").id;
    round_trip(&p, ops::delete_code(&p, barriers).expect("delete code"));
    round_trip(&p, ops::remove_attribute(&p, "group").expect("remove attr"));
    let mut no_codings = p.clone();
    for id in no_codings.codings().keys().copied().collect::<Vec<_>>() {
        for m in no_codings
            .memos_on(MemoTarget::Coding(id))
            .iter()
            .map(|m| m.id)
            .collect::<Vec<_>>()
        {
            no_codings
                .apply(Edit::Delete(EntityKey::Memo(m)))
                .expect("memo");
        }
        no_codings
            .apply(Edit::Delete(EntityKey::Coding(id)))
            .expect("coding");
    }
    let coder = first(no_codings.coders()).id;
    let with_memos_gone = {
        let mut q = no_codings.clone();
        for m in q.memos().keys().copied().collect::<Vec<_>>() {
            q.apply(Edit::Delete(EntityKey::Memo(m))).expect("memo");
        }
        q
    };
    round_trip(&with_memos_gone, Edit::Delete(EntityKey::Coder(coder)));
}

#[test]
fn batches_and_ops_round_trip() {
    let p = fixture();
    let shortage = p.find_code("Resource shortage").expect("code").id;
    let arenas = p.find_code("Meeting arenas").expect("code").id;
    round_trip(&p, ops::merge_codes(&p, shortage, arenas).expect("merge"));
    round_trip(
        &p,
        ops::move_code(
            &p,
            arenas,
            Some(p.find_code("Barriers").expect("code").id),
            Some(0),
        )
        .expect("move"),
    );
    round_trip(
        &p,
        ops::rename_code(&p, shortage, "Ressursmangel").expect("rename"),
    );
    let mut draft = ops::Draft::new(&p);
    ops::ensure_code_path(&mut draft, "Outcomes/Shared goal understanding").expect("path");
    round_trip(&p, draft.finish("add path"));
}

#[test]
fn a_failing_batch_changes_nothing() {
    let mut p = fixture();
    let before = p.clone();
    let code = first(p.codes());
    let bad = Edit::Batch {
        label: "half good".into(),
        edits: vec![
            Edit::Put(Entity::Code(Code {
                name: "Changed first".into(),
                ..code
            })),
            Edit::Delete(EntityKey::Code(marginalia::ids::CodeId::new())),
        ],
    };
    assert!(matches!(p.apply(bad), Err(EditError::Missing(_))));
    assert_eq!(p, before);
}

#[test]
fn referential_rules_hold() {
    let mut p = fixture();
    let barriers = p.find_code("Barriers").expect("code").id;
    assert!(matches!(
        p.apply(Edit::Delete(EntityKey::Code(barriers))),
        Err(EditError::InUse { .. })
    ));
    let doc = first(p.documents()).id;
    assert!(matches!(
        p.apply(Edit::Delete(EntityKey::Document(doc))),
        Err(EditError::InUse { .. })
    ));
    let coding = first(p.codings());
    let outside = Coding {
        id: CodingId::new(),
        range: CharRange::new(0, 100_000),
        ..coding.clone()
    };
    assert!(matches!(
        p.apply(Edit::Put(Entity::Coding(outside))),
        Err(EditError::Invalid { .. })
    ));
    let shortage = p.find_code("Resource shortage").expect("code").clone();
    let cycle = Code {
        parent: Some(shortage.id),
        ..p.codes()[&barriers].clone()
    };
    assert!(
        p.apply(Edit::Put(Entity::Code(cycle))).is_err(),
        "a code cannot move under its own child"
    );
    let duplicate = Code {
        id: marginalia::ids::CodeId::new(),
        ..shortage
    };
    assert!(
        p.apply(Edit::Put(Entity::Code(duplicate))).is_err(),
        "sibling names are unique"
    );
    let text_change = {
        let mut e = document_from_text("Rektor Furulund", "rektor.txt", "annen tekst", None);
        e.document.id = doc;
        e
    };
    assert!(
        p.apply(Edit::Put(Entity::Document(Box::new(text_change))))
            .is_err(),
        "texts are immutable"
    );
}

#[test]
fn history_undoes_and_redoes_with_labels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws =
        marginalia::Workspace::create(&dir.path().join("p"), "P", Language::Nb).expect("create");
    let (_, edit) = ops::add_code_path(ws.project(), "Resource shortage", None, "").expect("new");
    assert_eq!(
        ws.apply(edit).expect("apply"),
        "add code 'Resource shortage'"
    );
    assert_eq!(
        ws.history().undo_label(),
        Some("add code 'Resource shortage'")
    );
    assert_eq!(
        ws.undo().expect("undo").as_deref(),
        Some("add code 'Resource shortage'")
    );
    assert!(ws.project().codes().is_empty());
    assert_eq!(
        ws.redo().expect("redo").as_deref(),
        Some("add code 'Resource shortage'")
    );
    assert_eq!(ws.project().codes().len(), 1);
    assert_eq!(
        ws.undo().expect("undo").as_deref(),
        Some("add code 'Resource shortage'")
    );
    assert_eq!(ws.undo().expect("nothing left"), None);
}

/// The counts the workbench's "Remove document" confirmation shows are what the removal takes away.
#[test]
fn removal_counts_match_what_remove_document_deletes() {
    let p = fixture();
    for doc in p.documents().keys().copied() {
        let (codings, memos) = ops::removal_counts(&p, doc);
        let mut after = p.clone();
        after
            .apply(ops::remove_document(&p, doc).expect("remove doc"))
            .expect("apply");
        assert_eq!(codings, p.codings().len() - after.codings().len());
        assert_eq!(memos, p.memos().len() - after.memos().len());
    }
    let with_memo = p
        .documents()
        .keys()
        .copied()
        .find(|d| ops::removal_counts(&p, *d).1 > 0);
    assert!(with_memo.is_some(), "the fixture has a document with memos");
}

/// New sub-codes get colours that differ clearly from their siblings' and their parent's (issue 15: sibling
/// sub-codes in near-identical colours could not be told apart in the stripes).
#[test]
fn sibling_subcodes_get_distinguishable_colours() {
    let mut p = Project::new("Fargar", Language::Nn);
    for path in [
        "Barrierar",
        "Ressursar",
        "Barrierar/Tid",
        "Barrierar/Økonomi",
        "Barrierar/Leiing",
        "Barrierar/Kompetanse",
        "Barrierar/Haldningar",
        "Ressursar/Kollegaer",
    ] {
        let (_, edit) = ops::add_code_path(&p, path, None, "").expect("add code");
        p.apply(edit).expect("apply");
    }
    let parent = p.find_code("Barrierar").expect("parent").id;
    let mut family: Vec<[u8; 3]> = p
        .children(Some(parent))
        .iter()
        .map(|c| marginalia::model::colour_rgb(&c.colour).expect("colour"))
        .collect();
    assert_eq!(family.len(), 5);
    family.push(marginalia::model::colour_rgb(&p.codes()[&parent].colour).expect("colour"));
    for (i, a) in family.iter().enumerate() {
        for b in &family[i + 1..] {
            let d: i32 = (0..3)
                .map(|k| (i32::from(a[k]) - i32::from(b[k])).pow(2))
                .sum();
            // 90 apart excludes the palette's look-alike pairs (blue and navy, the two reds, the two greens).
            assert!(d >= 90 * 90, "{a:?} and {b:?} are too close ({d})");
        }
    }
}
