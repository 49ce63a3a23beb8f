//! Look: fonts (DejaVu as fallback for æøå, arrows, ✓), the type scale, spacing, panel tones and code colours.

use egui::{
    Color32, FontData, FontDefinitions, FontFamily, FontId, TextStyle, Theme, ThemePreference,
};

use crate::model::colour_rgb;

/// Name of the bold font family.
pub const BOLD: &str = "bold";
/// Body text size in the document viewer.
pub const READING_SIZE: f32 = 15.5;
/// Characters per line in the viewer (readable measure).
pub const MEASURE_CHARS: f32 = 72.0;

/// The user's theme choice, stored in the app's preferences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn next(self) -> Self {
        match self {
            Self::System => Self::Light,
            Self::Light => Self::Dark,
            Self::Dark => Self::System,
        }
    }

    pub fn preference(self) -> ThemePreference {
        match self {
            Self::System => ThemePreference::System,
            Self::Light => ThemePreference::Light,
            Self::Dark => ThemePreference::Dark,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::System => crate::gui::strings::THEME_SYSTEM.get(),
            Self::Light => crate::gui::strings::THEME_LIGHT.get(),
            Self::Dark => crate::gui::strings::THEME_DARK.get(),
        }
    }
}

/// Installs the fonts and the styles of both themes.
pub fn install(ctx: &egui::Context, choice: ThemeChoice) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "DejaVuSans".into(),
        FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans.ttf")).into(),
    );
    fonts.font_data.insert(
        "DejaVuSans-Bold".into(),
        FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf")).into(),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("DejaVuSans".into());
    }
    let mut bold = vec!["DejaVuSans-Bold".to_string()];
    bold.extend(
        fonts
            .families
            .get(&FontFamily::Proportional)
            .cloned()
            .unwrap_or_default(),
    );
    fonts.families.insert(FontFamily::Name(BOLD.into()), bold);
    ctx.set_fonts(fonts);

    for theme in [Theme::Light, Theme::Dark] {
        ctx.style_mut_of(theme, |style| {
            style.text_styles = [
                (TextStyle::Small, FontId::proportional(11.5)),
                (TextStyle::Body, FontId::proportional(14.0)),
                (TextStyle::Button, FontId::proportional(14.0)),
                (
                    TextStyle::Heading,
                    FontId::new(17.0, FontFamily::Name(BOLD.into())),
                ),
                (TextStyle::Monospace, FontId::monospace(13.0)),
            ]
            .into();
            style.spacing.item_spacing = egui::vec2(8.0, 6.0);
            style.spacing.button_padding = egui::vec2(8.0, 3.0);
            style.spacing.interact_size.y = 22.0;
            let visuals = &mut style.visuals;
            // egui's weak text (hints, disabled labels) is too faint for WCAG AA; use the muted colour.
            visuals.weak_text_color = Some(muted(theme == Theme::Dark));
            // The keyboard focus (drawn with the "active" look) gets a 2 px ring in the selection colour, so a
            // keyboard user sees where Tab went (egui's 1 px outline is hard to spot).
            visuals.widgets.active.bg_stroke =
                egui::Stroke::new(2.0, visuals.selection.stroke.color);
            // A steady text cursor: a blinking one wakes the UI twice a second while a field has focus, and an
            // idle workbench should not repaint at all.
            visuals.text_cursor.blink = false;
            match theme {
                Theme::Light => {
                    visuals.panel_fill = Color32::from_rgb(244, 243, 240);
                    visuals.window_fill = Color32::from_rgb(250, 249, 247);
                    visuals.extreme_bg_color = Color32::from_rgb(255, 255, 253);
                    visuals.faint_bg_color = Color32::from_rgb(236, 234, 229);
                }
                Theme::Dark => {
                    // egui's grey 140 body text is below WCAG AA on the window fill.
                    visuals.widgets.noninteractive.fg_stroke.color = Color32::from_gray(175);
                    visuals.panel_fill = Color32::from_rgb(32, 33, 36);
                    visuals.window_fill = Color32::from_rgb(38, 39, 42);
                    visuals.extreme_bg_color = Color32::from_rgb(24, 25, 27);
                    visuals.faint_bg_color = Color32::from_rgb(44, 45, 49);
                }
            }
        });
    }
    ctx.set_theme(choice.preference());
}

/// A code's colour as stored (`#rrggbb`), adjusted so it keeps contrast on the current background.
pub fn code_colour(hex: &str, dark: bool) -> Color32 {
    let [r, g, b] = colour_rgb(hex).unwrap_or([128, 128, 128]);
    if dark {
        // Lighten dark colours a little so bars stay visible on a dark page.
        let lift = |c: u8| c.saturating_add(((255 - c as u16) / 4) as u8);
        Color32::from_rgb(lift(r), lift(g), lift(b))
    } else {
        Color32::from_rgb(r, g, b)
    }
}

/// A translucent fill of a code colour, for highlighting its passages behind text.
pub fn code_fill(hex: &str, dark: bool) -> Color32 {
    let c = code_colour(hex, dark);
    let alpha = if dark { 70 } else { 55 };
    Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha)
}

/// Fill behind search hits.
pub fn hit_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgba_unmultiplied(230, 190, 60, 90)
    } else {
        Color32::from_rgba_unmultiplied(255, 214, 64, 150)
    }
}

/// The reading page's background.
pub fn page_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(27, 28, 30)
    } else {
        Color32::from_rgb(255, 255, 252)
    }
}

/// Body text colour on the page.
pub fn text_colour(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(222, 220, 214)
    } else {
        Color32::from_rgb(34, 34, 38)
    }
}

/// Speaker labels.
pub fn speaker_colour(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(140, 180, 230)
    } else {
        Color32::from_rgb(30, 80, 140)
    }
}

/// Muted secondary text (timestamps, counts); dark enough for WCAG AA on every light background.
pub fn muted(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(150)
    } else {
        Color32::from_gray(100)
    }
}

/// Error text.
pub fn error_colour(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(255, 120, 110)
    } else {
        Color32::from_rgb(190, 30, 30)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The WCAG contrast ratio of two opaque colours (1 to 21; AA asks 4.5 for text, 3 for large text and controls).
    fn contrast_ratio(a: Color32, b: Color32) -> f32 {
        fn luminance(c: Color32) -> f32 {
            let channel = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
        }
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// A (premultiplied, maybe translucent) colour as it shows over an opaque background.
    fn over(fg: Color32, bg: Color32) -> Color32 {
        let keep = 1.0 - f32::from(fg.a()) / 255.0;
        let mix = |f: u8, b: u8| (f32::from(f) + f32::from(b) * keep).round().min(255.0) as u8;
        Color32::from_rgb(
            mix(fg.r(), bg.r()),
            mix(fg.g(), bg.g()),
            mix(fg.b(), bg.b()),
        )
    }

    #[test]
    fn contrast_ratio_matches_wcag_examples() {
        assert!((contrast_ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast_ratio(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.01);
        // #767676 on white is the classic lightest grey that passes AA (4.54).
        let grey = Color32::from_gray(0x76);
        assert!((contrast_ratio(grey, Color32::WHITE) - 4.54).abs() < 0.02);
    }

    /// Every text colour of both themes passes WCAG AA (4.5:1) on every background it is drawn on, and the
    /// focus ring and selection outline pass the 3:1 asked of controls.
    #[test]
    fn both_themes_pass_wcag_aa() {
        let ctx = egui::Context::default();
        install(&ctx, ThemeChoice::Light);
        for (theme, dark) in [(Theme::Light, false), (Theme::Dark, true)] {
            let v = ctx.style_of(theme).visuals.clone();
            let backgrounds = [
                ("panel", v.panel_fill),
                ("window", v.window_fill),
                ("page", page_fill(dark)),
                ("field", v.extreme_bg_color),
                ("stripe", v.faint_bg_color),
            ];
            let texts = [
                ("text", v.text_color()),
                ("page text", text_colour(dark)),
                ("muted", muted(dark)),
                ("error", error_colour(dark)),
                ("speaker", speaker_colour(dark)),
                ("weak", v.weak_text_color()),
                ("button", v.widgets.inactive.text_color()),
            ];
            for (text_name, text) in texts {
                for (bg_name, bg) in backgrounds {
                    let ratio = contrast_ratio(over(text, bg), bg);
                    assert!(
                        ratio >= 4.5,
                        "{theme:?}: {text_name} on {bg_name} is {ratio:.2}:1, below AA"
                    );
                }
            }
            for (name, colour) in [
                ("focus", v.selection.stroke.color),
                ("selected text", v.selection.stroke.color),
            ] {
                let ratio = contrast_ratio(colour, v.panel_fill);
                assert!(
                    ratio >= 3.0,
                    "{theme:?}: {name} is {ratio:.2}:1 on the panel"
                );
            }
            let ring = v.widgets.active.bg_stroke;
            assert!(ring.width >= 2.0, "{theme:?}: the focus ring is {ring:?}");
            let ring_contrast = contrast_ratio(ring.color, v.panel_fill);
            assert!(
                ring_contrast >= 3.0,
                "{theme:?}: the focus ring is {ring_contrast:.2}:1 on the panel"
            );
            let selected_text = contrast_ratio(v.selection.stroke.color, v.selection.bg_fill);
            assert!(
                selected_text >= 4.5,
                "{theme:?}: selected text is {selected_text:.2}:1 on its fill"
            );
        }
    }
}
