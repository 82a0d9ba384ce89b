//! A small PDF writer for receipts and statements: A4 pages of positioned text and rules in one
//! embedded CJK font.
//!
//! The font is Debian's WenQuanYi Micro Hei (`fonts-wqy-microhei`, installed by
//! `scripts/setup.sh`; another path can be given in `PDF_FONT`). The whole face is megabytes,
//! so each document embeds a subset holding only the characters it uses (cut with allsorts,
//! which printpdf already depends on): a receipt comes out at tens of kilobytes, and any name a
//! customer has renders, not just a fixed character list.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 48.0;

const DEFAULT_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Align {
    Left,
    Right,
    Center,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tone {
    Ink,
    Muted,
    Accent,
}

impl Tone {
    fn rgb(self) -> Rgb {
        let (r, g, b) = match self {
            Tone::Ink => (0.07, 0.09, 0.12),
            Tone::Muted => (0.30, 0.33, 0.38),
            Tone::Accent => (0.02, 0.37, 0.27),
        };
        Rgb {
            r,
            g,
            b,
            icc_profile: None,
        }
    }
}

/// One thing drawn on a page; `y` is the text baseline (or the rule), measured from the top.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    Text {
        x: f32,
        y: f32,
        size: f32,
        align: Align,
        tone: Tone,
        text: String,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
    },
    Band {
        y: f32,
        height: f32,
    },
}

impl Mark {
    /// A text mark's left and right edge by the layout estimate, for checking that layouts keep
    /// inside the page and their columns.
    pub fn text_extent(&self) -> Option<(f32, f32)> {
        let Mark::Text {
            x,
            size,
            align,
            text,
            ..
        } = self
        else {
            return None;
        };
        let w = estimate_width(text, *size);
        Some(match align {
            Align::Left => (*x, x + w),
            Align::Right => (x - w, *x),
            Align::Center => (x - w / 2.0, x + w / 2.0),
        })
    }
}

/// A page under construction: marks in top-down coordinates.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub marks: Vec<Mark>,
}

impl Page {
    pub fn text(&mut self, x: f32, y: f32, size: f32, text: impl Into<String>) {
        self.styled(x, y, size, Align::Left, Tone::Ink, text);
    }

    pub fn styled(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        align: Align,
        tone: Tone,
        text: impl Into<String>,
    ) {
        self.marks.push(Mark::Text {
            x,
            y,
            size,
            align,
            tone,
            text: text.into(),
        });
    }

    pub fn rule(&mut self, y: f32, width: f32) {
        self.marks.push(Mark::Rule {
            x1: MARGIN,
            x2: PAGE_WIDTH - MARGIN,
            y,
            width,
        });
    }

    /// A light shaded band across the text area (table headers, summary boxes).
    pub fn band(&mut self, y: f32, height: f32) {
        self.marks.push(Mark::Band { y, height });
    }
}

/// A width estimate for layout before the font is cut: CJK and other wide characters are
/// one em, ASCII at most 0.6 em in this face (checked against the real widths in the tests).
pub fn estimate_width(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f32>()
        * size
}

/// Breaks `text` into lines no wider than `max_width` (by [`estimate_width`]), between any two
/// characters: Chinese has no spaces to break at, and the long strings here (references,
/// memos) read fine split anywhere.
pub fn wrap(text: &str, max_width: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        let mut candidate = line.clone();
        candidate.push(c);
        if !line.is_empty() && estimate_width(&candidate, size) > max_width {
            // Inside an English word, break at the last space instead.
            match line.rfind(' ').filter(|_| c.is_ascii_alphanumeric()) {
                Some(at) => {
                    let rest = line[at + 1..].to_string();
                    line.truncate(at);
                    lines.push(std::mem::replace(&mut line, rest));
                }
                None => lines.push(std::mem::take(&mut line)),
            }
            // A line never starts with the space it broke at.
            if c != ' ' {
                line.push(c);
            }
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Shortens `text` with an ellipsis to fit `max_width` (table cells).
pub fn fit(text: &str, max_width: f32, size: f32) -> String {
    if estimate_width(text, size) <= max_width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if estimate_width(&out, size) + estimate_width(&c.to_string(), size) + size > max_width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("PDF font not available: {0}")]
    FontMissing(String),
    #[error("PDF font subset failed: {0}")]
    Subset(String),
}

/// The parsed font collection, loaded once per process.
struct FontSource {
    bytes: Vec<u8>,
    index: usize,
    cmap: BTreeMap<u32, u16>,
}

fn font_source() -> Result<&'static FontSource, PdfError> {
    static SOURCE: OnceLock<Result<FontSource, String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let path = std::env::var("PDF_FONT").unwrap_or_else(|_| DEFAULT_FONT.to_string());
            let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
            let parsed = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
                .ok_or_else(|| format!("{path}: not a font"))?;
            Ok(FontSource {
                cmap: parsed.codepoint_to_glyph,
                bytes,
                index: 0,
            })
        })
        .as_ref()
        .map_err(|e| PdfError::FontMissing(e.clone()))
}

/// Whether documents can be rendered on this machine (the font is there).
pub fn available() -> bool {
    font_source().is_ok()
}

/// The face cut down to `chars`, parsed again so widths and the character map are the
/// subset's own.
fn subset_font(chars: &BTreeSet<char>) -> Result<ParsedFont, PdfError> {
    let source = font_source()?;
    let glyphs: BTreeSet<u16> = chars
        .iter()
        .filter_map(|c| source.cmap.get(&u32::from(*c)).copied())
        .filter(|g| *g != 0)
        .collect();
    // .notdef first, as the subsetter requires.
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let scope = ReadScope::new(&source.bytes);
    let data = scope
        .read::<FontData<'_>>()
        .map_err(|e| PdfError::Subset(e.to_string()))?;
    let provider = data
        .table_provider(source.index)
        .map_err(|e| PdfError::Subset(e.to_string()))?;
    let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| PdfError::Subset(e.to_string()))?;
    ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
        .ok_or_else(|| PdfError::Subset("the subset does not parse".into()))
}

/// Width of `text` at `size` points.
fn text_width(font: &ParsedFont, text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| {
            font.lookup_glyph_index(u32::from(c))
                .and_then(|g| font.get_glyph_width(g))
                .map_or(0, u32::from)
        })
        .sum();
    units as f32 * size / f32::from(font.units_per_em.max(1))
}

fn point(x: f32, y_from_top: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_HEIGHT - y_from_top),
    }
}

fn page_ops(page: &Page, font: &ParsedFont, font_id: &FontId) -> Vec<Op> {
    let mut ops = Vec::new();
    for mark in &page.marks {
        match mark {
            Mark::Band { y, height } => {
                ops.push(Op::SetFillColor {
                    col: Color::Rgb(Rgb {
                        r: 0.93,
                        g: 0.96,
                        b: 0.94,
                        icc_profile: None,
                    }),
                });
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(MARGIN),
                        y: Pt(PAGE_HEIGHT - y - height),
                        width: Pt(PAGE_WIDTH - 2.0 * MARGIN),
                        height: Pt(*height),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
            Mark::Rule { x1, x2, y, width } => {
                ops.push(Op::SetOutlineColor {
                    col: Color::Rgb(Tone::Muted.rgb()),
                });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint {
                                p: point(*x1, *y),
                                bezier: false,
                            },
                            LinePoint {
                                p: point(*x2, *y),
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            Mark::Text {
                x,
                y,
                size,
                align,
                tone,
                text,
            } => {
                let width = text_width(font, text, *size);
                let left = match align {
                    Align::Left => *x,
                    Align::Right => x - width,
                    Align::Center => x - width / 2.0,
                };
                ops.extend([
                    Op::StartTextSection,
                    Op::SetFillColor {
                        col: Color::Rgb(tone.rgb()),
                    },
                    Op::SetFont {
                        font: PdfFontHandle::External(font_id.clone()),
                        size: Pt(*size),
                    },
                    Op::SetTextCursor {
                        pos: point(left, *y),
                    },
                    Op::ShowText {
                        items: vec![TextItem::Text(text.clone())],
                    },
                    Op::EndTextSection,
                ]);
            }
        }
    }
    ops
}

/// Renders the pages into a PDF with the font subset embedded.
pub fn render(title: &str, pages: &[Page]) -> Result<Vec<u8>, PdfError> {
    let chars: BTreeSet<char> = pages
        .iter()
        .flat_map(|p| &p.marks)
        .filter_map(|m| match m {
            Mark::Text { text, .. } => Some(text.chars()),
            _ => None,
        })
        .flatten()
        .collect();
    let font = subset_font(&chars)?;
    let mut doc = PdfDocument::new(title);
    let font_id = doc.add_font(&font);
    let pdf_pages = pages
        .iter()
        .map(|p| {
            PdfPage::new(
                Mm::from(Pt(PAGE_WIDTH)),
                Mm::from(Pt(PAGE_HEIGHT)),
                page_ops(p, &font, &font_id),
            )
        })
        .collect();
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pdf_pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_chinese_text_embeds_a_small_font_subset() {
        assert!(available(), "{DEFAULT_FONT} missing: run scripts/setup.sh");
        let mut page = Page::default();
        page.text(MARGIN, 80.0, 18.0, "电子回单 E-receipt");
        page.styled(
            PAGE_WIDTH - MARGIN,
            120.0,
            12.0,
            Align::Right,
            Tone::Muted,
            "¥1,234.56 壹仟贰佰叁拾肆元伍角陆分",
        );
        page.rule(130.0, 0.5);
        let pdf = render("test", &[page]).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // The full face is about 5 MB; a subset of a few dozen glyphs is far smaller.
        assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("FontFile2"), "the font is embedded");
        assert!(
            text.contains("ToUnicode"),
            "text stays searchable and copyable"
        );
    }

    #[test]
    fn right_aligned_text_ends_at_its_x() {
        assert!(available(), "{DEFAULT_FONT} missing: run scripts/setup.sh");
        let chars: BTreeSet<char> = "1234567890.,¥余额".chars().collect();
        let font = subset_font(&chars).unwrap();
        let narrow = text_width(&font, "¥1.00", 12.0);
        let wide = text_width(&font, "¥1,000,000.00", 12.0);
        assert!(narrow > 10.0 && wide > 2.0 * narrow, "{narrow} {wide}");
        assert!(
            text_width(&font, "余额", 12.0) >= 23.0,
            "CJK glyphs are about 1 em"
        );
        for sample in ["¥1,000,000.00", "余额", "2026-11-27 09:30", "0192f0a1-7e2b"] {
            assert!(
                text_width(&font, sample, 12.0) <= estimate_width(sample, 12.0) + 0.01,
                "the layout estimate never undershoots: {sample}"
            );
        }
    }

    #[test]
    fn wrapping_and_fitting_respect_the_width() {
        let text = "给家里的生活费".repeat(10);
        let lines = wrap(&text, 200.0, 10.0);
        assert_eq!(lines.concat(), text, "nothing is lost");
        assert!(lines.iter().all(|l| estimate_width(l, 10.0) <= 200.0));
        assert_eq!(lines.len(), 4);
        assert_eq!(wrap("", 100.0, 10.0), vec![String::new()]);
        assert_eq!(
            wrap("a reprint is not a second transfer", 100.0, 10.0),
            vec!["a reprint is not", "a second", "transfer"],
            "English breaks between words"
        );
        let cell = fit(&text, 100.0, 10.0);
        assert!(
            cell.ends_with('…') && estimate_width(&cell, 10.0) <= 100.0,
            "{cell}"
        );
        assert_eq!(fit("工资", 100.0, 10.0), "工资");
    }
}
