//! What the one-page receipts (the transfer's e-receipt, a bill payment's receipt) share: the
//! title and the line under it, the amount band (digits, capitals, state), labelled rows
//! (Chinese with the English under it), and the small print with the printing time.

use app::i18n::{Lang, Msg};

use super::pdf::{wrap, Align, Page, Tone, MARGIN, PAGE_WIDTH};

/// A label in both languages, Chinese first.
pub fn both(msg: Msg) -> String {
    format!("{} {}", msg.text(Lang::ZhCn), msg.text(Lang::En))
}

/// The title, the line under it and the amount band; the height below them.
pub fn head(
    page: &mut Page,
    title: Msg,
    under_title: &str,
    amount: &str,
    capitals: &str,
    status: Msg,
) -> f32 {
    let centre = PAGE_WIDTH / 2.0;
    let mut y = 80.0;
    page.styled(centre, y, 22.0, Align::Center, Tone::Ink, both(title));
    y += 22.0;
    page.styled(centre, y, 11.0, Align::Center, Tone::Muted, under_title);
    y += 18.0;
    page.rule(y, 1.0);

    y += 14.0;
    page.band(y, 78.0);
    y += 32.0;
    page.styled(centre, y, 24.0, Align::Center, Tone::Accent, amount);
    y += 20.0;
    page.styled(
        centre,
        y,
        11.0,
        Align::Center,
        Tone::Ink,
        format!("{} {capitals}", Msg::AmountInCapitals.text(Lang::ZhCn)),
    );
    y += 16.0;
    page.styled(centre, y, 11.0, Align::Center, Tone::Accent, both(status));
    y + 28.0
}

/// A paragraph across the page (why a transfer came back, why a bill was refunded).
pub fn paragraph(page: &mut Page, mut y: f32, text: &str) -> f32 {
    for line in wrap(text, PAGE_WIDTH - 2.0 * MARGIN, 11.0) {
        page.styled(MARGIN, y, 11.0, Align::Left, Tone::Ink, line);
        y += 16.0;
    }
    y + 6.0
}

/// A labelled row: the label in Chinese with the English under it, the value's lines beside,
/// a hairline under the row.
pub fn row(page: &mut Page, y: &mut f32, label: Msg, lines: Vec<String>) {
    let value_x = MARGIN + 130.0;
    let value_width = PAGE_WIDTH - MARGIN - value_x;
    page.styled(
        MARGIN,
        *y,
        11.0,
        Align::Left,
        Tone::Ink,
        label.text(Lang::ZhCn),
    );
    page.styled(
        MARGIN,
        *y + 13.0,
        8.5,
        Align::Left,
        Tone::Muted,
        label.text(Lang::En),
    );
    let mut line_y = *y;
    for text in lines {
        for line in wrap(&text, value_width, 11.0) {
            page.text(value_x, line_y, 11.0, line);
            line_y += 16.0;
        }
    }
    // Room for the English label under the Chinese one, then the rule between rows.
    *y = line_y.max(*y + 26.0) + 8.0;
    page.rule(*y - 14.0, 0.25);
}

/// The small print (Chinese, then English) and when the document was printed.
pub fn footer(page: &mut Page, mut y: f32, zh: &str, en: &str, printed: &str) {
    y += 24.0;
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    for (text, size) in [(zh, 9.5), (en, 8.5)] {
        for line in wrap(text, width, size) {
            page.styled(MARGIN, y, size, Align::Left, Tone::Muted, line);
            y += size + 5.0;
        }
    }
    y += 12.0;
    page.styled(
        MARGIN,
        y,
        9.5,
        Align::Left,
        Tone::Muted,
        format!("打印时间 Printed {printed}"),
    );
}

/// For the layouts' tests: every line of text on every page lies within the side margins and
/// above the bottom margin.
#[cfg(test)]
pub fn assert_inside_margins(pages: &[Page]) {
    use super::pdf::{Mark, PAGE_HEIGHT};
    for page in pages {
        for mark in &page.marks {
            if let (Mark::Text { y, text, .. }, Some((left, right))) = (mark, mark.text_extent()) {
                assert!(
                    left >= MARGIN - 0.5 && right <= PAGE_WIDTH - MARGIN + 0.5,
                    "{text:?} runs off the page ({left}..{right})"
                );
                assert!(
                    *y < PAGE_HEIGHT - MARGIN,
                    "{text:?} below the bottom margin"
                );
            }
        }
    }
}
