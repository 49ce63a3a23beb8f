//! The document list: filter, grouping (by case, set, kind or attribute), coding counts; a click opens one.
//!
//! The list is virtualised: its rows (group headings and documents) are computed when the project, the filter
//! or the grouping changes, and a frame lays out only the rows in view, so 35,000 documents scroll smoothly.

use std::collections::HashMap;

use egui::{RichText, Ui};

use crate::gui::commands::Command;
use crate::gui::{strings as s, theme};
use crate::ids::DocumentId;
use crate::model::{Document, Project};

/// How the list is grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Grouping {
    #[default]
    None,
    Case,
    Set,
    Kind,
    /// By the value of a case attribute (e.g. municipality) of the document's cases.
    Attribute,
}

impl Grouping {
    const ALL: [Grouping; 5] = [
        Self::None,
        Self::Case,
        Self::Set,
        Self::Kind,
        Self::Attribute,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::None => s::GROUP_NONE.get(),
            Self::Case => s::GROUP_CASE.get(),
            Self::Set => s::GROUP_SET.get(),
            Self::Kind => s::GROUP_KIND.get(),
            Self::Attribute => s::GROUP_ATTRIBUTE.get(),
        }
    }
}

/// Panel state.
#[derive(Default)]
pub struct DocumentsState {
    /// Whose codings the counts count (the coder layers shown; set by the shell each frame).
    pub coders: crate::coders::CoderSelection,
    pub filter: String,
    pub grouping: Grouping,
    /// The attribute to group by when grouping by attribute.
    pub attribute: Option<String>,
    counts: Option<(u64, HashMap<DocumentId, usize>)>,
    /// The document the list last scrolled to (it follows the viewer).
    shown: Option<DocumentId>,
    /// Documents sorted by name with their lower-case names, for the project revision they were sorted at.
    sorted: Option<(u64, Vec<(DocumentId, String)>)>,
    /// The rows on screen and what they were computed from.
    rows: Option<(RowsKey, Vec<Row>)>,
    /// Group headings the user folded.
    collapsed: std::collections::BTreeSet<String>,
    /// Counts folds and unfolds (the rows depend on it).
    folds: u64,
    /// The rows drawn in the last frame (to scroll only when the current document is out of view).
    visible: std::ops::Range<usize>,
}

/// What the rows of the list depend on.
#[derive(Clone, PartialEq)]
struct RowsKey {
    revision: u64,
    filter: String,
    grouping: Grouping,
    attribute: Option<String>,
    folds: u64,
}

/// One row of the list.
enum Row {
    /// A group heading with its number of documents; a click folds or unfolds it.
    Heading(String, usize),
    Document(DocumentId),
}

/// A group of documents under its heading (an empty heading: no grouping).
type Group<'d> = (String, Vec<&'d Document>);

pub fn documents_ui(
    ui: &mut Ui,
    project: &Project,
    revision: u64,
    current: Option<DocumentId>,
    state: &mut DocumentsState,
    commands: &mut Vec<Command>,
) {
    if state.counts.as_ref().is_none_or(|(r, _)| *r != revision) {
        let mut counts = HashMap::new();
        for coding in project.codings().values() {
            if !state.coders.contains(coding.coder) {
                continue;
            }
            *counts.entry(coding.document).or_insert(0) += 1;
        }
        state.counts = Some((revision, counts));
    }
    controls_ui(ui, project, state);
    ui.add_space(2.0);
    refresh_rows(project, revision, state);
    let shown = state.shown;
    state.shown = current;
    let empty = HashMap::new();
    let counts = state.counts.as_ref().map(|(_, c)| c).unwrap_or(&empty);
    let rows = state
        .rows
        .as_ref()
        .map(|(_, r)| r.as_slice())
        .unwrap_or(&[]);
    let row_height = ui
        .spacing()
        .interact_size
        .y
        .max(ui.text_style_height(&egui::TextStyle::Body));
    let mut area = egui::ScrollArea::vertical()
        .id_salt("documents")
        .auto_shrink([false, false]);
    // Follow the viewer: when the open document changed and its row is out of view, scroll to it.
    if let Some(doc) = current.filter(|_| shown != current)
        && let Some(at) = rows
            .iter()
            .position(|r| matches!(r, Row::Document(d) if *d == doc))
        && !state.visible.contains(&at)
    {
        let step = row_height + ui.spacing().item_spacing.y;
        area = area.vertical_scroll_offset((at as f32 - 2.0).max(0.0) * step);
    }
    let mut toggled = None;
    let output = area.show_rows(ui, row_height, rows.len(), |ui, range| {
        for row in &rows[range.clone()] {
            match row {
                Row::Heading(heading, n) => {
                    let open = !state.collapsed.contains(heading);
                    let arrow = if open { "−" } else { "+" };
                    let text = RichText::new(format!(
                        "{arrow} {heading}  ({})",
                        crate::gui::locale::count(n)
                    ))
                    .strong();
                    if ui.selectable_label(false, text).clicked() {
                        toggled = Some(heading.clone());
                    }
                }
                Row::Document(id) => {
                    if let Some(doc) = project.documents().get(id) {
                        let count = counts.get(id).copied().unwrap_or(0);
                        let row = document_row_ui(ui, project, doc, count, current, commands);
                        // Right click: the Document menu (rename, kind, language, case, set, remove).
                        row.context_menu(|ui| {
                            crate::gui::document_menu::document_menu_ui(ui, project, doc, commands);
                        });
                    }
                }
            }
        }
        range
    });
    state.visible = output.inner;
    if let Some(heading) = toggled {
        state.folds += 1;
        if !state.collapsed.remove(&heading) {
            state.collapsed.insert(heading);
        }
    }
}

/// Recomputes the rows when the project, the filter, the grouping or a folded group changed (not per frame).
fn refresh_rows(project: &Project, revision: u64, state: &mut DocumentsState) {
    let key = RowsKey {
        revision,
        filter: state.filter.trim().to_lowercase(),
        grouping: state.grouping,
        attribute: state.attribute.clone(),
        folds: state.folds,
    };
    if state.rows.as_ref().is_some_and(|(k, _)| *k == key) {
        return;
    }
    if state.sorted.as_ref().is_none_or(|(r, _)| *r != revision) {
        let sorted = project
            .documents_sorted()
            .into_iter()
            .map(|d| (d.id, d.name.to_lowercase()))
            .collect();
        state.sorted = Some((revision, sorted));
    }
    let sorted = state
        .sorted
        .as_ref()
        .map(|(_, s)| s.as_slice())
        .unwrap_or(&[]);
    let matching = sorted
        .iter()
        .filter(|(_, lower)| key.filter.is_empty() || lower.contains(&key.filter))
        .map(|(id, _)| *id);
    // Ungrouped (the usual list) the rows are the matching ids in order: a keystroke in the filter looks up no
    // document (35,000 map lookups were most of such a frame).
    if state.grouping == Grouping::None {
        let rows = matching.map(Row::Document).collect();
        state.rows = Some((key, rows));
        return;
    }
    let docs: Vec<&Document> = matching
        .filter_map(|id| project.documents().get(&id))
        .collect();
    let mut rows = Vec::with_capacity(docs.len());
    for (heading, list) in group(project, state, docs) {
        if heading.is_empty() {
            rows.extend(list.iter().map(|d| Row::Document(d.id)));
            continue;
        }
        let open = !state.collapsed.contains(&heading);
        let n = list.len();
        rows.push(Row::Heading(heading, n));
        if open {
            rows.extend(list.iter().map(|d| Row::Document(d.id)));
        }
    }
    state.rows = Some((key, rows));
}

/// The filter field and the grouping choice (with the attribute to group by).
fn controls_ui(ui: &mut Ui, project: &Project, state: &mut DocumentsState) {
    ui.horizontal(|ui| {
        let label = ui.label(s::FILTER);
        ui.add(
            egui::TextEdit::singleline(&mut state.filter)
                .hint_text(s::FILTER_HINT)
                .desired_width(ui.available_width() - 4.0),
        )
        .labelled_by(label.id);
    });
    if state.grouping == Grouping::Attribute
        && state
            .attribute
            .as_ref()
            .is_none_or(|a| !project.attributes().contains_key(a))
    {
        state.attribute = project
            .attributes()
            .keys()
            .find(|k| k.as_str() == "municipality")
            .or_else(|| project.attributes().keys().next())
            .cloned();
    }
    ui.horizontal(|ui| {
        let label = ui.label(s::GROUP_BY);
        egui::ComboBox::from_id_salt("group-by")
            .selected_text(state.grouping.label())
            .width(90.0)
            .show_ui(ui, |ui| {
                for g in Grouping::ALL {
                    if g == Grouping::Attribute && project.attributes().is_empty() {
                        continue;
                    }
                    ui.selectable_value(&mut state.grouping, g, g.label());
                }
            })
            .response
            .labelled_by(label.id);
        if state.grouping == Grouping::Attribute {
            egui::ComboBox::from_id_salt("group-attribute")
                .selected_text(state.attribute.clone().unwrap_or_default())
                .width(110.0)
                .show_ui(ui, |ui| {
                    for name in project.attributes().keys() {
                        ui.selectable_value(&mut state.attribute, Some(name.clone()), name);
                    }
                })
                .response
                .labelled_by(label.id);
        }
    });
}

/// One document: its name (a click opens it), its language and its number of codings; returns the name's
/// response.
fn document_row_ui(
    ui: &mut Ui,
    project: &Project,
    doc: &Document,
    count: usize,
    current: Option<DocumentId>,
    commands: &mut Vec<Command>,
) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    // The count and language first, from the right; the name takes the room left and is cut short with "…"
    // (in full on hover) instead of running under them.
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if count > 0 {
                let text = RichText::new(crate::gui::locale::count(count)).small();
                ui.label(text.color(theme::muted(dark)));
            }
            let language = super::language::short_label(project, doc);
            let tooltip = s::language_tooltip(&language);
            ui.label(RichText::new(language).small().color(theme::muted(dark)))
                .on_hover_text(tooltip);
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                let response = ui
                    .selectable_label(current == Some(doc.id), &doc.name)
                    .on_hover_text(&doc.name);
                if response.clicked() {
                    commands.push(Command::OpenDocument(doc.id));
                }
                response
            })
            .inner
        })
        .inner
    })
    .inner
}

/// The documents in the chosen grouping.
fn group<'d>(
    project: &'d Project,
    state: &DocumentsState,
    docs: Vec<&'d Document>,
) -> Vec<Group<'d>> {
    match state.grouping {
        Grouping::None => vec![(String::new(), docs)],
        Grouping::Kind => crate::model::DocumentKind::ALL
            .into_iter()
            .map(|kind| {
                let list = docs.iter().copied().filter(|d| d.kind == kind).collect();
                (s::kind_name(kind).to_string(), list)
            })
            .filter(|(_, list): &Group| !list.is_empty())
            .collect(),
        Grouping::Case => {
            let mut cases: Vec<_> = project.cases().values().collect();
            cases.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
            let members = cases
                .iter()
                .map(|c| (c.name.clone(), &c.documents))
                .collect();
            group_by_membership(&docs, members, s::NO_CASE.get())
        }
        Grouping::Attribute => {
            let attribute = state.attribute.clone().unwrap_or_default();
            group_by_attribute(project, &docs, &attribute)
        }
        Grouping::Set => {
            let mut sets: Vec<_> = project.sets().values().collect();
            sets.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
            let members = sets
                .iter()
                .map(|set| (set.name.clone(), &set.documents))
                .collect();
            group_by_membership(&docs, members, s::NO_SET.get())
        }
    }
}

/// Groups documents by the values an attribute has in their cases (documents without one last).
fn group_by_attribute<'d>(
    project: &Project,
    docs: &[&'d Document],
    attribute: &str,
) -> Vec<Group<'d>> {
    let mut groups: std::collections::BTreeMap<String, Vec<&Document>> = Default::default();
    for doc in docs {
        let mut values: Vec<String> = project
            .cases_of(doc.id)
            .iter()
            .filter_map(|c| c.attributes.get(attribute))
            .map(|v| v.to_string())
            .collect();
        values.sort();
        values.dedup();
        if values.is_empty() {
            values.push(s::NO_VALUE.into());
        }
        for value in values {
            groups.entry(value).or_default().push(doc);
        }
    }
    let mut out: Vec<Group<'d>> = groups.into_iter().collect();
    out.sort_by(|a, b| {
        (a.0 == s::NO_VALUE)
            .cmp(&(b.0 == s::NO_VALUE))
            .then_with(|| crate::collate::compare(&a.0, &b.0))
    });
    out
}

/// Groups documents by the named memberships they belong to (cases or sets), in the given order, with the
/// documents that belong to none under `loose_label`. Empty groups are left out.
fn group_by_membership<'d>(
    docs: &[&'d Document],
    members: Vec<(String, &std::collections::BTreeSet<crate::ids::DocumentId>)>,
    loose_label: &str,
) -> Vec<(String, Vec<&'d Document>)> {
    let mut out: Vec<(String, Vec<&Document>)> = members
        .iter()
        .map(|(name, set)| {
            (
                name.clone(),
                docs.iter()
                    .copied()
                    .filter(|d| set.contains(&d.id))
                    .collect(),
            )
        })
        .filter(|(_, list): &(String, Vec<&Document>)| !list.is_empty())
        .collect();
    let loose: Vec<&Document> = docs
        .iter()
        .copied()
        .filter(|d| !members.iter().any(|(_, set)| set.contains(&d.id)))
        .collect();
    if !loose.is_empty() {
        out.push((loose_label.into(), loose));
    }
    out
}
