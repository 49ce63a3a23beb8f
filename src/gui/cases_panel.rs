//! Cases: the Case tab of the current document and the Cases window (an editable, sortable table).
//!
//! Cases: the Case tab (the current document's cases and their attributes, editable; link and unlink) and the
//! Cases window (a sortable, editable table of cases × attributes; import cases from CSV).

use std::collections::BTreeSet;

use egui::{RichText, Ui};
use egui_extras::Column;

use crate::gui::commands::{Action, CaseChange, CaseRef, Command};
use crate::gui::widgets::Part;
use crate::gui::{strings as s, theme};
use crate::ids::{CaseId, DocumentId};
use crate::model::{AttributeType, Case, Project};

/// The one cell being edited: case, attribute (empty: the case name), draft text.
type CellEdit = (CaseId, String, String);

/// State of the Case tab and the Cases window.
#[derive(Default)]
pub struct CasesState {
    pub window_open: bool,
    editing: Option<CellEdit>,
    link_choice: Option<CaseId>,
    new_case: String,
    new_attribute: String,
    new_attribute_type: Option<AttributeType>,
    /// Sort column (0: name, 1: documents, 2..: attributes) and whether it is descending.
    sort: (usize, bool),
    /// The table's rows in sorted order, for a project revision and sort (sorted once, not per frame).
    order: Option<(u64, (usize, bool), CaseOrder)>,
}

/// The case table's rows in sorted order.
type CaseOrder = std::sync::Arc<[CaseId]>;

/// An editable cell; commits when focus leaves.
fn cell_ui(
    ui: &mut Ui,
    case: &Case,
    attribute: &str,
    editing: &mut Option<CellEdit>,
    commands: &mut Vec<Command>,
    width: f32,
) {
    let stored = if attribute.is_empty() {
        case.name.clone()
    } else {
        case.attributes
            .get(attribute)
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    let this = |e: &CellEdit| e.0 == case.id && e.1 == attribute;
    let mut buffer = match editing.as_ref() {
        Some(e) if this(e) => e.2.clone(),
        _ => stored.clone(),
    };
    // The grid and the table head name the cell; an empty cell shows a dash.
    let hint = if attribute.is_empty() {
        s::CASE_NAME.get()
    } else {
        "–"
    };
    let response = ui.add(
        egui::TextEdit::singleline(&mut buffer)
            .desired_width(width)
            .hint_text(hint),
    );
    let response = response.on_hover_text(if attribute.is_empty() {
        s::CASE_NAME.get()
    } else {
        attribute
    });
    if response.lost_focus() {
        if buffer != stored {
            commands.extend(commit_cell(case.id, attribute, &buffer));
        }
        *editing = None;
    } else if response.has_focus() || response.changed() {
        *editing = Some((case.id, attribute.to_string(), buffer));
    }
}

/// The change an edited cell asks for: a new case name (never empty), or an attribute value (empty clears it).
fn commit_cell(case: CaseId, attribute: &str, text: &str) -> Option<Command> {
    if attribute.is_empty() {
        let name = text.trim();
        return (!name.is_empty()).then(|| {
            Command::Case(CaseChange::Rename {
                case,
                name: name.to_string(),
            })
        });
    }
    Some(Command::Case(CaseChange::SetAttribute {
        case,
        attribute: attribute.to_string(),
        text: text.to_string(),
    }))
}

/// The Case tab for the current document.
pub fn case_tab_ui(
    ui: &mut Ui,
    project: &Project,
    document: Option<DocumentId>,
    state: &mut CasesState,
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    let Some(doc) = document.and_then(|d| project.documents().get(&d)) else {
        ui.label(RichText::new(s::NO_DOCUMENT).color(theme::muted(dark)));
        return;
    };
    ui.label(RichText::new(&doc.name).strong());
    ui.add_space(4.0);
    let cases = project.cases_of(doc.id);
    if cases.is_empty() {
        ui.label(RichText::new(s::NO_CASES_FOR_DOC).color(theme::muted(dark)));
    }
    egui::ScrollArea::vertical()
        .id_salt("case-tab")
        .max_height(ui.available_height() - 90.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for case in &cases {
                linked_case_ui(ui, project, doc.id, case, state, commands);
            }
        });
    ui.separator();
    let linked: BTreeSet<CaseId> = cases.iter().map(|c| c.id).collect();
    link_ui(ui, project, doc.id, &linked, state, commands);
    ui.horizontal(|ui| {
        let label = ui.label(s::NEW_CASE);
        ui.add(
            egui::TextEdit::singleline(&mut state.new_case)
                .hint_text(s::NEW_CASE_HINT)
                .desired_width(150.0),
        )
        .labelled_by(label.id);
        if ui.button(s::CREATE_AND_LINK).clicked() && !state.new_case.trim().is_empty() {
            // A case with this name already: the document is linked to it.
            commands.push(Command::Case(CaseChange::Assign {
                case: CaseRef::Named(std::mem::take(&mut state.new_case)),
                documents: vec![doc.id],
            }));
        }
    });
}

/// A case of the document: its name, "Unlink", and its attributes (editable).
fn linked_case_ui(
    ui: &mut Ui,
    project: &Project,
    document: DocumentId,
    case: &Case,
    state: &mut CasesState,
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.label(RichText::new(&case.name).heading());
        if ui.small_button(s::UNLINK).clicked() {
            commands.push(Command::Case(CaseChange::Unlink {
                case: case.id,
                document,
            }));
        }
    });
    egui::Grid::new(("case-attrs", case.id))
        .num_columns(2)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for def in project.attributes().values() {
                ui.label(RichText::new(&def.name).color(theme::muted(dark)));
                cell_ui(ui, case, &def.name, &mut state.editing, commands, 180.0);
                ui.end_row();
            }
        });
    ui.add_space(8.0);
}

/// Links the document to one of the cases it is not in yet.
fn link_ui(
    ui: &mut Ui,
    project: &Project,
    document: DocumentId,
    linked: &BTreeSet<CaseId>,
    state: &mut CasesState,
    commands: &mut Vec<Command>,
) {
    let mut others: Vec<&Case> = project
        .cases()
        .values()
        .filter(|c| !linked.contains(&c.id))
        .collect();
    others.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
    ui.horizontal(|ui| {
        let label = ui.label(s::LINK_TO_CASE);
        let chosen = state
            .link_choice
            .and_then(|c| project.cases().get(&c))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| s::NONE.into());
        egui::ComboBox::from_id_salt("link-case")
            .selected_text(chosen)
            .width(150.0)
            .show_ui(ui, |ui| {
                for case in &others {
                    ui.selectable_value(&mut state.link_choice, Some(case.id), &case.name);
                }
            })
            .response
            .labelled_by(label.id);
        if ui.button(s::LINK).clicked()
            && let Some(case) = state.link_choice.take()
        {
            commands.push(Command::Case(CaseChange::Assign {
                case: CaseRef::Existing(case),
                documents: vec![document],
            }));
        }
    });
}

/// The Cases window: a table of cases × attributes.
pub fn cases_window_ui(
    ctx: &egui::Context,
    project: &Project,
    revision: u64,
    state: &mut CasesState,
    commands: &mut Vec<Command>,
) {
    let mut open = state.window_open;
    let shown = crate::gui::widgets::window(ctx, s::CASES_TITLE)
        .open(&mut open)
        .default_size([820.0, 480.0])
        .show(ctx, |ui| {
            // Wrapped, so the longer Norwegian labels take a second row instead of widening the window.
            ui.horizontal_wrapped(|ui| {
                if ui.button(s::IMPORT_CASES_CSV).clicked() {
                    commands.push(Command::Action(Action::ImportCasesCsv));
                }
                if ui
                    .button(s::COPY_TABLE)
                    .on_hover_text(s::COPY_TABLE_TIP)
                    .clicked()
                {
                    ui.ctx()
                        .copy_text(cases_table(project, state.sort).to_tsv());
                }
                ui.separator();
                let label = ui.label(s::CREATE_CASE);
                ui.add(
                    egui::TextEdit::singleline(&mut state.new_case)
                        .hint_text(s::NEW_CASE_HINT)
                        .desired_width(140.0),
                )
                .labelled_by(label.id);
                if ui.button(s::ADD).clicked() && !state.new_case.trim().is_empty() {
                    let name = std::mem::take(&mut state.new_case).trim().to_string();
                    commands.push(Command::Case(CaseChange::Add(name)));
                }
                ui.separator();
                let label = ui.label(s::ADD_ATTRIBUTE);
                ui.add(
                    egui::TextEdit::singleline(&mut state.new_attribute)
                        .hint_text(s::NEW_ATTRIBUTE_HINT)
                        .desired_width(120.0),
                )
                .labelled_by(label.id);
                let kind = state.new_attribute_type.unwrap_or(AttributeType::Text);
                let type_label = ui.label(s::ATTRIBUTE_TYPE);
                egui::ComboBox::from_id_salt("attr-type")
                    .selected_text(s::attribute_type_name(kind))
                    .show_ui(ui, |ui| {
                        for t in AttributeType::ALL {
                            ui.selectable_value(
                                &mut state.new_attribute_type,
                                Some(t),
                                s::attribute_type_name(t),
                            );
                        }
                    })
                    .response
                    .labelled_by(type_label.id);
                let name = state.new_attribute.trim().to_lowercase();
                if ui.button(s::ADD).clicked()
                    && !name.is_empty()
                    && !project.attributes().contains_key(&name)
                {
                    commands.push(Command::Case(CaseChange::DefineAttribute { name, kind }));
                    state.new_attribute.clear();
                }
            });
            ui.separator();
            cases_table_ui(ui, project, revision, state, commands);
        });
    crate::gui::widgets::escape_closes(ctx, shown.map(|r| r.response.layer_id), &mut open);
    state.window_open = open;
}

/// The case table as shown (sorted the same way): name, number of documents, then each attribute.
fn cases_table(project: &Project, sort: (usize, bool)) -> crate::analysis::Table {
    use crate::analysis::{Cell, Table};
    let attributes: Vec<String> = project.attributes().keys().cloned().collect();
    let mut cases: Vec<&Case> = project.cases().values().collect();
    sort_cases(&mut cases, &attributes, sort);
    let mut header = vec![s::CASE_NAME.to_string(), s::DOCUMENTS_COLUMN.to_string()];
    header.extend(attributes.iter().cloned());
    let mut table = Table::new(s::CASES_TITLE, header);
    for case in cases {
        let mut row = vec![
            Cell::from(case.name.as_str()),
            Cell::Count(case.documents.len() as u64),
        ];
        row.extend(attributes.iter().map(|a| {
            case.attributes
                .get(a)
                .map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
        }));
        table.rows.push(row);
    }
    table
}

/// Sorts the table's rows by a column (0: name, 1: documents, 2..: attributes, numbers by value).
fn sort_cases(cases: &mut [&Case], attributes: &[String], (column, descending): (usize, bool)) {
    use crate::model::AttributeValue::{Integer, Number};
    use std::cmp::Ordering;
    cases.sort_by(|a, b| {
        let order = match column {
            0 => crate::collate::compare(&a.name, &b.name),
            1 => a.documents.len().cmp(&b.documents.len()),
            n => {
                let key = attributes.get(n - 2);
                let va = key.and_then(|k| a.attributes.get(k));
                let vb = key.and_then(|k| b.attributes.get(k));
                match (va, vb) {
                    (Some(Integer(x)), Some(Integer(y))) => x.cmp(y),
                    (Some(Number(x)), Some(Number(y))) => x.total_cmp(y),
                    (Some(x), Some(y)) => crate::collate::compare(&x.to_string(), &y.to_string()),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                }
            }
        };
        if descending { order.reverse() } else { order }
    });
}

fn cases_table_ui(
    ui: &mut Ui,
    project: &Project,
    revision: u64,
    state: &mut CasesState,
    commands: &mut Vec<Command>,
) {
    let attributes: Vec<String> = project.attributes().keys().cloned().collect();
    let cases = match &state.order {
        Some((r, sort, order)) if *r == revision && *sort == state.sort => order.clone(),
        _ => {
            let mut cases: Vec<&Case> = project.cases().values().collect();
            sort_cases(&mut cases, &attributes, state.sort);
            let order: CaseOrder = cases.iter().map(|c| c.id).collect();
            state.order = Some((revision, state.sort, order.clone()));
            order
        }
    };
    let mut headers = vec![s::CASE_NAME.to_string(), s::DOCUMENTS_COLUMN.to_string()];
    headers.extend(attributes.iter().cloned());
    // Columns fit their heading (and a typical value), within bounds; the full heading shows on hover.
    let fit = |ui: &Ui, title: &str, least: f32| {
        let width = ui.fonts_mut(|f| {
            f.layout_no_wrap(
                format!("{title} ↓"),
                egui::FontId::proportional(14.0),
                egui::Color32::WHITE,
            )
            .size()
            .x
        });
        (width + 24.0).clamp(least, 260.0)
    };
    let mut rest = vec![Column::initial(fit(ui, s::DOCUMENTS_COLUMN.get(), 60.0)).at_least(50.0)];
    for attribute in &attributes {
        rest.push(
            Column::initial(fit(ui, attribute, 110.0))
                .at_least(60.0)
                .clip(true),
        );
    }
    let table = crate::gui::widgets::FrozenTable {
        salt: "cases-table",
        first: Column::initial(180.0)
            .at_least(100.0)
            .resizable(false)
            .clip(true),
        rest,
        header_height: 24.0,
        row_height: 26.0,
        rows: cases.len(),
    };
    let mut sort_clicked = None;
    let header = |header: &mut egui_extras::TableRow<'_, '_>, part: Part| {
        let columns = match part {
            Part::Label => 0..1,
            Part::Values => 1..headers.len(),
        };
        for i in columns {
            let title = &headers[i];
            header.col(|ui| {
                let arrow = if state.sort.0 == i {
                    if state.sort.1 { " ↓" } else { " ↑" }
                } else {
                    ""
                };
                if ui
                    .button(RichText::new(format!("{title}{arrow}")).strong())
                    .on_hover_text(title)
                    .clicked()
                {
                    sort_clicked = Some(i);
                }
            });
        }
    };
    let editing = &mut state.editing;
    table.show(ui, header, |row, index, part| {
        let Some(case) = cases.get(index).and_then(|id| project.cases().get(id)) else {
            return;
        };
        if part == Part::Label {
            row.col(|ui| {
                cell_ui(ui, case, "", editing, commands, 170.0);
            });
            return;
        }
        row.col(|ui| {
            ui.label(crate::gui::locale::count(case.documents.len()));
        });
        for attribute in &attributes {
            row.col(|ui| {
                cell_ui(ui, case, attribute, editing, commands, 120.0);
            });
        }
    });
    if let Some(i) = sort_clicked {
        state.sort = if state.sort.0 == i {
            (i, !state.sort.1)
        } else {
            (i, false)
        };
    }
}
