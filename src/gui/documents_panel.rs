//! The document list: filter, grouping (by case, set or kind), coding counts; a click opens the document.

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
            Self::None => s::GROUP_NONE,
            Self::Case => s::GROUP_CASE,
            Self::Set => s::GROUP_SET,
            Self::Kind => s::GROUP_KIND,
            Self::Attribute => s::GROUP_ATTRIBUTE,
        }
    }
}

/// Panel state.
#[derive(Default)]
pub struct DocumentsState {
    pub filter: String,
    pub grouping: Grouping,
    /// The attribute to group by when grouping by attribute.
    pub attribute: Option<String>,
    counts: Option<(u64, HashMap<DocumentId, usize>)>,
    /// The document the list last scrolled to (it follows the viewer).
    shown: Option<DocumentId>,
}

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
            *counts.entry(coding.document).or_insert(0) += 1;
        }
        state.counts = Some((revision, counts));
    }
    let empty = HashMap::new();
    let counts = state.counts.as_ref().map(|(_, c)| c).unwrap_or(&empty);
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
    ui.add_space(2.0);
    let needle = state.filter.trim().to_lowercase();
    let docs: Vec<&Document> = project
        .documents_sorted()
        .into_iter()
        .filter(|d| needle.is_empty() || d.name.to_lowercase().contains(&needle))
        .collect();
    let groups: Vec<(String, Vec<&Document>)> = match state.grouping {
        Grouping::None => vec![(String::new(), docs)],
        Grouping::Kind => {
            let mut out: Vec<(String, Vec<&Document>)> = Vec::new();
            for kind in crate::model::DocumentKind::ALL {
                let list: Vec<&Document> =
                    docs.iter().copied().filter(|d| d.kind == kind).collect();
                if !list.is_empty() {
                    out.push((kind.keyword().to_string(), list));
                }
            }
            out
        }
        Grouping::Case => {
            let mut cases: Vec<_> = project.cases().values().collect();
            cases.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
            let members = cases
                .iter()
                .map(|c| (c.name.clone(), &c.documents))
                .collect();
            group_by_membership(&docs, members, s::NO_CASE)
        }
        Grouping::Attribute => {
            let attribute = state.attribute.clone().unwrap_or_default();
            let mut groups: std::collections::BTreeMap<String, Vec<&Document>> =
                std::collections::BTreeMap::new();
            for doc in &docs {
                let mut values: Vec<String> = project
                    .cases_of(doc.id)
                    .iter()
                    .filter_map(|c| c.attributes.get(&attribute))
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
            let mut out: Vec<(String, Vec<&Document>)> = groups.into_iter().collect();
            out.sort_by(|a, b| {
                (a.0 == s::NO_VALUE)
                    .cmp(&(b.0 == s::NO_VALUE))
                    .then_with(|| crate::collate::compare(&a.0, &b.0))
            });
            out
        }
        Grouping::Set => {
            let mut sets: Vec<_> = project.sets().values().collect();
            sets.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
            let members = sets
                .iter()
                .map(|set| (set.name.clone(), &set.documents))
                .collect();
            group_by_membership(&docs, members, s::NO_SET)
        }
    };
    let dark = ui.visuals().dark_mode;
    let shown = state.shown;
    state.shown = current;
    egui::ScrollArea::vertical()
        .id_salt("documents")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (group, list) in groups {
                let rows = |ui: &mut Ui| {
                    for doc in list {
                        let count = counts.get(&doc.id).copied().unwrap_or(0);
                        ui.horizontal(|ui| {
                            let selected = current == Some(doc.id);
                            let response = ui.selectable_label(selected, &doc.name);
                            if selected && shown != current {
                                response.scroll_to_me(None);
                            }
                            if response.clicked() {
                                commands.push(Command::OpenDocument(doc.id));
                            }
                            ui.with_layout(
                                egui::Layout::right_to_left(egui::Align::Center),
                                |ui| {
                                    if count > 0 {
                                        ui.label(
                                            RichText::new(count.to_string())
                                                .small()
                                                .color(theme::muted(dark)),
                                        );
                                    }
                                },
                            );
                        });
                    }
                };
                if group.is_empty() {
                    rows(ui);
                } else {
                    egui::CollapsingHeader::new(RichText::new(&group).strong())
                        .id_salt(("doc-group", &group))
                        .default_open(true)
                        .show(ui, rows);
                }
            }
        });
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
