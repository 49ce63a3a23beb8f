//! Small widgets shared by panels and windows: a drop-down of named choices with an "any" entry.

use egui::Ui;

/// A drop-down of named choices (sorted by name) with an entry for none (`all`), labelled by `label`.
pub fn choice_combo<T: Copy + PartialEq>(
    ui: &mut Ui,
    (label, salt, all): (egui::Id, &str, &str),
    mut choices: Vec<(T, &str)>,
    current: &mut Option<T>,
) {
    choices.sort_by(|a, b| crate::collate::compare(a.1, b.1));
    let shown = choices
        .iter()
        .find(|(id, _)| Some(*id) == *current)
        .map_or(all, |(_, name)| name)
        .to_string();
    egui::ComboBox::from_id_salt(salt)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(current, None, all);
            for (id, name) in choices {
                ui.selectable_value(current, Some(id), name);
            }
        })
        .response
        .labelled_by(label);
}
