//! The safe Markdown subset staff write content in: paragraphs, emphasis, headings (shown as
//! third- and fourth-level), lists, quotes, links, and pictures the portal itself stores
//! (`/media/<id>`, uploaded and re-encoded: `images.rs`). Raw HTML is never passed through: it
//! shows as the text it is. Links go to the portal's own pages or to allow-listed hosts over
//! HTTPS; any other link keeps its words and loses its address. The HTML is sanitized once more
//! to an allow-list, so a parser surprise cannot reach a customer's page.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Hosts content may link to besides the portal itself (government services customers are
/// sent to by the bank's own notices).
pub const LINK_HOSTS: [&str; 3] = ["www.gov.cn", "www.pbc.gov.cn", "si.12333.gov.cn"];

/// Whether content may link to `dest`: a path of the portal, or HTTPS to an allow-listed host.
pub fn link_allowed(dest: &str) -> bool {
    if dest.starts_with('/') {
        // `//host` is another site; `/\host` is one to some browsers.
        return !dest.starts_with("//") && !dest.starts_with("/\\");
    }
    let Some(rest) = dest.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    LINK_HOSTS.contains(&host.to_ascii_lowercase().as_str())
}

/// Whether a body may show the picture at `dest`: one the portal stores, `/media/<id>`.
pub fn picture_allowed(dest: &str) -> bool {
    dest.strip_prefix("/media/")
        .is_some_and(super::images::is_image_id)
}

/// The body as HTML safe to put in a customer's page.
pub fn render(source: &str) -> String {
    let mut dropped_links = Vec::new();
    let mut dropped_images = Vec::new();
    let events = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH).filter_map(|event| {
        Some(match event {
            // Raw HTML shows as text.
            Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
            Event::Start(Tag::Heading { level, .. }) => Event::Start(Tag::Heading {
                level: demote(level),
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            }),
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
            // Only pictures the portal stores and re-encoded; one from elsewhere is shown as
            // its description.
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let keep = kept(picture_allowed(&dest_url), &mut dropped_images);
                keep.then_some(Event::Start(Tag::Image {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url,
                    title,
                    id: CowStr::Borrowed(""),
                }))?
            }
            Event::End(TagEnd::Image) => {
                end_kept(&mut dropped_images).then_some(Event::End(TagEnd::Image))?
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                let keep = kept(link_allowed(&dest_url), &mut dropped_links);
                keep.then_some(Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url,
                    title,
                    id: CowStr::Borrowed(""),
                }))?
            }
            Event::End(TagEnd::Link) => {
                end_kept(&mut dropped_links).then_some(Event::End(TagEnd::Link))?
            }
            other => other,
        })
    });
    let mut html = String::with_capacity(source.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events);
    sanitize(&html)
}

/// Whether a link's or picture's start is kept, remembered for its end (they nest).
fn kept(allowed: bool, dropped: &mut Vec<bool>) -> bool {
    dropped.push(!allowed);
    allowed
}

/// Whether the end of a link or picture is kept: as its start was.
fn end_kept(dropped: &mut Vec<bool>) -> bool {
    !dropped.pop().unwrap_or(true)
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 => HeadingLevel::H3,
        _ => HeadingLevel::H4,
    }
}

fn sanitize(html: &str) -> String {
    let tags = [
        "p",
        "br",
        "strong",
        "em",
        "del",
        "ul",
        "ol",
        "li",
        "h3",
        "h4",
        "blockquote",
        "a",
        "code",
        "img",
    ];
    ammonia::Builder::empty()
        .add_tags(tags)
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes("img", ["src", "alt"])
        .url_relative(ammonia::UrlRelative::PassThrough)
        .add_url_schemes(["https"])
        .attribute_filter(|element, attribute, value| {
            if element == "a" && attribute == "href" && !link_allowed(value) {
                return None;
            }
            if element == "img" && attribute == "src" && !picture_allowed(value) {
                return None;
            }
            Some(value.into())
        })
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_to_the_subset() {
        let html =
            render("# 农商快讯\n\n**春耕贷款** 开始受理，*利率优惠*。\n\n- 一\n- 二\n\n> 提示");
        assert!(html.contains("<h3>农商快讯</h3>"), "{html}");
        assert!(html.contains("<strong>春耕贷款</strong>"));
        assert!(html.contains("<em>利率优惠</em>"));
        assert!(html.contains("<ul>\n<li>一</li>"));
        assert!(html.contains("<blockquote>"));
    }

    #[test]
    fn script_and_raw_html_show_as_text() {
        for source in [
            "<script>alert(1)</script>",
            "hello <img src=x onerror=alert(1)> there",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
        ] {
            let html = render(source);
            assert!(!html.contains("<script"), "{html}");
            assert!(!html.contains("<img"), "{html}");
            assert!(!html.contains("<iframe"), "{html}");
            assert!(!html.contains("<a "), "{html}");
            assert!(html.contains("&lt;"), "shown as text: {html}");
        }
    }

    #[test]
    fn links_only_to_the_portal_or_allow_listed_hosts() {
        let html = render("[存款](/deposits) [政府](https://www.gov.cn/zhengce/) [坏](https://evil.example/x) [脚本](javascript:alert(1)) [别站](//evil.example)");
        assert!(
            html.contains("<a href=\"/deposits\" rel=\"noopener noreferrer\">存款</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://www.gov.cn/zhengce/\""),
            "{html}"
        );
        assert!(!html.contains("evil.example"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(
            html.contains("坏") && html.contains("脚本") && html.contains("别站"),
            "words stay: {html}"
        );
        assert!(!html.contains("<img"));
        let html = render("![x](https://evil.example/a.png)");
        assert!(
            !html.contains("evil.example") && !html.contains("<img"),
            "{html}"
        );
        assert!(!link_allowed("http://www.gov.cn/"));
        assert!(!link_allowed("https://www.gov.cn.evil.example/"));
        assert!(!link_allowed("/\\evil.example"));
    }
}
