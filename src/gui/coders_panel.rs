//! Coder layers in the workbench: which coders' codings are shown (a show/hide toggle and a colour per coder)
//! and blind mode, which hides every other coder's codings, counts and excerpts until the coder reveals them.
//!
//! Everything in the workbench that reads codings asks [`CoderLayers::selection`]: the stripes, the excerpts
//! tab, the analysis views and the excerpt export. Blind mode is a preference of this computer (kept with the
//! coder name in the workbench preferences), so it applies to whoever codes here; revealing lasts until the
//! project is closed or blind mode is switched on again.

use std::collections::BTreeSet;

use egui::{Color32, RichText};

use crate::coders::CoderSelection;
use crate::gui::commands::Command;
use crate::gui::{strings as s, theme};
use crate::ids::CoderId;
use crate::model::Project;

/// Which coder layers are hidden, and whether blind mode's other coders are revealed.
#[derive(Debug, Default)]
pub struct CoderLayers {
    /// Coders whose layers the user hid.
    pub hidden: BTreeSet<CoderId>,
    /// In blind mode: the other coders are revealed for now.
    pub revealed: bool,
    /// The Coders window is open.
    pub open: bool,
    /// Codings per coder, for the project revision they were counted at (counted once, not per frame).
    counts: Option<(u64, std::collections::HashMap<CoderId, usize>)>,
}

impl CoderLayers {
    /// Whose codings the workbench shows: in blind mode (unless revealed) only the current coder's (nobody's
    /// when the current coder has coded nothing yet), otherwise every coder not hidden.
    pub fn selection(&self, project: &Project, blind: bool, me: &str) -> CoderSelection {
        if blind && !self.revealed {
            return CoderSelection::Only(
                project
                    .find_coder(me)
                    .map(|c| BTreeSet::from([c.id]))
                    .unwrap_or_default(),
            );
        }
        if self.hidden.is_empty() {
            CoderSelection::All
        } else {
            CoderSelection::Only(
                project
                    .coders()
                    .keys()
                    .filter(|c| !self.hidden.contains(c))
                    .copied()
                    .collect(),
            )
        }
    }
}

/// A coder's layer colour: the coder's own, else the palette's by the coder's place among the coders by name.
pub fn coder_colour(project: &Project, coder: CoderId) -> Color32 {
    let [r, g, b] =
        crate::model::colour_rgb(&crate::coders::layer_colour(project, coder)).unwrap_or([128; 3]);
    Color32::from_rgb(r, g, b)
}

/// The Coders window: each coder with their colour (a click changes it), codings count (when shown) and a show/hide toggle; blind
/// mode with reveal.
pub fn coders_window_ui(
    ctx: &egui::Context,
    project: &Project,
    revision: u64,
    layers: &mut CoderLayers,
    blind: &mut bool,
    me: &str,
    commands: &mut Vec<Command>,
) {
    if !layers.open {
        return;
    }
    if layers.counts.as_ref().is_none_or(|(r, _)| *r != revision) {
        let mut counts = std::collections::HashMap::new();
        for coding in project.codings().values() {
            *counts.entry(coding.coder).or_insert(0) += 1;
        }
        layers.counts = Some((revision, counts));
    }
    let mut open = layers.open;
    let shown = crate::gui::widgets::window(ctx, s::CODERS_TITLE)
        .id(egui::Id::unique("coders-window"))
        .open(&mut open)
        .default_width(320.0)
        .show(ctx, |ui| {
            let dark = ui.visuals().dark_mode;
            ui.label(
                RichText::new(s::CODERS_HINT)
                    .small()
                    .color(theme::muted(dark)),
            );
            ui.add_space(4.0);
            let shown = layers.selection(project, *blind, me);
            let mut coders: Vec<_> = project.coders().values().collect();
            coders.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
            for coder in coders {
                let mine = coder.name.to_lowercase() == me.trim().to_lowercase();
                ui.horizontal(|ui| {
                    coder_colour_button_ui(ui, project, coder, commands);
                    let mut visible = !layers.hidden.contains(&coder.id);
                    let blinded = *blind && !layers.revealed && !mine;
                    let label = if mine {
                        format!("{} {}", coder.name, s::YOU)
                    } else {
                        coder.name.clone()
                    };
                    let toggle = ui.add_enabled(!blinded, egui::Checkbox::new(&mut visible, label));
                    if toggle.changed() {
                        if visible {
                            layers.hidden.remove(&coder.id);
                        } else {
                            layers.hidden.insert(coder.id);
                        }
                    }
                    if shown.contains(coder.id) {
                        let n = layers
                            .counts
                            .as_ref()
                            .and_then(|(_, c)| c.get(&coder.id))
                            .copied()
                            .unwrap_or(0);
                        ui.label(
                            RichText::new(crate::gui::locale::count(n))
                                .small()
                                .color(theme::muted(dark)),
                        );
                    }
                });
            }
            ui.separator();
            let before = *blind;
            let _ = ui
                .checkbox(blind, s::BLIND_MODE)
                .on_hover_text(s::BLIND_HINT);
            if *blind && !before {
                layers.revealed = false;
            }
            if *blind {
                ui.label(RichText::new(s::blind_status(me)).small());
                let label = if layers.revealed {
                    s::HIDE_AGAIN
                } else {
                    s::REVEAL
                };
                if ui.button(label).clicked() {
                    layers.revealed = !layers.revealed;
                }
            }
        });
    crate::gui::widgets::escape_closes(ctx, shown.map(|r| r.response.layer_id), &mut open);
    layers.open = open;
}

/// The swatch of a coder's layer colour; a click opens the palette, a custom colour and "back to the palette's"
/// (each choice one undoable step, saved in the project).
fn coder_colour_button_ui(
    ui: &mut egui::Ui,
    project: &Project,
    coder: &crate::model::Coder,
    commands: &mut Vec<Command>,
) {
    let current = crate::coders::layer_colour(project, coder.id);
    let name = format!("{} {}", s::CODER_COLOUR_OF, coder.name);
    let swatch = RichText::new("■")
        .size(18.0)
        .color(coder_colour(project, coder.id));
    let response = egui::Button::new(swatch).frame(false);
    let response = ui.add(response).on_hover_text(&name);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    egui::Popup::menu(&response).show(|ui| {
        ui.label(RichText::new(&name).strong());
        let id = ui.make_persistent_id(("coder-colour", coder.id));
        let palette = crate::coders::LAYER_PALETTE;
        if let Some(colour) = crate::gui::widgets::colour_picker_ui(ui, &palette, &current, id) {
            if !colour.eq_ignore_ascii_case(&current) || coder.colour.is_none() {
                commands.push(Command::ColourCoder {
                    coder: coder.id,
                    colour: Some(colour),
                });
            }
            ui.close();
        }
        if coder.colour.is_some() && ui.button(s::CODER_PALETTE_COLOUR).clicked() {
            commands.push(Command::ColourCoder {
                coder: coder.id,
                colour: None,
            });
            ui.close();
        }
    });
}

/// A cache key for views that read codings: the project revision and the coder layers shown.
pub fn layered(revision: u64, coders: &CoderSelection) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    revision.hash(&mut hasher);
    coders.hash(&mut hasher);
    hasher.finish()
}

impl crate::gui::Workbench {
    /// Whose codings the workbench shows now.
    pub fn shown_coders(&self) -> CoderSelection {
        match self.session.project() {
            Some(project) => self
                .layers
                .selection(project, self.prefs.blind, &self.prefs.coder),
            None => CoderSelection::All,
        }
    }

    /// True while the Coders window is open.
    pub fn coders_window_open(&self) -> bool {
        self.layers.open
    }

    /// The preferences, to change (the coder name, blind mode).
    pub fn prefs_mut(&mut self) -> &mut crate::gui::Prefs {
        &mut self.prefs
    }

    /// Hides or shows a coder's layer (the Coders window's toggle).
    pub fn set_coder_visible(&mut self, coder: CoderId, visible: bool) {
        if visible {
            self.layers.hidden.remove(&coder);
        } else {
            self.layers.hidden.insert(coder);
        }
    }

    /// Reveals the other coders in blind mode, or hides them again.
    pub fn reveal_coders(&mut self, reveal: bool) {
        self.layers.revealed = reveal;
    }

    /// Hands the coder layers shown to every panel that reads codings, with the revision they cache by.
    pub(super) fn update_layers(&mut self) {
        let shown = self.shown_coders();
        let revision = self.session.workspace().map_or(0, |ws| ws.revision());
        // Other layers shown (blind mode, reveal, a layer hidden): the search's code:/coder: filters see other
        // codings, so the results on screen are run again.
        if shown != self.excerpts.shown && self.search.results.is_some() {
            self.search.run_requested = true;
        }
        self.layer_revision = layered(revision, &shown);
        self.codebook.coders = shown.clone();
        self.documents.coders = shown.clone();
        self.excerpts.shown = shown;
    }

    /// Records a review decision in the consensus layer (one undoable step); a decision that codes nothing
    /// (skip, or keeping a coder who coded nothing there) changes nothing.
    pub(super) fn resolve_disagreement(&mut self, decision: &crate::ops::Decision) {
        let Some(project) = self.session.project() else {
            return;
        };
        match crate::ops::resolve_disagreement(project, decision) {
            Ok(Some(coded)) => {
                self.apply(coded.edit);
            }
            Ok(None) => self.notice = Some(s::NOTHING_CODED.to_string()),
            Err(e) => self.error = Some(e.to_string()),
        }
    }
}
