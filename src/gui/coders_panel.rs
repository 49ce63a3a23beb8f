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
use crate::gui::{strings as s, theme};
use crate::ids::CoderId;
use crate::model::Project;

/// Colours of coder layers, in the order coders are listed (by name); repeats after eight coders.
const PALETTE: [[u8; 3]; 8] = [
    [0x1f, 0x77, 0xb4],
    [0xd6, 0x27, 0x28],
    [0x2c, 0xa0, 0x2c],
    [0x94, 0x67, 0xbd],
    [0xff, 0x7f, 0x0e],
    [0x17, 0xbe, 0xcf],
    [0x8c, 0x56, 0x4b],
    [0xe3, 0x77, 0xc2],
];

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

/// A coder's layer colour: by the coder's place among the project's coders sorted by name.
pub fn coder_colour(project: &Project, coder: CoderId) -> Color32 {
    let mut coders: Vec<_> = project.coders().values().collect();
    coders.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
    let index = coders.iter().position(|c| c.id == coder).unwrap_or(0);
    let [r, g, b] = PALETTE[index % PALETTE.len()];
    Color32::from_rgb(r, g, b)
}

/// The Coders window: each coder with their colour, codings count (when shown) and a show/hide toggle; blind
/// mode with reveal.
pub fn coders_window_ui(
    ctx: &egui::Context,
    project: &Project,
    revision: u64,
    layers: &mut CoderLayers,
    blind: &mut bool,
    me: &str,
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
    egui::Window::new(s::CODERS_TITLE)
        .id(egui::Id::unique("coders-window"))
        .open(&mut open)
        .default_width(320.0)
        .resizable(true)
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
                    ui.label(RichText::new("■").color(coder_colour(project, coder.id)));
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
                            RichText::new(format!("{n}"))
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
    layers.open = open;
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
